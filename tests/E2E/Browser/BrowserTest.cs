using System.Runtime.CompilerServices;
using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.E2E.Browser;

/// <summary>A fresh portal (real Kestrel, temp SQLite, temp credential store) per test, driven by the shared Chromium.</summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserFixture browser) : IAsyncLifetime
{
    private TestPortal? _portal;

    protected TestPortal Portal => _portal ?? throw new InvalidOperationException("The portal starts in InitializeAsync.");

    public async Task InitializeAsync() => _portal = await TestPortal.StartAsync(new TestPortalOptions { Kestrel = true });

    public async Task DisposeAsync()
    {
        if (_portal is not null)
        {
            await _portal.DisposeAsync();
        }
    }

    protected Task WithPageAsync(Func<IPage, Task> test, [CallerMemberName] string testName = "") =>
        browser.WithPageAsync(Portal.BaseAddress!, test, $"{GetType().Name}.{testName}");

    protected static Task SaveScreenshotAsync(IPage page, string name) => BrowserFixture.SaveScreenshotAsync(page, name);
}
