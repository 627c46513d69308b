using System.Net;
using System.Text.Json.Nodes;
using Dataraven.Core.Common;
using Dataraven.Core.Notifications;
using Dataraven.Core.Notifications.Webhooks;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Dataraven.Core.VaultConnections;
using Dataraven.Tests.Api;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Notifications;

/// <summary>A <see cref="WebhookPortal"/> that keeps only the last 5 finished deliveries per webhook.</summary>
public sealed class SmallRetentionWebhookPortal : WebhookPortal
{
    protected override Task ConfigureDatabaseAsync(TestPortalOptions options)
    {
        options.Settings["Webhooks:KeepDeliveries"] = WebhookRetentionTests.Keep.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Task.CompletedTask;
    }
}

/// <summary>The same on PostgreSQL.</summary>
public sealed class SmallRetentionPostgresWebhookPortal : WebhookPortal
{
    protected override Task ConfigureDatabaseAsync(TestPortalOptions options)
    {
        options.Settings["Webhooks:KeepDeliveries"] = WebhookRetentionTests.Keep.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return PostgresRun.ConfigureAsync(options);
    }
}

public sealed class WebhookRetentionTestsSqlite(SmallRetentionWebhookPortal portal) : WebhookRetentionTests(portal), IClassFixture<SmallRetentionWebhookPortal>;

public sealed class WebhookRetentionTestsPostgres(SmallRetentionPostgresWebhookPortal portal) : WebhookRetentionTests(portal), IClassFixture<SmallRetentionPostgresWebhookPortal>;

/// <summary>
/// Issue 24: deliveries are pruned by the dispatcher's pass (<c>Webhooks:KeepDeliveries</c>, never a pending one), and the
/// vault connection events (<c>vault_connection.failing</c> / <c>.recovered</c>) are sent on a change of state only, whether
/// the verify came from the API or from the scheduler.
/// </summary>
public abstract class WebhookRetentionTests(WebhookPortal fixture) : ApiTestBase(fixture)
{
    public const int Keep = 5;

    private WebhookReceiver Receiver => fixture.Receiver;

    private async Task<(string Id, string Path)> CreateWebhookAsync(string[] events)
    {
        var url = Receiver.NewUrl(out var path);
        var created = await (await Owner().PostJsonAsync(Url(Acme, "/webhooks"), new { url, events, description = "Ops channel" }))
            .AssertStatusAsync(HttpStatusCode.Created);
        Receiver.SetSecret(path, created["secret"]!.GetValue<string>());
        return (created["id"]!.GetValue<string>(), path);
    }

    private Task<int> PassAsync() => Portal.Services.GetRequiredService<WebhookDispatcher>().RunOnceAsync();

    private async Task DrainAsync()
    {
        for (var i = 0; i < 30 && await PassAsync() > 0; i++)
        {
        }
    }

