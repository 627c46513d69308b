using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dataraven.Portal.Health;

/// <summary>
/// <c>GET /healthz</c>: the process serves (no checks). <c>GET /readyz</c>: the database answers with every migration
/// applied and the credential store answers; 503 otherwise. Both anonymous, outside the rate limits and the first-run
/// redirect, never cached; the answers name what failed, never a connection string or a key.
/// </summary>
public static class PortalHealth
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";

    private const string Ready = "ready";

    // A load balancer waits a few seconds for an answer: a check that takes longer counts as failed.
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static bool IsHealthPath(PathString path) => path.Equals(LivenessPath) || path.Equals(ReadinessPath);

    public static IServiceCollection AddPortalHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseReadiness>("database", tags: [Ready], timeout: CheckTimeout)
            .AddCheck<CredentialStoreReadiness>("credential_store", tags: [Ready], timeout: CheckTimeout);
        return services;
    }

    public static IEndpointRouteBuilder MapPortalHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivenessPath, Options(_ => false, withChecks: false)).AllowAnonymous().DisableRateLimiting();
        endpoints.MapHealthChecks(ReadinessPath, Options(r => r.Tags.Contains(Ready), withChecks: true)).AllowAnonymous().DisableRateLimiting();
        return endpoints;
    }

    private static HealthCheckOptions Options(Func<HealthCheckRegistration, bool> predicate, bool withChecks) => new()
    {
        Predicate = predicate,
        // Degraded is not used; anything short of healthy takes the instance out of rotation.
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
        ResponseWriter = (context, report) => WriteAsync(context, report, withChecks),
    };

    private static Task WriteAsync(HttpContext context, HealthReport report, bool withChecks)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new Dictionary<string, object> { ["status"] = Describe(report.Status) };
        if (withChecks)
        {
            body["checks"] = report.Entries.ToDictionary(e => e.Key, e => Describe(e.Value));
        }
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }

    private static string Describe(HealthStatus status) => status == HealthStatus.Healthy ? "healthy" : "unhealthy";

    /// <summary>
    /// The checks (<see cref="DatabaseReadiness"/>, <see cref="CredentialStoreReadiness"/>) catch their own failures and
    /// describe them in fixed words; the exception goes to the health-check service's log, not to the anonymous caller.
    /// </summary>
    private static string Describe(HealthReportEntry entry) => entry switch
    {
        { Status: HealthStatus.Healthy } => "healthy",
        { Exception: OperationCanceledException } => "timed out",
        _ => entry.Description ?? "failed",
    };
}
