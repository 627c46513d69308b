using Dataraven.Core.Teams;
using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.E2E.Pages;
using Dataraven.Tests.E2E.Secrets;
using static Microsoft.Playwright.Assertions;

namespace Dataraven.Tests.E2E.Requests;

public sealed class CredentialRequestTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    /// <summary>
    /// The whole hand-off on a phone: an Admin asks in the UI and copies the link; someone else (a fresh browser, signed
    /// out) pastes an S3 key and submits; the Admin's secrets list has the new secret, and the link is closed.
    /// </summary>
    [Fact]
    public Task AdminRequests_RecipientSubmits_SecretAppears_LinkCloses() => WithPageAsync(async page =>
    {
        var team = await Portal.CreateTeamAsync("Acme Data", "pro");
        var (_, adminEmail, _) = await Portal.AddMemberAsync(team, TeamRole.Admin);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = Portal.BaseAddress!.ToString().TrimEnd('/') });
        await page.SetViewportSizeAsync(390, 844);
        await SignInAsync(page, adminEmail);

        var list = await SecretListPage.OpenAsync(page);
        await Expect(list.Empty).ToBeVisibleAsync();
        await page.GetByTestId("request-credential").ClickAsync();
        var dialog = new RequestDialogPage(page);
        await Expect(dialog.Dialog).ToBeVisibleAsync();
        await dialog.ChooseTypeAsync("Amazon S3");
        await dialog.Name.FillAsync("Customer exports");
        await dialog.CreateAsync();
        await Expect(dialog.Warning).ToContainTextAsync("shown only once");
        await dialog.CopyAsync();
        // The copy runs through the circuit and JS interop: the clipboard fills a moment after the click.
        var shown = await dialog.Link.InputValueAsync();
        var link = "";
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); link != shown && clock.Elapsed < TimeSpan.FromSeconds(15);)
        {
            await Task.Delay(100);
            link = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        }
        Assert.Equal(shown, link);
        Assert.Contains("/requests/", link);
        await dialog.DoneAsync();
        await Expect(dialog.Dialog).ToHaveCountAsync(0);

        // The recipient: another browser, nobody signed in.
        var recipientContext = await page.Context.Browser!.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 390, Height = 844 }, Locale = "en-GB", TimezoneId = "UTC",
        });
        try
        {
            await recipientContext.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = Portal.BaseAddress!.ToString().TrimEnd('/') });
            var other = await recipientContext.NewPageAsync();
            var (recipient, status) = await RecipientPage.OpenAsync(other, link);
            Assert.Equal(200, status);
            await Expect(recipient.Summary).ToContainTextAsync("Acme Data");
            await Expect(recipient.Credential("secret_access_key")).ToHaveAttributeAsync("type", "password");
            await recipient.Credential("access_key_id").FillAsync("AKIAIOSFODNN7EXAMPLE");
            // Pasted, as the holder would: from the clipboard into the masked field.
            await other.EvaluateAsync("value => navigator.clipboard.writeText(value)", SecretAccessKey);
            await recipient.Credential("secret_access_key").FocusAsync();
            await other.Keyboard.PressAsync("ControlOrMeta+V");
            await Expect(recipient.Credential("secret_access_key")).ToHaveValueAsync(SecretAccessKey);
            await recipient.Reveal("secret_access_key").ClickAsync();
            await Expect(recipient.Credential("secret_access_key")).ToHaveAttributeAsync("type", "text");
            await recipient.Reveal("secret_access_key").ClickAsync();
            await Expect(recipient.Credential("secret_access_key")).ToHaveAttributeAsync("type", "password");
            await SaveScreenshotAsync(other, "request-recipient-390");
            await other.SetViewportSizeAsync(1280, 800);
            await SaveScreenshotAsync(other, "request-recipient-1280");
            await other.SetViewportSizeAsync(390, 844);
            await recipient.SubmitAsync();
            await Expect(recipient.Received).ToBeVisibleAsync();
            Assert.DoesNotContain(SecretAccessKey, await other.ContentAsync());

            // The Admin sees the secret; the link is closed now.
            list = await SecretListPage.OpenAsync(page);
            await Expect(list.Row("Customer exports")).ToContainTextAsync("Amazon S3");
            var (closed, closedStatus) = await RecipientPage.OpenAsync(other, link);
            Assert.Equal(410, closedStatus);
            await Expect(closed.Closed).ToContainTextAsync("used already");
        }
        finally
        {
            await recipientContext.CloseAsync();
        }
    });
}
