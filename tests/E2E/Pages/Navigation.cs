namespace Dataraven.Tests.E2E.Pages;

/// <summary>Waits shared by the page objects.</summary>
public static class Navigation
{
    /// <summary>
    /// For a Blazor (enhanced, in-app) navigation: the URL changes without a new document, so waiting for its "load"
    /// event can wait for ever; the page object's own interactive wait comes next.
    /// </summary>
    public static readonly PageWaitForURLOptions InAppNavigation = new() { WaitUntil = WaitUntilState.Commit };
}
