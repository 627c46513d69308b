namespace Dataraven.Tests.E2E.Pages;

/// <summary>/ : the team's overview.</summary>
public sealed class OverviewPage(IPage page) : PortalPage(page)
{
    public ILocator NoTeam => Page.GetByTestId(Selectors.NoTeam);

    public ILocator Meter(string resource) => Page.GetByTestId(Selectors.MeterPrefix + resource);

    public static async Task<OverviewPage> OpenAsync(IPage page)
    {
        await page.GotoAsync("/");
        var overview = new OverviewPage(page);
        await overview.WaitForInteractiveAsync();
        return overview;
    }

    private static class Selectors
    {
        internal const string NoTeam = "no-team";
        internal const string MeterPrefix = "meter-";
    }
}

/// <summary>/members (Owner only).</summary>
public sealed class MembersPage(IPage page) : PortalPage(page)
{
    public ILocator Grid => Page.GetByTestId(Selectors.Grid);

    public ILocator Row(string email) => Grid.GetByRole(AriaRole.Row).Filter(new() { HasText = email });

    public ILocator RoleOf(string email) => Page.GetByLabel(Selectors.RoleOfPrefix + email);

    public ILocator InviteError => Page.GetByTestId(Selectors.InviteError);

    public ILocator InvitationExpires => Page.GetByTestId(Selectors.InvitationExpires);

    public ILocator Pending(string email) => Page.GetByTestId(Selectors.Pending).GetByRole(AriaRole.Row).Filter(new() { HasText = email });

    public static async Task<MembersPage> OpenAsync(IPage page)
    {
        await page.GotoAsync(Selectors.Path);
        var members = new MembersPage(page);
        await members.WaitForInteractiveAsync();
        return members;
    }

    /// <summary>Invites <paramref name="email"/> with the form's default role (Viewer); answers the link shown once.</summary>
    public async Task<string> InviteAsync(string email)
    {
        await Page.GetByLabel(Selectors.Email, new() { Exact = true }).FillAsync(email);
        await Page.GetByRole(AriaRole.Button, new() { Name = Selectors.Invite, Exact = true }).ClickAsync();
        return await Page.Locator(Selectors.Link).InnerTextAsync();
    }

    /// <summary>Submits the invitation form, expecting it to be refused.</summary>
    public async Task TryInviteAsync(string email)
    {
        await Page.GetByLabel(Selectors.Email, new() { Exact = true }).FillAsync(email);
        await Page.GetByRole(AriaRole.Button, new() { Name = Selectors.Invite, Exact = true }).ClickAsync();
    }

    public async Task RevokeAsync(string email)
    {
        await Pending(email).GetByRole(AriaRole.Button, new() { Name = $"Revoke the invitation of {email}" }).ClickAsync();
        await ConfirmAsync("Revoke");
    }

    /// <summary>Removes a member after confirming.</summary>
    public async Task RemoveAsync(string email)
    {
        await Row(email).GetByRole(AriaRole.Button, new() { Name = $"Remove {email}" }).ClickAsync();
        await ConfirmAsync("Remove");
    }

    private static class Selectors
    {
        internal const string Path = "/members";
        internal const string Grid = "members-grid";
        internal const string Email = "Email";
        internal const string Invite = "Invite";
        internal const string InviteError = "invite-error";
        internal const string Link = "#invitation-link";
        internal const string InvitationExpires = "invitation-expires";
        internal const string Pending = "pending-invitations";
        internal const string RoleOfPrefix = "Role of ";
    }
}

/// <summary>/plan: usage meters and the tiers.</summary>
public sealed class PlanPage(IPage page) : PortalPage(page)
{
    public ILocator CurrentTier => Page.GetByTestId(Selectors.CurrentTier);

    public ILocator Meter(string resource) => Page.GetByTestId(Selectors.MeterPrefix + resource);

    public ILocator Plan(string tier) => Page.GetByTestId(Selectors.PlanPrefix + tier);

    public ILocator SwitchButton(string tier) => Page.GetByTestId(Selectors.SwitchPrefix + tier);

    public ILocator AskOwner => Page.GetByTestId(Selectors.AskOwner);

    public static async Task<PlanPage> OpenAsync(IPage page)
    {
        await page.GotoAsync(Selectors.Path);
        var plan = new PlanPage(page);
        await plan.WaitForInteractiveAsync();
        return plan;
    }

    public async Task SwitchToAsync(string tier, string displayName)
    {
        await SwitchButton(tier).ClickAsync();
        await ConfirmAsync($"Switch to {displayName}");
        await Assertions.Expect(CurrentTier).ToHaveTextAsync(displayName);
    }

    private static class Selectors
    {
        internal const string Path = "/plan";
        internal const string CurrentTier = "current-tier";
        internal const string MeterPrefix = "meter-";
        internal const string PlanPrefix = "plan-";
        internal const string SwitchPrefix = "switch-";
        internal const string AskOwner = "ask-owner";
    }
}

/// <summary>/api-keys (Admin and Owner).</summary>
public sealed class ApiKeysPage(IPage page) : PortalPage(page)
{
    public ILocator NewKey => Page.GetByTestId(Selectors.NewKey);

    public ILocator NewKeyValue => Page.Locator(Selectors.NewKeyValue);

    public ILocator Empty => Page.GetByTestId(Selectors.Empty);

    public ILocator Grid => Page.GetByTestId(Selectors.Grid);

    public ILocator Row(string name) => Grid.GetByRole(AriaRole.Row).Filter(new() { HasText = name });

    public static async Task<ApiKeysPage> OpenAsync(IPage page)
    {
        await page.GotoAsync(Selectors.Path);
        var keys = new ApiKeysPage(page);
        await keys.WaitForInteractiveAsync();
        return keys;
    }

    /// <summary>Creates a key with the form's default role (Viewer) and returns the plaintext shown once.</summary>
    public async Task<string> CreateKeyAsync(string name)
    {
        await Page.GetByLabel(Selectors.Name).FillAsync(name);
        await Page.GetByRole(AriaRole.Button, new() { Name = Selectors.Create }).ClickAsync();
        await Assertions.Expect(NewKeyValue).ToBeVisibleAsync();
        return (await NewKeyValue.TextContentAsync())!.Trim();
    }

    public async Task DoneAsync()
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = Selectors.Done, Exact = true }).ClickAsync();
        await Assertions.Expect(NewKey).ToHaveCountAsync(0);
    }

    public async Task DeleteAsync(string name, bool confirm = true)
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = Selectors.DeletePrefix + name, Exact = true }).ClickAsync();
        await ConfirmAsync(confirm ? Selectors.ConfirmDelete : Selectors.Cancel);
    }

    private static class Selectors
    {
        internal const string Path = "/api-keys";
        internal const string Name = "Name";
        internal const string Create = "Create key";
        internal const string Done = "Done";
        internal const string NewKey = "new-key";
        internal const string NewKeyValue = "#new-key-value";
        internal const string Empty = "keys-empty";
        internal const string Grid = "keys-grid";
        internal const string DeletePrefix = "Delete key ";
        internal const string ConfirmDelete = "Delete";
        internal const string Cancel = "Cancel";
    }
}

/// <summary>The designed "Page not found", inside the layout.</summary>
public sealed class NotFoundPage(IPage page) : PortalPage(page)
{
    public ILocator Panel => Page.GetByTestId(Selectors.Panel);

    private static class Selectors
    {
        internal const string Panel = "not-found";
    }
}
