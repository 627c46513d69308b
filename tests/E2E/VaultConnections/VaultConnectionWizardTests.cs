using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dataraven.Tests.E2E.VaultConnections;

public sealed class VaultConnectionWizardTests(BrowserFixture browser) : VaultConnectionBrowserTest(browser)
{
    public static TheoryData<string> VaultTypes => new(ProviderFakes.VaultTypes);

    /// <summary>What a user types per provider: the valid credentials of the fakes, by field name.</summary>
    private static Dictionary<string, string> FieldsOf(string vaultType) => vaultType switch
    {
        "onepassword" => new() { ["access_token"] = ProviderFakes.OnePasswordToken },
        "doppler" => new()
        {
            ["access_token"] = ProviderFakes.DopplerToken, ["project"] = ProviderFakes.DopplerProject, ["config"] = ProviderFakes.DopplerConfig,
        },
        "infisical" => new()
        {
            ["client_id"] = ProviderFakes.InfisicalClientId, ["client_secret"] = ProviderFakes.InfisicalClientSecret,
            ["project_id"] = ProviderFakes.InfisicalProjectId, ["environment"] = ProviderFakes.InfisicalEnvironment,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(vaultType)),
    };

    private static readonly string[] CredentialKeys = ["access_token", "client_id", "client_secret"];

    [Theory]
    [MemberData(nameof(VaultTypes))]
    public Task Wizard_ValidCredentials_TestsSavesAndListShowsItVerified(string vaultType) => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", tier: "pro");
        await SignInAsync(page, team.OwnerEmail);
        var list = await VaultConnectionsPage.OpenAsync(page);
        await Expect(list.Empty).ToBeVisibleAsync();
        await SaveScreenshotAsync(page, "vault-connections-empty");

        var wizard = await list.StartWizardAsync();
        await Expect(wizard.ProviderCard(vaultType)).ToBeVisibleAsync();
        await SaveScreenshotAsync(page, "wizard-1-provider");
        await wizard.ChooseAsync(vaultType);
        await wizard.TypeAsync("name", $"Prod {vaultType}");
        await wizard.Field("description").FillAsync("Storage credentials for the nightly sync");
        var fields = FieldsOf(vaultType);
        await wizard.FillAsync(fields);
        await SaveScreenshotAsync(page, $"wizard-2-details-{vaultType}");

        await wizard.NextAsync();
        await Expect(wizard.Summary).ToContainTextAsync($"Prod {vaultType}");
        await wizard.TestAsync();
        await Expect(wizard.TestResult).ToHaveAttributeAsync("data-outcome", "ok");
        await SaveScreenshotAsync(page, $"wizard-3-tested-{vaultType}");

        list = await wizard.SaveAsync();
        await Expect(list.Row($"Prod {vaultType}")).ToBeVisibleAsync();
        await Expect(list.StatusOf($"Prod {vaultType}")).ToHaveAttributeAsync("data-status", "verified");
        await Expect(list.Row($"Prod {vaultType}")).ToContainTextAsync("You");
        await Expect(list.Notification("Vault connected")).ToBeVisibleAsync();
        await SaveScreenshotAsync(page, $"vault-connections-after-create-{vaultType}");

