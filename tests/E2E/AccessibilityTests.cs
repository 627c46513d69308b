using System.Net.Http.Json;
using Dataraven.Core.Teams;
using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.E2E.Pages;
using Dataraven.Tests.E2E.Secrets;
using Dataraven.Tests.E2E.VaultConnections;
using Dataraven.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Dataraven.Tests.E2E;

/// <summary>
/// axe-core's WCAG 2.1 A/AA rules over every page of the nav and the pages they lead to, at desktop and phone width, in
/// both themes; each view is also saved as a screenshot (docs/screenshots with DR_UPDATE_DOCS_SCREENSHOTS=1).
/// </summary>
[Collection(PageSweepCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture browser, ITestOutputHelper output) : BrowserTest(browser)
{
    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public Task EveryPage_DesktopAndPhone_HasNoSeriousOrCriticalViolations(string theme) => WithPageAsync(async page =>
    {
        // An Owner of a Pro team with something on every list: a connection, a secret, members, a pending invitation, activity.
        var team = await Portal.CreateTeamAsync("Acme Data", tier: "pro", ownerEmail: "ada@example.com");
        await Portal.AddMemberAsync(team, TeamRole.Admin, "dana@example.com");
        using var api = Portal.CreateClient(team.OwnerKey);
        var body = ProviderFakes.ValidBody("infisical", "Infisical prod");
        body["verify"] = false;
        var connection = await PostAsync(api, $"/v1/teams/{team.TeamId}/vault-connections", body);
        var secret = await PostAsync(api, $"/v1/teams/{team.TeamId}/secrets", new Dictionary<string, object>
        {
            ["name"] = "Prod backups", ["description"] = "Nightly copies", ["secret_type"] = "b2", ["auth_method"] = "b2_application_key",
            ["credentials"] = new Dictionary<string, string> { ["application_key_id"] = "0012345678901230000000001", ["application_key"] = "K001secret" },
        });
        // Something in the trash, so the Trash page shows its table.
        var trashed = await PostAsync(api, $"/v1/teams/{team.TeamId}/secrets", new Dictionary<string, object>
        {
            ["name"] = "Old backups", ["secret_type"] = "b2", ["auth_method"] = "b2_application_key",
            ["credentials"] = new Dictionary<string, string> { ["application_key_id"] = "0012345678901230000000002", ["application_key"] = "K001old" },
        });
        (await api.DeleteAsync($"/v1/teams/{team.TeamId}/secrets/{trashed["id"]}")).EnsureSuccessStatusCode();
        var invitation = await PostAsync(api, $"/v1/teams/{team.TeamId}/invitations", new Dictionary<string, object> { ["email"] = "sam@example.com", ["role"] = "operator" });
        var request = await PostAsync(api, $"/v1/teams/{team.TeamId}/credential-requests", new Dictionary<string, object>
        {
            ["name"] = "Customer exports", ["secret_type"] = "gcs", ["auth_method"] = "gcs_service_account", ["note"] = "The key of the export bucket, please",
            ["max_views"] = 100,
        });
        var revoked = await PostAsync(api, $"/v1/teams/{team.TeamId}/credential-requests", new Dictionary<string, object>
        {
            ["name"] = "Old exports", ["secret_type"] = "s3", ["auth_method"] = "s3_access_key",
        });
        (await api.DeleteAsync($"/v1/teams/{team.TeamId}/credential-requests/{revoked["id"]}")).EnsureSuccessStatusCode();
        // Signed-out pages first, then the signed-in ones.
        var pages = MainPages.All.Where(p => !p.SignedIn)
            .Append(new MainPages.MainPage("invitation", new Uri(invitation["url"]!.ToString()!).PathAndQuery, false))
            .Append(new MainPages.MainPage("request-recipient", new Uri(request["url"]!.ToString()!).PathAndQuery, false))
            .Append(new MainPages.MainPage("request-closed", new Uri(revoked["url"]!.ToString()!).PathAndQuery, false))
            .Concat(MainPages.All.Where(p => p.SignedIn))
            .Append(new MainPages.MainPage("vault-connection-detail", $"/vault-connections/{connection["id"]}", true))
            .Append(new MainPages.MainPage("secret-edit", $"/secrets/{secret["id"]}/edit", true))
            .Append(new MainPages.MainPage("credential-requests", "/credential-requests", true))
            .ToList();

        var found = new List<string>();
        var perRule = new Dictionary<string, int>();
        var views = 0;
        foreach (var (device, width, height) in new[] { ("desktop", 1280, 800), ("phone", 390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            // The theme toggle's cookie, read at prerender.
            await page.Context.ClearCookiesAsync();
            await page.Context.AddCookiesAsync([new Cookie { Name = "dr-theme", Value = theme, Url = Portal.BaseAddress!.ToString() }]);
            var signedIn = false;
            foreach (var target in pages)
            {
                if (target.SignedIn && !signedIn)
                {
                    await SignInAsync(page, team.OwnerEmail);
                    signedIn = true;
                }
                await MainPages.OpenAsync(page, target);
                await Expect(page.Locator("html")).ToHaveClassAsync(theme == "dark" ? "dr-dark" : "");
                await MeasureAsync($"{target.Path} at {width} px, {theme}");
                // The README's and docs' screenshots come from this sweep too (it sees every page at both widths in
                // both themes; a second sweep for them cost 140 s of the browser tests), except in CI.
                if (BrowserFixture.SweepScreenshots)
                {
                    var file = $"{target.Name}-{device}-{theme}";
                    await BrowserFixture.SaveScreenshotAsync(page, BrowserFixture.DocsScreenshotsDirectory, file);
                    Assert.True(new FileInfo(Path.Combine(BrowserFixture.DocsScreenshotsDirectory, file + ".png")).Length > 0, file);
                }
            }
            // What only a click shows: the wizard's details form, the editor's vault mappings, the phone's menu.
            var wizard = await VaultConnectionWizardPage.OpenAsync(page);
            await wizard.ChooseAsync("infisical");
            await MeasureAsync($"wizard, Infisical details at {width} px, {theme}");
            await SaveScreenshotAsync(page, $"a11y-wizard-details-{device}-{theme}");
            var editor = await SecretEditorPage.OpenNewAsync(page);
            await editor.ChooseTypeAsync("Amazon S3");
            await editor.ChooseVaultAsync();
            await editor.ChooseConnectionAsync("Infisical prod");
            await Expect(editor.MappingRows).ToHaveCountAsync(2);
            await MeasureAsync($"editor, vault references at {width} px, {theme}");
            if (width < 960)
            {
                var overview = await OverviewPage.OpenAsync(page);
                await overview.MenuButton.ClickAsync();
                await Expect(overview.NavLink("Members")).ToBeVisibleAsync();
                await MeasureAsync($"menu open at {width} px, {theme}");
            }
        }

        output.WriteLine($"{theme}: {views} page views; serious/critical nodes per rule: " +
                         (perRule.Count == 0 ? "none" : string.Join(", ", perRule.Select(r => $"{r.Key} {r.Value}"))));
        Assert.True(found.Count == 0, $"Serious or critical axe-core {Axe.Version} violations in {views} {theme} page views:\n" + string.Join("\n", found));

        async Task MeasureAsync(string view)
        {
            views++;
            foreach (var violation in await Axe.SeriousViolationsAsync(page))
            {
                found.Add(Axe.Describe(view, violation));
                perRule[violation.Rule] = perRule.GetValueOrDefault(violation.Rule) + violation.Targets.Count;
            }
        }
    });

    private static async Task<Dictionary<string, object?>> PostAsync(HttpClient api, string path, object body)
    {
        using var response = await api.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Dictionary<string, object?>>())!;
    }
}
