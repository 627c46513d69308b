using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Dataraven.Portal.Auth;

/// <summary>
/// Throttles the sign-in, registration and setup form posts per client address, so one client cannot try
/// passwords or spray accounts quickly, whichever account it aims at. Account lockout is off instead (see
/// <see cref="PortalAuth"/>): a lockout is a switch any outsider who knows an email can flip.
/// </summary>
public static class AccountRateLimiter
{
    private static readonly string[] ThrottledPaths = ["/account/login", "/account/register", "/setup"];

    public static IServiceCollection AddAccountRateLimiter(this IServiceCollection services, IConfiguration configuration)
    {
        var permits = configuration.GetValue("Accounts:AttemptsPerMinute", 10);
        return services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => IsAccountFormPost(context)
                ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter(""));
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (rejected, ct) => WriteTooManyAttemptsAsync(rejected.HttpContext,
                rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1), ct);
        });
    }

    private static bool IsAccountFormPost(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) && ThrottledPaths.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>The form's page cannot render here (the request never reached it): a small page that says what to do.</summary>
    private static async ValueTask WriteTooManyAttemptsAsync(HttpContext context, TimeSpan retryAfter, CancellationToken ct)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "text/html; charset=utf-8";
        var back = WebUtility.HtmlEncode(context.Request.Path.Value);
        await context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Too many attempts · DataRaven</title><link rel="stylesheet" href="/app.css"></head>
            <body><main class="dr-account"><div class="dr-account-card"><h1>Too many attempts</h1>
            <div class="dr-alert" role="alert" data-testid="rate-limited">Too many attempts from your network. Try again in {seconds} seconds.</div>
            <p class="dr-account-switch"><a href="{back}">Back to the form</a></p></div></main></body></html>
            """, ct);
    }
}
