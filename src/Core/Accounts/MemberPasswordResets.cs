using Dataraven.Core.Audit;
using Dataraven.Core.Common;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Core.Accounts;

public sealed record MemberPasswordReset(Guid UserId, string Email, string Token);

/// <summary>
/// An Owner's way to let a member back in (DESIGN.md: without email, the Owner hands over a reset link): Identity's
/// reset token for a member of the Owner's team, one hour, once. Audited without the token.
/// </summary>
public sealed class MemberPasswordResets(PortalDbContext db, UserManager<PortalUser> users, TeamAccess access, AuditTrail audit)
{
    public async Task<Result<MemberPasswordReset>> CreateAsync(TeamActor actor, Guid userId, CancellationToken ct = default)
    {
        if (await access.CheckAsync(actor, TeamOperations.ResetMemberPassword, AuditTarget.Member(userId, null), ct) is { } forbidden)
        {
            return forbidden;
        }
        var member = await db.TeamMembers.Include(m => m.User).SingleOrDefaultAsync(m => m.TeamId == actor.TeamId && m.UserId == userId, ct);
        if (member?.User is not { Email: { } email } user)
        {
            return new NotFoundProblem("member");
        }
        var token = await users.GeneratePasswordResetTokenAsync(user);
        await audit.RecordAsync(actor, AuditActions.MemberPasswordResetLinkCreated, AuditTarget.Member(user.Id, email), AuditOutcome.Succeeded, null, ct);
        return new MemberPasswordReset(user.Id, email, token);
    }
}