        // The credentials are nowhere in the page after the save.
        var html = await page.ContentAsync();
        foreach (var key in CredentialKeys.Where(fields.ContainsKey))
        {
            Assert.DoesNotContain(fields[key], html);
        }
    });

    [Fact]
    public Task SwitchingProvider_SwapsFieldsWithoutCarryingValues() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme");
        await SignInAsync(page, team.OwnerEmail);
        var wizard = await VaultConnectionWizardPage.OpenAsync(page);

        await wizard.ChooseAsync("doppler");
        await wizard.Field("name").FillAsync("Main vault");
        await wizard.TypeAsync("access_token", ProviderFakes.DopplerToken);
        await wizard.Field("project").FillAsync("backend");
        await wizard.Field("config").FillAsync("prd");

        await wizard.ChangeProviderAsync();
        await Expect(wizard.ProviderCard("doppler")).ToHaveAttributeAsync("aria-pressed", "true");
        await wizard.ChooseAsync("onepassword");

        await Expect(wizard.Field("access_token")).ToHaveValueAsync("");
        await Expect(wizard.Field("project")).ToHaveCountAsync(0);
        await Expect(wizard.Field("config")).ToHaveCountAsync(0);
        await Expect(wizard.Field("client_id")).ToHaveCountAsync(0);
        await Expect(wizard.Field("name")).ToHaveValueAsync("Main vault");
        await Expect(wizard.ErrorOf("access_token")).ToHaveCountAsync(0);

        // And back: the Doppler values are gone too, not kept for later.
        await wizard.ChangeProviderAsync();
        await wizard.ChooseAsync("doppler");
        await Expect(wizard.Field("access_token")).ToHaveValueAsync("");
        await Expect(wizard.Field("project")).ToHaveValueAsync("");
        await Expect(wizard.Field("config")).ToHaveValueAsync("");

        await wizard.ChangeProviderAsync();
        await wizard.ChooseAsync("infisical");
        await Expect(wizard.Field("access_token")).ToHaveCountAsync(0);
        await Expect(wizard.Field("secret_path")).ToHaveValueAsync("/");
        await SaveScreenshotAsync(page, "wizard-2-details-infisical-empty");
    });

    [Fact]
    public Task InlineValidation_BadPrefixAndMissingFields_ShowErrorsUnderTheFields() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme");
        await SignInAsync(page, team.OwnerEmail);
        var wizard = await VaultConnectionWizardPage.OpenAsync(page);
        await wizard.ChooseAsync("onepassword");

        await wizard.TypeAsync("access_token", "dp.st.not-a-1password-token");
        await Expect(wizard.ErrorOf("access_token")).ToContainTextAsync("starts with ops_");
        await Expect(wizard.Field("access_token")).ToHaveAttributeAsync("aria-invalid", "true");
        // The wizard suggests a name; untouched, it stays quiet. Cleared, it says so at once, and Next focuses it.
        await Expect(wizard.Field("name")).ToHaveValueAsync("1Password");
        await Expect(wizard.ErrorOf("name")).ToHaveCountAsync(0);
        await wizard.Field("name").FillAsync("");

        await wizard.NextAsync();
        await Expect(wizard.ErrorOf("name")).ToContainTextAsync("Name is required");
        await Expect(wizard.Field("name")).ToBeFocusedAsync();
        await SaveScreenshotAsync(page, "wizard-2-inline-errors");

        await wizard.TypeAsync("access_token", ProviderFakes.OnePasswordToken);
        await Expect(wizard.ErrorOf("access_token")).ToHaveCountAsync(0);

        await wizard.ChangeProviderAsync();
        await wizard.ChooseAsync("infisical");
        await wizard.TypeAsync("client_id", "not-a-uuid");
        await Expect(wizard.ErrorOf("client_id")).ToContainTextAsync("UUID");
    });

    [Fact]
    public Task DuplicateName_IsCaughtOnTheDetailsStep_BeforeTheProviderIsAsked() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", tier: "pro");
        await CreateConnectionAsync(team, "onepassword", "Shared vault");
        await SignInAsync(page, team.OwnerEmail);
        var wizard = await VaultConnectionWizardPage.OpenAsync(page);
        await wizard.ChooseAsync("onepassword");
        await wizard.Field("name").FillAsync("SHARED VAULT");
        await Expect(wizard.ErrorOf("name")).ToContainTextAsync("already used");
        await wizard.FillAsync(FieldsOf("onepassword"));
        await wizard.NextAsync();

        await Expect(wizard.ErrorOf("name")).ToContainTextAsync("already used");
        await Expect(wizard.Field("name")).ToBeFocusedAsync();
        await Expect(wizard.Summary).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Save_LimitReachedMeanwhile_ShowsUpgradePromptInsteadOfTheWizard() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", tier: "free");
        await SignInAsync(page, team.OwnerEmail);
        var wizard = await VaultConnectionWizardPage.OpenAsync(page);
        await wizard.ChooseAsync("doppler");
        await wizard.Field("name").FillAsync("Second");
        await wizard.FillAsync(FieldsOf("doppler"));
        await wizard.NextAsync();

        // Another admin takes the Free plan's only slot while this wizard is open.
        await CreateConnectionAsync(team, "onepassword", "First");
        await page.Locator("#wizard-save").ClickAsync();

        await Expect(wizard.UpgradePrompt).ToBeVisibleAsync();
        await Expect(wizard.UpgradePrompt.GetByTestId("upgrade-now")).ToBeVisibleAsync();
        Assert.DoesNotContain(ProviderFakes.DopplerToken, await page.ContentAsync());
    });

    [Fact]
    public Task Keyboard_ChoosingACardMovesFocusToName_EnterSubmitsTheStep() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme");
        await SignInAsync(page, team.OwnerEmail);
        var wizard = await VaultConnectionWizardPage.OpenAsync(page);

        await wizard.ProviderCard("doppler").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(wizard.Field("name")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Keyboard vault");
        await page.Keyboard.PressAsync("Enter");

        // Next with missing fields: errors show and focus goes to the first field that is wrong.
        await Expect(wizard.ErrorOf("access_token")).ToContainTextAsync("Access token is required");
        await Expect(wizard.Field("access_token")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(ProviderFakes.DopplerToken);
        await wizard.Field("project").FillAsync(ProviderFakes.DopplerProject);
        await wizard.Field("config").FillAsync(ProviderFakes.DopplerConfig);
        await page.Keyboard.PressAsync("Enter");
        await Expect(wizard.Summary).ToContainTextAsync("Keyboard vault");
    });

    [Theory]
    [InlineData("doppler")]
    [InlineData("onepassword")]
    public Task Wizard_RejectedCredentials_ShowsProviderAnswerAndSavesNothing(string vaultType) => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme");
        await SignInAsync(page, team.OwnerEmail);
        var wizard = await VaultConnectionWizardPage.OpenAsync(page);
        await wizard.ChooseAsync(vaultType);
        await wizard.Field("name").FillAsync("Wrong token");
        var rejected = ProviderFakes.RejectedBody(vaultType, "Wrong token");
        foreach (var (key, value) in rejected.Where(kv => kv.Key is not ("name" or "vault_type")))
        {
            await wizard.Field(key).FillAsync((string)value!);
        }
        await wizard.NextAsync();
        await wizard.TestAsync();

        await Expect(wizard.TestResult).ToHaveAttributeAsync("data-outcome", "rejected");
        await Expect(page.Locator("#wizard-save")).ToBeDisabledAsync();
        await SaveScreenshotAsync(page, $"wizard-3-rejected-{vaultType}");
        var list = await VaultConnectionsPage.OpenAsync(page);
        await Expect(list.Empty).ToBeVisibleAsync();
    });

    [Fact]
    public Task Wizard_ProviderUnreachable_OffersSaveWithoutVerifying_AndListShowsUnverified() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme");
        await SignInAsync(page, team.OwnerEmail);
        var wizard = await VaultConnectionWizardPage.OpenAsync(page);
        await wizard.ChooseAsync("doppler");
        await wizard.Field("name").FillAsync("Doppler later");
        await wizard.FillAsync(FieldsOf("doppler"));
        await wizard.NextAsync();

        Fakes.Doppler.FailNext(20, Dataraven.Tests.Fakes.FakeFailure.ServiceUnavailable);
        await wizard.TestAsync();
        await Expect(wizard.TestResult).ToHaveAttributeAsync("data-outcome", "unreachable");
        await Expect(wizard.SaveUnverifiedButton).ToBeVisibleAsync();
        await SaveScreenshotAsync(page, "wizard-3-unreachable");

        var list = await wizard.SaveAsync(verify: false);
        await Expect(list.StatusOf("Doppler later")).ToHaveAttributeAsync("data-status", "unverified");
        await Expect(list.StatusOf("Doppler later")).ToContainTextAsync("never checked");
    });
}
