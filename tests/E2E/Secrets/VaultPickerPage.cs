namespace Dataraven.Tests.E2E.Secrets;

/// <summary>The secret editor's vault picker and "Fill from vault" panel (mapping rows of a vault-backed secret).</summary>
public sealed class VaultPickerPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator FillButton => Page.GetByTestId(Selectors.Fill);

    public ILocator Panel => Page.GetByTestId(Selectors.Panel);

    public ILocator Entry(string name) => Page.GetByTestId(Selectors.EntryPrefix + name);

    public ILocator Suggestion(string field) => Page.GetByTestId(Selectors.SuggestionPrefix + field);

    public ILocator Suggest => Page.GetByTestId(Selectors.Suggest);

    public ILocator Apply => Page.GetByTestId(Selectors.Apply);

    /// <summary>The search box (a name prefix in fill mode for Doppler and Infisical).</summary>
    public ILocator Search => Panel.GetByTestId(Selectors.Search);

    /// <summary>Opens an entry (a vault or item) and waits for the next level to show <paramref name="next"/>.</summary>
    public async Task OpenAsync(string name, string next)
    {
        await Entry(name).ClickAsync();
        await Assertions.Expect(Entry(next)).ToBeVisibleAsync();
    }

    private static class Selectors
    {
        internal const string Fill = "fill-from-vault";
        internal const string Panel = "fill-from-vault-panel";
        internal const string EntryPrefix = "picker-entry-";
        internal const string SuggestionPrefix = "suggestion-";
        internal const string Suggest = "fill-suggest";
        internal const string Apply = "fill-apply";
        internal const string Search = "picker-search";
    }
}
