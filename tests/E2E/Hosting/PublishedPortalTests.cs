using System.Text.RegularExpressions;
using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.E2E.Pages;
using Dataraven.Tests.E2E.VaultConnections;
using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.E2E.Hosting;

/// <summary>
/// Chromium against the published portal started from an unrelated folder (DESIGN.md, "Running in production"): the
/// browser tests otherwise run the build output, where static files come from the development manifest.
/// </summary>
[Collection(PageSweepCollection.Name)]
public sealed class PublishedPortalTests(BrowserFixture browser, PublishFixture publish) : IClassFixture<PublishFixture>, IAsyncLifetime
{
    private const string Email = "owner@example.com";

    /// <summary>Where the wizard's screenshots go for the release note (set DR_PUBLISHED_SHOTS to a folder).</summary>
    private static readonly string Shots = Environment.GetEnvironmentVariable("DR_PUBLISHED_SHOTS") is { Length: > 0 } folder
        ? folder
        : Path.Combine(BrowserFixture.ScreenshotsDirectory, "published");

    private readonly string _elsewhere = Directory.CreateTempSubdirectory("dr-cwd-").FullName;
    private readonly string _data = Directory.CreateTempSubdirectory("dr-data-").FullName;
    private PublishedPortal? _portal;

    public async Task InitializeAsync()
    {
        var environment = PublishedPortal.DataIn(_data);
        var bootstrap = await PublishedPortal.CommandAsync(publish, _elsewhere, environment,
            "bootstrap", "--team", "Acme", "--email", Email, "--password", TestPortal.Password);
        Assert.True(bootstrap.Code == 0, bootstrap.Output);
        var address = new Uri($"http://127.0.0.1:{PublishedPortal.FreePort()}");
        environment["ASPNETCORE_URLS"] = address.ToString();
        _portal = await PublishedPortal.StartAsync(publish, _elsewhere, address, environment);
    }

    public async Task DisposeAsync()
    {
        if (_portal is not null)
        {
            await _portal.DisposeAsync();
        }
        Directory.Delete(_elsewhere, recursive: true);
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public Task SignInPage_IsStyled_AndTheWizardAnswersAClick() => browser.WithPageAsync(_portal!.Address, async page =>
    {
        var login = await LoginPage.OpenAsync(page);
        var violations = new List<string>();
        foreach (var violation in await Axe.SeriousViolationsAsync(page))
        {
            violations.Add(Axe.Describe("published sign-in at 1280", violation));
        }
        // Only MudBlazor's stylesheet makes the sign-in button a flex box with a pointer (a browser's button is an
        // inline-block, or a block inside the flex form).
        var button = await page.Locator("#sign-in").EvaluateAsync<string[]>(
            "b => { const s = getComputedStyle(b); return [s.display, s.cursor]; }");
        Assert.Equal(["flex", "pointer"], button);
        // And app.css: the submit button spans its form.
        Assert.Equal(await page.Locator("form.dr-form", new() { Has = page.Locator("#sign-in") }).EvaluateAsync<double>("f => f.clientWidth"),
            await page.Locator("#sign-in").EvaluateAsync<double>("b => b.offsetWidth"), 1.0);
        // The passkey buttons' script is one of the published static assets (an empty 200 would leave them dead).
        var passkeysJs = await page.EvaluateAsync<string>(
            "async () => await (await fetch(document.querySelector('script[src*=\"passkeys\"]').src)).text()");
        Assert.Contains("data-dr-passkey", passkeysJs);

        await login.SignInAsync(Email, TestPortal.Password);
        var wizard = await VaultConnectionWizardPage.OpenAsync(page);
        // The circuit runs: a click on a provider card renders its fields.
        await wizard.ChooseAsync("doppler");

        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            // The responsive drawer closes below the Md breakpoint after a round trip: shoot the settled layout.
            await Assertions.Expect(page.Locator(".mud-drawer").First)
                .ToHaveClassAsync(new Regex(width < 960 ? "mud-drawer--closed" : "mud-drawer--open"));
            await BrowserFixture.SaveScreenshotAsync(page, Shots, $"wizard-{width}");
            foreach (var violation in await Axe.SeriousViolationsAsync(page))
            {
                violations.Add(Axe.Describe($"published wizard at {width}", violation));
            }
        }
        // The same axe-core rules as AccessibilityTests, on the published build (its own CSS bundle and assets).
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        await Assertions.Expect(wizard.Field("access_token")).ToBeVisibleAsync();
    });
}
