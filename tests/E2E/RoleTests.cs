using Dataraven.Core.Teams;
using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.E2E.Pages;
using Dataraven.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dataraven.Tests.E2E;

public sealed class RoleTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public Task OwnerAddsRegisteredViewer_ViewerSeesNoAdminEntries_AndAdminPagesAreNotAllowed() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme");
        const string viewer = "viewer@example.com";

        // The Viewer signs up first and is in no team yet.
        var start = await (await RegisterPage.OpenAsync(page)).RegisterAsync(viewer, TestPortal.Password);
        await Expect(start.NoTeam).ToBeVisibleAsync();
        var login = await start.SignOutAsync();

        // The Owner adds them on the Members page.
        await login.SignInAsync(team.OwnerEmail, TestPortal.Password);
        var members = await MembersPage.OpenAsync(page);
        await Expect(members.Row(team.OwnerEmail)).ToContainTextAsync("You");
        await members.AddMemberAsync(viewer);
        await Expect(members.Row(viewer)).ToBeVisibleAsync();
        await Expect(members.RoleOf(viewer)).ToHaveValueAsync(nameof(TeamRole.Viewer));
        members = await MembersPage.OpenAsync(page);
        await Expect(members.Row(viewer)).ToBeVisibleAsync();
        await SaveScreenshotAsync(page, "members");
        login = await members.SignOutAsync();

        var overview = await login.SignInAsync(viewer, TestPortal.Password);
        await Expect(overview.Heading).ToHaveTextAsync("Acme");
        await Expect(overview.NavLink("Overview")).ToBeVisibleAsync();
        await Expect(overview.NavLink("Plan")).ToBeVisibleAsync();
        await Expect(overview.NavLink("API keys")).ToHaveCountAsync(0);
        await Expect(overview.NavLink("Members")).ToHaveCountAsync(0);

        var membersAsViewer = await MembersPage.OpenAsync(page);
        await Expect(membersAsViewer.NotAllowed).ToContainTextAsync("Managing members needs the Owner role");
        await Expect(membersAsViewer.Grid).ToHaveCountAsync(0);

        var keysAsViewer = await ApiKeysPage.OpenAsync(page);
        await Expect(keysAsViewer.NotAllowed).ToContainTextAsync("Managing API keys needs the Admin role");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create key" })).ToHaveCountAsync(0);
    });

    [Fact]
    public Task AddMember_UnknownEmail_ShowsErrorAndAddsNobody() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme");
        await (await LoginPage.OpenAsync(page)).SignInAsync(team.OwnerEmail, TestPortal.Password);
        var members = await MembersPage.OpenAsync(page);

        await members.AddMemberAsync("nobody@example.com");

        await Expect(members.AddError).ToBeVisibleAsync();
        await Expect(members.Row("nobody@example.com")).ToHaveCountAsync(0);
    });
}
