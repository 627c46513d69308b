namespace Dataraven.Tests.E2E.Secrets;

/// <summary>Health on the secrets list and the Check dialog.</summary>
public sealed class SecretHealthPage(IPage page)
{
    public ILocator Badge(string secretName) =>
        page.GetByTestId(Selectors.Grid).GetByRole(AriaRole.Row).Filter(new() { HasText = secretName }).GetByTestId(Selectors.Badge);

    public ILocator Dialog => page.GetByTestId(Selectors.Dialog);

    public ILocator Result => Dialog.GetByTestId(Selectors.Result);

    public ILocator Field(string name) => Result.Locator($"[data-testid='{Selectors.Field}'][data-field='{name}']");

    public ILocator Storage => Result.GetByTestId(Selectors.Storage);

    public ILocator AttentionFilter => page.GetByTestId(Selectors.AttentionFilter);

    /// <summary>Opens the row's Check dialog and runs the check with the remembered target.</summary>
    public async Task CheckAsync(string secretName)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = Selectors.CheckPrefix + secretName, Exact = true }).ClickAsync();
        await Dialog.GetByTestId(Selectors.Run).ClickAsync();
        await Assertions.Expect(Result).ToBeVisibleAsync();
    }

    public async Task CloseAsync()
    {
        // MudDialog puts the test id on its content, not around its actions.
        await page.GetByTestId(Selectors.Close).ClickAsync();
        await Assertions.Expect(Dialog).ToHaveCountAsync(0);
    }

    private static class Selectors
    {
        internal const string Grid = "secrets-grid";
        internal const string Badge = "health-badge";
        internal const string Dialog = "check-dialog";
        internal const string Result = "check-result";
        internal const string Field = "check-field";
        internal const string Storage = "check-storage";
        internal const string Run = "check-run";
        internal const string Close = "check-close";
        internal const string AttentionFilter = "filter-attention";
        internal const string CheckPrefix = "Check ";
    }
}
