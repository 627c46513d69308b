using Dataraven.Core.Common;
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
/// <param name="Deferred">Secrets left for a later pass because their connection's hourly read budget is spent.</param>
/// <param name="Errors">Checks that threw (logged); the others ran regardless.</param>
public sealed record CheckPass(int ConnectionsChecked, int SecretsChecked, int Failing, int Deferred, int Errors)
{
    public int Checked => ConnectionsChecked + SecretsChecked;
}

/// <summary>
/// Every <see cref="PassPeriod"/>, re-checks the vault connections (the verify path) and secrets whose last check is
/// older than <c>Checks:IntervalMinutes</c> (never checked = due), oldest first, at most <c>Checks:Concurrency</c> at a
/// time, as the system actor. A pass takes only its share of what is due (<see cref="BatchSize"/>), so a restart after a
/// long stop works through the backlog over the following minutes instead of firing everything at once. A secret whose
/// connection's provider rations reads (1Password) and lacks the reads it needs in this hour's budget is deferred rather
/// than recorded as rate limited.
/// </summary>
public sealed class CheckScheduler(
    IServiceScopeFactory scopes,
    IProviderReadMeter meter,
    IOptions<ChecksOptions> options,
    TimeProvider time,
    ILogger<CheckScheduler> logger) : BackgroundService
{
    public static readonly TimeSpan PassPeriod = TimeSpan.FromMinutes(1);

    private enum Outcome { Ok, Failing, Deferred, Error }

    private sealed record Due(Guid TeamId, Guid Id, bool IsConnection, DateTime? LastCheckedAt, Guid? BudgetedConnection, int Reads);

    private sealed record Job(Due Item, Func<IServiceProvider, CancellationToken, Task<Outcome>> Run);

    private TimeSpan Interval => TimeSpan.FromMinutes(Math.Clamp(options.Value.IntervalMinutes, 1, 7 * 24 * 60));

    private int Concurrency => Math.Clamp(options.Value.Concurrency, 1, 64);

    /// <summary>
    /// The checks one pass may start: the share that re-checks <paramref name="total"/> objects once per interval,
    /// never less than the concurrency (so a pass keeps every slot busy).
    /// </summary>
    public int BatchSize(int total) => Math.Max(Concurrency, (int)Math.Ceiling(total * (PassPeriod / Interval)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SchedulerEnabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(PassPeriod, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "A scheduled check pass failed; the next one runs in {Period}", PassPeriod);
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
        await ExpiryNoticesAsync(ct);

        var pass = new CheckPass(
            jobs.Where((j, i) => j.Item.IsConnection && outcomes[i] is Outcome.Ok or Outcome.Failing).Count(),
            jobs.Where((j, i) => !j.Item.IsConnection && outcomes[i] is Outcome.Ok or Outcome.Failing).Count(),
            outcomes.Count(o => o == Outcome.Failing),
            outcomes.Count(o => o == Outcome.Deferred),
            outcomes.Count(o => o == Outcome.Error));
        // A pass runs every minute: only one that did something is worth a line at Information.
        logger.Log(jobs.Count > 0 ? LogLevel.Information : LogLevel.Debug,
            "Scheduled checks: {Connections} vault connections and {Secrets} secrets checked, {Failing} failing, {Deferred} deferred, {Errors} errors",
            pass.ConnectionsChecked, pass.SecretsChecked, pass.Failing, pass.Deferred, pass.Errors);
        return pass;
    }

    /// <summary>
    /// What is due, oldest check first, up to the batch size. Rationed reads are counted while planning, so the secrets
    /// of one connection never ask together for more than what is left of its hourly budget; a deferred secret takes no
    /// slot of the batch and stays due.
    /// </summary>
    private async Task<List<Job>> PlanAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        DateTime? dueBefore = Clock.UtcNow(time) - Interval;
        var total = await db.VaultConnections.CountAsync(ct) + await db.Secrets.CountAsync(ct);
        var rationed = VaultTypes.All.Where(t => meter.BudgetPerHour(t) is not null).ToList();
        var budgets = (await db.VaultConnections.Where(c => rationed.Contains(c.VaultType)).Select(c => new { c.Id, c.VaultType }).ToListAsync(ct))
            .ToDictionary(c => c.Id, c => (Provider: c.VaultType.DisplayName(), Budget: meter.BudgetPerHour(c.VaultType)!.Value));
        var connections = await db.VaultConnections.AsNoTracking()
            .Where(c => c.LastVerifiedAt == null || c.LastVerifiedAt <= dueBefore)
            .Select(c => new Due(c.TeamId, c.Id, true, c.LastVerifiedAt, null, 0))
            .ToListAsync(ct);
        var secrets = await db.Secrets.AsNoTracking()
            .Where(s => s.Health.CheckedAt == null || s.Health.CheckedAt <= dueBefore)
            .ToListAsync(ct);
        var due = connections
            .Concat(secrets.Select(s => new Due(s.TeamId, s.Id, false, s.Health.CheckedAt,
                s.VaultConnectionId is { } cid && budgets.ContainsKey(cid) ? cid : null, s.FieldMappings.Count)))
            // Connections first among equals: a secret's check depends on its connection working.
            .OrderBy(d => d.LastCheckedAt ?? DateTime.MinValue).ThenBy(d => !d.IsConnection).ThenBy(d => d.Id);

        var batch = BatchSize(total);
        var jobs = new List<Job>();
        var planned = new Dictionary<Guid, int>();
        var scheduled = 0;
        foreach (var item in due)
        {
            if (scheduled == batch)
            {
                break;
            }
            if (item.BudgetedConnection is { } cid)
            {
                var (provider, budget) = budgets[cid];
                var used = meter.ReadsThisHour(cid) + planned.GetValueOrDefault(cid);
                if (used + item.Reads > budget)
                {
                    logger.LogWarning("Secret {SecretId} deferred: its {Provider} connection {ConnectionId} has {Left} of {Budget} reads left this hour and the check needs {Reads}",
                        item.Id, provider, cid, Math.Max(0, budget - used), budget, item.Reads);
                    jobs.Add(new Job(item, (_, _) => Task.FromResult(Outcome.Deferred)));
                    continue;
                }
                planned[cid] = planned.GetValueOrDefault(cid) + item.Reads;
            }
            scheduled++;
            jobs.Add(new Job(item, item.IsConnection
                ? (sp, token) => VerifyAsync(sp, item.TeamId, item.Id, token)
                : (sp, token) => CheckAsync(sp, item.TeamId, item.Id, token)));
        }
        return jobs;
    }

    /// <summary>The pass's expiry notices (30/7/1 days, expired), after its checks found the current expiry dates.</summary>
    private async Task ExpiryNoticesAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<Notifications.ExpiryNotices>().RunAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(e, "The expiry notices of a scheduled pass failed; the next pass tries again");
        }
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
            logger.LogError(e, "Scheduled check of {What} {Id} in team {TeamId} failed", job.Item.IsConnection ? "vault connection" : "secret", job.Item.Id, job.Item.TeamId);
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
