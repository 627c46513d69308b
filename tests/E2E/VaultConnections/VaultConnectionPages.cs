using Dataraven.Tests.E2E.Pages;

namespace Dataraven.Tests.E2E.VaultConnections;

/// <summary>/vault-connections: the list, its empty state and its row actions.</summary>
public sealed class VaultConnectionsPage(IPage page) : PortalPage(page)
{
    public ILocator Empty => Page.GetByTestId(Selectors.Empty);

    public ILocator Grid => Page.GetByTestId(Selectors.Grid);

    public ILocator ConnectButton => Page.Locator(Selectors.ConnectButton);

    /// <summary>A connection's row (a card on narrow screens), found by its exact name.</summary>
    public ILocator Row(string name) =>
        Page.Locator(Selectors.Row).Filter(new() { Has = Page.GetByTestId(Selectors.Name).GetByText(name, new() { Exact = true }) });

    public ILocator StatusOf(string name) => Row(name).GetByTestId(Selectors.Status);

    public ILocator SecretsCountOf(string name) => Row(name).GetByTestId(Selectors.SecretsCount);

    public ILocator Action(string action, string name) =>
        Page.GetByRole(AriaRole.Button, new() { Name = $"{action} {name}", Exact = true });

    public ILocator UpgradePrompt => Page.GetByTestId(Selectors.UpgradePrompt);

    public ILocator InUse => Dialog(Selectors.InUse);

    public ILocator RotateDialog => Dialog(Selectors.RotateDialog);

    /// <summary>The whole dialog (content and buttons) that holds the element with <paramref name="testId"/>.</summary>
    private ILocator Dialog(string testId) => Page.GetByRole(AriaRole.Dialog).Filter(new() { Has = Page.GetByTestId(testId) });

    public ILocator RotateError => Page.GetByTestId(Selectors.RotateError);

    public ILocator Notification(string text) => Page.Locator(Selectors.Notification).Filter(new() { HasText = text });

    public static async Task<VaultConnectionsPage> OpenAsync(IPage page)
    {
        await page.GotoAsync(Selectors.Path);
        var list = new VaultConnectionsPage(page);
        await list.WaitForInteractiveAsync();
        return list;
    }

    /// <summary>Clicks "Connect a vault": the wizard opens, or the upgrade prompt at the limit.</summary>
    public async Task ClickConnectAsync() => await ConnectButton.ClickAsync();

    public async Task<VaultConnectionWizardPage> StartWizardAsync()
    {
        await ClickConnectAsync();
        await ExpectPathAsync(Page, VaultConnectionWizardPage.Path);
        var wizard = new VaultConnectionWizardPage(Page);
        await wizard.WaitForInteractiveAsync();
        return wizard;
    }

    public async Task DeleteAsync(string name, bool confirm = true)
    {
        await Action("Delete", name).ClickAsync();
        if (confirm)
        {
            await ConfirmAsync("Delete");
        }
    }

    public async Task RotateTokenAsync(string name, string token)
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Rotate credentials of {name}", Exact = true }).ClickAsync();
        await RotateDialog.Locator(Selectors.RotateToken).FillAsync(token);
        await RotateDialog.GetByRole(AriaRole.Button, new() { Name = Selectors.RotateSubmit }).ClickAsync();
    }

    private static class Selectors
    {
        internal const string Path = "/vault-connections";
        internal const string Empty = "vc-empty";
        internal const string Grid = "vc-grid";
        internal const string ConnectButton = "#connect-vault";
        internal const string Row = "tr.vc-row";
        internal const string Name = "vc-name";
        internal const string Status = "vc-status";
        internal const string SecretsCount = "vc-secrets-count";
        internal const string UpgradePrompt = "upgrade-prompt";
        internal const string InUse = "vc-in-use";
        internal const string RotateDialog = "vc-rotate-dialog";
        internal const string RotateError = "vc-rotate-error";
        internal const string RotateToken = "#vc-rotate-access-token";
        internal const string RotateSubmit = "Check and rotate";
        internal const string Notification = ".mud-snackbar";
    }
}

/// <summary>/vault-connections/new: provider cards, the provider's fields, test and save.</summary>
public sealed class VaultConnectionWizardPage(IPage page) : PortalPage(page)
{
    public const string Path = "/vault-connections/new";

    public ILocator ProviderCard(string vaultType) => Page.GetByTestId(Selectors.ProviderPrefix + vaultType);

    /// <summary>The input of a field by its API name (access_token, project, client_id, ...).</summary>
    public ILocator Field(string key) => Page.GetByTestId(Selectors.FieldPrefix + key);

    public ILocator ErrorOf(string key) => Page.GetByTestId(Selectors.ErrorPrefix + key);

    public ILocator TestResult => Page.GetByTestId(Selectors.TestResult);

    public ILocator UpgradePrompt => Page.GetByTestId(Selectors.UpgradePrompt);

    public ILocator Summary => Page.GetByTestId(Selectors.Summary);

    public ILocator SaveUnverifiedButton => Page.Locator(Selectors.SaveUnverified);

    public static async Task<VaultConnectionWizardPage> OpenAsync(IPage page)
    {
        await page.GotoAsync(Path);
        var wizard = new VaultConnectionWizardPage(page);
        await wizard.WaitForInteractiveAsync();
        return wizard;
    }

    public async Task ChooseAsync(string vaultType)
    {
        await ProviderCard(vaultType).ClickAsync();
        await Assertions.Expect(Field("name")).ToBeVisibleAsync();
    }

    /// <summary>Back from the details to the provider cards.</summary>
    public async Task ChangeProviderAsync() => await Page.Locator(Selectors.ChangeProvider).ClickAsync();

    /// <summary>Types into a field like a user (key events, so inline validation runs as it would).</summary>
    public async Task TypeAsync(string key, string value)
    {
        var field = Field(key);
        await field.FillAsync("");
        await field.PressSequentiallyAsync(value);
    }

    public async Task FillAsync(IReadOnlyDictionary<string, string> values)
    {
        foreach (var (key, value) in values)
        {
            await Field(key).FillAsync(value);
        }
    }

    public async Task NextAsync() => await Page.Locator(Selectors.Next).ClickAsync();

    public async Task TestAsync()
    {
        await Page.Locator(Selectors.Test).ClickAsync();
        await Assertions.Expect(TestResult).ToBeVisibleAsync();
    }

    public async Task<VaultConnectionsPage> SaveAsync(bool verify = true)
    {
        await Page.Locator(verify ? Selectors.Save : Selectors.SaveUnverified).ClickAsync();
        // Polls the URL rather than waiting for a navigation event: the in-app navigation can end before a wait would start.
        await Assertions.Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/vault-connections(\?.*)?$"), new() { Timeout = 30_000 });
        return new VaultConnectionsPage(Page);
    }

    private static class Selectors
    {
        internal const string ProviderPrefix = "provider-";
        internal const string FieldPrefix = "field-";
        internal const string ErrorPrefix = "error-";
        internal const string TestResult = "test-result";
        internal const string UpgradePrompt = "upgrade-prompt";
        internal const string Summary = "wizard-summary";
        internal const string ChangeProvider = "#change-provider";
        internal const string Next = "#wizard-next";
        internal const string Test = "#wizard-test";
        internal const string Save = "#wizard-save";
        internal const string SaveUnverified = "#wizard-save-unverified";
    }
}
