using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Core.Audit;

/// <summary>A page of events, newest first, and the cursor of the next page (none after the last).</summary>
public sealed record AuditPage(IReadOnlyList<AuditEvent> Items, string? NextCursor);

/// <summary>What a list shows of one object: its newest change and its newest check.</summary>
public sealed record TargetActivity(AuditEvent? LastChange, AuditEvent? LastCheck);

/// <summary>
/// Reads a team's audit events. Every role may read its own team's events; nothing here writes. Pages are
/// keyset pages over (at, id), served by the (team_id, at, id) index whatever their depth.
/// </summary>
public sealed class AuditLog(PortalDbContext db)
{
    /// <summary>The actions that record a check; every other succeeded event of a target is a change of it.</summary>
    public static readonly IReadOnlySet<string> CheckActions = new HashSet<string> { AuditActions.SecretChecked, AuditActions.VaultConnectionVerified };

    public async Task<AuditPage> ListAsync(TeamActor actor, AuditQuery query, CancellationToken ct = default)
    {
        var items = await PageQuery(actor.TeamId, query).ToListAsync(ct);
        var more = items.Count > query.Limit;
        if (more)
        {
            items.RemoveAt(items.Count - 1);
        }
        return new AuditPage(items, more ? AuditCursor.Of(items[^1]).Encode() : null);
    }

    /// <summary>Every matching event, newest first, read as it is written out (the CSV export); the limit does not apply.</summary>
    public IAsyncEnumerable<AuditEvent> StreamAsync(TeamActor actor, AuditQuery query) => Filtered(actor.TeamId, query).AsAsyncEnumerable();

    /// <summary>The newest <paramref name="count"/> events of one object, or of the whole team.</summary>
    public async Task<IReadOnlyList<AuditEvent>> RecentAsync(TeamActor actor, Guid? targetId, int count = 5, CancellationToken ct = default) =>
        (await ListAsync(actor, new AuditQuery { TargetId = targetId, Limit = count }, ct)).Items;

    /// <summary>
    /// For each object of <paramref name="targetType"/>: its newest succeeded change and its newest check (passed or
    /// failed), in one query for the whole list.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, TargetActivity>> LatestByTargetAsync(TeamActor actor, string targetType, CancellationToken ct = default)
    {
        var checks = CheckActions.ToList();
        var latest = await db.AuditEvents.AsNoTracking()
            .Where(e => e.TeamId == actor.TeamId && e.TargetType == targetType && e.TargetId != null)
            .Where(e => checks.Contains(e.Action) || e.Outcome == "succeeded")
            .GroupBy(e => new { e.TargetId, IsCheck = checks.Contains(e.Action) })
            .Select(g => g.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).First())
            .ToListAsync(ct);
        return latest.GroupBy(e => e.TargetId!.Value).ToDictionary(g => g.Key, g => new TargetActivity(
            g.FirstOrDefault(e => !CheckActions.Contains(e.Action)), g.FirstOrDefault(e => CheckActions.Contains(e.Action))));
    }

    /// <summary>Which of these events' targets still exist, so a timeline can link to them or say "deleted".</summary>
    public async Task<IReadOnlySet<Guid>> ExistingTargetsAsync(TeamActor actor, IEnumerable<AuditEvent> events, CancellationToken ct = default)
    {
        var ids = events.Where(e => e.TargetId is not null).GroupBy(e => e.TargetType)
            .ToDictionary(g => g.Key, g => g.Select(e => e.TargetId!.Value).Distinct().ToList());
        var team = actor.TeamId;
        var existing = new HashSet<Guid>();
        foreach (var (type, list) in ids)
        {
            IQueryable<Guid>? found = type switch
            {
                "secret" => db.Secrets.Where(s => s.TeamId == team && list.Contains(s.Id)).Select(s => s.Id),
                "vault_connection" => db.VaultConnections.Where(c => c.TeamId == team && list.Contains(c.Id)).Select(c => c.Id),
                "api_key" => db.ApiKeys.Where(k => k.TeamId == team && list.Contains(k.Id)).Select(k => k.Id),
                "member" => db.TeamMembers.Where(m => m.TeamId == team && list.Contains(m.UserId)).Select(m => m.UserId),
                "team" => db.Teams.Where(t => t.Id == team && list.Contains(t.Id)).Select(t => t.Id),
                _ => null,
            };
            if (found is not null)
            {
                existing.UnionWith(await found.ToListAsync(ct));
            }
        }
        return existing;
    }

    /// <summary>One page and one event more (to know whether another page follows).</summary>
    internal IQueryable<AuditEvent> PageQuery(Guid teamId, AuditQuery query) => Filtered(teamId, query).Take(query.Limit + 1);

    private IQueryable<AuditEvent> Filtered(Guid teamId, AuditQuery q)
    {
        var events = db.AuditEvents.AsNoTracking().Where(e => e.TeamId == teamId);
        if (q.Action is { } action)
        {
            events = events.Where(e => e.Action == action);
        }
        if (q.TargetId is { } targetId)
        {
            events = events.Where(e => e.TargetId == targetId);
        }
        if (q.ActorId is { } actorId)
        {
            events = events.Where(e => e.ActorId == actorId);
        }
        if (q.From is { } from)
        {
            events = events.Where(e => e.At >= from);
        }
        if (q.To is { } to)
        {
            events = events.Where(e => e.At <= to);
        }
        if (q.Search?.ToLowerInvariant() is { } text)
        {
            events = events.Where(e => e.ActorName.ToLower().Contains(text) || e.Action.ToLower().Contains(text)
                || (e.TargetName != null && e.TargetName.ToLower().Contains(text)));
        }
        if (q.After is { } after)
        {
            // "At <= after.At" alone bounds the index range; the OR then skips what the previous page already had.
            events = events.Where(e => e.At <= after.At && (e.At < after.At || e.Id.CompareTo(after.Id) < 0));
        }
        return events.OrderByDescending(e => e.At).ThenByDescending(e => e.Id);
    }
}
