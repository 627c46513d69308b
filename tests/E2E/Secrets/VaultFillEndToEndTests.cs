using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.E2E.VaultConnections;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dataraven.Tests.E2E.Secrets;

/// <summary>
/// Issue 20 end to end in Chromium: connect a vault in the wizard (a 1Password connection scoped to one vault, an unscoped
/// Doppler one), add a B2 secret whose fields are filled from the vault through the picker, save, and check it against a
/// B2 fake that accepts exactly the values the vault holds. The values are canaries that must never reach the page.
/// </summary>
[Collection(SecretBrowserCollection.Name)]
public sealed class VaultFillEndToEndTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const string Canary = "CANARYflowE2E";
    private const string KeyId = "0051234567890ab0000000022";
    private const string Key = "K005" + Canary + "ApplicationKey01";
    private const string UnrelatedValue = Canary + "-not-a-field-of-b2";
    private FakeB2Server? _b2;

    protected override bool UsesProviderFakes => true;

    protected override async Task ConfigureAsync(TestPortalOptions options)
    {
        _b2 = (await FakeB2Server.StartAsync()).AddKey(KeyId, Key, ["listBuckets", "listFiles", "readFiles"], DateTimeOffset.UtcNow.AddDays(90));
        options.Settings["Storage:B2:BaseUrl"] = _b2.BaseUrl;
        // Two vaults the token reaches: the scoped connection must only ever show the one it reads.
        Fakes.Op.AddVault(new FakeOpVault("Storage", "storagevaultid000000000001",
        [
            new FakeOpItem("B2-Archive", "b2archiveitemid00000000001",
            [
                new FakeOpField("application key id", KeyId),
                new FakeOpField("application key", Key),
                new FakeOpField("notes", UnrelatedValue),
            ]),
        ]));
        Fakes.Op.AddVault(new FakeOpVault("Personal", "personalvaultid00000000001",
            [new FakeOpItem("Elsewhere", "elsewhereitemid00000000001", [new FakeOpField("password", UnrelatedValue)])]));
        Fakes.Doppler.SetSecrets(ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig, new Dictionary<string, string>
        {
            ["B2_APPLICATION_KEY_ID"] = KeyId,
            ["B2_APPLICATION_KEY"] = Key,
            ["DATABASE_URL"] = UnrelatedValue,
        });
    }

    [Fact]
    public Task ScopedOnePassword_CreateBrowseFillSaveCheck_Ok() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        await SignInAsync(page, team.OwnerEmail);
        await ConnectAsync(page, "onepassword", "Storage 1Password", new Dictionary<string, string>
        {
            ["access_token"] = ProviderFakes.OnePasswordToken, ["vault"] = "Storage",
        });

        var editor = await NewB2SecretAsync(page, "Archive via 1Password", "Storage 1Password");
        var picker = new VaultPickerPage(page);
        await picker.FillButton.ClickAsync();
        // Scoped: the root lists the connection's vault only.
        await Expect(picker.Entry("Storage")).ToBeVisibleAsync();
        await Expect(picker.Entry("Personal")).ToHaveCountAsync(0);
        await picker.OpenAsync("Storage", "B2-Archive");

        // From desktop to a phone with the panel open: it stays open where it was.
        await page.SetViewportSizeAsync(390, 844);
        await Expect(picker.Panel).ToBeVisibleAsync();
        await Expect(picker.Entry("B2-Archive")).ToBeVisibleAsync();
        await picker.OpenAsync("B2-Archive", "application key id");
        await page.SetViewportSizeAsync(1280, 900);
        await Expect(picker.Panel).ToBeVisibleAsync();
        await Expect(picker.Entry("application key")).ToBeVisibleAsync();

        await picker.Suggest.ClickAsync();
        await Expect(picker.Suggestion("application_key_id")).ToContainTextAsync("op://Storage/B2-Archive/application key id");
        await Expect(picker.Suggestion("application_key")).ToContainTextAsync("op://Storage/B2-Archive/application key");
        await picker.Apply.ClickAsync();
        await Expect(picker.Panel).ToHaveCountAsync(0);
        await Expect(editor.Reference("application_key_id")).ToHaveValueAsync("op://Storage/B2-Archive/application key id");
        await Expect(editor.Reference("application_key")).ToHaveValueAsync("op://Storage/B2-Archive/application key");

        await SaveAndCheckAsync(page, editor, "Archive via 1Password");
    });

    [Fact]
    public Task UnscopedDoppler_CreateBrowseFillSaveCheck_Ok() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        await SignInAsync(page, team.OwnerEmail);
        await ConnectAsync(page, "doppler", "Backend Doppler", new Dictionary<string, string>
        {
            ["access_token"] = ProviderFakes.DopplerToken, ["project"] = ProviderFakes.DopplerProject, ["config"] = ProviderFakes.DopplerConfig,
        });

        var editor = await NewB2SecretAsync(page, "Archive via Doppler", "Backend Doppler");
        var picker = new VaultPickerPage(page);
        await picker.FillButton.ClickAsync();
        await Expect(picker.Entry("DATABASE_URL")).ToBeVisibleAsync();
        await page.SetViewportSizeAsync(390, 844);
        await Expect(picker.Panel).ToBeVisibleAsync();
        await picker.Search.FillAsync("B2_");
        await Expect(picker.Entry("DATABASE_URL")).ToHaveCountAsync(0);
        await picker.Suggest.ClickAsync();
        await Expect(picker.Suggestion("application_key_id")).ToContainTextAsync("B2_APPLICATION_KEY_ID");
        await Expect(picker.Suggestion("application_key")).ToContainTextAsync("B2_APPLICATION_KEY");
        await SaveScreenshotAsync(page, "vault-fill-doppler-390");
        await picker.Apply.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(editor.Reference("application_key_id")).ToHaveValueAsync("B2_APPLICATION_KEY_ID");
        await Expect(editor.Reference("application_key")).ToHaveValueAsync("B2_APPLICATION_KEY");
        await page.SetViewportSizeAsync(1280, 900);

        await SaveAndCheckAsync(page, editor, "Archive via Doppler");
    });

    private static async Task ConnectAsync(IPage page, string vaultType, string name, IReadOnlyDictionary<string, string> fields)
    {
        var wizard = await VaultConnectionWizardPage.OpenAsync(page);
        await wizard.ChooseAsync(vaultType);
        await wizard.TypeAsync("name", name);
        await wizard.FillAsync(fields);
        await wizard.NextAsync();
        await wizard.TestAsync();
        await Expect(wizard.TestResult).ToHaveAttributeAsync("data-outcome", "ok");
        var list = await wizard.SaveAsync();
        await Expect(list.StatusOf(name)).ToHaveAttributeAsync("data-status", "verified");
    }

    private static async Task<SecretEditorPage> NewB2SecretAsync(IPage page, string name, string connection)
    {
        var editor = await SecretEditorPage.OpenNewAsync(page);
        await editor.Name.FillAsync(name);
        await editor.ChooseTypeAsync("Backblaze B2");
        await editor.ChooseVaultAsync();
        await editor.ChooseConnectionAsync(connection);
        return editor;
    }

    private static async Task SaveAndCheckAsync(IPage page, SecretEditorPage editor, string name)
    {
        AssertNoCanary(await page.ContentAsync());
        var list = await editor.SaveAsync();
        await Expect(list.Row(name)).ToBeVisibleAsync();
        var health = new SecretHealthPage(page);
        await health.CheckAsync(name);
        await Expect(health.Result).ToHaveAttributeAsync("data-status", "ok");
        await Expect(health.Field("application_key_id")).ToHaveAttributeAsync("data-status", "ok");
        await Expect(health.Field("application_key")).ToHaveAttributeAsync("data-status", "ok");
        await Expect(health.Field("application_key")).ToContainTextAsync(Key.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(health.Storage).ToHaveAttributeAsync("data-status", "ok");
        AssertNoCanary(await page.ContentAsync());
        await health.CloseAsync();
        await Expect(health.Badge(name)).ToHaveAttributeAsync("data-status", "ok");
        AssertNoCanary(await page.ContentAsync());
    }

    private static void AssertNoCanary(string html) => Assert.DoesNotContain(Canary, html, StringComparison.OrdinalIgnoreCase);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_b2 is not null)
        {
            await _b2.DisposeAsync();
        }
    }
}
