using Microsoft.Playwright;

namespace Dataraven.Tests.E2E.Pages;

public sealed class NotificationsPage(IPage page) : PortalPage(page)
{
    public ILocator Empty => Page.GetByTestId(Selectors.Empty);

    public ILocator Cards => Page.GetByTestId(Selectors.Card);

    public ILocator Deliveries => Page.GetByTestId(Selectors.Deliveries);

    public static async Task<NotificationsPage> OpenAsync(IPage page)
    {
        await page.GotoAsync(Selectors.Path);
        var notifications = new NotificationsPage(page);
        await notifications.WaitForInteractiveAsync();
        return notifications;
    }

    /// <summary>Adds a webhook for all events and returns the signing secret shown once.</summary>
    public async Task<string> AddAsync(string url)
    {
        await Page.GetByLabel(Selectors.Url).FillAsync(url);
        await Page.GetByRole(AriaRole.Button, new() { Name = Selectors.Add }).ClickAsync();
        var value = Page.Locator(Selectors.SecretValue);
        await Assertions.Expect(value).ToBeVisibleAsync();
        return (await value.TextContentAsync())!.Trim();
    }

    public async Task DoneAsync()
    {
        await Page.Locator(Selectors.Done).ClickAsync();
        await Assertions.Expect(Page.GetByTestId(Selectors.NewSecret)).ToHaveCountAsync(0);
    }

    public async Task SendTestAsync(string url) =>
        await Page.GetByRole(AriaRole.Button, new() { Name = Selectors.TestPrefix + url, Exact = true }).ClickAsync();

    public async Task DeleteAsync(string url, bool confirm = true)
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = Selectors.DeletePrefix + url, Exact = true }).ClickAsync();
        await ConfirmAsync(confirm ? "Delete" : "Cancel");
    }

    private static class Selectors
    {
        internal const string Path = "/notifications";
        internal const string Empty = "webhooks-empty";
        internal const string Card = "webhook-card";
        internal const string Deliveries = "deliveries";
        internal const string NewSecret = "new-webhook-secret";
        internal const string SecretValue = "#new-webhook-secret-value";
        internal const string Done = "#webhook-secret-done";
        internal const string Url = "URL";
        internal const string Add = "Add webhook";
        internal const string TestPrefix = "Send a test event to ";
        internal const string DeletePrefix = "Delete the webhook to ";
    }
}
