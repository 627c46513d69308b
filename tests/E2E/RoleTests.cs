using Dataraven.Core.Teams;
using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.E2E.Pages;
using Dataraven.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dataraven.Tests.E2E;

public sealed class RoleTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public Task OwnerInvitesViewer_ViewerRegistersFromTheLink_Joins_SeesNoAdminEntries_AndAdminPagesAreNotAllowed() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme");
        const string viewer = "viewer@example.com";

        // Invite-only: nobody registers without an invitation.
        await Expect((await RegisterPage.OpenAsync(page)).InviteOnly).ToContainTextAsync("Ask an Owner of your team for an invitation");

        // The Owner invites them on the Members page and copies the link.
        await SignInAsync(page, team.OwnerEmail);
        var members = await MembersPage.OpenAsync(page);
        await Expect(members.Row(team.OwnerEmail)).ToContainTextAsync("You");
        var link = await members.InviteAsync(viewer);
        await Expect(members.InvitationExpires).ToContainTextAsync("UTC");
        await Expect(members.Pending(viewer)).ToBeVisibleAsync();
        await SaveScreenshotAsync(page, "members");
        await page.SetViewportSizeAsync(390, 844);
        await SaveScreenshotAsync(page, "members-390");
        await page.SetViewportSizeAsync(1280, 800);
        var login = await members.SignOutAsync();

        // The Viewer opens the link, creates the account for the invited email, signs in and joins.
        var invitation = await InvitationPage.OpenAsync(page, link);
        await Expect(invitation.Summary).ToContainTextAsync("join Acme as Viewer");
        await SaveScreenshotAsync(page, "invitation");
        await invitation.RegisterAndSignInAsync(viewer, TestPortal.Password);
        await SaveScreenshotAsync(page, "invitation-signed-in");
        var overview = await invitation.JoinAsync();
        await Expect(overview.Heading).ToHaveTextAsync("Acme");
        await Expect(overview.NavLink("Overview")).ToBeVisibleAsync();
        await Expect(overview.NavLink("Plan")).ToBeVisibleAsync();
        await Expect(overview.NavLink("API keys")).ToHaveCountAsync(0);
        await Expect(overview.NavLink("Members")).ToHaveCountAsync(0);

        // The link worked once.
        await Expect((await InvitationPage.OpenAsync(page, link)).Closed).ToContainTextAsync("used already");

        var membersAsViewer = await MembersPage.OpenAsync(page);
        await Expect(membersAsViewer.NotAllowed).ToContainTextAsync("Managing members needs the Admin role");
        await Expect(membersAsViewer.Grid).ToHaveCountAsync(0);

        var keysAsViewer = await ApiKeysPage.OpenAsync(page);
        await Expect(keysAsViewer.NotAllowed).ToContainTextAsync("Managing API keys needs the Admin role");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create key" })).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Invite_AMember_ShowsError_AndRevoke_RemovesThePendingInvitation() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme");
        await SignInAsync(page, team.OwnerEmail);
        var members = await MembersPage.OpenAsync(page);

        await members.TryInviteAsync(team.OwnerEmail);
        await Expect(members.InviteError).ToContainTextAsync("is already a member of this team");

        var link = await members.InviteAsync("later@example.com");
        await members.RevokeAsync("later@example.com");
        await Expect(members.Pending("later@example.com")).ToHaveCountAsync(0);
        await members.SignOutAsync();
        await Expect((await InvitationPage.OpenAsync(page, link)).Closed).ToContainTextAsync("revoked");
    });
}
