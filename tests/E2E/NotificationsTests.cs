using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.E2E.Pages;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dataraven.Tests.E2E;

/// <summary>The Notifications page: add a webhook (secret shown once), send a test that the local receiver verifies, delete it.</summary>
public sealed class NotificationsTests(BrowserFixture browser) : BrowserTest(browser)
{
    private WebhookReceiver? _receiver;

    protected override async Task ConfigureAsync(TestPortalOptions options)
    {
        options.Settings["Webhooks:AllowPrivateNetworks"] = "true";
        _receiver = await WebhookReceiver.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }
    }

    [Fact]
    public Task AddWebhook_SecretShownOnce_SendTest_Delivered_DeleteAfterConfirmation() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme");
        await (await LoginPage.OpenAsync(page)).SignInAsync(team.OwnerEmail, TestPortal.Password);
        var notifications = await NotificationsPage.OpenAsync(page);
        await Expect(notifications.Empty).ToBeVisibleAsync();

        var url = _receiver!.NewUrl(out var path);
        var secret = await notifications.AddAsync(url);
        Assert.StartsWith("whsec_", secret);
        _receiver.SetSecret(path, secret);
        await notifications.DoneAsync();
        await Expect(page.GetByText(secret)).ToHaveCountAsync(0);

        await notifications.SendTestAsync(url);
        // The page looks for the outcome for up to 30 s (a loaded instance waits for its next dispatch pass).
        await Expect(notifications.Deliveries).ToContainTextAsync("delivered", new() { Timeout = 30_000 });
        var got = Assert.Single(_receiver.At(path));
        Assert.True(got.SignatureValid);
        Assert.DoesNotContain(secret, await page.ContentAsync());
        await BrowserFixture.SaveScreenshotAsync(page, BrowserFixture.DocsScreenshotsDirectory, "notifications-1280");
        await page.SetViewportSizeAsync(390, 844);
        await Expect(notifications.Deliveries).ToBeVisibleAsync();
        Assert.Empty(await MainPages.OverflowingAsync(page));
        await BrowserFixture.SaveScreenshotAsync(page, BrowserFixture.DocsScreenshotsDirectory, "notifications-390");
        await page.SetViewportSizeAsync(1280, 800);

        await notifications.DeleteAsync(url, confirm: false);
        await Expect(notifications.Cards).ToHaveCountAsync(1);
        await notifications.DeleteAsync(url);
        await Expect(notifications.Empty).ToBeVisibleAsync();
    });
}
