using System.Runtime.CompilerServices;
using Dataraven.Core.Teams;
using Dataraven.Core.VaultConnections;
using Dataraven.Tests.E2E.Browser;
using Dataraven.Tests.E2E.Pages;
using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.E2E.VaultConnections;

/// <summary>
/// Like <see cref="BrowserTest"/>, with the provider fakes (Doppler and Infisical servers, a fake <c>op</c> CLI)
/// started first and the portal pointed at them.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class VaultConnectionBrowserTest(BrowserFixture browser) : IAsyncLifetime
{
    private TestPortal? _portal;
    private ProviderFakes? _fakes;

    protected TestPortal Portal => _portal ?? throw new InvalidOperationException("The portal starts in InitializeAsync.");

    protected ProviderFakes Fakes => _fakes ?? throw new InvalidOperationException("The fakes start in InitializeAsync.");

    public async Task InitializeAsync()
    {
        _fakes = await ProviderFakes.StartAsync();
        var options = new TestPortalOptions { Kestrel = true };
        _fakes.Configure(options);
        _portal = await TestPortal.StartAsync(options);
    }

    public async Task DisposeAsync()
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

    /// <summary>
    /// A screenshot of the whole page for review. The layout scrolls inside its body, not the document, so a
    /// full-page screenshot would stop at the viewport: grow the viewport to the content first.
    /// </summary>
    protected static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var size = page.ViewportSize!;
        var height = await page.EvaluateAsync<int>("() => Math.max(document.querySelector('.rz-body')?.scrollHeight ?? 0, window.innerHeight) + 56");
        if (height > size.Height)
        {
            await page.SetViewportSizeAsync(size.Width, height);
        }
        await BrowserFixture.SaveScreenshotAsync(page, name);
        await page.SetViewportSizeAsync(size.Width, size.Height);
    }

    protected static async Task SignInAsync(IPage page, string email) =>
        await (await LoginPage.OpenAsync(page)).SignInAsync(email, TestPortal.Password);

    /// <summary>A connection made through the service (as the API would), verified against the fakes.</summary>
    protected async Task<VaultConnectionDetails> CreateConnectionAsync(TeamFixture team, string vaultType, string name, string? description = null)
    {
        var body = ProviderFakes.ValidBody(vaultType, name);
        var request = new CreateVaultConnectionRequest
        {
            Name = name,
            Description = description,
            VaultType = vaultType,
            AccessToken = body.GetValueOrDefault("access_token") as string,
            Project = body.GetValueOrDefault("project") as string,
            Config = body.GetValueOrDefault("config") as string,
            ClientId = body.GetValueOrDefault("client_id") as string,
            ClientSecret = body.GetValueOrDefault("client_secret") as string,
            ProjectId = body.GetValueOrDefault("project_id") as string,
            Environment = body.GetValueOrDefault("environment") as string,
        };
        var result = await Portal.WithAsync<VaultConnectionService, Dataraven.Core.Common.Result<VaultConnectionDetails>>(
            s => s.CreateAsync(new TeamActor(team.TeamId, team.OwnerId, TeamRole.Owner), request));
        return result.IsSuccess ? result.Value! : throw new InvalidOperationException(result.Problem!.Message);
    }
}
