using Dataraven.Core.Audit;
using Dataraven.Core.Common;
using Dataraven.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Core.Teams;

/// <summary>How <see cref="TeamAccess"/> names one kind of record: in a 404 ("vault connection") and as a refusal's audit target.</summary>
public sealed record TeamRecordKind<T>(string What, Func<T, AuditTarget> Target) where T : class, ITeamRecord;

/// <summary>
/// How every change starts: load what it acts on in the actor's team (404 when it is missing or another team's, so
/// an outsider learns nothing), then check the operation's permission (403 <c>forbidden_role</c>, the refused attempt
/// recorded when the operation says so).
/// </summary>
public sealed class TeamAccess(PortalDbContext db, AuditTrail audit)
{
    /// <summary>The record, tracked for the change that follows, or the problem to answer.</summary>
    public async Task<Result<T>> FindAsync<T>(TeamActor actor, TeamRecordKind<T> kind, Guid id, TeamOperation operation,
        CancellationToken ct = default) where T : class, ITeamRecord
    {
        var record = await db.Set<T>().SingleOrDefaultAsync(r => r.Id == id && r.TeamId == actor.TeamId, ct);
        if (record is null)
        {
            return new NotFoundProblem(kind.What);
        }
        if (await CheckAsync(actor, operation, kind.Target(record), ct) is { } refused)
        {
            return refused;
        }
        return record;
    }

    /// <summary>The permission check alone, for operations on no existing record: <paramref name="target"/> names what was asked for.</summary>
    public async Task<Problem?> CheckAsync(TeamActor actor, TeamOperation operation, AuditTarget target, CancellationToken ct = default)
    {
        if (operation.RefusalFor(actor) is not { } refusal)
        {
            return null;
        }
        return operation.AuditAction is { } action ? await audit.RefusedAsync(actor, action, target, refusal, ct) : refusal;
    }
}
