using System.Net;
using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.E2E.Pages;
using Dataraven.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dataraven.Tests.E2E;

public sealed class ApiKeyTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public Task CreateKey_ShownOnce_GoneAfterDone_DeletedAfterConfirmation() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme");
        await (await LoginPage.OpenAsync(page)).SignInAsync(team.OwnerEmail, TestPortal.Password);
        var keys = await ApiKeysPage.OpenAsync(page);

        var key = await keys.CreateKeyAsync("CI deploy");

        Assert.StartsWith("dr_", key);
        await Expect(keys.Row("CI deploy")).ToContainTextAsync("Never");
        Assert.Equal(HttpStatusCode.OK, await UsageStatusAsync(team, key));

        await keys.DoneAsync();
        await Expect(page.GetByText(key)).ToHaveCountAsync(0);
        keys = await ApiKeysPage.OpenAsync(page);
        await Expect(keys.Row("CI deploy")).Not.ToContainTextAsync("Never");
        await Expect(keys.Row("owner")).ToContainTextAsync("Never");
        await SaveScreenshotAsync(page, "api-keys");
        Assert.DoesNotContain(key, await page.ContentAsync());

        await keys.DeleteAsync("CI deploy", confirm: false);
        await Expect(keys.Row("CI deploy")).ToBeVisibleAsync();

        await keys.DeleteAsync("CI deploy");
        await Expect(keys.Row("CI deploy")).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.Unauthorized, await UsageStatusAsync(team, key));
    });

    private async Task<HttpStatusCode> UsageStatusAsync(TeamFixture team, string key)
    {
        using var client = Portal.CreateClient(key);
        using var response = await client.GetAsync($"/v1/teams/{team.TeamId}/usage");
        return response.StatusCode;
    }
}
