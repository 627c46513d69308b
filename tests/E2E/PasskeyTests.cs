using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.E2E.Pages;
using Dataraven.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dataraven.Tests.E2E;

/// <summary>
/// Passkeys through Chromium's virtual authenticator (CDP WebAuthn): added, renamed and removed on /account/security,
/// used as the second step after the password, and for a sign-in without a password. WebAuthn wants a secure context
/// and a domain as relying party id: the page runs on http://localhost (a secure context), not on 127.0.0.1.
/// </summary>
public sealed class PasskeyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private readonly BrowserFixture _browser = fixture;

    [Fact]
    public Task Passkey_AddedOnSecurityPage_SignsInAsSecondStepAndWithoutPassword() => WithLocalhostPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", ownerEmail: "ada@example.com");
        await AddVirtualAuthenticatorAsync(page);
        await SignInAsync(page, team.OwnerEmail);

        var security = await SecurityPage.OpenAsync(page);
        await Expect(security.NoPasskeys).ToBeVisibleAsync();
        await security.AddPasskeyAsync("Work laptop");
        await Expect(security.Notice).ToContainTextAsync("The passkey \"Work laptop\" is added.");
        await Expect(security.PasskeyNames).ToHaveTextAsync(["Work laptop"]);
        await ShootAndCheckAsync(page, "account-security-passkey");

        await security.RenamePasskeyAsync("Work laptop", "Laptop");
        await Expect(security.Notice).ToContainTextAsync("renamed to \"Laptop\"");
        await Expect(security.PasskeyNames).ToHaveTextAsync(["Laptop"]);

        // With a passkey, the password is only the first step; the passkey completes it.
        await page.Context.ClearCookiesAsync();
        await (await LoginPage.OpenAsync(page)).SubmitAsync(team.OwnerEmail, TestPortal.Password);
        var step = new TwoFactorStepPage(page);
        await Expect(step.Heading).ToHaveTextAsync("One more step");
        var overview = await step.SignInWithPasskeyAsync();
        await Expect(overview.SignedInUser).ToHaveTextAsync(team.OwnerEmail);

        // No password at all: the passkey says whose account it is.
        await page.Context.ClearCookiesAsync();
        overview = await (await LoginPage.OpenAsync(page)).SignInWithPasskeyAsync();
        await Expect(overview.SignedInUser).ToHaveTextAsync(team.OwnerEmail);

        security = await SecurityPage.OpenAsync(page);
        await security.RemovePasskeyAsync("Laptop");
        await Expect(security.Notice).ToContainTextAsync("The passkey \"Laptop\" is removed.");
        await Expect(security.NoPasskeys).ToBeVisibleAsync();

        // Removed: the password alone signs in again, and the passkey no longer does.
        await page.Context.ClearCookiesAsync();
        overview = await (await LoginPage.OpenAsync(page)).SignInAsync(team.OwnerEmail, TestPortal.Password);
        await Expect(overview.SignedInUser).ToHaveTextAsync(team.OwnerEmail);
        await page.Context.ClearCookiesAsync();
        var login = await LoginPage.OpenAsync(page);
        await page.GetByTestId("passkey-sign-in").ClickAsync();
        await Expect(login.Error).ToContainTextAsync("did not sign you in");
    });

    /// <summary>Screenshots at 1280 and 390 px, and no serious axe-core finding at either width.</summary>
    private static async Task ShootAndCheckAsync(IPage page, string name)
    {
        var found = new List<string>();
        foreach (var width in new[] { 1280, 390 })
        {
            await page.SetViewportSizeAsync(width, width == 390 ? 844 : 800);
            await SaveScreenshotAsync(page, $"{name}-{width}");
            found.AddRange((await Axe.SeriousViolationsAsync(page)).Select(v => Axe.Describe($"{name} at {width} px", v)));
        }
        await page.SetViewportSizeAsync(1280, 800);
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    private Task WithLocalhostPageAsync(Func<IPage, Task> test, [System.Runtime.CompilerServices.CallerMemberName] string testName = "") =>
        _browser.WithPageAsync(new UriBuilder(Portal.BaseAddress!) { Host = "localhost" }.Uri, test, $"{nameof(PasskeyTests)}.{testName}");

    /// <summary>A platform authenticator that keeps discoverable credentials and verifies its user without asking.</summary>
    private static async Task AddVirtualAuthenticatorAsync(IPage page)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable", new Dictionary<string, object> { ["enableUI"] = false });
        await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
    }
}
