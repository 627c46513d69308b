using Dataraven.Core.Audit;
using Dataraven.Core.Common;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Core.Accounts;

/// <summary>A team's sign-in rules (DESIGN.md, "Accounts"): a row only once an Owner has set one.</summary>
public sealed class TeamSecurityPolicy
{
    public Guid TeamId { get; set; }
    public bool RequireTwoFactor { get; set; }
    public DateTime UpdatedAt { get; set; }
    public Guid UpdatedBy { get; set; }
}

public sealed record TeamSecurityView(bool RequireTwoFactor, DateTime? UpdatedAt, Guid? UpdatedBy);

/// <summary>
/// The team policy that requires a second factor, and what follows from it: who must enrol before a team's pages,
/// and that a member of such a team cannot remove their last factor. API keys are not people: it does not touch them.
/// </summary>
public sealed class TeamSecurityPolicies(PortalDbContext db, TeamAccess access, AuditTrail audit, TimeProvider time)
{
    public async Task<TeamSecurityView> GetAsync(TeamActor actor, CancellationToken ct = default) =>
        await db.Set<TeamSecurityPolicy>().AsNoTracking().Where(p => p.TeamId == actor.TeamId)
            .Select(p => new TeamSecurityView(p.RequireTwoFactor, p.UpdatedAt, p.UpdatedBy))
            .SingleOrDefaultAsync(ct)
        ?? new TeamSecurityView(false, null, null);

    public async Task<Result<TeamSecurityView>> SetAsync(TeamActor actor, bool? requireTwoFactor, CancellationToken ct = default)
    {
        if (await access.CheckAsync(actor, TeamOperations.ChangeTeamSecurity, AuditTarget.Team(actor.TeamId, null), ct) is { } forbidden)
        {
            return forbidden;
        }
        if (requireTwoFactor is not { } require)
        {
            return ValidationProblem.For("require_two_factor", "Must be true or false.");
        }
        var policy = await db.Set<TeamSecurityPolicy>().SingleOrDefaultAsync(p => p.TeamId == actor.TeamId, ct);
        if (policy is null)
        {
            policy = new TeamSecurityPolicy { TeamId = actor.TeamId };
            db.Add(policy);
        }
        var before = policy.RequireTwoFactor;
        policy.RequireTwoFactor = require;
        policy.UpdatedAt = Clock.UtcNow(time);
        policy.UpdatedBy = actor.UserId;
        var team = await db.Teams.AsNoTracking().SingleAsync(t => t.Id == actor.TeamId, ct);
        audit.Add(actor, AuditActions.TeamSecurityChanged, AuditTarget.Team(team.Id, team.Name),
            details: new { require_two_factor = new { from = before, to = require } });
        await db.SaveChangesAsync(ct);
        return new TeamSecurityView(policy.RequireTwoFactor, policy.UpdatedAt, policy.UpdatedBy);
    }

    /// <summary>Whether <paramref name="teamId"/> requires a second factor that the user does not have yet.</summary>
    public async Task<bool> MustEnrolAsync(Guid userId, Guid teamId, CancellationToken ct = default) =>
        await db.Set<TeamSecurityPolicy>().AnyAsync(p => p.TeamId == teamId && p.RequireTwoFactor, ct)
        && !await HasSecondFactorAsync(userId, ct);

    /// <summary>The names of the user's teams that require a second factor (why their last one cannot be removed).</summary>
    public async Task<IReadOnlyList<string>> TeamsRequiringAsync(Guid userId, CancellationToken ct = default) =>
        await (from m in db.TeamMembers
               join p in db.Set<TeamSecurityPolicy>() on m.TeamId equals p.TeamId
               where m.UserId == userId && p.RequireTwoFactor
               select m.Team!.Name).ToListAsync(ct);

    /// <summary>A second factor is an authenticator app that is turned on, or a passkey.</summary>
    public Task<bool> HasSecondFactorAsync(Guid userId, CancellationToken ct = default) =>
        db.Users.AnyAsync(u => u.Id == userId && (u.TwoFactorEnabled || db.UserPasskeys.Any(p => p.UserId == u.Id)), ct);

    /// <summary>How many second factors the user has: the authenticator app (if on) counts one, each passkey one.</summary>
    public async Task<int> SecondFactorCountAsync(Guid userId, CancellationToken ct = default) =>
        (await db.Users.AnyAsync(u => u.Id == userId && u.TwoFactorEnabled, ct) ? 1 : 0)
        + await db.UserPasskeys.CountAsync(p => p.UserId == userId, ct);

    /// <summary>
    /// Why the user may not remove one of their second factors now: "Team A requires" when that factor is their last
    /// and a team of theirs requires one; null when it may go.
    /// </summary>
    public async Task<string?> KeepsLastFactorAsync(Guid userId, CancellationToken ct = default)
    {
        var requiredBy = await TeamsRequiringAsync(userId, ct);
        return requiredBy.Count == 0 || await SecondFactorCountAsync(userId, ct) > 1 ? null : Requirement(requiredBy);
    }

    /// <summary>"Team A requires" / "Team A, Team B require", or null when no team requires a second factor.</summary>
    public static string? Requirement(IReadOnlyList<string> requiredBy) =>
        requiredBy.Count == 0 ? null : $"{string.Join(", ", requiredBy)} {(requiredBy.Count == 1 ? "requires" : "require")}";

    /// <summary>Which of the team's members have a second factor, for the Members page.</summary>
    public async Task<IReadOnlySet<Guid>> MembersWithSecondFactorAsync(TeamActor actor, CancellationToken ct = default) =>
        (await db.TeamMembers
            .Where(m => m.TeamId == actor.TeamId && (m.User!.TwoFactorEnabled || db.UserPasskeys.Any(p => p.UserId == m.UserId)))
            .Select(m => m.UserId).ToListAsync(ct)).ToHashSet();
}
