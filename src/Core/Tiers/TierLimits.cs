using Dataraven.Core.Audit;
using Dataraven.Core.Common;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Core.Tiers;

public sealed record LimitStatus(TierPlan Tier, LimitedResource Resource, int Limit, int Current)
{
    public bool CanCreateOne => Current < Limit;

    public TierLimitProblem ToProblem() => new(Tier.Id, Resource.WireName(), Limit, Current);
}

public sealed record UsageReport(TierPlan Tier, int VaultConnections, int Secrets)
{
    public LimitStatus For(LimitedResource resource) => new(Tier, resource, Tier.LimitOf(resource),
        resource == LimitedResource.VaultConnections ? VaultConnections : Secrets);
}

/// <summary>
/// "May this team create one more X?" Answers with numbers and lets the caller phrase the error.
/// <see cref="CreateWithinLimitAsync{T}"/> makes check + insert atomic: it runs inside a write
/// transaction that holds the team's write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: the team row,
/// SELECT ... FOR UPDATE), so concurrent creates, across every portal instance, are serialized and cannot
/// overshoot; within this process they first queue on the team's async lock (<see cref="TeamWriteLocks"/>).
/// </summary>
public sealed class TierLimits(PortalDbContext db, TeamWriteLocks locks, AuditTrail audit, TeamAccess access)
{
    public async Task<UsageReport> GetUsageAsync(Guid teamId, CancellationToken ct = default)
    {
        // One statement: it runs inside every limit-checked create.
        var usage = await db.Teams.Where(t => t.Id == teamId)
            .Select(t => new
            {
                t.Tier,
                Connections = db.VaultConnections.Count(v => v.TeamId == teamId),
                Secrets = db.Secrets.Count(s => s.TeamId == teamId),
            })
            .SingleAsync(ct);
        return new UsageReport(TierPlans.Get(usage.Tier), usage.Connections, usage.Secrets);
    }

    public async Task<LimitStatus> CheckAsync(Guid teamId, LimitedResource resource, CancellationToken ct = default) =>
        (await GetUsageAsync(teamId, ct)).For(resource);

    /// <summary>
    /// Opens a write transaction, checks the limit, runs <paramref name="create"/> (which saves its
    /// changes) and commits. At the limit nothing runs and the limit problem is returned. If
    /// <paramref name="create"/> returns a problem, the transaction is rolled back.
    /// </summary>
    public async Task<Result<T>> CreateWithinLimitAsync<T>(Guid teamId, LimitedResource resource,
        Func<CancellationToken, Task<Result<T>>> create, CancellationToken ct = default)
    {
        using var teamLock = await locks.AcquireAsync(teamId, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Any failure rolls the whole transaction back, so a savepoint around the save (two more statements) buys nothing.
        var savepoints = db.Database.AutoSavepointsEnabled;
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            await db.LockTeamForWriteAsync(teamId, ct);
            var status = await CheckAsync(teamId, resource, ct);
            if (!status.CanCreateOne)
            {
                return status.ToProblem();
            }
            var result = await create(ct);
            if (result.IsSuccess)
            {
                await tx.CommitAsync(ct);
            }
            else
            {
                await tx.RollbackAsync(ct);
            }
            return result;
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = savepoints;
        }
    }

    public async Task<Result<UsageReport>> ChangeTierAsync(TeamActor actor, string? tier, CancellationToken ct = default)
    {
        if (await access.CheckAsync(actor, TeamOperations.ChangeTeamTier, AuditTarget.Team(actor.TeamId, null), ct) is { } forbidden)
        {
            return forbidden;
        }
        var plan = TierPlans.Find(tier);
        if (plan is null)
        {
            return ValidationProblem.For("tier", $"Must be one of: {string.Join(", ", TierPlans.All.Select(t => t.Id))}.");
        }
        var team = await db.Teams.SingleAsync(t => t.Id == actor.TeamId, ct);
        audit.Add(actor, AuditActions.TierChanged, AuditTarget.Team(team.Id, team.Name), details: new { from = team.Tier, to = plan.Id });
        team.Tier = plan.Id;
        await db.SaveChangesAsync(ct);
        return await GetUsageAsync(actor.TeamId, ct);
    }
}
