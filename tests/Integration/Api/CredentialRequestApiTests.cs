using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Api;

/// <summary>A portal whose every log line is captured, with ASP.NET Core's own request logging on (it logs paths).</summary>
public sealed class RequestLoggingApiPortal : ApiPortalFixture
{
    public CapturingLoggerProvider Logs { get; } = new();

    protected override Task ConfigureAsync(TestPortalOptions options)
    {
        options.Logger = Logs;
        options.Settings["Logging:LogLevel:Default"] = "Trace";
        options.Settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
        return Task.CompletedTask;
    }
}

public sealed class CredentialRequestApiTestsLocal(RequestLoggingApiPortal portal) : CredentialRequestApiTests(portal), IClassFixture<RequestLoggingApiPortal>
{
    [Fact]
    public async Task TheTokenAndTheCanary_AppearInNoLogLineAndNoResponse()
    {
        var (_, token) = await RequestAsync(NewSecretBody("Logged"));
        var responses = new List<string>
        {
            await (await OpenAsync(token)).Content.ReadAsStringAsync(),
            await (await SubmitAsync(token)).Content.ReadAsStringAsync(),
            await (await SubmitAsync(token)).Content.ReadAsStringAsync(),
            await (await Anonymous().GetAsync($"/requests/{token}")).Content.ReadAsStringAsync(),
            await (await Owner().GetAsync(Url(Acme, "/secrets"))).Content.ReadAsStringAsync(),
            await (await Owner().GetAsync(Url(Acme, "/credential-requests"))).Content.ReadAsStringAsync(),
            await (await Owner().GetAsync(Url(Acme, "/audit-events"))).Content.ReadAsStringAsync(),
        };
        var lines = portal.Logs.Lines;
        Assert.Contains(lines, l => l.Contains("/v1/credential-requests/" + Dataraven.Portal.Security.TokenPaths.Redacted));
        var leaked = lines.FirstOrDefault(l => l.Contains(token));
        Assert.True(leaked is null, $"The token is in a log line: {leaked?.Replace(token, "<TOKEN>")}");
        Assert.DoesNotContain(lines, l => l.Contains(Canary));
        Assert.DoesNotContain(responses, r => r.Contains(Canary));
    }
}

public sealed class CredentialRequestApiTestsPostgres(PostgresApiPortal portal) : CredentialRequestApiTests(portal), IClassFixture<PostgresApiPortal>;

public abstract class CredentialRequestApiTests(ApiPortalFixture fixture) : ApiTestBase(fixture)
{
    protected const string Canary = "CANARYc7e2";
    private static readonly Dictionary<string, string> S3Credentials = new()
    {
        ["access_key_id"] = "AKIAIOSFODNN7" + "EXA",
        ["secret_access_key"] = "wJalrXUtnFEMI/K7MDENG/bPxRfi" + Canary + "YE",
    };

    protected static object NewSecretBody(string name) => new Dictionary<string, object?>
    {
        ["name"] = name, ["description"] = "From the customer", ["secret_type"] = "s3", ["auth_method"] = "s3_access_key",
        ["note"] = "Please paste the backup bucket key",
    };

    protected async Task<(JsonNode Created, string Token)> RequestAsync(object? body = null, TeamFixture? team = null)
    {
        var created = await (await Owner(team).PostJsonAsync(Url(team ?? Acme, "/credential-requests"), body ?? NewSecretBody($"Bucket {Guid.NewGuid():N}")))
            .AssertStatusAsync(HttpStatusCode.Created);
        var url = created["url"]!.GetValue<string>();
        Assert.StartsWith("http://localhost/requests/", url);
        return (created, url["http://localhost/requests/".Length..]);
    }

    protected HttpClient Anonymous() => Portal.CreateClient();

    protected Task<HttpResponseMessage> OpenAsync(string token) => Anonymous().GetAsync($"/v1/credential-requests/{token}");

