namespace Dataraven.Portal.Security;

/// <summary>
/// The security headers of every response. Pages run under a content security policy that allows scripts only from
/// the portal itself (no inline script anywhere: the helpers live in wwwroot/portal.js) and the circuit's websocket
/// to the portal only. Styles allow <c>'unsafe-inline'</c> because MudBlazor positions and themes its components with
/// inline style attributes; styles cannot run code. The API reference page has a policy of its own (see
/// <see cref="ApiReferencePolicy"/>).
/// </summary>
public static class SecurityHeaders
{
    public const string PagePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Scalar's page (served by the portal, nothing from outside) starts itself with an inline script, compiles code at
    /// run time (eval) and loads the document through fetch and workers; still no origin but the portal's own.
    /// </summary>
    public const string ApiReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; " +
        "frame-ancestors 'none'";

    public const string PermissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, string apiReferencePath) =>
        app.Use((context, next) =>
        {
            var policy = context.Request.Path.StartsWithSegments(apiReferencePath) ? ApiReferencePolicy : PagePolicy;
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Permissions-Policy"] = PermissionsPolicy;
                return Task.CompletedTask;
            });
            return next(context);
        });
}
