using System.Net.Http.Json;
using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dataraven.Tests.E2E.Secrets;

/// <summary>Checking a secret from the list against a B2 authorize fake, and the list's health badges.</summary>
[Collection(SecretBrowserCollection.Name)]
public sealed class SecretHealthTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const string KeyId = "0051234567890ab0000000011";
    private const string GoodKey = "K005browserGoodApplicationKey01";
    private FakeB2Server? _b2;

    protected override async Task ConfigureAsync(TestPortalOptions options)
    {
        _b2 = (await FakeB2Server.StartAsync()).AddKey(KeyId, GoodKey, ["listBuckets", "listFiles", "readFiles"], DateTimeOffset.UtcNow.AddDays(6));
        options.Settings["Storage:B2:BaseUrl"] = _b2.BaseUrl;
    }

    [Fact]
    public Task CheckFromTheList_ShowsTheResult_AndTheBadge() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var api = Portal.CreateClient(team.OwnerKey);
        var good = await CreateAsync(api, team, "Archive (B2)", GoodKey);
        var wrong = await CreateAsync(api, team, "Old archive (B2)", "K005browserWrongApplicationKey1");
        await CreateAsync(api, team, "Media (B2)", GoodKey);
        (await api.PostAsync($"/v1/teams/{team.TeamId}/secrets/{wrong}/check", null)).EnsureSuccessStatusCode();
        (await api.PostAsync($"/v1/teams/{team.TeamId}/secrets/{good}/check", null)).EnsureSuccessStatusCode();
        await SignInAsync(page, team.OwnerEmail);
        await SecretListPage.OpenAsync(page);
        var health = new SecretHealthPage(page);
        await Expect(health.Badge("Media (B2)")).ToHaveAttributeAsync("data-status", "unchecked");

        await health.CheckAsync("Media (B2)");

        await Expect(health.Field("application_key")).ToHaveAttributeAsync("data-status", "ok");
        await Expect(health.Field("application_key")).ToContainTextAsync(GoodKey.Length.ToString());
        await Expect(health.Storage).ToHaveAttributeAsync("data-status", "ok");
        await Expect(health.Storage).ToContainTextAsync("list: yes");
        Assert.DoesNotContain(GoodKey, await page.ContentAsync());
        await SaveScreenshotAsync(page, "secrets-check-result-1280");
        await health.CloseAsync();

        await Expect(health.Badge("Media (B2)")).ToHaveAttributeAsync("data-status", "ok");
        await Expect(health.Badge("Media (B2)")).ToContainTextAsync("expires in 6 days");
        await Expect(health.Badge("Old archive (B2)")).ToHaveAttributeAsync("data-status", "rejected");
        await BrowserFixture.SaveScreenshotAsync(page, BrowserFixture.DocsScreenshotsDirectory, "secrets-health-1280");
        await page.SetViewportSizeAsync(390, 844);
        await SaveScreenshotAsync(page, "secrets-health-390");
    });

    private static async Task<Guid> CreateAsync(HttpClient api, TeamFixture team, string name, string key)
    {
        var response = await api.PostAsJsonAsync($"/v1/teams/{team.TeamId}/secrets", new Dictionary<string, object>
        {
            ["name"] = name, ["secret_type"] = "b2", ["auth_method"] = "b2_application_key",
            ["credentials"] = new Dictionary<string, string> { ["application_key_id"] = KeyId, ["application_key"] = key },
        });
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<Dictionary<string, object>>();
        return Guid.Parse(created!["id"].ToString()!);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_b2 is not null)
        {
            await _b2.DisposeAsync();
        }
    }
}
