using System.Net;
using System.Text.Json.Nodes;
using Dataraven.Core.Checks;
using Dataraven.Core.Checks.Health;
using Dataraven.Core.Common;
using Dataraven.Core.Notifications;
using Dataraven.Core.Notifications.Webhooks;
using Dataraven.Core.Persistence;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Tests.Api;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dataraven.Tests.Notifications;

/// <summary>A portal on a fake clock whose dispatcher the tests drive (one pass at a time), a B2 fake and a receiver.</summary>
public class WebhookPortal : ApiPortalFixture
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
    public WebhookReceiver Receiver { get; private set; } = null!;
    public FakeB2Server B2 { get; private set; } = null!;

    protected override async Task ConfigureAsync(TestPortalOptions options)
    {
        Receiver = await WebhookReceiver.StartAsync();
        B2 = await FakeB2Server.StartAsync();
        options.Settings["Webhooks:AllowPrivateNetworks"] = "true";
        options.Settings["Webhooks:DispatcherEnabled"] = "false";
        options.Settings["Storage:B2:BaseUrl"] = B2.BaseUrl;
        await ConfigureDatabaseAsync(options);
        var previous = options.Services;
        options.Services = services =>
        {
            previous?.Invoke(services);
            services.AddSingleton<TimeProvider>(Clock);
        };
    }

    protected virtual Task ConfigureDatabaseAsync(TestPortalOptions options) => Task.CompletedTask;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
        await B2.DisposeAsync();
    }
}

public sealed class PostgresWebhookPortal : WebhookPortal
{
    protected override Task ConfigureDatabaseAsync(TestPortalOptions options) => PostgresRun.ConfigureAsync(options);
}

public sealed class WebhookTestsSqlite(WebhookPortal portal) : WebhookTests(portal), IClassFixture<WebhookPortal>;

public sealed class WebhookTestsPostgres(PostgresWebhookPortal portal) : WebhookTests(portal), IClassFixture<PostgresWebhookPortal>;

public abstract class WebhookTests(WebhookPortal fixture) : ApiTestBase(fixture)
{
    private const string Canary = "CANARYwh9f31";
    private const string B2KeyId = "0051234567890ab0000000077";
    private static readonly string B2Key = "K005webhook" + Canary + "Key01";

    private WebhookReceiver Receiver => fixture.Receiver;

    private async Task<(JsonNode Created, string Path, string Secret)> CreateAsync(string[]? events = null, TeamFixture? team = null)
    {
        var url = Receiver.NewUrl(out var path);
        var created = await (await Owner(team).PostJsonAsync(Url(team ?? Acme, "/webhooks"),
                new { url, events = events ?? ["*"], description = "Ops channel" }))
            .AssertStatusAsync(HttpStatusCode.Created);
        var secret = created["secret"]!.GetValue<string>();
        Receiver.SetSecret(path, secret);
        return (created, path, secret);
    }

    private Task<int> PassAsync() => Portal.Services.GetRequiredService<WebhookDispatcher>().RunOnceAsync();

    /// <summary>Passes until nothing is due (no clock change), for deliveries that are due now.</summary>
    private async Task DrainAsync()
    {
        for (var i = 0; i < 20 && await PassAsync() > 0; i++)
        {
        }
    }

    private async Task<JsonArray> DeliveriesAsync(string webhookId) =>
        (JsonArray)await (await Owner().GetAsync(Url(Acme, $"/webhooks/{webhookId}/deliveries"))).AssertStatusAsync(HttpStatusCode.OK);

    [Fact]
    public async Task Create_ShowsTheSecretOnce_ListNeverDoes_StoredEncrypted()
    {
        var (created, _, secret) = await CreateAsync([NotificationEventTypes.SecretCheckFailed, NotificationEventTypes.WebhookTest]);
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        foreach (var field in new[] { "id", "url", "events", "description", "secret", "created_at" })
        {
            Assert.NotNull(created[field]);
        }
        var id = created["id"]!.GetValue<string>();
        var list = (JsonArray)await (await Owner().GetAsync(Url(Acme, "/webhooks"))).AssertStatusAsync(HttpStatusCode.OK);
        var listed = Assert.Single(list, w => w!["id"]!.GetValue<string>() == id)!;
        Assert.Null(listed["secret"]);
        Assert.Equal(2, listed["events"]!.AsArray().Count);
        Assert.DoesNotContain(secret["whsec_".Length..], list.ToJsonString());

        await using var scope = Portal.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Webhooks.AsNoTracking().SingleAsync(w => w.Id == Guid.Parse(id));
        Assert.DoesNotContain(secret["whsec_".Length..], row.ProtectedSecret);
        Assert.DoesNotContain("whsec_", row.ProtectedSecret);
    }