    private async Task SendTestsAsync(string webhookId, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await (await Owner().PostJsonAsync(Url(Acme, $"/webhooks/{webhookId}/test"), new { })).AssertStatusAsync(HttpStatusCode.Accepted);
        }
    }

    private async Task<List<WebhookDelivery>> StoredDeliveriesAsync(string webhookId)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var id = Guid.Parse(webhookId);
        return await db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == id).OrderBy(d => d.EventSequence).ToListAsync();
    }

    [Fact]
    public async Task Deliveries_KeepTheNewestFinished_NeverDeleteAPendingOne()
    {
        var (id, path) = await CreateWebhookAsync(["webhook.test"]);
        await SendTestsAsync(id, Keep + 2);
        await DrainAsync();
        Assert.Equal(Keep + 2, Receiver.At(path).Count);
        var kept = await StoredDeliveriesAsync(id);
        Assert.Equal(Keep, kept.Count);
        Assert.All(kept, d => Assert.Equal(WebhookDeliveryStatus.Delivered, d.Status));
        var newestIds = Receiver.At(path).TakeLast(Keep).Select(r => r.Id).ToList();
        Assert.Equal(newestIds, kept.Select(d => d.MessageId));
        var listed = (JsonArray)await (await Owner().GetAsync(Url(Acme, $"/webhooks/{id}/deliveries"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(Keep, listed.Count);

        // The receiver fails the next attempt: the first new delivery waits for its retry and the later ones behind it,
        // more pending ones than are kept; none of them is pruned.
        Receiver.Answer(500);
        await SendTestsAsync(id, Keep + 3);
        Assert.Equal(1, await PassAsync());
        var during = await StoredDeliveriesAsync(id);
        Assert.Equal(Keep + 3, during.Count(d => d.Status == WebhookDeliveryStatus.Pending));
        Assert.Equal(Keep, during.Count(d => d.Status == WebhookDeliveryStatus.Delivered));

        fixture.Clock.Advance(WebhooksOptions.Backoff[0]);
        await DrainAsync();
        var after = await StoredDeliveriesAsync(id);
        Assert.Equal(Keep, after.Count);
        Assert.All(after, d => Assert.Equal(WebhookDeliveryStatus.Delivered, d.Status));
        Assert.Equal(Receiver.At(path).Select(r => r.Id).Distinct().TakeLast(Keep), after.Select(d => d.MessageId));
    }

    [Fact]
    public async Task VaultConnection_FailingThenRecovered_OneEventEach_NothingOnTheSameStateAgain()
    {
        var (_, path) = await CreateWebhookAsync([NotificationEventTypes.VaultConnectionFailing, NotificationEventTypes.VaultConnectionRecovered]);
        var body = ProviderFakes.ValidBody("onepassword", $"1p-{Guid.NewGuid():N}");
        var created = await (await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body)).AssertStatusAsync(HttpStatusCode.Created);
        var connectionId = Guid.Parse(created["id"]!.GetValue<string>());
        async Task<bool> ApiVerifyAsync() =>
            (bool)(await (await Owner().PostJsonAsync(Url(Acme, $"/vault-connections/{connectionId}/verify"), new { })).AssertStatusAsync(HttpStatusCode.OK))["verified"]!;
        // What the scheduler runs for each connection.
        async Task<bool> ScheduledVerifyAsync() =>
            (await Portal.WithAsync<VaultConnectionService, Result<VerificationOutcome>>(s => s.VerifyAsync(TeamActor.System(Acme.TeamId), connectionId))).Value!.Verified;

        try
        {
            Assert.True(await ApiVerifyAsync()); // verified again: nothing
            Fakes.Op.Mode = FakeOpMode.Reject;
            Assert.False(await ScheduledVerifyAsync()); // verified -> failing: failing
            Assert.False(await ApiVerifyAsync()); // failing again: nothing
            Assert.False(await ScheduledVerifyAsync());
            Fakes.Op.Mode = FakeOpMode.Ok;
            Assert.True(await ApiVerifyAsync()); // recovered
            Assert.True(await ScheduledVerifyAsync()); // still fine: nothing
        }
        finally
        {
            Fakes.Op.Mode = FakeOpMode.Ok;
        }
        await DrainAsync();

        var got = Receiver.At(path);
        Assert.Equal([NotificationEventTypes.VaultConnectionFailing, NotificationEventTypes.VaultConnectionRecovered],
            got.Select(g => JsonNode.Parse(g.Body)!["type"]!.GetValue<string>()));
        Assert.All(got, g => Assert.True(g.SignatureValid, "the receiver's own HMAC check failed"));
        var failing = JsonNode.Parse(got[0].Body)!["data"]!;
        Assert.Equal("vault_connection", failing["target"]!["type"]!.GetValue<string>());
        Assert.Equal(connectionId.ToString(), failing["target"]!["id"]!.GetValue<string>());
        Assert.Equal("failing", failing["status"]!.GetValue<string>());
        Assert.NotNull(failing["error_class"]);
        var recovered = JsonNode.Parse(got[1].Body)!["data"]!;
        Assert.Equal("verified", recovered["status"]!.GetValue<string>());
        Assert.DoesNotContain(got, g => g.Body.Contains(ProviderFakes.OnePasswordToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task VaultConnection_FailingThenRotatedToWorkingCredentials_Recovered()
    {
        var (_, path) = await CreateWebhookAsync([NotificationEventTypes.VaultConnectionFailing, NotificationEventTypes.VaultConnectionRecovered]);
        var body = ProviderFakes.ValidBody("onepassword", $"1p-{Guid.NewGuid():N}");
        var created = await (await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body)).AssertStatusAsync(HttpStatusCode.Created);
        var connectionId = Guid.Parse(created["id"]!.GetValue<string>());
        try
        {
            Fakes.Op.Mode = FakeOpMode.Reject;
            await (await Owner().PostJsonAsync(Url(Acme, $"/vault-connections/{connectionId}/verify"), new { })).AssertStatusAsync(HttpStatusCode.OK);
        }
        finally
        {
            Fakes.Op.Mode = FakeOpMode.Ok;
        }
        var rotated = await (await Owner().PostJsonAsync(Url(Acme, $"/vault-connections/{connectionId}/rotate"),
            new { access_token = ProviderFakes.OnePasswordToken })).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("verified", rotated["status"]!.GetValue<string>());
        // A second rotate of a working connection is no news.
        await (await Owner().PostJsonAsync(Url(Acme, $"/vault-connections/{connectionId}/rotate"),
            new { access_token = ProviderFakes.OnePasswordToken })).AssertStatusAsync(HttpStatusCode.OK);
        await DrainAsync();

        var got = Receiver.At(path);
        Assert.Equal([NotificationEventTypes.VaultConnectionFailing, NotificationEventTypes.VaultConnectionRecovered],
            got.Select(g => JsonNode.Parse(g.Body)!["type"]!.GetValue<string>()));
        Assert.Equal("verified", JsonNode.Parse(got[1].Body)!["data"]!["status"]!.GetValue<string>());
        Assert.DoesNotContain(got, g => g.Body.Contains(ProviderFakes.OnePasswordToken, StringComparison.Ordinal));
    }
}
