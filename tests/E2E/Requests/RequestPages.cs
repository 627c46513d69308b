using Dataraven.Tests.E2E.Pages;

namespace Dataraven.Tests.E2E.Requests;

/// <summary>The "Request from someone" dialog, opened from the secrets list or a secret's page.</summary>
public sealed class RequestDialogPage(IPage page) : PortalPage(page)
{
    public ILocator Dialog => Page.GetByTestId(Selectors.Dialog);

    public ILocator Name => Page.Locator(Selectors.Name);

    public ILocator Link => Page.Locator(Selectors.Link);

    public ILocator Warning => Page.GetByTestId(Selectors.Warning);

    public async Task ChooseTypeAsync(string displayName)
    {
        await Page.GetByTestId(Selectors.Type).ClickAsync();
        await Page.Locator(Selectors.OpenPopover).GetByRole(AriaRole.Option, new() { Name = displayName, Exact = true }).ClickAsync();
        await Assertions.Expect(Page.Locator(Selectors.OpenPopover)).ToHaveCountAsync(0);
    }

    public Task CreateAsync() => Page.GetByTestId(Selectors.Create).ClickAsync();

    public Task CopyAsync() => Page.GetByTestId(Selectors.Copy).ClickAsync();

    public Task DoneAsync() => Page.GetByTestId(Selectors.Done).ClickAsync();

    private static class Selectors
    {
        public const string Dialog = "request-dialog";
        public const string Type = "request-type";
        public const string Name = "#request-name";
        public const string Link = "#request-link";
        public const string Warning = "link-once-warning";
        public const string Create = "request-create";
        public const string Copy = "copy-request-link";
        public const string Done = "request-done";
        public const string OpenPopover = ".mud-popover-open";
    }
}

/// <summary>The recipient's page a credential request's link opens (static, no circuit).</summary>
public sealed class RecipientPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Summary => Page.GetByTestId(Selectors.Summary);

    public ILocator Received => Page.GetByTestId(Selectors.Received);

    public ILocator Closed => Page.GetByTestId(Selectors.Closed);

    public ILocator Credential(string field) => Page.Locator("#cred-" + field);

    public ILocator Reveal(string field) => Page.GetByTestId("reveal-" + field);

    public Task SubmitAsync() => Page.GetByTestId(Selectors.Submit).ClickAsync();

    public static async Task<(RecipientPage Page, int Status)> OpenAsync(IPage page, string url)
    {
        var response = await page.GotoAsync(url);
        return (new RecipientPage(page), response!.Status);
    }

    private static class Selectors
    {
        public const string Summary = "request-summary";
        public const string Received = "request-received";
        public const string Closed = "request-closed";
        public const string Submit = "submit-credentials";
    }
}

/// <summary>The team's Credential requests page.</summary>
public sealed class CredentialRequestsPage(IPage page) : PortalPage(page)
{
    public const string Path = "/credential-requests";

    public ILocator Table => Page.GetByTestId("requests-table");

    public ILocator Row(string name) => Table.GetByRole(AriaRole.Row).Filter(new() { HasText = name });
}