    protected Task<HttpResponseMessage> SubmitAsync(string token, object? credentials = null) =>
        Anonymous().PostJsonAsync($"/v1/credential-requests/{token}", new { credentials = credentials ?? S3Credentials });

    private async Task<T> WithDbAsync<T>(Func<PortalDbContext, Task<T>> action)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    [Fact]
    public async Task Create_AnswersThePendingRequestWithTheLinkOnce_StoresOnlyItsHash_ListAndGetNeverShowIt()
    {
        var (created, token) = await RequestAsync();
        Assert.Equal("pending", created["status"]!.GetValue<string>());
        Assert.Equal(Acme.TeamId, created["team_id"]!.GetValue<Guid>());
        Assert.Equal(0, created["views"]!.GetValue<int>());
        Assert.Equal(10, created["max_views"]!.GetValue<int>());
        Assert.False(created["require_sign_in"]!.GetValue<bool>());
        Assert.Null(created["secret_id"]);
        Assert.Equal("s3", created["secret_type"]!.GetValue<string>());
        Assert.Equal("s3_access_key", created["auth_method"]!.GetValue<string>());
        Assert.Equal("Please paste the backup bucket key", created["note"]!.GetValue<string>());
        Assert.Equal(Acme.OwnerId, created["created_by"]!.GetValue<Guid>());
        Assert.Equal(TimeSpan.FromHours(72), created["expires_at"]!.GetValue<DateTime>() - created["created_at"]!.GetValue<DateTime>());
        Assert.True(token.Length >= 43, "a 32-byte random token");
        var id = created["id"]!.GetValue<Guid>();

        var list = await (await Owner().GetAsync(Url(Acme, "/credential-requests"))).AssertStatusAsync(HttpStatusCode.OK);
        var listed = Assert.Single(list.AsArray());
        Assert.Equal(id, listed!["id"]!.GetValue<Guid>());
        Assert.Null(listed["url"]);
        Assert.DoesNotContain(token, list.ToJsonString());
        var got = await (await Owner().GetAsync(Url(Acme, $"/credential-requests/{id}"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("pending", got["status"]!.GetValue<string>());
        Assert.Null(got["url"]);

        var stored = await WithDbAsync(db => db.CredentialRequests.SingleAsync(r => r.Id == id));
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(token)), stored.TokenHash);
        Assert.Equal(1, await WithDbAsync(db => db.AuditEvents.CountAsync(e => e.TeamId == Acme.TeamId && e.Action == "credential_request.created")));
    }

    [Theory]
    [InlineData("note", 2001)]
    [InlineData("expires_in_hours", 0)]
    [InlineData("expires_in_hours", 721)]
    [InlineData("max_views", 0)]
    [InlineData("max_views", 101)]
    [InlineData("name", 0)]
    [InlineData("secret_type", 0)]
    [InlineData("auth_method", 0)]
    public async Task Create_InvalidField_Is400NamingIt_AndCreatesNothing(string field, int value)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = "Bucket", ["secret_type"] = "s3", ["auth_method"] = "s3_access_key",
        };
        body[field] = field switch
        {
            "note" => new string('n', value),
            "name" => "",
            "secret_type" => "floppy",
            "auth_method" => "password",
            _ => value,
        };
        await (await Owner().PostJsonAsync(Url(Acme, "/credential-requests"), body)).AssertValidationErrorAsync(field);
        Assert.Equal(0, await WithDbAsync(db => db.CredentialRequests.CountAsync(r => r.TeamId == Acme.TeamId)));
    }

    [Fact]
    public async Task Create_ForATakenName_Is409_ForAnotherTeamsSecret_Is404()
    {
        var secret = await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), new Dictionary<string, object?>
        {
            ["name"] = "Taken", ["secret_type"] = "s3", ["auth_method"] = "s3_access_key", ["credentials"] = S3Credentials,
        })).AssertStatusAsync(HttpStatusCode.Created);
        await (await Owner().PostJsonAsync(Url(Acme, "/credential-requests"), NewSecretBody("Taken"))).AssertProblemAsync(HttpStatusCode.Conflict, "name_conflict");
        await (await Owner(Globex).PostJsonAsync(Url(Globex, "/credential-requests"), new { secret_id = secret["id"]!.GetValue<Guid>() }))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData(TeamRole.Operator)]
    [InlineData(TeamRole.Viewer)]
    public async Task BelowAdmin_CreateListGetRevoke_Are403(TeamRole role)
    {
        var (created, _) = await RequestAsync();
        var id = created["id"]!.GetValue<Guid>();
        var client = Portal.CreateClient((await Portal.AddMemberAsync(Acme, role)).Key);
        await (await client.PostJsonAsync(Url(Acme, "/credential-requests"), NewSecretBody("Mine"))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");
        await (await client.GetAsync(Url(Acme, "/credential-requests"))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");
        await (await client.GetAsync(Url(Acme, $"/credential-requests/{id}"))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");
        await (await client.DeleteAsync(Url(Acme, $"/credential-requests/{id}"))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");
        Assert.Equal(1, await WithDbAsync(db => db.CredentialRequests.CountAsync(r => r.TeamId == Acme.TeamId && r.RevokedAt == null)));
    }

    [Fact]
    public async Task Admin_Creates_AnotherTeam_Gets404()
    {
        var admin = Portal.CreateClient((await Portal.AddMemberAsync(Acme, TeamRole.Admin)).Key);
        var created = await (await admin.PostJsonAsync(Url(Acme, "/credential-requests"), NewSecretBody("From admin"))).AssertStatusAsync(HttpStatusCode.Created);
        var id = created["id"]!.GetValue<Guid>();
        await (await Owner(Globex).GetAsync(Url(Globex, $"/credential-requests/{id}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await Owner(Globex).DeleteAsync(Url(Globex, $"/credential-requests/{id}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Open_CountsAView_AndShowsOnlyWhatTheRecipientNeeds()
    {
        var (created, token) = await RequestAsync();
        var opened = await (await OpenAsync(token)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Acme", opened["team_name"]!.GetValue<string>());
        Assert.Equal(Acme.OwnerEmail, opened["requested_by"]!.GetValue<string>());
        Assert.Equal("Please paste the backup bucket key", opened["note"]!.GetValue<string>());
        Assert.Equal("s3", opened["secret_type"]!.GetValue<string>());
        Assert.Equal("s3_access_key", opened["auth_method"]!.GetValue<string>());
        Assert.Equal(["access_key_id", "secret_access_key"], opened["fields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(created["expires_at"]!.GetValue<DateTime>(), opened["expires_at"]!.GetValue<DateTime>());
        Assert.Null(opened["team_id"]);

        var got = await (await Owner().GetAsync(Url(Acme, $"/credential-requests/{created["id"]}"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(1, got["views"]!.GetValue<int>());
        var viewed = await WithDbAsync(db => db.AuditEvents.SingleAsync(e => e.TeamId == Acme.TeamId && e.Action == "credential_request.viewed"));
        Assert.Equal("external", viewed.ActorType);
        Assert.Equal("request", viewed.Via);
    }

    [Fact]
    public async Task Fulfil_ANewSecret_StoresItWriteOnly_AndTheLinkIsDead()
    {
        var (created, token) = await RequestAsync(NewSecretBody("Customer bucket"));
        var done = await (await SubmitAsync(token)).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal("fulfilled", done["status"]!.GetValue<string>());
        var secretId = done["secret_id"]!.GetValue<Guid>();

        var secrets = await (await Owner().GetAsync(Url(Acme, "/secrets"))).AssertStatusAsync(HttpStatusCode.OK);
        var secret = secrets.AsArray().Single(s => s!["id"]!.GetValue<Guid>() == secretId)!;
        Assert.Equal("Customer bucket", secret["name"]!.GetValue<string>());
        Assert.Equal("direct", secret["source"]!.GetValue<string>());
        Assert.Equal(["access_key_id", "secret_access_key"], secret["credential_fields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(S3Credentials, await Store.GetAsync(CredentialKey.ForSecret(Acme.TeamId, secretId)));
        Assert.DoesNotContain(Canary, secrets.ToJsonString());

        var got = await (await Owner().GetAsync(Url(Acme, $"/credential-requests/{created["id"]}"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("fulfilled", got["status"]!.GetValue<string>());
        Assert.Equal(secretId, got["secret_id"]!.GetValue<Guid>());
        Assert.NotNull(got["fulfilled_at"]);
        await (await OpenAsync(token)).AssertProblemAsync(HttpStatusCode.Gone, "request_closed");
        await (await SubmitAsync(token)).AssertProblemAsync(HttpStatusCode.Gone, "request_closed");

        var events = await WithDbAsync(db => db.AuditEvents.Where(e => e.TeamId == Acme.TeamId).ToListAsync());
        var fulfilled = Assert.Single(events, e => e.Action == "credential_request.fulfilled");
        Assert.Equal(("external", "request"), (fulfilled.ActorType, fulfilled.Via));
        var secretCreated = Assert.Single(events, e => e.Action == "secret.created" && e.TargetId == secretId);
        Assert.Equal(("external", "request"), (secretCreated.ActorType, secretCreated.Via));
        Assert.DoesNotContain(events, e => (e.Details ?? "").Contains(Canary) || (e.TargetName ?? "").Contains(Canary));
    }

    [Fact]
    public async Task Fulfil_AnExistingSecret_ReplacesItsCredentialsLikeAPatch()
    {
        var secret = await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), new Dictionary<string, object?>
        {
            ["name"] = "Rotating", ["secret_type"] = "s3", ["auth_method"] = "s3_access_key",
            ["credentials"] = new Dictionary<string, string> { ["access_key_id"] = "AKIAOLDOLDOLDOLDOLD1", ["secret_access_key"] = new string('o', 40) },
        })).AssertStatusAsync(HttpStatusCode.Created);
        var secretId = secret["id"]!.GetValue<Guid>();
        var (created, token) = await RequestAsync(new { secret_id = secretId, max_views = 1, expires_in_hours = 1 });
        Assert.Equal(secretId, created["secret_id"]!.GetValue<Guid>());
        Assert.Equal("Rotating", created["name"]!.GetValue<string>());

        var done = await (await SubmitAsync(token)).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal(secretId, done["secret_id"]!.GetValue<Guid>());
        Assert.Equal(S3Credentials, await Store.GetAsync(CredentialKey.ForSecret(Acme.TeamId, secretId)));
        Assert.Equal(1, await WithDbAsync(db => db.AuditEvents.CountAsync(e => e.TargetId == secretId && e.Action == "secret.updated" && e.ActorType == "external")));
    }

    [Fact]
    public async Task Fulfil_InvalidCredentials_Is400PerField_AndChangesNothing()
    {
        var (created, token) = await RequestAsync();
        await (await SubmitAsync(token, new Dictionary<string, string> { ["access_key_id"] = S3Credentials["access_key_id"] }))
            .AssertValidationErrorAsync("credentials.secret_access_key");
        var got = await (await Owner().GetAsync(Url(Acme, $"/credential-requests/{created["id"]}"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("pending", got["status"]!.GetValue<string>());
        Assert.Equal(0, await WithDbAsync(db => db.Secrets.CountAsync(s => s.TeamId == Acme.TeamId)));
        // Still usable after the mistake.
        await (await SubmitAsync(token)).AssertStatusAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task UnknownToken_Is404()
    {
        await (await OpenAsync("no-such-token")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await SubmitAsync("no-such-token")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Revoked_Is410_AndRevokeIs204()
    {
        var (created, token) = await RequestAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await Owner().DeleteAsync(Url(Acme, $"/credential-requests/{created["id"]}"))).StatusCode);
        await (await OpenAsync(token)).AssertProblemAsync(HttpStatusCode.Gone, "request_closed");
        await (await SubmitAsync(token)).AssertProblemAsync(HttpStatusCode.Gone, "request_closed");
        var got = await (await Owner().GetAsync(Url(Acme, $"/credential-requests/{created["id"]}"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("revoked", got["status"]!.GetValue<string>());
        Assert.Equal(1, await WithDbAsync(db => db.AuditEvents.CountAsync(e => e.TeamId == Acme.TeamId && e.Action == "credential_request.revoked")));
    }

    [Fact]
    public async Task Expired_Is410()
    {
        var (created, token) = await RequestAsync();
        var id = created["id"]!.GetValue<Guid>();
        await WithDbAsync(db => db.CredentialRequests.Where(r => r.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.ExpiresAt, DateTime.UtcNow.AddMinutes(-1))));
        await (await OpenAsync(token)).AssertProblemAsync(HttpStatusCode.Gone, "request_closed");
        await (await SubmitAsync(token)).AssertProblemAsync(HttpStatusCode.Gone, "request_closed");
        var got = await (await Owner().GetAsync(Url(Acme, $"/credential-requests/{id}"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("expired", got["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task PastMaxViews_Is410Exhausted_ButTheLastAllowedViewMayStillSubmit()
    {
        var (created, token) = await RequestAsync(new Dictionary<string, object?>
        {
            ["name"] = "Viewed", ["secret_type"] = "s3", ["auth_method"] = "s3_access_key", ["max_views"] = 2,
        });
        await (await OpenAsync(token)).AssertStatusAsync(HttpStatusCode.OK);
        await (await OpenAsync(token)).AssertStatusAsync(HttpStatusCode.OK);
        await (await OpenAsync(token)).AssertProblemAsync(HttpStatusCode.Gone, "request_closed");
        await (await SubmitAsync(token)).AssertProblemAsync(HttpStatusCode.Gone, "request_closed");
        var got = await (await Owner().GetAsync(Url(Acme, $"/credential-requests/{created["id"]}"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("exhausted", got["status"]!.GetValue<string>());
        Assert.Equal(2, got["views"]!.GetValue<int>());

        var (_, once) = await RequestAsync(new Dictionary<string, object?>
        {
            ["name"] = "Viewed once", ["secret_type"] = "s3", ["auth_method"] = "s3_access_key", ["max_views"] = 1,
        });
        await (await OpenAsync(once)).AssertStatusAsync(HttpStatusCode.OK);
        await (await SubmitAsync(once)).AssertStatusAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task FourSubmitsAtOnce_ExactlyOneSucceeds_TheOthersAre410()
    {
        var (_, token) = await RequestAsync(NewSecretBody("Raced"));
        var tally = new RaceTally();
        var outcomes = await tally.RaceAsync(4, _ => SubmitAsync(token));
        Assert.True(outcomes.Count(o => o.Status == 201) == 1 && outcomes.Count(o => o is { Status: 410, Detail: "request_closed" }) == 3,
            string.Join(", ", outcomes));
        Assert.Equal(1, await WithDbAsync(db => db.Secrets.CountAsync(s => s.TeamId == Acme.TeamId && s.Name == "Raced")));
        var secretId = await WithDbAsync(db => db.Secrets.Where(s => s.TeamId == Acme.TeamId).Select(s => s.Id).SingleAsync());
        Assert.Equal([CredentialKey.ForSecret(Acme.TeamId, secretId)], await StoredKeysAsync());
    }

    [Fact]
    public async Task FourSubmitsAtOnce_ForAnExistingSecret_ExactlyOneSucceeds()
    {
        var secret = await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), new Dictionary<string, object?>
        {
            ["name"] = "Raced existing", ["secret_type"] = "s3", ["auth_method"] = "s3_access_key", ["credentials"] = S3Credentials,
        })).AssertStatusAsync(HttpStatusCode.Created);
        var (_, token) = await RequestAsync(new { secret_id = secret["id"]!.GetValue<Guid>() });
        var outcomes = await new RaceTally().RaceAsync(4, _ => SubmitAsync(token));
        Assert.True(outcomes.Count(o => o.Status == 201) == 1 && outcomes.Count(o => o is { Status: 410, Detail: "request_closed" }) == 3,
            string.Join(", ", outcomes));
    }

    [Fact]
    public async Task TierLimit_IsCheckedAtCreation_AndAgainAtFulfilment()
    {
        await SetTierAsync(Acme, "free");
        var (_, token) = await RequestAsync(NewSecretBody("Sixth"));
        for (var i = 0; i < 5; i++)
        {
            await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), new Dictionary<string, object?>
            {
                ["name"] = $"Filler {i}", ["secret_type"] = "s3", ["auth_method"] = "s3_access_key", ["credentials"] = S3Credentials,
            })).AssertStatusAsync(HttpStatusCode.Created);
        }
        await (await SubmitAsync(token)).AssertProblemAsync(HttpStatusCode.Forbidden, "tier_limit_reached");
        await (await Owner().PostJsonAsync(Url(Acme, "/credential-requests"), NewSecretBody("Seventh")))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "tier_limit_reached");
        Assert.Equal(5, await WithDbAsync(db => db.Secrets.CountAsync(s => s.TeamId == Acme.TeamId)));
    }

    [Fact]
    public async Task RequireSignIn_RefusesAnAnonymousHolder()
    {
        var (_, token) = await RequestAsync(new Dictionary<string, object?>
        {
            ["name"] = "Members only", ["secret_type"] = "s3", ["auth_method"] = "s3_access_key", ["require_sign_in"] = true,
        });
        await (await OpenAsync(token)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        await (await SubmitAsync(token)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        var outsider = await SignedInClient.CreateAsync(Portal, Globex.OwnerEmail);
        await (await outsider.GetAsync($"/v1/credential-requests/{token}")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");

        var member = await SignedInClient.CreateAsync(Portal, Acme.OwnerEmail);
        await (await member.GetAsync($"/v1/credential-requests/{token}")).AssertStatusAsync(HttpStatusCode.OK);
        await (await member.PostJsonAsync($"/v1/credential-requests/{token}", new { credentials = S3Credentials })).AssertStatusAsync(HttpStatusCode.Created);
    }
}

/// <summary>The per-address limit of the links' endpoints, with a low configured value.</summary>
public sealed class CredentialRequestRateLimitTests : IAsyncLifetime
{
    private const int PerMinute = 3;
    private TestPortal _portal = null!;

    public async Task InitializeAsync()
    {
        var options = new TestPortalOptions();
        options.Settings["RateLimits:CredentialRequestPerMinute"] = PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _portal = await TestPortal.StartAsync(options);
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private HttpClient From(string address)
    {
        var handler = _portal.App.GetTestServer().CreateHandler(c => c.Connection.RemoteIpAddress = IPAddress.Parse(address));
        return new HttpClient(handler) { BaseAddress = new Uri("http://localhost/") };
    }

    [Fact]
    public async Task AfterTheLimit_OneAddressGets429_AnotherIsStillServed()
    {
        var client = From("203.0.113.7");
        for (var i = 0; i < PerMinute; i++)
        {
            await (await client.GetAsync("/v1/credential-requests/guess-" + i)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        }
        var limited = await (await client.GetAsync("/v1/credential-requests/guess-x")).AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotNull(limited);
        await (await client.PostJsonAsync("/v1/credential-requests/guess-y", new { credentials = new { } }))
            .AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        await (await From("203.0.113.8").GetAsync("/v1/credential-requests/guess-z")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }
}
