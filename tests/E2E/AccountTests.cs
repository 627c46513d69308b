using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.E2E.Pages;
using Dataraven.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dataraven.Tests.E2E;

public sealed class AccountTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public Task FreshPortal_RedirectsToSetup_CreatesTeamAndOwner_LandsOnOverview() => WithPageAsync(async page =>
    {
        await page.GotoAsync("/");

        await Expect(page).ToHaveURLAsync(new Uri(Portal.BaseAddress!, "/setup").ToString());
        var setup = new SetupPage(page);
        await Expect(setup.Heading).ToHaveTextAsync("Welcome to DataRaven");
        await SaveScreenshotAsync(page, "setup");

        var overview = await setup.CreateTeamAsync("Acme Data", "founder@example.com", TestPortal.Password);

        await Expect(overview.Heading).ToHaveTextAsync("Acme Data");
        await Expect(overview.SignedInUser).ToHaveTextAsync("founder@example.com");
        await Expect(overview.Meter("vault_connections")).ToContainTextAsync("0 of 1");
        await Expect(overview.Meter("secrets")).ToContainTextAsync("0 of 5");
        await SaveScreenshotAsync(page, "overview");

        // Once someone exists, the portal no longer offers first-run setup.
        await page.GotoAsync("/setup");
        await Expect(page).Not.ToHaveURLAsync(new Uri(Portal.BaseAddress!, "/setup").ToString());
    });

    [Fact]
    public Task SignOut_ThenSignInAgain_ReturnsToOverview() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme");
        var overview = await (await LoginPage.OpenAsync(page)).SignInAsync(team.OwnerEmail, TestPortal.Password);
        await Expect(overview.Heading).ToHaveTextAsync("Acme");

        var login = await overview.SignOutAsync();
        await SaveScreenshotAsync(page, "login");

        // Signed out means signed out: the overview asks for a sign-in again.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));

        overview = await login.SignInAsync(team.OwnerEmail, TestPortal.Password);
        await Expect(overview.Heading).ToHaveTextAsync("Acme");
        await Expect(overview.SignedInUser).ToHaveTextAsync(team.OwnerEmail);
    });

    [Fact]
    public Task SignIn_WrongPassword_ShowsErrorAndStaysSignedOut() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme");
        var login = await LoginPage.OpenAsync(page);

        await login.SubmitAsync(team.OwnerEmail, "not the password");

        await Expect(login.Error).ToHaveTextAsync("The email or password is not right.");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
    });
}
