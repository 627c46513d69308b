using Dataraven.Core.CredentialStore;
using Dataraven.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dataraven.Portal.Health;

/// <summary>The database answers and has every migration of this version (a new version's instance migrates at start).</summary>
internal sealed class DatabaseReadiness(PortalDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return HealthCheckResult.Unhealthy("unreachable");
            }
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            return pending == 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"{pending} migrations not applied");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("unreachable", e);
        }
    }
}

/// <summary>The credential store answers (<see cref="ICredentialStore.ProbeAsync"/>).</summary>
internal sealed class CredentialStoreReadiness(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // Resolved here, not injected: building the store (loading the local key) can fail too, and that is an answer.
            await services.GetRequiredService<ICredentialStore>().ProbeAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("unreachable", e);
        }
    }
}
