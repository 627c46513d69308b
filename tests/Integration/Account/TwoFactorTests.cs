using System.Net;
using System.Text.RegularExpressions;
using Dataraven.Core.Audit;
using Dataraven.Core.Persistence;
using Dataraven.Tests.Accounts;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Account;

/// <summary>
/// The authenticator app on /account/security and the sign-in step after the password, posted as a browser posts
/// the static forms. Each test has its own account (and client address: the sign-in limiter is per address).
/// </summary>
public sealed class TwoFactorPortal : IAsyncLifetime
{
    public CapturingLoggerProvider Logs { get; } = new();
    public TestPortal Portal { get; private set; } = null!;

    public async Task InitializeAsync() => Portal = await TestPortal.StartAsync(new TestPortalOptions { Logger = Logs });

    public async Task DisposeAsync() => await Portal.DisposeAsync();
}

public sealed partial class TwoFactorTests(TwoFactorPortal fixture) : IClassFixture<TwoFactorPortal>
{
    private static int _nextAddress;
    private readonly CapturingLoggerProvider _logs = fixture.Logs;
    private readonly TestPortal _portal = fixture.Portal;

    private SignedInClient.FormClient FreshBrowser()
    {
        var n = Interlocked.Increment(ref _nextAddress);
        return SignedInClient.CreateFormClient(_portal, IPAddress.Parse($"10.2.{n / 250}.{n % 250 + 1}"));
    }

