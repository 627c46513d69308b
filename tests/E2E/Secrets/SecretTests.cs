using System.Net.Http.Json;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.E2E.Pages;
using Dataraven.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Dataraven.Tests.E2E.Secrets;

[Collection(SecretBrowserCollection.Name)]
public sealed class SecretTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const string GcsJson = """
        {
          "type": "service_account",
          "project_id": "acme-data",
          "client_email": "transfers@acme-data.iam.gserviceaccount.com",
          "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"
        }
        """;

    [Fact]
    public Task EmptyList_ExplainsSecrets_AddLeadsToEditor() => WithPageAsync(async page =>
    {
        await SignInAsync(page, await Portal.CreateTeamAsync("Acme", "pro"));
        var list = await SecretListPage.OpenAsync(page);

        await Expect(list.Empty).ToContainTextAsync("holds the credentials for one storage bucket");
        await SaveScreenshotAsync(page, "secrets-list-empty");
        await list.AddButton.ClickAsync();

        var editor = new SecretEditorPage(page);
        await Expect(editor.Form).ToBeVisibleAsync();
        await Expect(editor.NoConnections).ToBeVisibleAsync();
        await Expect(editor.VaultChoice).ToBeDisabledAsync();
    });

    [Fact]
    public Task CreateS3_DirectCredentials_StoredAndNeverShown() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        await SignInAsync(page, team);
        var editor = await SecretEditorPage.OpenNewAsync(page);

        await editor.Name.FillAsync("Prod backups");
        await editor.Description.FillAsync("Nightly copies of the analytics bucket");
        await editor.ChooseTypeAsync("Amazon S3");
        await Expect(editor.Credential("secret_access_key")).ToHaveAttributeAsync("type", "password");
        await editor.Credential("access_key_id").FillAsync("AKIAIOSFODNN7EXAMPLE");
        await editor.Credential("secret_access_key").FillAsync("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        await SaveScreenshotAsync(page, "secrets-editor-direct-s3");
        var list = await editor.SaveAsync();

        var row = list.Row("Prod backups");
        await Expect(row).ToContainTextAsync("Amazon S3");
        await Expect(row).ToContainTextAsync("Access key");
        await Expect(row).ToContainTextAsync("Direct");
        Assert.DoesNotContain("wJalrXUtnFEMI", await page.ContentAsync());
        var stored = await StoredCredentialsAsync(team, "Prod backups");
        Assert.Equal("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", stored!["secret_access_key"]);
        Assert.Equal("AKIAIOSFODNN7EXAMPLE", stored["access_key_id"]);
    });

    [Fact]
    public Task CreateAzureSas_ChoosesAuthMethod_ChecksTheUrl() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        await SignInAsync(page, team);
        var editor = await SecretEditorPage.OpenNewAsync(page);

        await editor.Name.FillAsync("Azure exports");
        await editor.ChooseTypeAsync("Azure Blob Storage");
        await editor.ChooseAuthMethodAsync("SAS URL");
        await Expect(editor.Credentials).ToHaveCountAsync(1);
        await editor.Credential("sas_url").FillAsync("https://acme.blob.core.windows.net/exports?sv=2022-11-02&sp=rl");
        await Expect(editor.ErrorFor("credentials.sas_url")).ToContainTextAsync("no signature");
        await editor.Credential("sas_url").FillAsync("https://acme.blob.core.windows.net/exports?sv=2022-11-02&sp=rl&sig=c2lnbmF0dXJl");
        await Expect(editor.ErrorFor("credentials.sas_url")).ToHaveCountAsync(0);
        var list = await editor.SaveAsync();

        await Expect(list.Row("Azure exports")).ToContainTextAsync("SAS URL");
        Assert.EndsWith("sig=c2lnbmF0dXJl", (await StoredCredentialsAsync(team, "Azure exports"))!["sas_url"]);
    });

    [Fact]
    public Task CreateGcs_FromServiceAccountJson_InTextArea() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        await SignInAsync(page, team);
        var editor = await SecretEditorPage.OpenNewAsync(page);

        await editor.Name.FillAsync("GCS warehouse");
        await editor.ChooseTypeAsync("Google Cloud Storage");
        var json = editor.Credential("service_account_json");
        Assert.Equal("textarea", await json.EvaluateAsync<string>("e => e.tagName.toLowerCase()"));
        await json.FillAsync("""{"type": "authorized_user"}""");
        await Expect(editor.ErrorFor("credentials.service_account_json")).ToContainTextAsync("service_account");
        await json.FillAsync(GcsJson);
        await Expect(editor.ErrorFor("credentials.service_account_json")).ToHaveCountAsync(0);
        await SaveScreenshotAsync(page, "secrets-editor-gcs-json");
        var list = await editor.SaveAsync();

        await Expect(list.Row("GCS warehouse")).ToContainTextAsync("Google Cloud Storage");
        Assert.Contains("transfers@acme-data.iam.gserviceaccount.com",
            (await StoredCredentialsAsync(team, "GCS warehouse"))!["service_account_json"]);
    });

    [Theory]
    [InlineData("onepassword", "op://DevOps/AWS-Prod/access_key_id", "op://DevOps/AWS-Prod/secret_access_key", "1Password")]
    [InlineData("doppler", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "Doppler")]
    [InlineData("infisical", "aws-access-key-id", "aws.secret_access_key", "Infisical")]
    public Task CreateVaultReferenced_EachProvider_StoresOnlyMappings(string vaultType, string keyIdRef, string secretRef, string displayName) =>
        WithPageAsync(async page =>
        {
            var team = await Portal.CreateTeamAsync("Acme", "pro");
            await CreateConnectionAsync(team, vaultType, "Team vault");
            await SignInAsync(page, team);
            var editor = await SecretEditorPage.OpenNewAsync(page);

            await editor.Name.FillAsync("S3 via vault");
            await editor.ChooseTypeAsync("Amazon S3");
            await editor.ChooseVaultAsync();
            await editor.ChooseConnectionAsync("Team vault");
            await Expect(editor.MappingRows).ToHaveCountAsync(2);
            await Expect(editor.Reference("access_key_id")).ToHaveAttributeAsync("placeholder",
                Core.VaultConnections.ReferenceSyntax.Example(VaultTypeOf(vaultType), "access_key_id", "s3"));
            await Expect(editor.Page.GetByTestId("mapping-rows")).ToContainTextAsync($"Reference in {displayName}");
            await editor.Reference("access_key_id").FillAsync(keyIdRef);
            await editor.Reference("secret_access_key").FillAsync(secretRef);
            await SaveScreenshotAsync(page, $"secrets-editor-vault-{vaultType}");
            var list = await editor.SaveAsync();

            await Expect(list.Row("S3 via vault")).ToContainTextAsync("Team vault");
            var secret = (await SecretsAsync(team)).Single(s => s.Secret.Name == "S3 via vault").Secret;
            Assert.Equal([keyIdRef, secretRef], secret.FieldMappings.Select(m => m.Reference));
            Assert.Null(await Store.GetAsync(CredentialKey.ForSecret(team.TeamId, secret.Id)));
        });

    [Fact]
    public Task ChangingType_RebuildsCredentialInputsAndMappingRows() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        await CreateConnectionAsync(team, "doppler", "Doppler prod");
        await SignInAsync(page, team);
        var editor = await SecretEditorPage.OpenNewAsync(page);

        await editor.ChooseTypeAsync("Amazon S3");
        await Expect(editor.Credentials).ToHaveCountAsync(2);
        await Expect(editor.Credential("access_key_id")).ToBeVisibleAsync();
        await editor.Credential("access_key_id").FillAsync("AKIAIOSFODNN7EXAMPLE");

        await editor.ChooseTypeAsync("Backblaze B2");
        await Expect(editor.Credential("access_key_id")).ToHaveCountAsync(0);
        await Expect(editor.Credential("application_key_id")).ToBeVisibleAsync();
        await Expect(editor.Credential("application_key")).ToBeVisibleAsync();
        await Expect(editor.Credential("application_key_id")).ToHaveValueAsync("");

        await editor.ChooseVaultAsync();
        await editor.ChooseConnectionAsync("Doppler prod");
        await Expect(editor.MappingRows).ToHaveCountAsync(2);
        await Expect(editor.Reference("application_key_id")).ToHaveAttributeAsync("placeholder", "B2_APPLICATION_KEY_ID");
        await SaveScreenshotAsync(page, "secrets-editor-b2-rows");

        await editor.ChooseTypeAsync("Azure Blob Storage");
        await editor.ChooseAuthMethodAsync("SAS URL");
        await Expect(editor.MappingRows).ToHaveCountAsync(1);
        await Expect(editor.Reference("sas_url")).ToBeVisibleAsync();
        await editor.ChooseAuthMethodAsync("Storage account key");
        await Expect(editor.MappingRows).ToHaveCountAsync(2);
        await Expect(editor.Reference("account_name")).ToBeVisibleAsync();
        await Expect(editor.Reference("account_key")).ToBeVisibleAsync();
    });

    [Fact]
    public Task DopplerReferenceInLowerCase_ShowsErrorUnderThatRow_WhileTyping() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        await CreateConnectionAsync(team, "doppler", "Doppler prod");
        await SignInAsync(page, team);
        var editor = await SecretEditorPage.OpenNewAsync(page);

        await editor.Name.FillAsync("Reports");
        await editor.ChooseTypeAsync("Amazon S3");
        await editor.ChooseVaultAsync();
        await editor.ChooseConnectionAsync("Doppler prod");
        await editor.Reference("secret_access_key").FillAsync("aws_secret_access_key");

        await Expect(editor.ErrorFor("field_mappings[1].reference")).ToContainTextAsync("not a valid Doppler reference");
        await Expect(editor.Reference("secret_access_key")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(editor.ErrorFor("field_mappings[0].reference")).ToHaveCountAsync(0);
        await SaveScreenshotAsync(page, "secrets-editor-inline-error");

        await editor.SubmitAsync();
        await Expect(editor.ErrorFor("field_mappings[0].reference")).ToContainTextAsync("Reference is required");
        Assert.Empty(await SecretsAsync(team));

        await editor.Reference("access_key_id").FillAsync("AWS_ACCESS_KEY_ID");
        await editor.Reference("secret_access_key").FillAsync("AWS_SECRET_ACCESS_KEY");
        await Expect(editor.ErrorFor("field_mappings[1].reference")).ToHaveCountAsync(0);
        await editor.SaveAsync();
        Assert.Single(await SecretsAsync(team));
    });

    [Fact]
    public Task EditDirectSecret_EmptyCredentials_KeepsStoredValues() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var created = await CreateSecretAsync(team, new CreateSecretRequest
        {
            Name = "Prod backups", SecretType = "s3", AuthMethod = "s3_access_key",
            Credentials = new() { ["access_key_id"] = "AKIAOLDKEYEXAMPLE", ["secret_access_key"] = "old-secret-value-never-shown" },
        });
        var key = CredentialKey.ForSecret(team.TeamId, created.Id);
        var before = await Store.GetAsync(key);
        await SignInAsync(page, team);
        var list = await SecretListPage.OpenAsync(page);
        var editor = await list.EditAsync("Prod backups");

        await Expect(editor.TypeReadOnly).ToContainTextAsync("Amazon S3");
        await Expect(editor.SourceReadOnly).ToContainTextAsync("Direct");
        await Expect(editor.Credential("secret_access_key")).ToHaveValueAsync("");
        await Expect(editor.Credential("secret_access_key")).ToHaveAttributeAsync("placeholder", "Leave empty to keep the stored value");
        Assert.DoesNotContain("old-secret-value-never-shown", await page.ContentAsync());
        Assert.DoesNotContain("AKIAOLDKEYEXAMPLE", await page.ContentAsync());
        await SaveScreenshotAsync(page, "secrets-editor-edit-direct");

        await editor.Name.FillAsync("Prod backups (EU)");
        list = await editor.SaveAsync();

        await Expect(list.Row("Prod backups (EU)")).ToBeVisibleAsync();
        Assert.Equal(before, await Store.GetAsync(key));
    });

    [Fact]
    public Task EditDirectSecret_ReplaceCredentials_NeedsEveryField_ThenReplaces() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var created = await CreateSecretAsync(team, new CreateSecretRequest
        {
            Name = "Prod backups", SecretType = "s3", AuthMethod = "s3_access_key",
            Credentials = new() { ["access_key_id"] = "AKIAOLDKEYEXAMPLE", ["secret_access_key"] = "old-secret" },
        });
        await SignInAsync(page, team);
        var editor = await SecretEditorPage.OpenEditAsync(page, created.Id);

        await editor.Credential("access_key_id").FillAsync("AKIANEWKEYEXAMPLE");
        await Expect(editor.ReplaceCredentials).ToBeCheckedAsync();
        await editor.SubmitAsync();
        await Expect(editor.ErrorFor("credentials.secret_access_key")).ToContainTextAsync("required");
        Assert.Equal("old-secret", (await Store.GetAsync(CredentialKey.ForSecret(team.TeamId, created.Id)))!["secret_access_key"]);

        await editor.Credential("secret_access_key").FillAsync("new-secret");
        await editor.SaveAsync();
        var stored = await Store.GetAsync(CredentialKey.ForSecret(team.TeamId, created.Id));
        Assert.Equal("AKIANEWKEYEXAMPLE", stored!["access_key_id"]);
        Assert.Equal("new-secret", stored["secret_access_key"]);
    });

    [Fact]
    public Task EditVaultSecret_PrefillsReferences_SavesChangedMapping() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var connectionId = await CreateConnectionAsync(team, "infisical", "Infisical prod");
        var created = await CreateSecretAsync(team, new CreateSecretRequest
        {
            Name = "R2 media", SecretType = "r2", AuthMethod = "r2_access_key", VaultConnectionId = connectionId.ToString(),
            FieldMappings =
            [
                new() { FieldName = "access_key_id", Reference = "R2_ACCESS_KEY_ID" },
                new() { FieldName = "secret_access_key", Reference = "R2_SECRET_ACCESS_KEY" },
            ],
        });
        await SignInAsync(page, team);
        var editor = await SecretEditorPage.OpenEditAsync(page, created.Id);

        await Expect(editor.SourceReadOnly).ToContainTextAsync("Infisical prod");
        await Expect(editor.Reference("access_key_id")).ToHaveValueAsync("R2_ACCESS_KEY_ID");
        await editor.Reference("secret_access_key").FillAsync("has space");
        await Expect(editor.ErrorFor("field_mappings[1].reference")).ToContainTextAsync("Infisical");
        await SaveScreenshotAsync(page, "secrets-editor-edit-vault");
        await editor.Reference("secret_access_key").FillAsync("R2_SECRET_ACCESS_KEY_V2");
        await editor.SaveAsync();

        var secret = (await SecretsAsync(team)).Single().Secret;
        Assert.Equal("R2_SECRET_ACCESS_KEY_V2", secret.FieldMappings.Single(m => m.FieldName == "secret_access_key").Reference);
    });

    [Fact]
    public Task List_FiltersByTypeAndSource_DeletesAfterConfirmation() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var connectionId = await CreateConnectionAsync(team, "onepassword", "DevOps 1Password");
        await CreateSecretAsync(team, new CreateSecretRequest
        {
            Name = "Prod backups", Description = "Nightly copies", SecretType = "s3", AuthMethod = "s3_access_key",
            Credentials = new() { ["access_key_id"] = "AKIAIOSFODNN7EXAMPLE", ["secret_access_key"] = "secret" },
        });
        await CreateSecretAsync(team, new CreateSecretRequest
        {
            Name = "Media", SecretType = "b2", AuthMethod = "b2_application_key", VaultConnectionId = connectionId.ToString(),
            FieldMappings =
            [
                new() { FieldName = "application_key_id", Reference = "op://DevOps/B2/key_id" },
                new() { FieldName = "application_key", Reference = "op://DevOps/B2/key" },
            ],
        });
        await SignInAsync(page, team);
        var list = await SecretListPage.OpenAsync(page);
        await Expect(list.Row("Media")).ToContainTextAsync("DevOps 1Password");
        await SaveScreenshotAsync(page, "secrets-list");

        await list.SourceFilter.SelectOptionAsync(new SelectOptionValue { Label = "Direct (stored here)" });
        await Expect(list.Row("Media")).ToHaveCountAsync(0);
        await Expect(list.Row("Prod backups")).ToBeVisibleAsync();
        await list.SourceFilter.SelectOptionAsync(new SelectOptionValue { Label = "DevOps 1Password (1Password)" });
        await Expect(list.Row("Prod backups")).ToHaveCountAsync(0);
        await list.SourceFilter.SelectOptionAsync(new SelectOptionValue { Label = "All sources" });
        await list.TypeFilter.SelectOptionAsync(new SelectOptionValue { Label = "Amazon S3" });
        await Expect(list.Row("Media")).ToHaveCountAsync(0);
        await list.TypeFilter.SelectOptionAsync(new SelectOptionValue { Label = "All types" });

        await list.DeleteAsync("Prod backups", confirm: false);
        await Expect(list.Row("Prod backups")).ToBeVisibleAsync();
        await list.DeleteAsync("Prod backups");
        await Expect(list.Row("Prod backups")).ToHaveCountAsync(0);
        Assert.Equal(["Media"], (await SecretsAsync(team)).Select(s => s.Secret.Name));
    });

    [Fact]
    public Task AtTierLimit_NewShowsUpgradePrompt_InsteadOfEditor() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", "free");
        for (var i = 1; i <= 5; i++)
        {
            await CreateSecretAsync(team, new CreateSecretRequest
            {
                Name = $"Bucket {i}", SecretType = "wasabi", AuthMethod = "wasabi_access_key",
                Credentials = new() { ["access_key_id"] = $"KEY{i}", ["secret_access_key"] = $"secret-{i}" },
            });
        }
        await SignInAsync(page, team);
        var editor = await SecretEditorPage.OpenNewAsync(page);

        await Expect(editor.UpgradePrompt).ToContainTextAsync("allows 5 secrets");
        await Expect(editor.UpgradePrompt.GetByTestId("upgrade-now")).ToBeVisibleAsync();
        await Expect(editor.Form).ToHaveCountAsync(0);
        await SaveScreenshotAsync(page, "secrets-upgrade-prompt");
    });

    [Fact]
    public Task LimitReachedWhileEditing_SaveShowsUpgradePrompt_AdminAsksOwner() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", "free");
        for (var i = 1; i <= 4; i++)
        {
            await CreateSecretAsync(team, DirectS3($"Bucket {i}"));
        }
        var admin = await Portal.AddMemberAsync(team, TeamRole.Admin);
        await (await LoginPage.OpenAsync(page)).SignInAsync(admin.Email, TestPortal.Password);
        var editor = await SecretEditorPage.OpenNewAsync(page);
        await editor.Name.FillAsync("Bucket 5");
        await editor.ChooseTypeAsync("Amazon S3");
        await editor.Credential("access_key_id").FillAsync("AKIAIOSFODNN7EXAMPLE");
        await editor.Credential("secret_access_key").FillAsync("secret-typed-before-the-limit");

        await CreateSecretAsync(team, DirectS3("Taken meanwhile"));
        await editor.SubmitAsync();

        await Expect(editor.UpgradePrompt).ToContainTextAsync("allows 5 secrets");
        await Expect(editor.UpgradePrompt.GetByTestId("ask-owner")).ToBeVisibleAsync();
        await Expect(editor.Form).ToHaveCountAsync(0);
        Assert.DoesNotContain("Bucket 5", (await SecretsAsync(team)).Select(s => s.Secret.Name));
    });

    [Fact]
    public Task Viewer_ReadsList_WithoutActions_AndCannotOpenEditor() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        await CreateSecretAsync(team, new CreateSecretRequest
        {
            Name = "Prod backups", SecretType = "s3", AuthMethod = "s3_access_key",
            Credentials = new() { ["access_key_id"] = "AKIAIOSFODNN7EXAMPLE", ["secret_access_key"] = "secret" },
        });
        var viewer = await Portal.AddMemberAsync(team, TeamRole.Viewer);
        await (await LoginPage.OpenAsync(page)).SignInAsync(viewer.Email, TestPortal.Password);
        var list = await SecretListPage.OpenAsync(page);

        await Expect(list.Row("Prod backups")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Edit Prod backups" })).ToHaveCountAsync(0);
        await Expect(list.AddButton).ToHaveCountAsync(0);

        var editor = await SecretEditorPage.OpenNewAsync(page);
        await Expect(editor.NotAllowed).ToBeVisibleAsync();
        await Expect(editor.Form).ToHaveCountAsync(0);
    });

    [Fact]
    public Task ConnectionQuery_FiltersWithARemovableChip_SearchFindsById() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        var connectionId = await CreateConnectionAsync(team, "doppler", "Doppler prod");
        var direct = await CreateSecretAsync(team, DirectS3("Prod backups"));
        await CreateSecretAsync(team, new CreateSecretRequest
        {
            Name = "Media", SecretType = "s3", AuthMethod = "s3_access_key", VaultConnectionId = connectionId.ToString(),
            FieldMappings = [new() { FieldName = "access_key_id", Reference = "AWS_ACCESS_KEY_ID" }, new() { FieldName = "secret_access_key", Reference = "AWS_SECRET_ACCESS_KEY" }],
        });
        await SignInAsync(page, team);
        var list = await SecretListPage.OpenAsync(page, connectionId);

        await Expect(list.ConnectionChip).ToContainTextAsync("Doppler prod");
        await Expect(list.Row("Prod backups")).ToHaveCountAsync(0);
        await Expect(list.Row("Media")).ToBeVisibleAsync();
        await Expect(list.Usage).ToHaveTextAsync("2 of 100 on the Pro plan");
        await list.RemoveConnectionChipAsync();
        await Expect(list.Row("Prod backups")).ToBeVisibleAsync();
        Assert.DoesNotContain("connection=", page.Url);

        await list.Search.FillAsync(direct.Id.ToString()[..13]);
        await Expect(list.Row("Media")).ToHaveCountAsync(0);
        // The list shows the id's first 8 characters; the whole id is its title (and what Copy copies).
        await Expect(list.Row("Prod backups")).ToContainTextAsync(direct.Id.ToString()[..8]);
        await Expect(list.Row("Prod backups").Locator("[data-testid='secret-id'] code")).ToHaveAttributeAsync("title", direct.Id.ToString());
    });

    [Fact]
    public Task At390Px_LightAndDark_NothingOverflows_ActionsReachable() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", "pro");
        await CreateConnectionAsync(team, "onepassword", "DevOps 1Password");
        await CreateSecretAsync(team, DirectS3("Prod backups with a rather long name for a phone"));
        await SignInAsync(page, team);
        await SaveScreenshotAsync(await OpenListAsync(page), "secrets-list-1280");
        await page.SetViewportSizeAsync(390, 844);
        var list = await OpenListAsync(page);

        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Edit Prod backups with a rather long name for a phone" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Delete Prod backups with a rather long name for a phone" })).ToBeVisibleAsync();
        await AssertNoHorizontalOverflowAsync(page);
        await SaveScreenshotAsync(page, "secrets-list-390");

        var editor = await SecretEditorPage.OpenNewAsync(page);
        await editor.ChooseTypeAsync("Google Cloud Storage");
        await Expect(editor.ShowToggle("Service account key (JSON)")).ToBeVisibleAsync();
        await AssertNoHorizontalOverflowAsync(page);
        await SaveScreenshotAsync(page, "secrets-editor-gcs-390");
        await editor.ChooseVaultAsync();
        await editor.ChooseConnectionAsync("DevOps 1Password");
        await AssertNoHorizontalOverflowAsync(page);
        await SaveScreenshotAsync(page, "secrets-editor-vault-390");

        await page.GetByTestId("theme-toggle").ClickAsync();
        await SaveScreenshotAsync(page, "secrets-editor-vault-390-dark");
        list = await OpenListAsync(page);
        await AssertNoHorizontalOverflowAsync(page);
        await SaveScreenshotAsync(list, "secrets-list-390-dark");
        await page.SetViewportSizeAsync(1280, 800);
        await SaveScreenshotAsync(await OpenListAsync(page), "secrets-list-1280-dark");
        var desktopEditor = await SecretEditorPage.OpenNewAsync(page);
        await desktopEditor.ChooseTypeAsync("Amazon S3");
        await SaveScreenshotAsync(page, "secrets-editor-1280-dark");
    });

    private static async Task<IPage> OpenListAsync(IPage page)
    {
        var list = await SecretListPage.OpenAsync(page);
        await Expect(list.Grid).ToBeVisibleAsync();
        return page;
    }

    private static async Task AssertNoHorizontalOverflowAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
            "The page scrolls sideways at " + page.ViewportSize!.Width + " px");

    private static CreateSecretRequest DirectS3(string name) => new()
    {
        Name = name, SecretType = "s3", AuthMethod = "s3_access_key",
        Credentials = new() { ["access_key_id"] = "AKIAIOSFODNN7EXAMPLE", ["secret_access_key"] = "secret-" + name },
    };

    private ICredentialStore Store => Portal.Services.GetRequiredService<ICredentialStore>();

    private static Task SignInAsync(IPage page, TeamFixture team) => SignInAsync(page, team.OwnerEmail);

    private static TeamActor OwnerOf(TeamFixture team) => new(team.TeamId, team.OwnerId, TeamRole.Owner);

    private async Task<Secret> CreateSecretAsync(TeamFixture team, CreateSecretRequest request)
    {
        var result = await Portal.WithAsync<SecretService, Core.Common.Result<SecretDetails>>(s => s.CreateAsync(OwnerOf(team), request));
        return result.Value?.Secret ?? throw new InvalidOperationException(result.Problem!.Message);
    }

    private Task<IReadOnlyList<SecretDetails>> SecretsAsync(TeamFixture team) =>
        Portal.WithAsync<SecretService, IReadOnlyList<SecretDetails>>(s => s.ListAsync(OwnerOf(team)));

    private async Task<IReadOnlyDictionary<string, string>?> StoredCredentialsAsync(TeamFixture team, string name)
    {
        var secret = (await SecretsAsync(team)).Single(s => s.Secret.Name == name).Secret;
        return await Store.GetAsync(CredentialKey.ForSecret(team.TeamId, secret.Id));
    }

    /// <summary>A connection saved unverified through the API (the editor only needs its vault type).</summary>
    private async Task<Guid> CreateConnectionAsync(TeamFixture team, string vaultType, string name)
    {
        var body = ProviderFakes.ValidBody(vaultType, name);
        body["verify"] = false;
        using var client = Portal.CreateClient(team.OwnerKey);
        using var response = await client.PostAsJsonAsync($"/v1/teams/{team.TeamId}/vault-connections", body);
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<Dictionary<string, object>>();
        return Guid.Parse(created!["id"].ToString()!);
    }

    private static Core.VaultConnections.VaultType VaultTypeOf(string wire) =>
        Core.VaultConnections.VaultTypes.TryParse(wire, out var type) ? type : throw new ArgumentOutOfRangeException(nameof(wire));
}
