using System.Text.RegularExpressions;

namespace Dataraven.Tests.E2E.Pages;

/// <summary>Waits shared by the page objects.</summary>
public static class Navigation
{
    /// <summary>
    /// Waits until the page's address has this path (any query or fragment), for a Blazor (enhanced, in-app)
    /// navigation: the URL changes without a new document. It polls the page's address instead of waiting for a
    /// navigation event: a pushState that lands between a click and <c>WaitForURLAsync</c> was once missed, and the
    /// wait ran out its 45 s on a page that showed the right address (clean-clone CI, VaultFillEndToEndTests).
    /// </summary>
    public static Task ExpectPathAsync(IPage page, string path) =>
        Assertions.Expect(page).ToHaveURLAsync(
            new Regex($"^https?://[^/]+{Regex.Escape(path)}/?([?#].*)?$"), new() { Timeout = 30_000 });
}
