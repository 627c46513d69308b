using Dataraven.Core.Teams;
using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.E2E.Pages;
using Dataraven.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dataraven.Tests.E2E;

public sealed class TeamTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public Task Plan_Owner_SeesMetersAndSwitchesToPro() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme");
        await (await LoginPage.OpenAsync(page)).SignInAsync(team.OwnerEmail, TestPortal.Password);
        var plan = await PlanPage.OpenAsync(page);

        await Expect(plan.CurrentTier).ToHaveTextAsync("Free");
        await Expect(plan.Meter("vault_connections")).ToContainTextAsync("0 of 1");
        await Expect(plan.Meter("secrets")).ToContainTextAsync("0 of 5");
        await Expect(plan.SwitchButton("free")).ToHaveCountAsync(0);
        await SaveScreenshotAsync(page, "plan");

        await plan.SwitchToAsync("pro", "Pro");

        await Expect(plan.Meter("vault_connections")).ToContainTextAsync("0 of 10");
        await Expect(plan.Meter("secrets")).ToContainTextAsync("0 of 100");
        await Expect(plan.SwitchButton("free")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToContainTextAsync("Pro plan");

        // The change is stored, not just shown.
        plan = await PlanPage.OpenAsync(page);
        await Expect(plan.CurrentTier).ToHaveTextAsync("Pro");
    });

    [Fact]
    public Task Plan_NonOwner_IsToldToAskAnOwner() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme");
        var admin = await Portal.AddMemberAsync(team, TeamRole.Admin);
        await (await LoginPage.OpenAsync(page)).SignInAsync(admin.Email, TestPortal.Password);

        var plan = await PlanPage.OpenAsync(page);

        await Expect(plan.Meter("secrets")).ToContainTextAsync("0 of 5");
        await Expect(plan.AskOwner).ToContainTextAsync("Ask an Owner of Acme");
        await Expect(plan.SwitchButton("pro")).ToHaveCountAsync(0);
    });

    [Fact]
    public Task TeamSwitcher_UserInTwoTeams_SwitchesTeamAndRole() => WithPageAsync(async page =>
    {
        var acme = await Portal.CreateTeamAsync("Acme");
        var globex = await Portal.CreateTeamAsync("Globex");
        await Portal.AddMemberAsync(globex, TeamRole.Viewer, acme.OwnerEmail);
        var overview = await (await LoginPage.OpenAsync(page)).SignInAsync(acme.OwnerEmail, TestPortal.Password);
        await Expect(overview.Heading).ToHaveTextAsync("Acme");
        await Expect(overview.TeamSwitcher.Locator("option")).ToHaveTextAsync(["Acme (Owner)", "Globex (Viewer)"]);

        overview = await overview.SwitchTeamAsync("Globex (Viewer)", "Globex");

        await Expect(overview.NavLink("API keys")).ToHaveCountAsync(0);
        await Expect(overview.NavLink("Members")).ToHaveCountAsync(0);
        // The choice is remembered for the next page.
        overview = await OverviewPage.OpenAsync(page);
        await Expect(overview.Heading).ToHaveTextAsync("Globex");

        overview = await overview.SwitchTeamAsync("Acme (Owner)", "Acme");
        await Expect(overview.NavLink("Members")).ToBeVisibleAsync();
    });
}
