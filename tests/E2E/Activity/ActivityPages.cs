using Dataraven.Tests.E2E.Pages;

namespace Dataraven.Tests.E2E.Activity;

/// <summary>The Activity page: its timeline, filters and export.</summary>
public sealed class ActivityPage(IPage page) : PortalPage(page)
{
    public ILocator Entries => Page.GetByTestId(Selectors.Entry);

    public ILocator Entry(string action) => Page.Locator($"[data-testid='{Selectors.Entry}'][data-action='{action}']");

    public ILocator Search => Page.Locator(Selectors.Search);

    public ILocator Export => Page.GetByTestId(Selectors.Export);

    public ILocator Empty => Page.GetByTestId(Selectors.Empty);

    public static async Task<ActivityPage> OpenAsync(IPage page)
    {
        await page.GotoAsync("/activity");
        var activity = new ActivityPage(page);
        await activity.WaitForInteractiveAsync();
        return activity;
    }

    private static class Selectors
    {
        internal const string Entry = "activity-entry";
        internal const string Search = "input[data-testid='activity-search']";
        internal const string Export = "activity-export";
        internal const string Empty = "activity-empty";
    }
}

/// <summary>The "Recent activity" panel (overview, secret editor, connection detail).</summary>
public sealed class RecentActivityPanel(IPage page)
{
    public ILocator Panel => page.GetByTestId("recent-activity");

    public ILocator Entries => Panel.GetByTestId("activity-entry");
}
