using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Dataraven.Core.Email;
using Dataraven.Core.Persistence;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Dataraven.Tests.Account;

/// <summary>One portal sending to one SMTP server written in the tests (on 127.0.0.1), for the class.</summary>
public sealed class EmailPortal : IAsyncLifetime
{
    public SmtpSink Smtp { get; } = new();
    public CapturingLoggerProvider Logs { get; } = new();
    public TestPortal Portal { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var options = new TestPortalOptions { Logger = Logs };
        foreach (var (k, v) in Smtp.Settings())
        {
            options.Settings[k] = v;
        }
        Portal = await TestPortal.StartAsync(options);
    }

    public async Task DisposeAsync()
    {
        await Portal.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed partial class EmailTests(EmailPortal fixture) : IClassFixture<EmailPortal>
{
    private static int _nextAddress;
    private TestPortal Portal => fixture.Portal;

    private SignedInClient.FormClient FreshBrowser()
    {
        var n = Interlocked.Increment(ref _nextAddress);
        return SignedInClient.CreateFormClient(Portal, IPAddress.Parse($"10.3.{n / 250}.{n % 250 + 1}"));
    }

    [Fact]
    public async Task ForgotPassword_EmailsALink_ThatSetsANewPasswordOnce_AndTheOwnerIsToldOfTheChange()
    {
        var team = await Portal.CreateTeamAsync("Acme");
        var browser = FreshBrowser();
        var login = await browser.GetStringAsync("/account/login");
        Assert.Contains("href=\"/account/forgot-password\"", login);

        var asked = await SignedInClient.PostFormAsync(browser, "/account/forgot-password", "forgot-password", new() { ["Input.Email"] = team.OwnerEmail });
        Assert.Contains("data-testid=\"reset-sent\"", await asked.Content.ReadAsStringAsync());

        var email = await fixture.Smtp.WaitForAsync(team.OwnerEmail, m => Text(m).Contains("reset-password"));
        var link = new Uri(ResetLink().Match(Text(email)).Value);
        Assert.Equal("/account/reset-password", link.AbsolutePath);
        var reset = await SetPasswordAsync(browser, link.PathAndQuery, "a brand new password");
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Equal("/account/login?reset=true", reset.Headers.Location!.PathAndQuery);

        var withNew = FreshBrowser();
        await SignedInClient.SignInAsync(withNew, team.OwnerEmail, "a brand new password");
        Assert.True(SignedInClient.HasAuthCookie(withNew));
        var withOld = FreshBrowser();
        await SignedInClient.SignInAsync(withOld, team.OwnerEmail, TestPortal.Password);
        Assert.False(SignedInClient.HasAuthCookie(withOld));

        // Once only.
        var again = await SetPasswordAsync(FreshBrowser(), link.PathAndQuery, "yet another password");
        Assert.Contains("This link does not work any more", await again.Content.ReadAsStringAsync());

        var notice = await fixture.Smtp.WaitForAsync(team.OwnerEmail, m => Text(m).Contains("Your password was changed"));
        Assert.DoesNotContain("token=", Text(notice));
        // The link's token is in no log line, and the sent message keeps no body.
        var token = Uri.UnescapeDataString(link.Query.Split("token=")[1]);
        Assert.All(fixture.Logs.Lines, line => Assert.DoesNotContain(token, line));
        Assert.All(fixture.Logs.Lines, line => Assert.DoesNotContain(link.Query.Split("token=")[1], line));
        // The sink has the message a moment before the sender records it as sent: wait for that record (bounded).
        List<OutboxEmail> sent = [];
        for (var deadline = DateTime.UtcNow.AddSeconds(15); ;)
        {
            sent = await Portal.WithAsync<PortalDbContext, List<OutboxEmail>>(db => db.Set<OutboxEmail>().Where(m => m.To == team.OwnerEmail).ToListAsync());
            if (sent.All(m => m.SentAt is not null) || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(50);
        }
        Assert.Equal(2, sent.Count);
        Assert.All(sent, m => Assert.NotNull(m.SentAt));
        Assert.All(sent, m => Assert.Equal("", m.Body));
    }

    [Fact]
    public async Task ForgotPassword_UnknownEmail_AnswersTheSame_AndSendsNothing()
    {
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";

        var asked = await SignedInClient.PostFormAsync(FreshBrowser(), "/account/forgot-password", "forgot-password", new() { ["Input.Email"] = unknown });

        Assert.Contains("data-testid=\"reset-sent\"", await asked.Content.ReadAsStringAsync());
        var queued = await Portal.WithAsync<PortalDbContext, int>(db => db.Set<OutboxEmail>().CountAsync(m => m.To == unknown));
        Assert.Equal(0, queued);
    }

    [Fact]
    public async Task Outbox_ServerRefusesAtFirst_TheMessageIsRetriedAndDelivered()
    {
        var to = $"retry-{Guid.NewGuid():N}@example.com";
        fixture.Smtp.FailNext(1);

        await Portal.WithAsync<EmailOutbox, bool>(async outbox =>
        {
            await outbox.SendAsync(to, "Hello", "A message body", EmailKinds.Notice);
            return true;
        });

        var email = await fixture.Smtp.WaitForAsync(to, timeout: TimeSpan.FromSeconds(30));
        Assert.Contains("A message body", Text(email));
        var stored = await Portal.WithAsync<PortalDbContext, OutboxEmail>(db => db.Set<OutboxEmail>().SingleAsync(m => m.To == to));
        Assert.Equal(1, stored.Attempts);
        Assert.NotNull(stored.SentAt);
    }

    [Fact]
    public async Task Invitation_IsEmailed_WithTheLinkTheApiShowsOnce()
    {
        var team = await Portal.CreateTeamAsync("Acme");
        var invited = $"invited-{Guid.NewGuid():N}@example.com";
        using var api = Portal.CreateClient(team.OwnerKey);

        var created = await (await api.PostJsonAsync($"/v1/teams/{team.TeamId}/invitations", new { email = invited, role = "viewer" }))
            .AssertStatusAsync(HttpStatusCode.Created);

        var email = await fixture.Smtp.WaitForAsync(invited);
        Assert.Contains(created["url"]!.GetValue<string>(), Text(email));
    }

    [Fact]
    public async Task MemberResetLink_OwnerOnly_OfTheTeamsMembers_AndTheLinkWorks()
    {
        var team = await Portal.CreateTeamAsync("Acme");
        var other = await Portal.CreateTeamAsync("Globex");
        var admin = await Portal.AddMemberAsync(team, Dataraven.Core.Teams.TeamRole.Admin);
        var owner = new Dataraven.Core.Teams.TeamActor(team.TeamId, team.OwnerId, Dataraven.Core.Teams.TeamRole.Owner);

        var byAdmin = await Portal.WithAsync<Dataraven.Core.Accounts.MemberPasswordResets, Dataraven.Core.Common.Result<Dataraven.Core.Accounts.MemberPasswordReset>>(s =>
            s.CreateAsync(new Dataraven.Core.Teams.TeamActor(team.TeamId, admin.UserId, Dataraven.Core.Teams.TeamRole.Admin), team.OwnerId));
        Assert.IsType<Dataraven.Core.Common.ForbiddenRoleProblem>(byAdmin.Problem);
        var outsider = await Portal.WithAsync<Dataraven.Core.Accounts.MemberPasswordResets, Dataraven.Core.Common.Result<Dataraven.Core.Accounts.MemberPasswordReset>>(s =>
            s.CreateAsync(owner, other.OwnerId));
        Assert.IsType<Dataraven.Core.Common.NotFoundProblem>(outsider.Problem);

        var made = await Portal.WithAsync<Dataraven.Core.Accounts.MemberPasswordResets, Dataraven.Core.Common.Result<Dataraven.Core.Accounts.MemberPasswordReset>>(s =>
            s.CreateAsync(owner, admin.UserId));
        var link = new Uri(Dataraven.Portal.Auth.PasswordResetLinks.For("http://localhost/", made.Value!.UserId, made.Value.Token));
        var reset = await SetPasswordAsync(FreshBrowser(), link.PathAndQuery, "handed over password");
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        var signedIn = FreshBrowser();
        await SignedInClient.SignInAsync(signedIn, admin.Email, "handed over password");
        Assert.True(SignedInClient.HasAuthCookie(signedIn));
        var events = await Portal.WithAsync<PortalDbContext, List<string>>(db => db.AuditEvents
            .Where(e => e.TeamId == team.TeamId && e.Action == Dataraven.Core.Audit.AuditActions.MemberPasswordResetLinkCreated)
            .Select(e => e.Outcome).ToListAsync());
        Assert.Contains("succeeded", events);
        Assert.Contains("failed", events);
    }

    private static async Task<HttpResponseMessage> SetPasswordAsync(HttpClient browser, string pathAndQuery, string password)
    {
        var token = PageForm.AntiforgeryToken().Match(await browser.GetStringAsync(pathAndQuery)).Groups[1].Value;
        return await SignedInClient.PostFormAsync(browser, pathAndQuery, "reset-password",
            new() { ["Input.Password"] = password, ["Input.ConfirmPassword"] = password }, token);
    }

    private static string Text(SmtpSink.ReceivedEmail email) =>
        MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(email.Data))).TextBody ?? "";

    [GeneratedRegex(@"http://\S+/account/reset-password\?\S+")]
    private static partial Regex ResetLink();
}
