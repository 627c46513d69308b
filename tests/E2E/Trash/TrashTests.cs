using System.Net.Http.Json;
using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.E2E.Secrets;
using static Microsoft.Playwright.Assertions;

namespace Dataraven.Tests.E2E.Trash;

/// <summary>The trash in a browser: Undo right after a delete, and a restore from the Trash page (with its screenshots).</summary>
public sealed class TrashTests(BrowserFixture browser) : BrowserTest(browser)
{
    private async Task<string> CreateSecretAsync(HttpClient api, Guid teamId, string name)
    {
        using var response = await api.PostAsJsonAsync($"/v1/teams/{teamId}/secrets", new Dictionary<string, object>
        {
            ["name"] = name, ["secret_type"] = "s3", ["auth_method"] = "s3_access_key",
            ["credentials"] = new Dictionary<string, string> { ["access_key_id"] = "AKIAIOSFODNN7EXAMPLE", ["secret_access_key"] = "secret" },
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Dictionary<string, object>>())!["id"].ToString()!;
    }

    [Fact]
    public Task DeleteSecret_ThenUndo_BringsItBack() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        using var api = Portal.CreateClient(team.OwnerKey);
        await CreateSecretAsync(api, team.TeamId, "Prod backups");
        await SignInAsync(page, team.OwnerEmail);
        var list = await SecretListPage.OpenAsync(page);

        await list.DeleteAsync("Prod backups");
        await Expect(list.Row("Prod backups")).ToHaveCountAsync(0);
        await TrashPage.Undo(page).ClickAsync();
        await Expect(list.Row("Prod backups")).ToBeVisibleAsync();
        var trash = await api.GetFromJsonAsync<Dictionary<string, List<object>>>($"/v1/teams/{team.TeamId}/trash");
        Assert.Empty(trash!["items"]);
    });

    [Fact]
    public Task TrashPage_ListsWhatWasDeleted_RestoreBringsItBack() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        using var api = Portal.CreateClient(team.OwnerKey);
        foreach (var name in new[] { "Old backups", "Media archive" })
        {
            var id = await CreateSecretAsync(api, team.TeamId, name);
            (await api.DeleteAsync($"/v1/teams/{team.TeamId}/secrets/{id}")).EnsureSuccessStatusCode();
        }
        await SignInAsync(page, team.OwnerEmail);
        var trash = await TrashPage.OpenAsync(page);
        await Expect(trash.Row("Old backups")).ToBeVisibleAsync();
        await Expect(trash.Row("Media archive")).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await SaveScreenshotAsync(page, "trash-1280");
        await page.SetViewportSizeAsync(390, 844);
        await Expect(trash.Restore("Old backups")).ToBeVisibleAsync();
        await SaveScreenshotAsync(page, "trash-390");

        await trash.Restore("Old backups").ClickAsync();
        await Expect(trash.Notification("Restored: Old backups")).ToBeVisibleAsync();
        await Expect(trash.Row("Old backups")).ToHaveCountAsync(0);
        await Expect(trash.Row("Media archive")).ToBeVisibleAsync();
        var list = await SecretListPage.OpenAsync(page);
        await Expect(list.Row("Old backups")).ToBeVisibleAsync();
    });
}
