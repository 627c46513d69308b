using System.Net.Http.Json;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dataraven.Tests.E2E.Secrets;

/// <summary>Filling a secret's field mappings from a 1Password vault through the editor's picker (issue 20).</summary>
public sealed class VaultPickerTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const string Canary = "CANARYe2e9";

    protected override bool UsesProviderFakes => true;

    protected override Task ConfigureAsync(TestPortalOptions options)
    {
        Fakes.Op.AddVault(new FakeOpVault("DevOps", "devopsvaultid0000000000001",
        [
            new FakeOpItem("AWS-Prod", "awsproditemid0000000000001",
            [
                new FakeOpField("access key id", $"AKIA{Canary}"),
                new FakeOpField("secret access key", $"{Canary}-secret"),
            ]),
        ]));
        return Task.CompletedTask;
    }

    [Fact]
    public Task FillFromVault_PicksItemFields_ConfirmsAndSaves() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var body = ProviderFakes.ValidBody("onepassword", "DevOps 1Password");
        body["vault"] = "DevOps";
        using (var client = Portal.CreateClient(team.OwnerKey))
        {
            (await client.PostAsJsonAsync($"/v1/teams/{team.TeamId}/vault-connections", body)).EnsureSuccessStatusCode();
        }
        await SignInAsync(page, team.OwnerEmail);
        var editor = await SecretEditorPage.OpenNewAsync(page);
        await editor.Name.FillAsync("S3 from 1Password");
        await editor.ChooseTypeAsync("Amazon S3");
        await editor.ChooseVaultAsync();
        await editor.ChooseConnectionAsync("DevOps 1Password");

        var picker = new VaultPickerPage(page);
        await picker.FillButton.ClickAsync();
        await picker.OpenAsync("DevOps", "AWS-Prod");
        await picker.OpenAsync("AWS-Prod", "access key id");
        await picker.Suggest.ClickAsync();
        await Expect(picker.Suggestion("access_key_id")).ToContainTextAsync("op://DevOps/AWS-Prod/access key id");
        await Expect(picker.Suggestion("secret_access_key")).ToContainTextAsync("op://DevOps/AWS-Prod/secret access key");
        await SaveScreenshotAsync(page, "vault-picker-1280");
        await picker.Apply.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(editor.Reference("access_key_id")).ToHaveValueAsync("op://DevOps/AWS-Prod/access key id");
        await Expect(editor.Reference("secret_access_key")).ToHaveValueAsync("op://DevOps/AWS-Prod/secret access key");
        Assert.DoesNotContain(Canary, await page.ContentAsync());
        var list = await editor.SaveAsync();

        await Expect(list.Row("S3 from 1Password")).ToContainTextAsync("DevOps 1Password");
        var secrets = await Portal.WithAsync<SecretService, IReadOnlyList<SecretDetails>>(s => s.ListAsync(new TeamActor(team.TeamId, team.OwnerId, TeamRole.Owner)));
        var secret = secrets.Single(s => s.Secret.Name == "S3 from 1Password").Secret;
        Assert.Equal(["op://DevOps/AWS-Prod/access key id", "op://DevOps/AWS-Prod/secret access key"], secret.FieldMappings.Select(m => m.Reference));

        // The same on a phone (390 px), from a fresh editor: the answers now come from the 60 s cache.
        await page.SetViewportSizeAsync(390, 844);
        editor = await SecretEditorPage.OpenNewAsync(page);
        await editor.ChooseTypeAsync("Amazon S3");
        await editor.ChooseVaultAsync();
        await editor.ChooseConnectionAsync("DevOps 1Password");
        await picker.FillButton.ClickAsync();
        await picker.OpenAsync("DevOps", "AWS-Prod");
        await picker.OpenAsync("AWS-Prod", "access key id");
        await picker.Suggest.ClickAsync();
        await Expect(picker.Suggestion("secret_access_key")).ToBeVisibleAsync();
        await SaveScreenshotAsync(page, "vault-picker-390");
    });
}
