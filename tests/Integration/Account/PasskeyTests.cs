using System.Buffers.Text;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dataraven.Core.Accounts;
using Dataraven.Core.Audit;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Dataraven.Portal.Auth;
using Dataraven.Tests.Accounts;
using Dataraven.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Account;

/// <summary>
/// Passkeys over HTTP, as the pages' script and forms use them: the ceremony options, the second step for an account
/// whose only second factor is a passkey, the team policy, and the security page's rename and remove. The browser's
/// own part (a real authenticator) is covered in Chromium by the E2E PasskeyTests; here passkeys are stored directly.
/// </summary>
public sealed partial class PasskeyTests(TwoFactorPortal fixture) : IClassFixture<TwoFactorPortal>
{
    private static int _nextAddress;
    private readonly TestPortal _portal = fixture.Portal;

    private SignedInClient.FormClient FreshBrowser()
    {
        var n = Interlocked.Increment(ref _nextAddress);
        return SignedInClient.CreateFormClient(_portal, IPAddress.Parse($"10.7.{n / 250}.{n % 250 + 1}"));
    }

    [Fact]
    public async Task CreationOptions_SignedIn_AreForThisAccountAndHost_AndExcludeItsPasskeys()
    {
        var team = await _portal.CreateTeamAsync("Acme");
        var browser = await SignedInAsync(team.OwnerEmail);
        var existing = await AddPasskeyAsync(team.OwnerId, "Phone");

        var response = await PostOptionsAsync(browser, PasskeyEndpoints.CreationOptionsPath, await TokenAsync(browser, "/account/security"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var options = json.RootElement;
        Assert.Equal("localhost", options.GetProperty("rp").GetProperty("id").GetString());
        Assert.Equal(team.OwnerEmail, options.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal(team.OwnerId.ToString(), Base64UrlText(options.GetProperty("user").GetProperty("id").GetString()!));
        Assert.True(Base64Url.DecodeFromChars(options.GetProperty("challenge").GetString()).Length >= 16);
        Assert.Contains(PasskeyListItem.IdOf(existing), options.GetProperty("excludeCredentials").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task CreationOptions_WithoutTokenOrSignedOut_AreNotAnswered()
    {
        var team = await _portal.CreateTeamAsync("Acme");
        var browser = await SignedInAsync(team.OwnerEmail);

        Assert.Equal(HttpStatusCode.BadRequest, (await PostOptionsAsync(browser, PasskeyEndpoints.CreationOptionsPath, token: null)).StatusCode);

        var stranger = FreshBrowser();
        var anonymous = await PostOptionsAsync(stranger, PasskeyEndpoints.CreationOptionsPath, await SignedInClient.GetTokenAsync(stranger));
        Assert.NotEqual(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.DoesNotContain("challenge", await anonymous.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RequestOptions_ForPasswordlessSignIn_NameNoAccount()
    {
        var team = await _portal.CreateTeamAsync("Acme");
        await AddPasskeyAsync(team.OwnerId, "Phone");
        var browser = FreshBrowser();

        var response = await PostOptionsAsync(browser, PasskeyEndpoints.RequestOptionsPath, await SignedInClient.GetTokenAsync(browser));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("localhost", json.RootElement.GetProperty("rpId").GetString());
        Assert.True(!json.RootElement.TryGetProperty("allowCredentials", out var allowed) || allowed.GetArrayLength() == 0);
        // A made-up answer signs nobody in, with the same message for any failure.
        var signIn = await SignedInClient.PostFormAsync(browser, "/account/login", "passkey-login",
            new() { ["Passkey.CredentialJson"] = """{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{}}""" }, await SignedInClient.GetTokenAsync(browser));
        Assert.Contains("That passkey did not sign you in", await signIn.Content.ReadAsStringAsync());
        Assert.False(SignedInClient.HasAuthCookie(browser));
    }

    [Fact]
    public async Task PasskeyOnlyAccount_PasswordLeadsToSecondStep_WhoseOptionsListItsPasskeys_AndACodeIsRefused()
    {
        var team = await _portal.CreateTeamAsync("Acme");
        var passkey = await AddPasskeyAsync(team.OwnerId, "Phone");
        // A key shown once but never turned on must not serve as a second factor.
        var key = await _portal.WithAsync<UserManager<PortalUser>, string>(async users =>
        {
            var user = (await users.FindByIdAsync(team.OwnerId.ToString()))!;
            await users.ResetAuthenticatorKeyAsync(user);
            return (await users.GetAuthenticatorKeyAsync(user))!;
        });
        var browser = FreshBrowser();

        var password = await SignedInClient.SignInAsync(browser, team.OwnerEmail, TestPortal.Password);
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.StartsWith(TwoFactorStep.Path, password.Headers.Location!.OriginalString);
        Assert.False(SignedInClient.HasAuthCookie(browser));
        var step = await browser.GetStringAsync(TwoFactorStep.Path);
        Assert.Contains("data-testid=\"two-factor-passkey\"", step);

        var options = await PostOptionsAsync(browser, PasskeyEndpoints.SecondStepOptionsPath, PageForm.AntiforgeryToken().Match(step).Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
        using (var json = JsonDocument.Parse(await options.Content.ReadAsStringAsync()))
        {
            Assert.Equal([PasskeyListItem.IdOf(passkey)], json.RootElement.GetProperty("allowCredentials").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        }

        // The password step survives the options: a code is still checked (and refused), and so is a bad passkey answer.
        var code = await SignedInClient.PostFormAsync(browser, TwoFactorStep.Path, "two-factor", new() { ["Input.Code"] = Totp.Code(key) });
        Assert.Contains("That code did not work", await code.Content.ReadAsStringAsync());
        var bad = await SignedInClient.PostFormAsync(browser, TwoFactorStep.Path, "two-factor-passkey",
            new() { ["Passkey.CredentialJson"] = """{"id":"AAAA","type":"public-key","response":{}}""" });
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("That code did not work", await bad.Content.ReadAsStringAsync());
        Assert.False(SignedInClient.HasAuthCookie(browser));
    }

    [Fact]
    public async Task SecondStepOptions_WithoutAPassword_AreRefused()
    {
        await _portal.CreateTeamAsync("Acme");
        var browser = FreshBrowser();

        var response = await PostOptionsAsync(browser, PasskeyEndpoints.SecondStepOptionsPath, await SignedInClient.GetTokenAsync(browser));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RequestOptions_ManyFromOneAddress_AreThrottledLikeSignIn()
    {
        await _portal.CreateTeamAsync("Acme");
        var browser = FreshBrowser();
        var token = await SignedInClient.GetTokenAsync(browser);

        HttpStatusCode? refused = null;
        for (var i = 0; i < 50 && refused is null; i++)
        {
            var status = (await PostOptionsAsync(browser, PasskeyEndpoints.RequestOptionsPath, token)).StatusCode;
            refused = status == HttpStatusCode.TooManyRequests ? status : null;
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, refused);
    }

    [Fact]
    public async Task Required_APasskeyIsASecondFactor_TheLastOneStays_AndWithAnotherFactorItGoes()
    {
        var team = await _portal.CreateTeamAsync("Acme");
        // Signed in before the passkey exists: afterwards the password alone would lead to the second step.
        var browser = await SignedInAsync(team.OwnerEmail);
        var passkey = await AddPasskeyAsync(team.OwnerId, "Phone");
        await _portal.WithAsync<PortalDbContext, int>(db =>
        {
            db.Add(new TeamSecurityPolicy { TeamId = team.TeamId, RequireTwoFactor = true, UpdatedAt = DateTime.UtcNow, UpdatedBy = team.OwnerId });
            return db.SaveChangesAsync();
        });
        Assert.False(await _portal.WithAsync<TeamSecurityPolicies, bool>(p => p.MustEnrolAsync(team.OwnerId, team.TeamId)));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);

        var page = await browser.GetStringAsync("/account/security");
        Assert.Contains("data-testid=\"passkey-kept\"", page);
        Assert.DoesNotContain("data-testid=\"remove-passkey\"", page);
        Assert.DoesNotContain("data-testid=\"two-factor-required\"", page);
        var rename = RenameHandler().Match(page).Groups[1].Value;
        Assert.NotEmpty(rename);
        var remove = rename.Replace("]rename", "]remove");

        // The page answers each post from the account as it is now: while the passkey is the last factor, there is no
        // remove form to post to.
        var refused = await SignedInClient.PostFormAsync(browser, "/account/security", remove, new(), await TokenAsync(browser, "/account/security"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(1, await PasskeyCountAsync(team.OwnerId));

        var renamed = await SignedInClient.PostFormAsync(browser, "/account/security", rename, new() { ["Rename.Name"] = "  Old phone " },
            await TokenAsync(browser, "/account/security"));
        Assert.Contains("renamed to &quot;Old phone&quot;", await renamed.Content.ReadAsStringAsync());

        // With the authenticator on as well, the passkey is no longer the last factor.
        await _portal.WithAsync<UserManager<PortalUser>, IdentityResult>(async users =>
            await users.SetTwoFactorEnabledAsync((await users.FindByIdAsync(team.OwnerId.ToString()))!, true));
        var removed = await SignedInClient.PostFormAsync(browser, "/account/security", remove, new(), await TokenAsync(browser, "/account/security"));
        Assert.Contains("The passkey &quot;Old phone&quot; is removed.", await removed.Content.ReadAsStringAsync());
        Assert.Equal(0, await PasskeyCountAsync(team.OwnerId));

        var events = await _portal.WithAsync<PortalDbContext, List<AuditEvent>>(db =>
            db.AuditEvents.Where(e => e.TeamId == team.TeamId && e.TargetType == "member").OrderBy(e => e.At).ToListAsync());
        Assert.Equal([AuditActions.PasskeyRenamed, AuditActions.PasskeyRemoved], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(team.OwnerId, e.TargetId));
        Assert.DoesNotContain(PasskeyListItem.IdOf(passkey), string.Join('\n', events.Select(e => e.Details)));
    }

    [Theory]
    [InlineData("http://portal.example", false, null, true)]
    [InlineData("http://PORTAL.example", false, null, true)]
    [InlineData("https://portal.example", false, null, false)]
    [InlineData("http://evil.example", false, null, false)]
    [InlineData("http://portal.example", true, null, false)]
    [InlineData("http://portal.example", false, "http://evil.example", false)]
    public async Task Origin_OnlyThePortalsOwnAddress_OutsideAnyFrame(string origin, bool crossOrigin, string? topOrigin, bool expected)
    {
        var http = new DefaultHttpContext();
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("portal.example");
        http.Request.Headers.Origin = "null";

        var valid = await PasskeyOrigin.IsThisPortal(new PasskeyOriginValidationContext
        {
            HttpContext = http, Origin = origin, CrossOrigin = crossOrigin, TopOrigin = topOrigin,
        });

        Assert.Equal(expected, valid);
    }

    /// <summary>Stores a passkey for the user as Identity would after an attestation (the keys are placeholders).</summary>
    private async Task<byte[]> AddPasskeyAsync(Guid userId, string name)
    {
        var id = Guid.NewGuid().ToByteArray();
        await _portal.WithAsync<UserManager<PortalUser>, IdentityResult>(async users =>
        {
            var user = (await users.FindByIdAsync(userId.ToString()))!;
            var info = new UserPasskeyInfo(id, [1, 2, 3], DateTimeOffset.UtcNow, 0, ["internal"], true, false, false, [4], [5]) { Name = name };
            return await users.AddOrUpdatePasskeyAsync(user, info);
        });
        return id;
    }

    private Task<int> PasskeyCountAsync(Guid userId) =>
        _portal.WithAsync<PortalDbContext, int>(db => db.UserPasskeys.CountAsync(p => p.UserId == userId));

    private async Task<SignedInClient.FormClient> SignedInAsync(string email)
    {
        var browser = FreshBrowser();
        await SignedInClient.SignInAsync(browser, email, TestPortal.Password);
        Assert.True(SignedInClient.HasAuthCookie(browser));
        return browser;
    }

    /// <summary>As passkeys.js posts: the page form's antiforgery token and nothing else.</summary>
    private static Task<HttpResponseMessage> PostOptionsAsync(HttpClient browser, string path, string? token) =>
        browser.PostAsync(path, new FormUrlEncodedContent(token is null ? [] : [new("__RequestVerificationToken", token)]));

    private static async Task<string> TokenAsync(HttpClient browser, string path) =>
        PageForm.AntiforgeryToken().Match(await browser.GetStringAsync(path)).Groups[1].Value;

    private static string Base64UrlText(string value) => System.Text.Encoding.UTF8.GetString(Base64Url.DecodeFromChars(value));

    [GeneratedRegex("name=\"_handler\" value=\"([^\"]*\\]rename)\"")]
    private static partial Regex RenameHandler();
}