    [Theory]
    [InlineData("""{"events":["*"]}""", "url")]
    [InlineData("""{"url":"ftp://example.com/hook","events":["*"]}""", "url")]
    [InlineData("""{"url":"https://user:pw@example.com/hook","events":["*"]}""", "url")]
    [InlineData("""{"url":"https://example.com/hook","events":[]}""", "events")]
    [InlineData("""{"url":"https://example.com/hook","events":["secret.deleted"]}""", "events")]
    [InlineData("""{"url":"https://example.com/hook"}""", "events")]
    public async Task Create_BadInput_Is400NamingTheField_AndCreatesNothing(string body, string field)
    {
        await (await Owner().PostRawAsync(Url(Acme, "/webhooks"), body)).AssertValidationErrorAsync(field);
        var list = (JsonArray)await (await Owner().GetAsync(Url(Acme, "/webhooks"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Empty(list);
    }

    [Fact]
    public async Task Roles_OwnerAndAdminOnly_OtherTeamIs404()
    {
        var (created, _, _) = await CreateAsync();
        var id = created["id"]!.GetValue<string>();
        var admin = Portal.CreateClient((await Portal.AddMemberAsync(Acme, TeamRole.Admin)).Key);
        await (await admin.GetAsync(Url(Acme, "/webhooks"))).AssertStatusAsync(HttpStatusCode.OK);
        foreach (var role in new[] { TeamRole.Operator, TeamRole.Viewer })
        {
            var client = Portal.CreateClient((await Portal.AddMemberAsync(Acme, role)).Key);
            await (await client.GetAsync(Url(Acme, "/webhooks"))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");
            await (await client.PostJsonAsync(Url(Acme, "/webhooks"), new { url = "https://example.com/x", events = new[] { "*" } }))
                .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");
            await (await client.DeleteAsync(Url(Acme, $"/webhooks/{id}"))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");
        }
        // Globex's Owner, on Globex's route with Acme's webhook id, and on Acme's route.
        await (await Owner(Globex).DeleteAsync(Url(Globex, $"/webhooks/{id}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await Owner(Globex).PostJsonAsync(Url(Globex, $"/webhooks/{id}/test"), new { })).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await Owner(Globex).GetAsync(Url(Globex, $"/webhooks/{id}/deliveries"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await Owner(Globex).GetAsync(Url(Acme, "/webhooks"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");

        await (await admin.DeleteAsync(Url(Acme, $"/webhooks/{id}"))).AssertStatusAsync(HttpStatusCode.NoContent);
        await (await admin.DeleteAsync(Url(Acme, $"/webhooks/{id}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Test_IsDeliveredSigned_AndShowsInTheDeliveries()
    {
        var (created, path, _) = await CreateAsync();
        var id = created["id"]!.GetValue<string>();
        await (await Owner().PostJsonAsync(Url(Acme, $"/webhooks/{id}/test"), new { })).AssertStatusAsync(HttpStatusCode.Accepted);
        await DrainAsync();

        var got = Assert.Single(Receiver.At(path));
        Assert.True(got.SignatureValid, "the receiver's own HMAC check failed");
        Assert.StartsWith("msg_", got.Id);
        var body = JsonNode.Parse(got.Body)!;
        Assert.Equal("webhook.test", body["type"]!.GetValue<string>());
        Assert.NotNull(body["timestamp"]);
        var data = body["data"]!;
        Assert.Equal(Acme.TeamId.ToString(), data["team_id"]!.GetValue<string>());
        Assert.Equal("webhook", data["target"]!["type"]!.GetValue<string>());
        foreach (var field in new[] { "status", "error_class", "expires_at", "message", "url" })
        {
            Assert.True(data.AsObject().ContainsKey(field), $"data.{field} is missing");
        }

        var delivery = Assert.Single(await DeliveriesAsync(id))!;
        Assert.Equal("webhook.test", delivery["event"]!.GetValue<string>());
        Assert.Equal(1, delivery["attempt"]!.GetValue<int>());
        Assert.Equal(200, delivery["status_code"]!.GetValue<int>());
        Assert.NotNull(delivery["delivered_at"]);
        Assert.NotNull(delivery["created_at"]);
        Assert.True(delivery.AsObject().ContainsKey("error"));
    }

    [Fact]
    public async Task A500ThenA200_IsRetriedAfterTheBackoff_WithTheSameWebhookId()
    {
        var (created, path, _) = await CreateAsync();
        var id = created["id"]!.GetValue<string>();
        Receiver.Answer(500);
        await (await Owner().PostJsonAsync(Url(Acme, $"/webhooks/{id}/test"), new { })).AssertStatusAsync(HttpStatusCode.Accepted);
        Assert.Equal(1, await PassAsync());
        var pending = Assert.Single(await DeliveriesAsync(id))!;
        Assert.Equal(500, pending["status_code"]!.GetValue<int>());
        Assert.Equal("pending", pending["status"]!.GetValue<string>());
        Assert.Null(pending["delivered_at"]);

        // Not before the first backoff step (5 s).
        fixture.Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, await PassAsync());
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await PassAsync());

        var got = Receiver.At(path);
        Assert.Equal(2, got.Count);
        Assert.Equal(got[0].Id, got[1].Id);
        Assert.All(got, g => Assert.True(g.SignatureValid));
        var delivered = Assert.Single(await DeliveriesAsync(id))!;
        Assert.Equal(2, delivered["attempt"]!.GetValue<int>());
        Assert.Equal("delivered", delivered["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Failures_FollowTheBackoff_ThenFailed_AndLaterEventsWaitTheirTurn()
    {
        var (created, path, _) = await CreateAsync();
        var id = created["id"]!.GetValue<string>();
        Receiver.Answer(503, 429, 500, 502, 500, 500);
        await (await Owner().PostJsonAsync(Url(Acme, $"/webhooks/{id}/test"), new { })).AssertStatusAsync(HttpStatusCode.Accepted);
        await (await Owner().PostJsonAsync(Url(Acme, $"/webhooks/{id}/test"), new { })).AssertStatusAsync(HttpStatusCode.Accepted);
        Assert.Equal(1, await PassAsync());
        for (var step = 0; step < WebhooksOptions.Backoff.Count; step++)
        {
            fixture.Clock.Advance(WebhooksOptions.Backoff[step] - TimeSpan.FromMilliseconds(10));
            Assert.Equal(0, await PassAsync());
            fixture.Clock.Advance(TimeSpan.FromMilliseconds(10));
            // The retry only: the second event waits behind the first (in order per webhook). After the 6th attempt
            // the first is failed and the second goes in the same pass.
            Assert.Equal(step == WebhooksOptions.Backoff.Count - 1 ? 2 : 1, await PassAsync());
        }
        var got = Receiver.At(path);
        Assert.Equal(7, got.Count);
        Assert.Single(got.Take(6).Select(g => g.Id).Distinct());
        Assert.NotEqual(got[0].Id, got[6].Id);
        var deliveries = await DeliveriesAsync(id);
        Assert.Equal(["delivered", "failed"], deliveries.Select(d => d!["status"]!.GetValue<string>()));
        Assert.Equal(6, deliveries[1]!["attempt"]!.GetValue<int>());
    }

    [Fact]
    public async Task SecretChecks_OnlyStateChangesAreEvents_NoValueInAnyBody()
    {
        var (_, path, _) = await CreateAsync();
        var owner = new TeamActor(Acme.TeamId, Acme.OwnerId, TeamRole.Owner);
        fixture.B2.AddKey(B2KeyId, B2Key, ["listFiles"], fixture.Clock.GetUtcNow().AddDays(90));
        var created = await Portal.WithAsync<SecretService, Result<SecretDetails>>(s => s.CreateAsync(owner, new CreateSecretRequest
        {
            Name = $"b2-{Guid.NewGuid():N}", SecretType = "b2", AuthMethod = "b2_application_key",
            Credentials = new() { ["application_key_id"] = B2KeyId, ["application_key"] = B2Key },
        }));
        var secretId = created.Value!.Secret.Id;
        async Task<CheckStatus> CheckAsync() =>
            (await Portal.WithAsync<SecretHealthService, Result<SecretCheck>>(s => s.CheckAsync(TeamActor.System(Acme.TeamId), secretId, null))).Value!.Status;

        Assert.Equal(CheckStatus.Ok, await CheckAsync()); // first check ok: nothing to tell
        Assert.Equal(CheckStatus.Ok, await CheckAsync());
        fixture.B2.AddKey(B2KeyId, "K005someOtherKeyEntirely0001", ["listFiles"]);
        Assert.NotEqual(CheckStatus.Ok, await CheckAsync()); // ok -> failing: check_failed
        Assert.NotEqual(CheckStatus.Ok, await CheckAsync()); // failing again: nothing
        fixture.B2.AddKey(B2KeyId, B2Key, ["listFiles"]);
        Assert.Equal(CheckStatus.Ok, await CheckAsync()); // recovered
        Assert.Equal(CheckStatus.Ok, await CheckAsync());
        await DrainAsync();

        var got = Receiver.At(path).Where(g => g.Body.Contains(secretId.ToString())).ToList();
        Assert.Equal([NotificationEventTypes.SecretCheckFailed, NotificationEventTypes.SecretRecovered],
            got.Select(g => JsonNode.Parse(g.Body)!["type"]!.GetValue<string>()));
        var failed = JsonNode.Parse(got[0].Body)!["data"]!;
        Assert.Equal("secret", failed["target"]!["type"]!.GetValue<string>());
        Assert.Equal(secretId.ToString(), failed["target"]!["id"]!.GetValue<string>());
        Assert.NotNull(failed["error_class"]);
        Assert.All(got, g => Assert.True(g.SignatureValid));
        Assert.DoesNotContain(Receiver.Received, r => r.Body.Contains(Canary) || r.Body.Contains(B2Key));
    }

    [Fact]
    public async Task ExpiryThresholds_OnTheFakeClock_EachOnce_ThenExpired()
    {
        var (_, path, _) = await CreateAsync([NotificationEventTypes.SecretExpiring, NotificationEventTypes.SecretExpired]);
        var owner = new TeamActor(Acme.TeamId, Acme.OwnerId, TeamRole.Owner);
        var created = await Portal.WithAsync<SecretService, Result<SecretDetails>>(s => s.CreateAsync(owner, new CreateSecretRequest
        {
            Name = $"expiring-{Guid.NewGuid():N}", SecretType = "b2", AuthMethod = "b2_application_key",
            Credentials = new() { ["application_key_id"] = B2KeyId, ["application_key"] = B2Key },
        }));
        var secretId = created.Value!.Secret.Id;
        var expiresAt = Clock.UtcNow(fixture.Clock).AddDays(40);
        await using (var scope = Portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var secret = await db.Secrets.SingleAsync(s => s.Id == secretId);
            secret.Health.ExpiresAt = expiresAt;
            await db.SaveChangesAsync();
        }
        async Task<int> NoticesAsync() => await Portal.WithAsync<ExpiryNotices, int>(n => n.RunAsync());

        Assert.Equal(0, await NoticesAsync()); // 40 days left
        foreach (var (day, kind) in new[] { (11, "expiring"), (34, "expiring"), (39.5, "expiring"), (40.1, "expired") })
        {
            var now = fixture.Clock.GetUtcNow();
            var target = new DateTimeOffset(expiresAt.AddDays(day - 40));
            fixture.Clock.Advance(target - now);
            Assert.Equal(1, await NoticesAsync());
            Assert.Equal(0, await NoticesAsync()); // the next pass finds the same state: nothing
            _ = kind;
        }
        fixture.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(0, await NoticesAsync());
        await DrainAsync();

        var bodies = Receiver.At(path).Select(g => JsonNode.Parse(g.Body)!).Where(b => b["data"]!["target"]!["id"]!.GetValue<string>() == secretId.ToString()).ToList();
        Assert.Equal(["secret.expiring", "secret.expiring", "secret.expiring", "secret.expired"], bodies.Select(b => b["type"]!.GetValue<string>()));
        Assert.Contains("30 days", bodies[0]["data"]!["message"]!.GetValue<string>());
        Assert.Contains("7 days", bodies[1]["data"]!["message"]!.GetValue<string>());
        Assert.Contains("1 day", bodies[2]["data"]!["message"]!.GetValue<string>());
        Assert.All(bodies, b => Assert.NotNull(b["data"]!["expires_at"]));
    }

    [Fact]
    public async Task CredentialRequestFulfilled_IsAnEvent_WithoutTheValueOrTheToken()
    {
        var (_, path, _) = await CreateAsync([NotificationEventTypes.CredentialRequestFulfilled]);
        var created = await (await Owner().PostJsonAsync(Url(Acme, "/credential-requests"), new Dictionary<string, object?>
        {
            ["name"] = $"Handed {Guid.NewGuid():N}", ["secret_type"] = "s3", ["auth_method"] = "s3_access_key",
        })).AssertStatusAsync(HttpStatusCode.Created);
        var link = created["url"]!.GetValue<string>();
        var token = link[(link.LastIndexOf('/') + 1)..];
        var secretKey = "wJalrXUtnFEMI/K7MDENG/" + Canary + "bPxRfiYE";
        await (await Portal.CreateClient().PostJsonAsync($"/v1/credential-requests/{token}", new
        {
            credentials = new Dictionary<string, string> { ["access_key_id"] = "AKIAIOSFODNN7EXAMPLE", ["secret_access_key"] = secretKey },
        })).AssertStatusAsync(HttpStatusCode.Created);
        await DrainAsync();

        var got = Assert.Single(Receiver.At(path));
        Assert.True(got.SignatureValid);
        var body = JsonNode.Parse(got.Body)!;
        Assert.Equal(NotificationEventTypes.CredentialRequestFulfilled, body["type"]!.GetValue<string>());
        Assert.Equal(created["id"]!.GetValue<string>(), body["data"]!["target"]!["id"]!.GetValue<string>());
        Assert.DoesNotContain(Canary, got.Body);
        Assert.DoesNotContain(token, got.Body);
        Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", got.Body);
    }

    [Fact]
    public async Task OnlySubscribedEvents_AndOnlyTheTeamsOwn_AreDelivered()
    {
        var (_, onlyTests, _) = await CreateAsync([NotificationEventTypes.WebhookTest]);
        var (_, onlyFailures, _) = await CreateAsync([NotificationEventTypes.SecretCheckFailed]);
        var (globexHook, globexPath, _) = await CreateAsync(["*"], Globex);
        await using (var scope = Portal.Services.CreateAsyncScope())
        {
            var events = scope.ServiceProvider.GetRequiredService<INotificationEvents>();
            events.Raise(Acme.TeamId, NotificationEventTypes.SecretRecovered, new NotificationTarget("secret", Guid.NewGuid(), "x"));
            await scope.ServiceProvider.GetRequiredService<PortalDbContext>().SaveChangesAsync();
        }
        await DrainAsync();
        Assert.Empty(Receiver.At(onlyTests));
        Assert.Empty(Receiver.At(onlyFailures));
        Assert.Empty(Receiver.At(globexPath));
        _ = globexHook;
    }

    [Fact]
    public async Task TwoDispatchers_OnOneDatabase_DeliverEachMessageOnce_InOrder()
    {
        var hooks = new List<(string Id, string Path)>();
        for (var i = 0; i < 4; i++)
        {
            var (created, path, _) = await CreateAsync([NotificationEventTypes.SecretRecovered]);
            hooks.Add((created["id"]!.GetValue<string>(), path));
        }
        const int events = 25;
        await using (var scope = Portal.Services.CreateAsyncScope())
        {
            var notifications = scope.ServiceProvider.GetRequiredService<INotificationEvents>();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            for (var i = 0; i < events; i++)
            {
                notifications.Raise(Acme.TeamId, NotificationEventTypes.SecretRecovered, new NotificationTarget("secret", Guid.NewGuid(), $"seq-{i:D3}"));
                await db.SaveChangesAsync();
            }
        }
        var a = ActivatorUtilities.CreateInstance<WebhookDispatcher>(Portal.Services);
        var b = ActivatorUtilities.CreateInstance<WebhookDispatcher>(Portal.Services);
        for (var round = 0; round < 30; round++)
        {
            var attempts = await Task.WhenAll(a.RunOnceAsync(), b.RunOnceAsync(), a.RunOnceAsync(), b.RunOnceAsync());
            if (attempts.Sum() == 0 && hooks.All(h => Receiver.At(h.Path).Count >= events))
            {
                break;
            }
        }
        foreach (var (_, path) in hooks)
        {
            var got = Receiver.At(path);
            Assert.Equal(events, got.Count);
            Assert.Equal(events, got.Select(g => g.Id).Distinct().Count());
            Assert.All(got, g => Assert.True(g.SignatureValid));
            var names = got.Select(g => JsonNode.Parse(g.Body)!["data"]!["target"]!["name"]!.GetValue<string>()).ToList();
            Assert.Equal(names.Order(StringComparer.Ordinal), names);
        }
    }
}
