using System.Security.Cryptography;
using Dataraven.Core.Audit;
using Dataraven.Core.Common;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Core.Invitations;

public sealed record InvitationView(Guid Id, string Email, TeamRole Role, DateTime ExpiresAt, DateTime CreatedAt, Guid CreatedBy);

/// <summary>The only place the token exists: the answer to the invitation's creation.</summary>
public sealed record InvitationCreated(InvitationView Invitation, string Token);

public enum InvitationState
{
    Pending,
    Expired,
    Revoked,
    Accepted,
}

/// <summary>What the link's page shows before anyone joins.</summary>
public sealed record InvitationLookup(Guid TeamId, string TeamName, string Email, TeamRole Role, DateTime ExpiresAt, InvitationState State);

/// <summary>An invitation that can no longer be used (expired, revoked, used), or one for another email.</summary>
public sealed record InvitationClosedProblem(string Reason) : Problem("invitation_closed", Reason);

/// <summary>
/// Invitations: an Owner invites any role, an Admin roles below Admin; single use, 7 days, bound to the invited
/// email (joining with another account is refused, so nobody else can take a future member's place).
/// </summary>
public sealed class InvitationService(PortalDbContext db, AuditTrail audit, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public async Task<Result<InvitationCreated>> CreateAsync(TeamActor actor, string? email, string? role, CancellationToken ct = default)
    {
        if (TeamOperations.Invite.RefusalFor(actor) is { } forbidden)
        {
            return forbidden;
        }
        var errors = new Dictionary<string, string[]>();
        if (!IsEmail(email))
        {
            errors["email"] = ["Enter a valid email address."];
        }
        if (!TeamRoles.TryParse(role, out var invitedRole))
        {
            errors["role"] = [$"Must be one of: {string.Join(", ", TeamRoles.All.Select(r => r.ToWire()))}."];
        }
        if (errors.Count > 0)
        {
            return new ValidationProblem(errors);
        }
        if (!actor.Role.MayInvite(invitedRole))
        {
            return new ForbiddenRoleProblem($"invite a member as {invitedRole.ToWire()} (Admins invite operators and viewers)");
        }
        email = email!.Trim();
        var normalized = Normalize(email);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.LockTeamForWriteAsync(actor.TeamId, ct);
        if (await db.TeamMembers.AnyAsync(m => m.TeamId == actor.TeamId && m.User!.NormalizedEmail == normalized, ct))
        {
            return new MemberExistsProblem(email);
        }
        var now = Clock.UtcNow(time);
        // A new invitation for the same email replaces the pending one (a lost link, another role): one live link per email.
        var replaced = await db.Invitations
            .Where(i => i.TeamId == actor.TeamId && i.EmailNormalized == normalized && i.AcceptedAt == null && i.RevokedAt == null)
            .ToListAsync(ct);
        foreach (var old in replaced)
        {
            old.RevokedAt = now;
            if (old.ExpiresAt > now)
            {
                audit.Add(actor, AuditActions.InvitationRevoked, AuditTarget.Invitation(old.Id, old.Email), details: new { reason = "replaced" });
            }
        }
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var invitation = new Invitation
        {
            Id = Guid.NewGuid(),
            TeamId = actor.TeamId,
            Email = email,
            EmailNormalized = normalized,
            Role = invitedRole,
            TokenHash = ShownOnceTokens.Hash(token),
            CreatedAt = now,
            CreatedBy = actor.UserId,
            ExpiresAt = now + Lifetime,
        };
        db.Invitations.Add(invitation);
        audit.Add(actor, AuditActions.InvitationCreated, AuditTarget.Invitation(invitation.Id, email), details: new { role = invitedRole.ToWire() });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new InvitationCreated(ToView(invitation), token);
    }

    /// <summary>Pending invitations: not accepted, not revoked, not expired; newest first.</summary>
    public async Task<Result<IReadOnlyList<InvitationView>>> ListPendingAsync(TeamActor actor, CancellationToken ct = default)
    {
        if (TeamOperations.ListInvitations.RefusalFor(actor) is { } forbidden)
        {
            return forbidden;
        }
        var now = Clock.UtcNow(time);
        var pending = await db.Invitations
            .Where(i => i.TeamId == actor.TeamId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .ToListAsync(ct);
        return pending.OrderByDescending(i => i.CreatedAt).Select(ToView).ToList();
    }

    public async Task<Result<Done>> RevokeAsync(TeamActor actor, Guid id, CancellationToken ct = default)
    {
        var invitation = await db.Invitations.SingleOrDefaultAsync(
            i => i.Id == id && i.TeamId == actor.TeamId && i.AcceptedAt == null && i.RevokedAt == null, ct);
        if (invitation is null)
        {
            return new NotFoundProblem("invitation");
        }
        if (!actor.Role.MayInvite(invitation.Role))
        {
            return new ForbiddenRoleProblem($"revoke an invitation as {invitation.Role.ToWire()}");
        }
        invitation.RevokedAt = Clock.UtcNow(time);
        audit.Add(actor, AuditActions.InvitationRevoked, AuditTarget.Invitation(invitation.Id, invitation.Email));
        await db.SaveChangesAsync(ct);
        return Done.Instance;
    }

    /// <summary>The invitation behind a link, or null for a token that matches none.</summary>
    public async Task<InvitationLookup?> FindAsync(string? token, CancellationToken ct = default)
    {
        if (await FindEntityAsync(token, ct) is not { } i)
        {
            return null;
        }
        var teamName = await db.Teams.Where(t => t.Id == i.TeamId).Select(t => t.Name).SingleAsync(ct);
        return new InvitationLookup(i.TeamId, teamName, i.Email, i.Role, i.ExpiresAt, StateOf(i, Clock.UtcNow(time)));
    }

    /// <summary>Joins the user to the invitation's team with its role. Single use; only the invited email may join.</summary>
    public async Task<Result<Membership>> AcceptAsync(string? token, Guid userId, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await FindEntityAsync(token, ct) is not { } invitation)
        {
            return new NotFoundProblem("invitation");
        }
        await db.LockTeamForWriteAsync(invitation.TeamId, ct);
        // Read again under the team's lock: a concurrent acceptance or revocation has committed by now.
        await db.Entry(invitation).ReloadAsync(ct);
        var now = Clock.UtcNow(time);
        if (StateOf(invitation, now) is var state and not InvitationState.Pending)
        {
            return new InvitationClosedProblem(ClosedMessage(state));
        }
        var user = await db.Users.SingleAsync(u => u.Id == userId, ct);
        if (!string.Equals(user.NormalizedEmail, invitation.EmailNormalized, StringComparison.Ordinal))
        {
            return new InvitationClosedProblem(
                $"This invitation is for {invitation.Email}. Sign in with that email to join; you are signed in as {user.Email}.");
        }
        var team = await db.Teams.SingleAsync(t => t.Id == invitation.TeamId, ct);
        if (await db.TeamMembers.AnyAsync(m => m.TeamId == invitation.TeamId && m.UserId == userId, ct))
        {
            return new InvitationClosedProblem($"You are a member of {team.Name} already.");
        }
        db.TeamMembers.Add(new TeamMember { TeamId = invitation.TeamId, UserId = userId, Role = invitation.Role, CreatedAt = now });
        invitation.AcceptedAt = now;
        invitation.AcceptedBy = userId;
        user.CurrentTeamId ??= invitation.TeamId;
        var joined = new TeamActor(invitation.TeamId, userId, invitation.Role) { ActorName = user.Email };
        audit.Add(joined, AuditActions.InvitationAccepted, AuditTarget.Invitation(invitation.Id, invitation.Email),
            details: new { role = invitation.Role.ToWire() });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new Membership(team.Id, team.Name, team.Tier, invitation.Role);
    }

    private async Task<Invitation?> FindEntityAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }
        var hash = ShownOnceTokens.Hash(token);
        return await db.Invitations.SingleOrDefaultAsync(i => i.TokenHash == hash, ct);
    }

    /// <summary>Why an invitation in <paramref name="state"/> (not pending) cannot be used.</summary>
    public static string ClosedMessage(InvitationState state) => state switch
    {
        InvitationState.Expired => "This invitation has expired. Ask an Owner of the team for a new one.",
        InvitationState.Revoked => "This invitation was revoked. Ask an Owner of the team for a new one.",
        _ => "This invitation has been used already. Each invitation works once.",
    };

    private static InvitationState StateOf(Invitation i, DateTime now) =>
        i.AcceptedAt is not null ? InvitationState.Accepted
        : i.RevokedAt is not null ? InvitationState.Revoked
        : i.ExpiresAt <= now ? InvitationState.Expired
        : InvitationState.Pending;

    private static bool IsEmail(string? email) =>
        !string.IsNullOrWhiteSpace(email) && email.Trim().Length <= 256 &&
        System.Net.Mail.MailAddress.TryCreate(email.Trim(), out var parsed) && parsed.Address == email.Trim();

    /// <summary>As Identity's default normalizer does, so it compares with <c>NormalizedEmail</c>.</summary>
    public static string Normalize(string email) => email.Trim().ToUpperInvariant();

    // The token has 256 bits of entropy, so a plain hash is enough (as for API keys).

    private static InvitationView ToView(Invitation i) => new(i.Id, i.Email, i.Role, i.ExpiresAt, i.CreatedAt, i.CreatedBy);
}

/// <summary>Inviting someone who is a member already: a conflict on the email, as a duplicate name is.</summary>
public sealed record MemberExistsProblem(string Email)
    : Problem("name_conflict", $"{Email} is already a member of this team.");
