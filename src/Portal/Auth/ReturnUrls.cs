using Microsoft.AspNetCore.Http.HttpResults;

namespace Dataraven.Portal.Auth;

/// <summary>Where to go after signing in: the page asked for, if it is one of ours.</summary>
public static class ReturnUrls
{
    private static readonly Uri LocalOrigin = new("http://localhost/");

    /// <summary>
    /// A local path, or "/" for anything else, so the sign-in page cannot send people elsewhere; escaped,
    /// so a page name in any script still makes an ASCII Location header (Kestrel refuses anything else).
    /// </summary>
    public static string LocalOrRoot(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl))
        {
            return "/";
        }
        // The pages' own redirect to sign-in passes a base-relative path ("secrets/..."), the cookie handler a rooted one;
        // anything with a scheme ("https:", "javascript:") is neither.
        var path = returnUrl.StartsWith('/') ? returnUrl : returnUrl.Contains(':') ? null : "/" + returnUrl;
        return RedirectHttpResult.IsLocalUrl(path) && Uri.TryCreate(LocalOrigin, path, out var local)
            ? local.GetComponents(UriComponents.PathAndQuery | UriComponents.Fragment, UriFormat.UriEscaped)
            : "/";
    }
}
