using System.Net;
using System.Text;
using Dataraven.Core.Checks;
using Dataraven.Core.Checks.Health;
using Dataraven.Core.Common;
using Dataraven.Core.Email;
using Dataraven.Core.Notifications;
using Dataraven.Core.Persistence;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Tests.Api;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Dataraven.Tests.Notifications;

/// <summary>A portal with email on (a real SMTP server of the tests), a B2 fake for checks, webhooks not dispatched.</summary>
public class NotificationEmailPortal : ApiPortalFixture
{
    public SmtpSink Smtp { get; } = new();
    public CapturingLoggerProvider Logs { get; } = new();
    public FakeB2Server B2 { get; private set; } = null!;

    protected override async Task ConfigureAsync(TestPortalOptions options)
    {
        B2 = await FakeB2Server.StartAsync();
        options.Logger = Logs;
        foreach (var (k, v) in Smtp.Settings())
        {
            options.Settings[k] = v;
        }
        options.Settings["Webhooks:DispatcherEnabled"] = "false";
        options.Settings["Storage:B2:BaseUrl"] = B2.BaseUrl;
        await ConfigureDatabaseAsync(options);
    }

    protected virtual Task ConfigureDatabaseAsync(TestPortalOptions options) => Task.CompletedTask;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await B2.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class PostgresNotificationEmailPortal : NotificationEmailPortal
{
    protected override Task ConfigureDatabaseAsync(TestPortalOptions options) => PostgresRun.ConfigureAsync(options);
}

public sealed class NotificationEmailTestsSqlite(NotificationEmailPortal portal) : NotificationEmailTests(portal), IClassFixture<NotificationEmailPortal>;

public sealed class NotificationEmailTestsPostgres(PostgresNotificationEmailPortal portal)
    : NotificationEmailTests(portal), IClassFixture<PostgresNotificationEmailPortal>;

/// <summary>
/// Email to owners (DESIGN.md, "Notifications", last bullet): one message per state change to the object's owners, or
/// the team's Owners and Admins when it has none; a user's opt-out per kind; no value in any message.
/// </summary>
public abstract class NotificationEmailTests(NotificationEmailPortal fixture) : ApiTestBase(fixture)
{
    private const string Canary = "CANARYem7c44";
    private static int _nextKey;

    private TeamActor OwnerActor => new(Acme.TeamId, Acme.OwnerId, TeamRole.Owner);

    /// <summary>A B2 secret whose key the fake accepts, owned as given (null: created by API key, so nobody owns it).</summary>
    private async Task<(Guid Id, string KeyId)> CreateB2SecretAsync(List<string>? owners)
    {
        var keyId = $"005123456789{Interlocked.Increment(ref _nextKey):D13}";
        var key = $"K005mail{Canary}{keyId[^6..]}";
        fixture.B2.AddKey(keyId, key, ["listFiles"], DateTimeOffset.UtcNow.AddDays(90));
        var request = new CreateSecretRequest
        {
            Name = $"b2-{Guid.NewGuid():N}", SecretType = "b2", AuthMethod = "b2_application_key",
            Credentials = new() { ["application_key_id"] = keyId, ["application_key"] = key }, OwnerIds = owners,
        };
        var actor = owners is null ? OwnerActor with { ApiKeyId = Guid.NewGuid() } : OwnerActor;
        var created = await Portal.WithAsync<SecretService, Result<SecretDetails>>(s => s.CreateAsync(actor, request));
        Assert.True(created.IsSuccess, created.Problem?.Message);
        return (created.Value!.Secret.Id, keyId);
    }

    private async Task<CheckStatus> CheckAsync(Guid secretId) =>
        (await Portal.WithAsync<SecretHealthService, Result<SecretCheck>>(s => s.CheckAsync(TeamActor.System(Acme.TeamId), secretId, null))).Value!.Status;

    private void BreakKey(string keyId) => fixture.B2.AddKey(keyId, "K005someOtherKeyEntirely0001", ["listFiles"]);

