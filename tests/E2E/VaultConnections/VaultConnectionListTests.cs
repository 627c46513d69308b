using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dataraven.Tests.E2E.VaultConnections;

public sealed class VaultConnectionListTests(BrowserFixture browser) : VaultConnectionBrowserTest(browser)
{
    [Fact]
    public Task AtFreeLimit_Owner_AddButtonAndWizardShowUpgradePrompt() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", tier: "free");
        await CreateConnectionAsync(team, "doppler", "Only vault");
        await SignInAsync(page, team.OwnerEmail);

        var list = await VaultConnectionsPage.OpenAsync(page);
        await Expect(list.Row("Only vault")).ToBeVisibleAsync();
        await list.ClickConnectAsync();
        await Expect(list.UpgradePrompt).ToBeVisibleAsync();
        await Expect(list.UpgradePrompt.GetByTestId("upgrade-now")).ToBeVisibleAsync();
        Assert.EndsWith("/vault-connections", page.Url);
        await SaveScreenshotAsync(page, "vault-connections-upgrade-prompt-owner");

        var wizard = await VaultConnectionWizardPage.OpenAsync(page);
        await Expect(wizard.UpgradePrompt).ToBeVisibleAsync();
        await Expect(wizard.ProviderCard("doppler")).ToHaveCountAsync(0);
        await SaveScreenshotAsync(page, "wizard-upgrade-prompt-owner");
        await wizard.UpgradePrompt.GetByTestId("upgrade-now").ClickAsync();
        await ExpectPathAsync(page, "/plan");
    });

    [Fact]
    public Task AtFreeLimit_Admin_IsAskedToAskAnOwner() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", tier: "free");
        await CreateConnectionAsync(team, "onepassword", "Only vault");
        var admin = await Portal.AddMemberAsync(team, TeamRole.Admin);
        await SignInAsync(page, admin.Email);

        var list = await VaultConnectionsPage.OpenAsync(page);
        await list.ClickConnectAsync();
        await Expect(list.UpgradePrompt.GetByTestId("ask-owner")).ToBeVisibleAsync();
        await Expect(list.UpgradePrompt.GetByTestId("upgrade-now")).ToHaveCountAsync(0);

        var wizard = await VaultConnectionWizardPage.OpenAsync(page);
        await Expect(wizard.UpgradePrompt.GetByTestId("ask-owner")).ToBeVisibleAsync();
    });

    [Fact]
    public Task List_ShowsEachConnectionAtAGlance_AndRolesSeeOnlyTheirActions() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", tier: "pro");
        await CreateConnectionAsync(team, "onepassword", "1P DevOps", "DevOps vault, read-only service account");
        await CreateConnectionAsync(team, "doppler", "Doppler backend");
        await CreateConnectionAsync(team, "infisical", "Infisical prod");
        // Make one fail: its token is revoked at the provider, then someone verifies.
        Fakes.Doppler.ForbidToken(ProviderFakes.DopplerToken);

        await SignInAsync(page, team.OwnerEmail);
        var list = await VaultConnectionsPage.OpenAsync(page);
        await list.Action("Verify", "Doppler backend").ClickAsync();
        await Expect(list.StatusOf("Doppler backend")).ToHaveAttributeAsync("data-status", "failing");
        await Expect(list.StatusOf("Doppler backend").GetByTestId("vc-status-error")).Not.ToBeEmptyAsync();
        await Expect(list.StatusOf("1P DevOps")).ToHaveAttributeAsync("data-status", "verified");
        await Expect(list.Row("1P DevOps")).ToContainTextAsync("DevOps vault, read-only service account");
        await Expect(list.Row("1P DevOps")).ToContainTextAsync("1Password");
        await Expect(list.Row("Doppler backend")).ToContainTextAsync("backend / prd");
        await Expect(list.SecretsCountOf("Infisical prod")).ToHaveTextAsync("0");
        await Expect(list.Row("Infisical prod")).ToContainTextAsync("You");
        await Expect(list.Action("Delete", "Infisical prod")).ToBeVisibleAsync();
        list = await VaultConnectionsPage.OpenAsync(page);
        await Expect(list.StatusOf("Doppler backend")).ToHaveAttributeAsync("data-status", "failing");
        // Why it fails survives the reload: the class is stored with the status.
        await Expect(list.StatusOf("Doppler backend")).ToHaveAttributeAsync("data-outcome", "rejected");
        await Expect(list.StatusOf("Doppler backend")).ToContainTextAsync("Failing: Doppler refused the credentials");
        await Expect(list.Row("Infisical prod")).ToContainTextAsync("environment prod, path /");
        await SaveScreenshotAsync(page, "vault-connections-filled");
        await page.SetViewportSizeAsync(390, 844);
        list = await VaultConnectionsPage.OpenAsync(page);
        Assert.Empty(await MainPages.OverflowingAsync(page));
        await SaveScreenshotAsync(page, "vault-connections-filled-390");
        await page.GetByTestId("theme-toggle").ClickAsync();
        await Expect(page.Locator("html")).ToHaveClassAsync("dr-dark");
        await SaveScreenshotAsync(page, "vault-connections-filled-390-dark");
        await page.SetViewportSizeAsync(1280, 800);
        list = await VaultConnectionsPage.OpenAsync(page);
        await SaveScreenshotAsync(page, "vault-connections-filled-1280-dark");
        await page.GetByTestId("theme-toggle").ClickAsync();
        await Expect(page.Locator("html")).Not.ToHaveClassAsync("dr-dark");

        var operatorMember = await Portal.AddMemberAsync(team, TeamRole.Operator);
        await list.SignOutAsync();
        await SignInAsync(page, operatorMember.Email);
        list = await VaultConnectionsPage.OpenAsync(page);
        await Expect(list.Row("Infisical prod")).ToContainTextAsync(team.OwnerEmail);
        await Expect(list.Action("Verify", "Infisical prod")).ToBeVisibleAsync();
        await Expect(list.Action("Delete", "Infisical prod")).ToHaveCountAsync(0);
        await Expect(list.Action("Edit", "Infisical prod")).ToHaveCountAsync(0);
        await Expect(list.ConnectButton).ToHaveCountAsync(0);

        var viewer = await Portal.AddMemberAsync(team, TeamRole.Viewer);
        await list.SignOutAsync();
        await SignInAsync(page, viewer.Email);
        list = await VaultConnectionsPage.OpenAsync(page);
        await Expect(list.Row("Infisical prod")).ToBeVisibleAsync();
        await Expect(list.Action("Verify", "Infisical prod")).ToHaveCountAsync(0);
        await Expect(list.ConnectButton).ToHaveCountAsync(0);

        var wizard = await VaultConnectionWizardPage.OpenAsync(page);
        await Expect(wizard.NotAllowed).ToContainTextAsync("Connecting a vault needs the Admin role");
    });

    [Fact]
    public Task Delete_AfterConfirmation_RemovesTheConnection_CancelKeepsIt() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", tier: "pro");
        await CreateConnectionAsync(team, "doppler", "Old vault");
        await SignInAsync(page, team.OwnerEmail);
        var list = await VaultConnectionsPage.OpenAsync(page);

        await list.Action("Delete", "Old vault").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alertdialog)).ToContainTextAsync("Old vault");
        // Confirmations open with Cancel focused: Enter keeps the connection.
        await Expect(page.GetByTestId("confirm-cancel")).ToBeFocusedAsync();
        await SaveScreenshotAsync(page, "vault-connections-delete-confirm");
        await page.GetByTestId("confirm-cancel").ClickAsync();
        await Expect(list.Row("Old vault")).ToBeVisibleAsync();

        await list.DeleteAsync("Old vault");
        await Expect(list.Notification("Moved to trash")).ToBeVisibleAsync();
        await Expect(list.Empty).ToBeVisibleAsync();
    });

    [Fact]
    public Task Delete_InUse_ShowsTheSecretsThatBlockIt() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", tier: "pro");
        var connection = await CreateConnectionAsync(team, "doppler", "Used vault");
        var secret = await Portal.WithAsync<SecretService, Dataraven.Core.Common.Result<SecretDetails>>(s => s.CreateAsync(
            new TeamActor(team.TeamId, team.OwnerId, TeamRole.Owner),
            new CreateSecretRequest
            {
                Name = "Prod bucket", SecretType = "s3", AuthMethod = "s3_access_key",
                VaultConnectionId = connection.Connection.Id.ToString(),
                FieldMappings =
                [
                    new() { FieldName = "access_key_id", Reference = "AWS_ACCESS_KEY_ID" },
                    new() { FieldName = "secret_access_key", Reference = "AWS_SECRET_ACCESS_KEY" },
                ],
            }));
        Assert.True(secret.IsSuccess, secret.Problem?.Message);
        await SignInAsync(page, team.OwnerEmail);
        var list = await VaultConnectionsPage.OpenAsync(page);
        await Expect(list.SecretsCountOf("Used vault")).ToHaveTextAsync("1");

        await list.DeleteAsync("Used vault", confirm: false);
        await Expect(list.InUse).ToContainTextAsync("Prod bucket");
        await SaveScreenshotAsync(page, "vault-connections-delete-in-use");
        await list.InUse.GetByRole(AriaRole.Button, new() { Name = "OK" }).ClickAsync();
        await Expect(list.Row("Used vault")).ToBeVisibleAsync();
    });

    [Fact]
    public Task Rotate_RejectedToken_ShowsProviderErrorAndConnectionStaysVerified() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", tier: "pro");
        await CreateConnectionAsync(team, "doppler", "Doppler prod");
        await SignInAsync(page, team.OwnerEmail);
        var list = await VaultConnectionsPage.OpenAsync(page);

        await list.RotateTokenAsync("Doppler prod", "dp.st.prd.revokedTokenXYZ");
        await Expect(list.RotateError).ToContainTextAsync("refused");
        await Expect(list.RotateError).Not.ToContainTextAsync("revokedTokenXYZ");
        await SaveScreenshotAsync(page, "vault-connections-rotate-rejected");
        await list.RotateDialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(list.RotateDialog).ToHaveCountAsync(0);
        await Expect(list.StatusOf("Doppler prod")).ToHaveAttributeAsync("data-status", "verified");

        // The old credentials still work.
        await list.Action("Verify", "Doppler prod").ClickAsync();
        await Expect(list.Notification("Verified")).ToBeVisibleAsync();
        await Expect(list.StatusOf("Doppler prod")).ToHaveAttributeAsync("data-status", "verified");
    });

    [Fact]
    public Task Rotate_AcceptedToken_ReplacesCredentials_AndEditRenames() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme", tier: "pro");
        await CreateConnectionAsync(team, "doppler", "Doppler prod");
        const string newToken = "dp.st.prd.rotatedToken0002";
        Fakes.Doppler.AcceptToken(newToken, ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig);
        await SignInAsync(page, team.OwnerEmail);
        var list = await VaultConnectionsPage.OpenAsync(page);

        await list.RotateTokenAsync("Doppler prod", newToken);
        await Expect(list.Notification("Credentials rotated")).ToBeVisibleAsync();
        await Expect(list.RotateDialog).ToHaveCountAsync(0);
        Assert.DoesNotContain(newToken, await page.ContentAsync());

        await list.Action("Edit", "Doppler prod").ClickAsync();
        await page.Locator("#vc-edit-name").FillAsync("Doppler production");
        await page.Locator("#vc-edit-save").ClickAsync();
        await Expect(list.Row("Doppler production")).ToBeVisibleAsync();
    });
}
