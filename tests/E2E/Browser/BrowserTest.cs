using System.Runtime.CompilerServices;
using Dataraven.Tests.E2E.Pages;
using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.E2E.Browser;

/// <summary>
/// A fresh portal (real Kestrel, temp SQLite, temp credential store) per test, driven by the shared Chromium;
/// with <see cref="UsesProviderFakes"/>, the Doppler and Infisical fakes and a fake <c>op</c> CLI start first
/// and the portal points at them.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserFixture browser) : IAsyncLifetime
{
    private TestPortal? _portal;
    private ProviderFakes? _fakes;

    protected TestPortal Portal => _portal ?? throw new InvalidOperationException("The portal starts in InitializeAsync.");

    protected ProviderFakes Fakes => _fakes ?? throw new InvalidOperationException("Override UsesProviderFakes to start the provider fakes.");

    protected virtual bool UsesProviderFakes => false;

    /// <summary>Settings of this class's portal on top of the defaults.</summary>
    protected virtual void Configure(TestPortalOptions options)
    {
    }

    /// <summary>Settings or servers of the test's own (e.g. a storage fake) before the portal starts.</summary>
    protected virtual Task ConfigureAsync(TestPortalOptions options) => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        var options = new TestPortalOptions { Kestrel = true };
        Configure(options);
        if (UsesProviderFakes)
        {
            _fakes = await ProviderFakes.StartAsync();
            _fakes.Configure(options);
        }
        await ConfigureAsync(options);
        _portal = await TestPortal.StartAsync(options);
    }

    public virtual async Task DisposeAsync()
    {
        if (_portal is not null)
        {
            await _portal.DisposeAsync();
        }
        if (_fakes is not null)
        {
            await _fakes.DisposeAsync();
        }
    }

    protected Task WithPageAsync(Func<IPage, Task> test, [CallerMemberName] string testName = "") =>
        browser.WithPageAsync(Portal.BaseAddress!, test, $"{GetType().Name}.{testName}");

    protected static Task SaveScreenshotAsync(IPage page, string name) => BrowserFixture.SaveScreenshotAsync(page, name);

    protected static async Task SignInAsync(IPage page, string email) =>
        await (await LoginPage.OpenAsync(page)).SignInAsync(email, TestPortal.Password);
}
