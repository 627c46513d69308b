using System.Runtime.CompilerServices;

namespace Dataraven.Tests.E2E.Browser;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

/// <summary>The secret editor's tests: the longest class, in a collection (and a Chromium) of its own.</summary>
[CollectionDefinition(Name)]
public sealed class SecretBrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser secrets";
}

/// <summary>The vault connection wizard and list, beside the others.</summary>
[CollectionDefinition(Name)]
public sealed class VaultConnectionBrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser vault connections";
}

/// <summary>
/// The long page sweeps (axe-core over every page, the published portal) run in a collection of their own, with a
/// Chromium of their own, beside the other browser tests instead of after them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PageSweepCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser page sweeps";
}

/// <summary>
/// One headless Debian Chromium for the whole run; each test gets its own browser context and keeps a
/// screenshot and a Playwright trace under artifacts/ when it fails.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static string ArtifactsDirectory { get; } = Path.Combine(ProjectDirectory(), "artifacts");

    public static string ScreenshotsDirectory { get; } = Path.Combine(ArtifactsDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is missing at {ChromiumPath}. The browser tests need Debian's Chromium: " +
                "run ./test.sh (it installs it) or `apt-get update && apt-get install -y chromium`.");
        }
        // Expect(...) retries for 5 s by default; a loaded 2-core CI machine needs more for a page's first render.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        // Without the background-networking flags Chromium floods the closed network with refused connections.
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>Runs <paramref name="test"/> on a page of a fresh context; on failure saves a screenshot and a trace.</summary>
    public async Task WithPageAsync(Uri baseAddress, Func<IPage, Task> test, [CallerMemberName] string testName = "")
    {
        var context = await _browser!.NewContextAsync(new()
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new() { Width = 1280, Height = 800 },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        // Two browser collections share 2 cores with the portals they drive; a cold first page after a sign-in has
        // taken more than 15 s on a loaded CI machine, so waits allow 30 s and navigations 45 s.
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(45_000);
        await context.Tracing.StartAsync(new() { Title = testName, Screenshots = true, Snapshots = true });
        var page = await context.NewPageAsync();
        try
        {
            await test(page);
            await context.Tracing.StopAsync();
        }
        catch
        {
            Directory.CreateDirectory(ArtifactsDirectory);
            var stem = Path.Combine(ArtifactsDirectory, $"{testName}_{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            await page.ScreenshotAsync(new() { Path = stem + ".png", FullPage = true });
            await context.Tracing.StopAsync(new() { Path = stem + ".trace.zip" });
            throw;
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    /// <summary>
    /// A screenshot of the whole page for people to look at (docs, layout review). The layout scrolls inside
    /// its body, not the document, so a full-page screenshot would stop at the viewport: grow the viewport
    /// to the content for the picture, then restore it.
    /// </summary>
    public static Task SaveScreenshotAsync(IPage page, string name) => SaveScreenshotAsync(page, ScreenshotsDirectory, name);

    /// <summary>
    /// Whether the page sweep (AccessibilityTests) saves a screenshot of each of its ~90 views: when updating the docs, and
    /// in every run but CI's (<c>CI=true</c>), where nobody opens them and they cost about a minute of the browser tests.
    /// </summary>
    public static bool SweepScreenshots { get; } =
        Environment.GetEnvironmentVariable("DR_UPDATE_DOCS_SCREENSHOTS") == "1" || Environment.GetEnvironmentVariable("CI") != "true";

    /// <summary>The screenshots of the README and docs: into docs/screenshots when DR_UPDATE_DOCS_SCREENSHOTS=1, else beside the others.</summary>
    public static string DocsScreenshotsDirectory { get; } = Environment.GetEnvironmentVariable("DR_UPDATE_DOCS_SCREENSHOTS") == "1"
        ? Path.GetFullPath(Path.Combine(ProjectDirectory(), "..", "..", "docs", "screenshots"))
        : Path.Combine(ScreenshotsDirectory, "docs");

    public static async Task SaveScreenshotAsync(IPage page, string directory, string name)
    {
        Directory.CreateDirectory(directory);
        var size = page.ViewportSize!;
        var height = await page.EvaluateAsync<int>(
            "() => Math.max(document.querySelector('.mud-main-content')?.scrollHeight ?? 0, document.querySelector('main')?.scrollHeight ?? 0) + 120");
        if (height > size.Height)
        {
            await page.SetViewportSizeAsync(size.Width, height);
        }
        await page.ScreenshotAsync(new() { Path = Path.Combine(directory, name + ".png"), FullPage = true });
        if (height > size.Height)
        {
            await page.SetViewportSizeAsync(size.Width, size.Height);
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }

    private static string ProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "E2E.csproj")))
            {
                return dir.FullName;
            }
        }
        return AppContext.BaseDirectory;
    }
}
