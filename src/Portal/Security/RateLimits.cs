using System.Net;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Dataraven.Portal.Api;
using Dataraven.Portal.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.RateLimiting;

namespace Dataraven.Portal.Security;

/// <summary>
/// Every request limit of the portal, on ASP.NET Core's rate limiter, fixed one-minute windows:
/// <list type="bullet">
/// <item><c>/v1</c> per API key (<c>RateLimits:ApiPerMinute</c>); requests without a valid key per client address.</item>
/// <item>The sign-in (password, second step, passkey options), registration and setup form posts per client address (<c>Accounts:AttemptsPerMinute</c>), so one
/// client cannot guess passwords or spray accounts quickly. Account lockout is off instead (see <see cref="PortalAuth"/>):
/// a lockout is a switch any outsider who knows an email can flip.</item>
/// <item>The policy <see cref="InvitationAccept"/>, per client address (<c>RateLimits:InvitationAcceptPerMinute</c>), for
/// the endpoints and pages that take an invitation token.</item>
/// <item>The policy <see cref="CredentialRequest"/>, per client address (<c>RateLimits:CredentialRequestPerMinute</c>), for
/// the endpoints and pages that take a credential request's token.</item>
/// </list>
/// Client addresses are the forwarded ones when the request came through a trusted proxy (<see cref="ProxyHeaders"/>).
/// </summary>
public static class RateLimits
{
    /// <summary>The policy name for invitation acceptance: <c>.RequireRateLimiting(RateLimits.InvitationAccept)</c> or <c>[EnableRateLimiting(...)]</c>.</summary>
    public const string InvitationAccept = "invitation-accept";

    /// <summary>The policy name for a credential request's link (opening it, submitting the credential).</summary>
    public const string CredentialRequest = "credential-request";

    public const int DefaultApiPerMinute = 600;
    public const int DefaultAttemptsPerMinute = 10;
    public const int DefaultInvitationAcceptPerMinute = 10;
    public const int DefaultCredentialRequestPerMinute = 10;

    private static readonly string[] AccountFormPaths = ["/account/login", TwoFactorStep.Path, PasskeyEndpoints.RequestOptionsPath, PasskeyEndpoints.SecondStepOptionsPath, "/account/forgot-password", PasswordResetLinks.Path, "/account/register", "/setup"];
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddPortalRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var apiPerMinute = configuration.GetValue("RateLimits:ApiPerMinute", DefaultApiPerMinute);
        var attemptsPerMinute = configuration.GetValue("Accounts:AttemptsPerMinute", DefaultAttemptsPerMinute);
        var acceptPerMinute = configuration.GetValue("RateLimits:InvitationAcceptPerMinute", DefaultInvitationAcceptPerMinute);
        var credentialRequestPerMinute = configuration.GetValue("RateLimits:CredentialRequestPerMinute", DefaultCredentialRequestPerMinute);
        return services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (IsApi(context))
                {
                    var key = context.User.FindFirstValue(PortalClaims.ApiKeyId) is { } keyId ? "key:" + keyId : "api-ip:" + ClientAddress(context);
                    return PerWindow(key, apiPerMinute);
                }
                return IsAccountFormPost(context) ? PerWindow("account-ip:" + ClientAddress(context), attemptsPerMinute) : RateLimitPartition.GetNoLimiter("");
            });
            o.AddPolicy(InvitationAccept, context => PerWindow(ClientAddress(context), acceptPerMinute));
            o.AddPolicy(CredentialRequest, context => PerWindow(ClientAddress(context), credentialRequestPerMinute));
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (rejected, ct) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : Window;
                return IsApi(rejected.HttpContext)
                    ? new ValueTask(new RateLimitedProblem(retryAfter).ToResult().ExecuteAsync(rejected.HttpContext))
                    : WriteTooManyAttemptsAsync(rejected.HttpContext, retryAfter, ct);
            };
        });
    }

    /// <summary>
    /// Puts the API key's identity on the request before the limiter partitions it. The authorization policy of
    /// <c>/v1</c> authenticates with the same scheme later and gets the handler's cached result, not a second lookup.
    /// </summary>
    public static IApplicationBuilder UsePortalRateLimits(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            if (IsApi(context) && await context.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName) is { Succeeded: true } result)
            {
                context.User = result.Principal;
            }
            await next(context);
        });
        return app.UseRateLimiter();
    }

    private static RateLimitPartition<string> PerWindow(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, permits), Window = Window, QueueLimit = 0 });

    private static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/v1");

    private static bool IsAccountFormPost(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) && AccountFormPaths.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>The form's page cannot render here (the request never reached it): a small page that says what to do.</summary>
    private static async ValueTask WriteTooManyAttemptsAsync(HttpContext context, TimeSpan retryAfter, CancellationToken ct)
    {
        var seconds = ApiProblems.RetryAfterSeconds(retryAfter);
        context.Response.Headers.RetryAfter = seconds;
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