    [Fact]
    public async Task Enrol_ShowsKeyAndTenRecoveryCodes_ThenSignInNeedsTheCode()
    {
        var team = await _portal.CreateTeamAsync("Acme");
        var (key, codes) = await EnrolAsync(team.OwnerEmail);

        Assert.Equal(10, codes.Count);
        Assert.Equal(10, codes.Distinct().Count());

        // The password alone no longer signs in: it leads to the second step.
        var browser = FreshBrowser();
        var password = await SignedInClient.SignInAsync(browser, team.OwnerEmail, TestPortal.Password);
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.StartsWith("/account/login/two-factor", password.Headers.Location!.OriginalString);
        Assert.False(SignedInClient.HasAuthCookie(browser));
        var step = await browser.GetStringAsync("/account/login/two-factor");
        Assert.Contains("autocomplete=\"one-time-code\"", step);

        var signedIn = await SubmitCodeAsync(browser, Totp.Code(key));

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location!.OriginalString);
        Assert.True(SignedInClient.HasAuthCookie(browser));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/security")).StatusCode);
    }

    [Fact]
    public async Task RecoveryCode_SignsInOnce_TheSecondUseIsRefused()
    {
        var team = await _portal.CreateTeamAsync("Acme");
        var (_, codes) = await EnrolAsync(team.OwnerEmail);

        var first = FreshBrowser();
        await SignedInClient.SignInAsync(first, team.OwnerEmail, TestPortal.Password);
        var used = await SubmitCodeAsync(first, codes[3]);
        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.True(SignedInClient.HasAuthCookie(first));
        Assert.Contains("9 of 10 recovery codes left", await first.GetStringAsync("/account/security"));

        var second = FreshBrowser();
        await SignedInClient.SignInAsync(second, team.OwnerEmail, TestPortal.Password);
        var again = await SubmitCodeAsync(second, codes[3]);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("That code did not work", await again.Content.ReadAsStringAsync());
        Assert.False(SignedInClient.HasAuthCookie(second));

        // Another code still works.
        Assert.Equal(HttpStatusCode.Redirect, (await SubmitCodeAsync(second, codes[4])).StatusCode);
    }

    [Fact]
    public async Task WrongCode_SaysSoWithoutNamingFactors_AndDoesNotSignIn()
    {
        var team = await _portal.CreateTeamAsync("Acme");
        var (key, _) = await EnrolAsync(team.OwnerEmail);
        var browser = FreshBrowser();
        await SignedInClient.SignInAsync(browser, team.OwnerEmail, TestPortal.Password);

        foreach (var wrong in new[] { Totp.StaleCode(key), "ABCDE-FGHIJ" })
        {
            var response = await SubmitCodeAsync(browser, wrong);
            var page = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("That code did not work", page);
            Assert.DoesNotContain("recovery code did not", page, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(wrong, page);
            Assert.False(SignedInClient.HasAuthCookie(browser));
        }
    }

    [Fact]
    public async Task WithoutSmtp_SignInSaysToAskAnOwner_AndForgotPasswordSendsNothing()
    {
        await _portal.CreateTeamAsync("Acme");
        var browser = FreshBrowser();

        Assert.Contains("Ask an Owner of your team for a reset link", await browser.GetStringAsync("/account/login"));
        Assert.Contains("data-testid=\"no-email\"", await browser.GetStringAsync("/account/forgot-password"));
    }

    [Fact]
    public async Task TwoFactorStep_WithoutAPassword_GoesBackToSignIn()
    {
        await _portal.CreateTeamAsync("Acme");
        var response = await FreshBrowser().GetAsync("/account/login/two-factor");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task ManyCodes_FromOneAddress_AreThrottledLikeSignIn()
    {
        var team = await _portal.CreateTeamAsync("Acme");
        var (key, _) = await EnrolAsync(team.OwnerEmail);
        var attacker = FreshBrowser();
        await SignedInClient.SignInAsync(attacker, team.OwnerEmail, TestPortal.Password);

        HttpResponseMessage? refused = null;
        for (var i = 0; i < 50 && refused is null; i++)
        {
            var response = await SubmitCodeAsync(attacker, $"{i:D6}");
            refused = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.NotNull(refused);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // The right code is refused too while the address is throttled.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SubmitCodeAsync(attacker, Totp.Code(key))).StatusCode);
        Assert.False(SignedInClient.HasAuthCookie(attacker));
    }

    [Fact]
    public async Task EnableAndDisable_AreAuditedInTheMembersTeams_AndDisableRestoresPasswordOnlySignIn()
    {
        var team = await _portal.CreateTeamAsync("Acme");
        var (key, codes) = await EnrolAsync(team.OwnerEmail);
        var browser = FreshBrowser();
        await SignedInClient.SignInAsync(browser, team.OwnerEmail, TestPortal.Password);
        await SubmitCodeAsync(browser, Totp.Code(key));

        var off = await SignedInClient.PostFormAsync(browser, "/account/security", "authenticator-disable", new(), await TokenAsync(browser));
        Assert.Contains("The authenticator app is off.", await off.Content.ReadAsStringAsync());

        var events = await _portal.WithAsync<PortalDbContext, List<AuditEvent>>(db =>
            db.AuditEvents.Where(e => e.TeamId == team.TeamId && e.TargetType == "member").OrderBy(e => e.At).ToListAsync());
        Assert.Equal([AuditActions.TwoFactorEnabled, AuditActions.TwoFactorDisabled], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(team.OwnerId, e.TargetId));

        var later = FreshBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await SignedInClient.SignInAsync(later, team.OwnerEmail, TestPortal.Password)).StatusCode);
        Assert.True(SignedInClient.HasAuthCookie(later));

        // The key and codes shown before are dead: nothing of them is in the log either.
        var lines = string.Join('\n', _logs.Lines);
        Assert.DoesNotContain(key.Replace(" ", ""), lines.Replace(" ", ""), StringComparison.OrdinalIgnoreCase);
        Assert.All(codes, c => Assert.DoesNotContain(c, lines));
    }

    [Fact]
    public async Task Enrol_WrongCode_KeepsItOff_AndShowsTheSameKey()
    {
        var team = await _portal.CreateTeamAsync("Acme");
        var browser = await SignedInAsync(team.OwnerEmail);
        var key = await StartEnrolmentAsync(browser);

        var wrong = await SignedInClient.PostFormAsync(browser, Enrolment, "authenticator-verify",
            new() { ["Form.Code"] = Totp.StaleCode(key) }, await TokenAsync(browser, Enrolment));
        var page = await wrong.Content.ReadAsStringAsync();

        Assert.Contains("That code did not work", page);
        Assert.Equal(key, AuthenticatorKey().Match(page).Groups[1].Value);
        Assert.DoesNotContain("data-testid=\"recovery-codes\"", page);
        var enabled = await _portal.WithAsync<PortalDbContext, bool>(db => db.Users.Where(u => u.Id == team.OwnerId).Select(u => u.TwoFactorEnabled).SingleAsync());
        Assert.False(enabled);
    }

    /// <summary>Turns the authenticator on through the security page as its owner would: the key shown, a code from it.</summary>
    private async Task<(string Key, List<string> RecoveryCodes)> EnrolAsync(string email)
    {
        var browser = await SignedInAsync(email);
        var key = await StartEnrolmentAsync(browser);
        Assert.NotEmpty(key);
        var verified = await SignedInClient.PostFormAsync(browser, Enrolment, "authenticator-verify",
            new() { ["Form.Code"] = Totp.Code(key) }, await TokenAsync(browser, Enrolment));
        var page = await verified.Content.ReadAsStringAsync();
        var list = RecoveryCodeList().Match(page);
        Assert.True(list.Success, "the recovery codes are shown: " + (int)verified.StatusCode + page[Math.Max(0, page.IndexOf("<h1", StringComparison.Ordinal))..]);
        var codes = RecoveryCode().Matches(list.Value).Select(m => m.Groups[1].Value).ToList();
        // Shown once: the page does not show them again.
        Assert.DoesNotContain("data-testid=\"recovery-codes\"", await browser.GetStringAsync("/account/security"));
        return (key, codes);
    }

    private const string Enrolment = "/account/security?enrol=true";

    /// <summary>"Add an authenticator app": a new key, shown on the enrolment page.</summary>
    private static async Task<string> StartEnrolmentAsync(HttpClient browser)
    {
        var start = await SignedInClient.PostFormAsync(browser, "/account/security", "authenticator-start", new(), await TokenAsync(browser));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.Equal(Enrolment, start.Headers.Location!.OriginalString);
        var key = AuthenticatorKey().Match(await browser.GetStringAsync(Enrolment)).Groups[1].Value;
        Assert.Matches("^[a-z2-7]{4}( [a-z2-7]{1,4})+$", key);
        return key;
    }

    private async Task<SignedInClient.FormClient> SignedInAsync(string email)
    {
        var browser = FreshBrowser();
        await SignedInClient.SignInAsync(browser, email, TestPortal.Password);
        Assert.True(SignedInClient.HasAuthCookie(browser));
        return browser;
    }

    private static Task<HttpResponseMessage> SubmitCodeAsync(HttpClient browser, string code) =>
        SubmitAsync(browser, "/account/login/two-factor", "two-factor", new() { ["Input.Code"] = code });

    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient browser, string path, string form, Dictionary<string, string> fields) =>
        await SignedInClient.PostFormAsync(browser, path, form, fields, await SignedInClient.GetTokenAsync(browser));

    private static async Task<string> TokenAsync(HttpClient browser, string path = "/account/security") =>
        PageForm.AntiforgeryToken().Match(await browser.GetStringAsync(path)).Groups[1].Value;

    [GeneratedRegex("data-testid=\"authenticator-key\">([^<]+)<")]
    private static partial Regex AuthenticatorKey();

    [GeneratedRegex("data-testid=\"recovery-codes\">.*?</ul>", RegexOptions.Singleline)]
    private static partial Regex RecoveryCodeList();

    [GeneratedRegex("<code>([^<]+)</code>")]
    private static partial Regex RecoveryCode();
}
