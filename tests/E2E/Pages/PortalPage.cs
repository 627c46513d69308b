namespace Dataraven.Tests.E2E.Pages;

/// <summary>Base of the page objects: the page, and what every signed-in page shares (header, nav, circuit).</summary>
public abstract class PortalPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Heading => Page.Locator(Selectors.Heading);

    public ILocator NotAllowed => Page.GetByTestId(Selectors.NotAllowed);

    public ILocator SignedInUser => Page.GetByTestId(Selectors.SignedInUser);

    public ILocator TeamSwitcher => Page.GetByLabel(Selectors.TeamSwitcher);

    /// <summary>The app bar's menu button (the drawer opens from it below the desktop breakpoint).</summary>
    public ILocator MenuButton => Page.GetByTestId(Selectors.MenuButton);

    public ILocator NavLink(string text) =>
        Page.GetByRole(AriaRole.Navigation, new() { Name = Selectors.MainNav })
            .GetByRole(AriaRole.Link, new() { Name = text, Exact = true });

    /// <summary>Waits until the Blazor circuit rendered the layout, so clicks reach their handlers.</summary>
    public async Task WaitForInteractiveAsync() =>
        await Page.Locator(Selectors.Interactive).WaitForAsync();

    public async Task<LoginPage> SignOutAsync()
    {
        await WaitForInteractiveAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = Selectors.SignOut }).ClickAsync();
        await Page.WaitForURLAsync("**/account/login");
        return new LoginPage(Page);
    }

    /// <summary>Picks the team in the header; the page reloads showing <paramref name="teamName"/>.</summary>
    public async Task<OverviewPage> SwitchTeamAsync(string optionLabel, string teamName)
    {
        await WaitForInteractiveAsync();
        await TeamSwitcher.SelectOptionAsync(new SelectOptionValue { Label = optionLabel });
        var overview = new OverviewPage(Page);
        await Assertions.Expect(overview.Heading).ToHaveTextAsync(teamName);
        await overview.WaitForInteractiveAsync();
        return overview;
    }

    /// <summary>Answers the shared ConfirmDialog with the button named <paramref name="button"/> ("Cancel" or its confirm text).</summary>
    protected async Task ConfirmAsync(string button)
    {
        var confirm = Page.GetByTestId(Selectors.ConfirmOk);
        var dialog = Page.GetByRole(AriaRole.Dialog).Filter(new() { Has = confirm });
        await dialog.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        await Assertions.Expect(confirm).ToHaveCountAsync(0);
    }

    private static class Selectors
    {
        internal const string ConfirmOk = "confirm-ok";
        internal const string Heading = "main h1";
        internal const string Interactive = "main.dr-main[data-interactive='true']";
        internal const string MainNav = "Main";
        internal const string MenuButton = "menu-button";
        internal const string NotAllowed = "not-allowed";
        internal const string SignedInUser = "signed-in-user";
        internal const string SignOut = "Sign out";
        internal const string TeamSwitcher = "Switch team";
    }
}
