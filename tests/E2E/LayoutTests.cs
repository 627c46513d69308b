using Dataraven.Core.Teams;
using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.E2E.Pages;
using Dataraven.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dataraven.Tests.E2E;

[Collection(PageSweepCollection.Name)]
public sealed class LayoutTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public Task UnknownAddress_ShowsPageNotFoundInsideTheLayout_OnFullLoadAndInAppNavigation() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme");
        await SignInAsync(page, team.OwnerEmail);

        var response = await page.GotoAsync("/no-such-page");
        var notFound = new NotFoundPage(page);
        await notFound.WaitForInteractiveAsync();
        Assert.Equal(404, response!.Status);
        await Expect(notFound.Heading).ToHaveTextAsync("Page not found");
        await Expect(notFound.NavLink("Overview")).ToBeVisibleAsync();

        var overview = await OverviewPage.OpenAsync(page);
        await Expect(overview.Heading).ToHaveTextAsync("Acme");
        await page.EvaluateAsync("() => Blazor.navigateTo('/another/missing/page')");

        await Expect(page).ToHaveURLAsync(new Uri(Portal.BaseAddress!, "/another/missing/page").ToString());
        await Expect(notFound.Panel).ToBeVisibleAsync();
        await Expect(notFound.Heading).ToHaveTextAsync("Page not found");
        await Expect(notFound.NavLink("Overview")).ToBeVisibleAsync();
    });

    [Fact]
    public Task Phone_EveryMainPageFitsTheWidth_AndTheMenuOpensFromTheButton() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme");
        await Portal.AddMemberAsync(team, TeamRole.Admin, "a.very.long.address.for.an.admin@subdomain.example.com");
        await page.SetViewportSizeAsync(390, 844);
        await SignInAsync(page, team.OwnerEmail);

        var overflows = new List<string>();
        foreach (var target in MainPages.All)
        {
            if (!target.SignedIn)
            {
                await page.Context.ClearCookiesAsync();
            }
            await MainPages.OpenAsync(page, target);
            if (await MainPages.OverflowingAsync(page) is { Length: > 0 } wide)
            {
                overflows.Add($"{target.Path}: {string.Join(", ", wide)}");
            }
        }

        Assert.True(overflows.Count == 0, "Pages wider than 390 px:\n" + string.Join("\n", overflows));

        await SignInAsync(page, team.OwnerEmail);
        var overview = new OverviewPage(page);
        await Expect(overview.NavLink("Members")).Not.ToBeVisibleAsync();
        await overview.MenuButton.ClickAsync();
        await Expect(overview.NavLink("Members")).ToBeVisibleAsync();
        await overview.NavLink("Members").ClickAsync();
        var members = new MembersPage(page);
        await Expect(members.Heading).ToHaveTextAsync("Members");
        await Expect(members.Row(team.OwnerEmail)).ToBeVisibleAsync();
    });
}
