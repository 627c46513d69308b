namespace Dataraven.Tests.E2E.Browser;

/// <summary>Every main page of the portal, by address: what the mobile pass and the screenshots visit.</summary>
public static class MainPages
{
    /// <param name="Static">A server-rendered form page (the account pages): nothing turns interactive.</param>
    public sealed record MainPage(string Name, string Path, bool SignedIn, bool Static = false);

    public static readonly IReadOnlyList<MainPage> All =
    [
        new("overview", "/", true),
        new("vault-connections", "/vault-connections", true),
        new("vault-connection-wizard", "/vault-connections/new", true),
        new("secrets", "/secrets", true),
        new("secret-editor", "/secrets/new", true),
        new("activity", "/activity", true),
        new("trash", "/trash", true),
        new("api-keys", "/api-keys", true),
        new("members", "/members", true),
        new("notifications", "/notifications", true),
        new("plan", "/plan", true),
        new("new-team", "/teams/new", true),
        new("not-found", "/no-such-page", true),
        new("account-security", "/account/security", true, Static: true),
        new("login", "/account/login", false),
        new("register", "/account/register", false),
    ];

    /// <summary>Opens <paramref name="target"/> and waits until it is rendered (and interactive, for the signed-in pages).</summary>
    public static async Task OpenAsync(IPage page, MainPage target)
    {
        await page.GotoAsync(target.Path);
        if (target.SignedIn && !target.Static)
        {
            await page.Locator("main.dr-main[data-interactive='true']").WaitForAsync();
        }
        await page.Locator("h1").First.WaitForAsync();
        // Let MudBlazor's breakpoint and layout scripts settle before measuring or taking the picture.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>Elements whose right edge passes the viewport, described for a failure message; empty when nothing overflows.</summary>
    public static async Task<string[]> OverflowingAsync(IPage page) => await page.EvaluateAsync<string[]>("""
        () => {
            if (document.documentElement.scrollWidth <= window.innerWidth) return [];
            const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).slice(0, 3).join('.') : '');
            const wide = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1);
            return [`scrollWidth ${document.documentElement.scrollWidth} > ${window.innerWidth}`, ...wide.slice(0, 5).map(describe)];
        }
        """);
}
