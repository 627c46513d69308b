using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dataraven.Core.Trash;

/// <summary>
/// Every <c>Retention:PurgeIntervalMinutes</c>, purges what has been in a trash past its <c>purge_at</c>
/// (<see cref="TrashService.PurgeDueAsync"/>, actor <c>system</c>). Off with <c>Retention:PurgeEnabled=false</c>.
/// </summary>
public sealed class TrashPurger(IServiceScopeFactory scopes, IOptions<RetentionOptions> options, TimeProvider time, ILogger<TrashPurger> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.PurgeEnabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Value.PurgeInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "A trash purge pass failed; the next one runs in {Interval}", options.Value.PurgeInterval);
            }
        }
    }

    public async Task<PurgePass> RunOnceAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var pass = await scope.ServiceProvider.GetRequiredService<TrashService>().PurgeDueAsync(ct);
        logger.Log(pass.Secrets + pass.VaultConnections + pass.Errors > 0 ? LogLevel.Information : LogLevel.Debug,
            "Trash purge: {Secrets} secrets and {Connections} vault connections purged, {Errors} errors",
            pass.Secrets, pass.VaultConnections, pass.Errors);
        return pass;
    }
}
