using Dataraven.Tests.E2E.Pages;

namespace Dataraven.Tests.E2E.Trash;

public sealed class TrashPage(IPage page) : PortalPage(page)
{
    public ILocator Grid => Page.GetByTestId(Selectors.Grid);

    public ILocator Empty => Page.GetByTestId(Selectors.Empty);

    public ILocator Row(string name) => Grid.GetByRole(AriaRole.Row).Filter(new() { HasText = name });

    public ILocator Restore(string name) => Page.GetByRole(AriaRole.Button, new() { Name = Selectors.RestorePrefix + name, Exact = true });

    public ILocator Notification(string text) => Page.Locator(Selectors.Notification).Filter(new() { HasText = text });

    public static async Task<TrashPage> OpenAsync(IPage page)
    {
        await page.GotoAsync(Selectors.Path);
        var trash = new TrashPage(page);
        await trash.WaitForInteractiveAsync();
        return trash;
    }

    /// <summary>The "Moved to trash" snackbar's Undo, on whichever list page showed it.</summary>
    public static ILocator Undo(IPage page) =>
        page.Locator(Selectors.Notification).Filter(new() { HasText = Selectors.MovedToTrash }).GetByRole(AriaRole.Button, new() { Name = Selectors.Undo });

    private static class Selectors
    {
        internal const string Path = "/trash";
        internal const string Grid = "trash-grid";
        internal const string Empty = "trash-empty";
        internal const string RestorePrefix = "Restore ";
        internal const string Notification = ".mud-snackbar";
        internal const string MovedToTrash = "Moved to trash";
        internal const string Undo = "Undo";
    }
}
