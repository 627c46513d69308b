using Dataraven.Core.Audit;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Core.Accounts;

/// <summary>
/// Changes to a person's own sign-in (second factor on or off, recovery codes renewed): the person is a member of
/// any number of teams, so each of those teams' audit logs gets the event, naming the member as its target.
/// Details name the factor kind, never a key or a code.
/// </summary>
public sealed class AccountAudit(PortalDbContext db, AuditTrail audit)
{
    public async Task RecordAsync(PortalUser user, string action, string? ip, object? details = null, CancellationToken ct = default)
    {
        var memberships = await db.TeamMembers.AsNoTracking().Where(m => m.UserId == user.Id).ToListAsync(ct);
        if (memberships.Count == 0)
        {
            return;
        }
        foreach (var m in memberships)
        {
            var actor = new TeamActor(m.TeamId, user.Id, m.Role) { ActorName = user.Email, Ip = ip };
            audit.Add(actor, action, AuditTarget.Member(user.Id, user.Email), AuditOutcome.Succeeded, details);
        }
        await db.SaveChangesAsync(ct);
    }
}
