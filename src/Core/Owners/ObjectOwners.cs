using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Core.Owners;

/// <summary>
/// Who owns the team's secrets and vault connections. Reads are one query per list; changes are staged on the
/// caller's context, so they commit with the write (and its audit event) that asked for them, or not at all.
/// </summary>
public sealed class ObjectOwners(PortalDbContext db)
{
    /// <summary>The ids of the team's members, for the validators' membership rule.</summary>
    public async Task<IReadOnlySet<Guid>> MemberIdsAsync(Guid teamId, CancellationToken ct) =>
        (await db.TeamMembers.AsNoTracking().Where(m => m.TeamId == teamId).Select(m => m.UserId).ToListAsync(ct)).ToHashSet();

    /// <summary>The owners a new object gets: those asked for, else the creating member (an API key or the portal: none).</summary>
    public static IReadOnlyList<Guid> ForCreate(TeamActor actor, IReadOnlyList<string>? requested) =>
        requested is not null ? OwnerRules.Parse(requested)
        : actor.ApiKeyId is null && !actor.IsSystem && !actor.IsExternal ? [actor.UserId]
        : [];

    /// <summary>Every owner of the team's objects of <paramref name="objectType"/>, by object: one query.</summary>
    public async Task<Dictionary<Guid, IReadOnlyList<OwnerRef>>> OfTeamAsync(Guid teamId, string objectType, CancellationToken ct) =>
        (await WithEmails(db.Set<ObjectOwner>().Where(o => o.TeamId == teamId && o.ObjectType == objectType)).ToListAsync(ct))
        .GroupBy(r => r.ObjectId).ToDictionary(g => g.Key, g => Sorted(g.Select(r => r.Owner)));

    public async Task<IReadOnlyList<OwnerRef>> OfAsync(Guid objectId, CancellationToken ct) =>
        Sorted((await WithEmails(db.Set<ObjectOwner>().Where(o => o.ObjectId == objectId)).ToListAsync(ct)).Select(r => r.Owner));

    private IQueryable<(Guid ObjectId, OwnerRef Owner)> WithEmails(IQueryable<ObjectOwner> rows) =>
        from o in rows.AsNoTracking()
        join u in db.Users.AsNoTracking() on o.UserId equals u.Id
        select ValueTuple.Create(o.ObjectId, new OwnerRef(u.Id, u.Email));

    private static IReadOnlyList<OwnerRef> Sorted(IEnumerable<OwnerRef> owners) =>
        owners.OrderBy(o => o.Email, StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>The ids of the objects of <paramref name="objectType"/> that <paramref name="userId"/> owns in the team.</summary>
    public async Task<HashSet<Guid>> OwnedByAsync(Guid teamId, string objectType, Guid userId, CancellationToken ct) =>
        (await db.Set<ObjectOwner>().AsNoTracking()
            .Where(o => o.TeamId == teamId && o.ObjectType == objectType && o.UserId == userId)
            .Select(o => o.ObjectId).ToListAsync(ct)).ToHashSet();

    /// <summary>Stages the owners of a new object.</summary>
    public void AddNew(Guid teamId, string objectType, Guid objectId, IReadOnlyList<Guid> owners)
    {
        foreach (var userId in owners)
        {
            db.Add(new ObjectOwner { TeamId = teamId, ObjectType = objectType, ObjectId = objectId, UserId = userId });
        }
    }

    /// <summary>Stages the replacement of an object's owners by <paramref name="owners"/>; returns who was added and removed.</summary>
    public async Task<OwnerChange> ReplaceAsync(Guid teamId, string objectType, Guid objectId, IReadOnlyList<Guid> owners, CancellationToken ct)
    {
        var current = await db.Set<ObjectOwner>().Where(o => o.ObjectId == objectId && o.TeamId == teamId).ToListAsync(ct);
        var removed = current.Where(o => !owners.Contains(o.UserId)).ToList();
        db.RemoveRange(removed);
        var added = owners.Where(id => current.All(o => o.UserId != id)).ToList();
        AddNew(teamId, objectType, objectId, added);
        return new OwnerChange(added, removed.Select(o => o.UserId).ToList());
    }

    /// <summary>Stages the removal of a leaving member's ownerships in the team; returns how many.</summary>
    public async Task<int> RemoveMemberAsync(Guid teamId, Guid userId, CancellationToken ct)
    {
        var rows = await db.Set<ObjectOwner>().Where(o => o.TeamId == teamId && o.UserId == userId).ToListAsync(ct);
        db.RemoveRange(rows);
        return rows.Count;
    }

    /// <summary>Stages the removal of purged objects' owners (one read for all of them).</summary>
    public async Task RemoveObjectsAsync(IReadOnlyCollection<Guid> objectIds, CancellationToken ct) =>
        db.RemoveRange(await db.Set<ObjectOwner>().Where(o => objectIds.Contains(o.ObjectId)).ToListAsync(ct));
}