    /// <summary>The notification emails queued for the secret (every subject names it; a sent one's body is cleared), oldest first.</summary>
    private Task<List<OutboxEmail>> EmailsAboutAsync(Guid secretId, string name) =>
        Portal.WithAsync<PortalDbContext, List<OutboxEmail>>(async db =>
            (await db.Set<OutboxEmail>().AsNoTracking().Where(m => m.Kind == EmailKinds.Notification).ToListAsync())
            .Where(m => m.Subject.Contains(name)).OrderBy(m => m.CreatedAt).ToList());

    private Task<string> NameOfAsync(Guid secretId) =>
        Portal.WithAsync<PortalDbContext, string>(db => db.Secrets.Where(s => s.Id == secretId).Select(s => s.Name).SingleAsync());

    private static string Text(SmtpSink.ReceivedEmail email)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(email.Data));
        return MimeMessage.Load(stream).TextBody ?? "";
    }

    [Fact]
    public async Task OwnedSecret_FailingCheck_EmailsTheOwnerOnly_OncePerChange_NoValue()
    {
        var (_, adminEmail, _) = await Portal.AddMemberAsync(Acme, TeamRole.Admin);
        var (viewer, viewerEmail, _) = await Portal.AddMemberAsync(Acme, TeamRole.Viewer);
        var (id, keyId) = await CreateB2SecretAsync([viewer.ToString()]);
        var name = await NameOfAsync(id);

        Assert.Equal(CheckStatus.Ok, await CheckAsync(id));
        BreakKey(keyId);
        Assert.NotEqual(CheckStatus.Ok, await CheckAsync(id));
        Assert.NotEqual(CheckStatus.Ok, await CheckAsync(id)); // the same state again: no second email

        var emails = await EmailsAboutAsync(id, name);
        var only = Assert.Single(emails);
        Assert.Equal(viewerEmail, only.To);
        var received = await fixture.Smtp.WaitForAsync(viewerEmail, m => Text(m).Contains(name));
        Assert.DoesNotContain(Canary, received.Data);
        Assert.DoesNotContain(keyId, received.Data);
        Assert.DoesNotContain(fixture.Smtp.Received, m => m.To.Contains(adminEmail) && m.Data.Contains(name));
        Assert.DoesNotContain(fixture.Smtp.Received, m => m.To.Contains(Acme.OwnerEmail) && m.Data.Contains(name));
    }

    [Fact]
    public async Task Recovery_IsItsOwnEmail()
    {
        var (viewer, viewerEmail, _) = await Portal.AddMemberAsync(Acme, TeamRole.Viewer);
        var (id, keyId) = await CreateB2SecretAsync([viewer.ToString()]);
        var name = await NameOfAsync(id);
        await CheckAsync(id);
        BreakKey(keyId);
        await CheckAsync(id);
        fixture.B2.AddKey(keyId, $"K005mail{Canary}{keyId[^6..]}", ["listFiles"]);
        Assert.Equal(CheckStatus.Ok, await CheckAsync(id));
        Assert.Equal(CheckStatus.Ok, await CheckAsync(id));

        var emails = await EmailsAboutAsync(id, name);
        Assert.Equal(2, emails.Count);
        Assert.All(emails, e => Assert.Equal(viewerEmail, e.To));
        Assert.All(emails, e => Assert.DoesNotContain(Canary, e.Body + e.Subject));
        await fixture.Smtp.WaitForAsync(viewerEmail, m => Text(m).Contains("checks ok again"));
        Assert.DoesNotContain(fixture.Smtp.Received, m => m.Data.Contains(Canary));
    }

    [Fact]
    public async Task UnownedSecret_EmailsTheTeamsOwnersAndAdmins()
    {
        var (_, adminEmail, _) = await Portal.AddMemberAsync(Acme, TeamRole.Admin);
        var (_, operatorEmail, _) = await Portal.AddMemberAsync(Acme, TeamRole.Operator);
        var (_, viewerEmail, _) = await Portal.AddMemberAsync(Acme, TeamRole.Viewer);
        var (id, keyId) = await CreateB2SecretAsync(null);
        var name = await NameOfAsync(id);
        await CheckAsync(id);
        BreakKey(keyId);
        await CheckAsync(id);

        var to = (await EmailsAboutAsync(id, name)).Select(e => e.To).Order().ToList();
        Assert.Equal(new[] { Acme.OwnerEmail, adminEmail }.Order(), to);
        Assert.DoesNotContain(operatorEmail, to);
        Assert.DoesNotContain(viewerEmail, to);
        await fixture.Smtp.WaitForAsync(adminEmail, m => Text(m).Contains(name));
    }

    [Fact]
    public async Task OptOut_OfChecks_NoEmailOfThatKind_OthersStillGetTheirs()
    {
        var (viewer, _, _) = await Portal.AddMemberAsync(Acme, TeamRole.Viewer);
        var (admin, adminEmail, _) = await Portal.AddMemberAsync(Acme, TeamRole.Admin);
        Assert.True((await Portal.WithAsync<NotificationEmailPreferences, Result<Done>>(p => p.SetAsync(viewer, NotificationEmailKinds.Checks, false))).IsSuccess);
        Assert.True((await Portal.WithAsync<NotificationEmailPreferences, Result<Done>>(p => p.SetAsync(admin, NotificationEmailKinds.Expiry, false))).IsSuccess);
        var (id, keyId) = await CreateB2SecretAsync([viewer.ToString(), admin.ToString()]);
        var name = await NameOfAsync(id);
        await CheckAsync(id);
        BreakKey(keyId);
        await CheckAsync(id);

        // The viewer turned checks off; the admin turned off expiry only.
        Assert.Equal([adminEmail], (await EmailsAboutAsync(id, name)).Select(e => e.To));
        Assert.Equal([NotificationEmailKinds.Checks], (await Portal.WithAsync<NotificationEmailPreferences, IReadOnlySet<string>>(p => p.OptedOutAsync(viewer))).ToList());
        // Turned on again: the next change emails them.
        await Portal.WithAsync<NotificationEmailPreferences, Result<Done>>(p => p.SetAsync(viewer, NotificationEmailKinds.Checks, true));
        Assert.Empty(await Portal.WithAsync<NotificationEmailPreferences, IReadOnlySet<string>>(p => p.OptedOutAsync(viewer)));
        Assert.False((await Portal.WithAsync<NotificationEmailPreferences, Result<Done>>(p => p.SetAsync(viewer, "nonsense", false))).IsSuccess);
    }

    [Fact]
    public async Task AccountPage_ShowsTheKinds_AndSavesTheChoice()
    {
        var (viewer, viewerEmail, _) = await Portal.AddMemberAsync(Acme, TeamRole.Viewer);
        var browser = SignedInClient.CreateFormClient(Portal, IPAddress.Parse($"10.9.{Interlocked.Increment(ref _nextKey) % 250}.7"));
        await SignedInClient.SignInAsync(browser, viewerEmail, TestPortal.Password);
        var security = await browser.GetStringAsync("/account/security");
        Assert.Contains("href=\"/account/notifications\"", security);
        var page = await browser.GetStringAsync("/account/notifications");
        foreach (var (kind, _) in NotificationEmailKinds.All)
        {
            Assert.Contains($"data-testid=\"email-{kind}\"", page);
        }

        var saved = await SignedInClient.PostFormAsync(browser, "/account/notifications", "notification-email", new()
        {
            ["Form.Submitted"] = "true", ["Form.Kinds"] = NotificationEmailKinds.Expiry,
        });
        Assert.Contains("data-testid=\"notifications-saved\"", await saved.Content.ReadAsStringAsync());
        var optedOut = await Portal.WithAsync<NotificationEmailPreferences, IReadOnlySet<string>>(p => p.OptedOutAsync(viewer));
        Assert.Equal(new[] { NotificationEmailKinds.Checks, NotificationEmailKinds.Connections, NotificationEmailKinds.Requests }.Order(), optedOut.Order());
    }
}
