using System.Net.Http.Json;
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

    [Fact]
    public Task Screenshots_EveryMainPage_DesktopAndPhone_LightAndDark() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme Data", tier: "pro", ownerEmail: "ada@example.com");
        await Portal.AddMemberAsync(team, TeamRole.Admin, "dana@example.com");
        await Portal.AddMemberAsync(team, TeamRole.Viewer, "lee@example.com");
        // Pages that need something to show: a connection's detail (Infisical, its settings spelled out), Members with a
        // pending invitation, and that invitation's page as the invited person sees it, signed out.
        using var api = Portal.CreateClient(team.OwnerKey);
        var unverified = ProviderFakes.ValidBody("infisical", "Infisical prod");
        unverified["verify"] = false;
        var connection = await PostAsync(api, $"/v1/teams/{team.TeamId}/vault-connections", unverified);
        var invitation = await PostAsync(api, $"/v1/teams/{team.TeamId}/invitations", new Dictionary<string, object> { ["email"] = "sam@example.com", ["role"] = "operator" });
        // Signed-in pages first: a signed-out one clears the cookies.
        var pages = MainPages.All.Where(p => p.SignedIn)
            .Append(new MainPages.MainPage("vault-connection-detail", $"/vault-connections/{connection["id"]}", true))
            .Concat(MainPages.All.Where(p => !p.SignedIn))
            .Append(new MainPages.MainPage("invitation", new Uri(invitation["url"]!.ToString()!).PathAndQuery, false))
            .ToList();

        foreach (var theme in new[] { "light", "dark" })
        {
            foreach (var (device, width, height) in new[] { ("desktop", 1280, 800), ("phone", 390, 844) })
            {
                await page.SetViewportSizeAsync(width, height);
                await UseThemeAsync(page, theme);
                await SignInAsync(page, team.OwnerEmail);
                foreach (var target in pages)
                {
                    if (!target.SignedIn)
                    {
                        await UseThemeAsync(page, theme);
                    }
                    await MainPages.OpenAsync(page, target);
                    await Expect(page.Locator("html")).ToHaveClassAsync(theme == "dark" ? "dr-dark" : "");
                    var file = $"{target.Name}-{device}-{theme}";
                    await BrowserFixture.SaveScreenshotAsync(page, BrowserFixture.DocsScreenshotsDirectory, file);
                    Assert.True(File.Exists(Path.Combine(BrowserFixture.DocsScreenshotsDirectory, file + ".png")));
                }
            }
        }
    });

    private static async Task<Dictionary<string, object?>> PostAsync(HttpClient api, string path, object body)
    {
        using var response = await api.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Dictionary<string, object?>>())!;
    }

    /// <summary>A signed-out browser that remembers <paramref name="theme"/> (the cookie the theme toggle sets).</summary>
    private async Task UseThemeAsync(IPage page, string theme)
    {
        await page.Context.ClearCookiesAsync();
        await page.Context.AddCookiesAsync([new Cookie { Name = "dr-theme", Value = theme, Url = Portal.BaseAddress!.ToString() }]);
    }
}
