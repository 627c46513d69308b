using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Dataraven.Core.VaultConnections;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dataraven.Core.Checks.Health;

/// <summary>What one scheduled pass did.</summary>
/// <param name="Deferred">Secrets left for a later pass because their 1Password connection's hourly read budget is spent.</param>
/// <param name="Errors">Checks that threw (logged); the others ran regardless.</param>
public sealed record CheckPass(int ConnectionsChecked, int SecretsChecked, int Failing, int Deferred, int Errors);

/// <summary>
/// Re-checks every vault connection (the verify path) and every secret every <c>Checks:IntervalMinutes</c>, at most
/// <c>Checks:Concurrency</c> at a time, as the system actor. A secret whose 1Password connection lacks the reads it needs
/// in this hour's budget is deferred rather than recorded as rate limited.
/// </summary>
public sealed class CheckScheduler(
    IServiceScopeFactory scopes,
    IOnePasswordReadMeter meter,
    IOptions<ChecksOptions> options,
    TimeProvider time,
    ILogger<CheckScheduler> logger) : BackgroundService
{
    private enum Outcome { Ok, Failing, Deferred, Error }

    private sealed record Job(Guid TeamId, Guid Id, bool IsConnection, Func<IServiceProvider, CancellationToken, Task<Outcome>> Run);

    private TimeSpan Interval => TimeSpan.FromMinutes(Math.Clamp(options.Value.IntervalMinutes, 1, 7 * 24 * 60));

    private int Concurrency => Math.Clamp(options.Value.Concurrency, 1, 64);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first pass waits one interval: a restart must not re-check everything (and spend 1Password reads) at once.
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "A scheduled check pass failed; the next one runs in {Interval}", Interval);
            }
        }
    }

    public async Task<CheckPass> RunOnceAsync(CancellationToken ct = default)
    {
        var jobs = await PlanAsync(ct);
        var outcomes = new Outcome[jobs.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, jobs.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct },
            async (i, token) => outcomes[i] = await RunAsync(jobs[i], token));

        var pass = new CheckPass(
            jobs.Where((j, i) => j.IsConnection && outcomes[i] is Outcome.Ok or Outcome.Failing).Count(),
            jobs.Where((j, i) => !j.IsConnection && outcomes[i] is Outcome.Ok or Outcome.Failing).Count(),
            outcomes.Count(o => o == Outcome.Failing),
            outcomes.Count(o => o == Outcome.Deferred),
            outcomes.Count(o => o == Outcome.Error));
        logger.LogInformation("Scheduled checks: {Connections} vault connections and {Secrets} secrets checked, {Failing} failing, {Deferred} deferred, {Errors} errors",
            pass.ConnectionsChecked, pass.SecretsChecked, pass.Failing, pass.Deferred, pass.Errors);
        return pass;
    }

    /// <summary>
    /// Every connection, then every secret. 1Password reads are counted while planning, so the secrets of one connection
    /// never ask together for more than what is left of its hourly budget.
    /// </summary>
    private async Task<List<Job>> PlanAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var connections = await db.VaultConnections.AsNoTracking().ToListAsync(ct);
        var secrets = await db.Secrets.AsNoTracking().ToListAsync(ct);
        var onePassword = connections.Where(c => c.VaultType == VaultType.OnePassword).Select(c => c.Id).ToHashSet();

        var jobs = connections.Select(c => new Job(c.TeamId, c.Id, true, (sp, token) => VerifyAsync(sp, c.TeamId, c.Id, token))).ToList();
        var planned = new Dictionary<Guid, int>();
        foreach (var secret in secrets.OrderBy(s => s.Health.CheckedAt ?? DateTime.MinValue))
        {
            if (secret.VaultConnectionId is { } cid && onePassword.Contains(cid))
            {
                var reads = secret.FieldMappings.Count;
                var used = meter.ReadsThisHour(cid) + planned.GetValueOrDefault(cid);
                if (used + reads > meter.BudgetPerHour)
                {
                    logger.LogWarning("Secret {SecretId} deferred: its 1Password connection {ConnectionId} has {Left} of {Budget} reads left this hour and the check needs {Reads}",
                        secret.Id, cid, Math.Max(0, meter.BudgetPerHour - used), meter.BudgetPerHour, reads);
                    jobs.Add(new Job(secret.TeamId, secret.Id, false, (_, _) => Task.FromResult(Outcome.Deferred)));
                    continue;
                }
                planned[cid] = planned.GetValueOrDefault(cid) + reads;
            }
            jobs.Add(new Job(secret.TeamId, secret.Id, false, (sp, token) => CheckAsync(sp, secret.TeamId, secret.Id, token)));
        }
        return jobs;
    }

    private async Task<Outcome> RunAsync(Job job, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await job.Run(scope.ServiceProvider, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(e, "Scheduled check of {What} {Id} in team {TeamId} failed", job.IsConnection ? "vault connection" : "secret", job.Id, job.TeamId);
            return Outcome.Error;
        }
    }

    private static async Task<Outcome> VerifyAsync(IServiceProvider services, Guid teamId, Guid id, CancellationToken ct)
    {
        var result = await services.GetRequiredService<VaultConnectionService>().VerifyAsync(TeamActor.System(teamId), id, ct);
        return result is { IsSuccess: true, Value.Verified: true } ? Outcome.Ok : Outcome.Failing;
    }

    private static async Task<Outcome> CheckAsync(IServiceProvider services, Guid teamId, Guid id, CancellationToken ct)
    {
        var result = await services.GetRequiredService<SecretHealthService>().CheckAsync(TeamActor.System(teamId), id, null, ct);
        return result is { IsSuccess: true } && !HealthView.IsFailure(result.Value!.Status) ? Outcome.Ok : Outcome.Failing;
    }
}
