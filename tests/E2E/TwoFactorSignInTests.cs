using Dataraven.Tests.Accounts;
using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.E2E.Pages;
using Dataraven.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dataraven.Tests.E2E;

public sealed class TwoFactorSignInTests(BrowserFixture browser) : BrowserTest(browser)
{
    /// <summary>
    /// An Owner turns the authenticator on with codes the test computes from the key the page shows, then signs in
    /// with password + code, and with password + recovery code. The second step is checked by axe-core too (it can
    /// only be reached after a right password, so the page sweep cannot open it).
    /// </summary>
    [Fact]
    public Task Authenticator_EnrolWithShownKey_ThenSignInWithCodeAndWithRecoveryCode() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", ownerEmail: "ada@example.com");
        await SignInAsync(page, team.OwnerEmail);
        var security = await SecurityPage.OpenAsync(page);
        await Expect(security.Status).ToContainTextAsync("Off.");

        await security.StartAuthenticatorAsync();
        await ScreenshotsAsync(page, "account-security");
        var key = (await security.AuthenticatorKey.TextContentAsync())!;
        await security.VerifyAsync(Totp.Code(key));

        await Expect(security.RecoveryCodes).ToHaveCountAsync(10);
        var recovery = await security.RecoveryCodes.AllTextContentsAsync();
        await Expect(security.Status).ToContainTextAsync("10 of 10 recovery codes left");

        // Password, then the code from the app.
        await page.Context.ClearCookiesAsync();
        var login = await LoginPage.OpenAsync(page);
        await login.SubmitAsync(team.OwnerEmail, TestPortal.Password);
        var step = new TwoFactorStepPage(page);
        await Expect(step.Heading).ToHaveTextAsync("One more step");
        await Expect(step.CodeField).ToHaveAttributeAsync("autocomplete", "one-time-code");
        await ScreenshotsAsync(page, "two-factor-step");
        await AssertAccessibleAsync(page);

        await step.SubmitAsync(Totp.StaleCode(key));
        await Expect(step.Error).ToContainTextAsync("That code did not work");
        var overview = await step.SignInAsync(Totp.Code(key));
        await Expect(overview.SignedInUser).ToHaveTextAsync(team.OwnerEmail);

        // Password, then a recovery code instead.
        await page.Context.ClearCookiesAsync();
        login = await LoginPage.OpenAsync(page);
        await login.SubmitAsync(team.OwnerEmail, TestPortal.Password);
        overview = await new TwoFactorStepPage(page).SignInAsync(recovery[0]);
        await Expect(overview.SignedInUser).ToHaveTextAsync(team.OwnerEmail);
        security = await SecurityPage.OpenAsync(page);
        await Expect(security.Status).ToContainTextAsync("9 of 10 recovery codes left");
    });

    private static async Task ScreenshotsAsync(IPage page, string name)
    {
        foreach (var width in new[] { 1280, 390 })
        {
            await page.SetViewportSizeAsync(width, width == 390 ? 844 : 800);
            await SaveScreenshotAsync(page, $"{name}-{width}");
        }
        await page.SetViewportSizeAsync(1280, 800);
    }

    private static async Task AssertAccessibleAsync(IPage page)
    {
        var found = new List<string>();
        foreach (var theme in new[] { "light", "dark" })
        {
            await page.Context.AddCookiesAsync([new Cookie { Name = "dr-theme", Value = theme, Url = page.Url }]);
            await page.ReloadAsync();
            await Expect(page.Locator("html")).ToHaveClassAsync(theme == "dark" ? "dr-dark" : "");
            foreach (var width in new[] { 1280, 390 })
            {
                await page.SetViewportSizeAsync(width, width == 390 ? 844 : 800);
                found.AddRange((await Axe.SeriousViolationsAsync(page)).Select(v => Axe.Describe($"two-factor step at {width} px, {theme}", v)));
            }
        }
        await page.Context.AddCookiesAsync([new Cookie { Name = "dr-theme", Value = "light", Url = page.Url }]);
        await page.SetViewportSizeAsync(1280, 800);
        Assert.True(found.Count == 0, string.Join("\n", found));
    }
}
