using Dataraven.Core.Audit;
using Dataraven.Core.ApiKeys;
using Dataraven.Core.Common;
using Dataraven.Core.Persistence;
using Dataraven.Core.Tiers;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Core.Teams;

public sealed record Membership(Guid TeamId, string TeamName, string Tier, TeamRole Role);

public sealed record MemberView(Guid UserId, string Email, TeamRole Role, DateTime AddedAt);

/// <summary>Teams, their members and roles. Membership changes are Owner-only; a team never loses its last Owner.</summary>
public sealed class TeamService(PortalDbContext db, UserManager<PortalUser> users, TimeProvider time, AuditTrail audit, TeamAccess access,
    ApiKeyCache apiKeys, Owners.ObjectOwners owners)
{
    public Task<bool> AnyUserExistsAsync(CancellationToken ct = default) => db.Users.AnyAsync(ct);

    public const string EmailTakenMessage = "An account with this email exists already. Sign in instead.";

    /// <summary>Creates a user with a password; an email that has an account already is a validation problem on <c>email</c>.</summary>
    public async Task<Result<PortalUser>> CreateUserAsync(string? email, string? password, CancellationToken ct = default)
    {
        if (Validate(email, password) is { } invalid)
        {
            return invalid;
        }
        var user = new PortalUser { Id = Guid.NewGuid(), UserName = email!.Trim(), Email = email.Trim(), EmailConfirmed = true };
        IdentityResult created;
        try
        {
            created = await users.CreateAsync(user, password!);
        }
        catch (DbUpdateException e) when (WriteConflicts.Classify(e) == WriteConflict.Duplicate)
        {
            // A concurrent registration of the same email passed Identity's check too; the unique index decided.
            db.Entry(user).State = EntityState.Detached;
            return ValidationProblem.For("email", EmailTakenMessage);
        }
        if (created.Succeeded)
        {
            return user;
        }
        if (created.Errors.Any(e => e.Code is "DuplicateUserName" or "DuplicateEmail"))
        {
            return ValidationProblem.For("email", EmailTakenMessage);
        }
        return new ValidationProblem(new Dictionary<string, string[]>
        {
            [created.Errors.Any(e => e.Code.Contains("Password")) ? "password" : "email"] =
                created.Errors.Select(e => e.Description).ToArray(),
        });
    }

    /// <summary>Creates a user with a password, or reuses the existing user with that email (password unchanged).</summary>
    public async Task<Result<PortalUser>> FindOrCreateUserAsync(string? email, string? password, CancellationToken ct = default)
    {
        if (Validate(email, password) is { } invalid)
        {
            return invalid;
        }
        if (await users.FindByEmailAsync(email!.Trim()) is { } existing)
        {
            return existing;
        }
        var created = await CreateUserAsync(email, password, ct);
        // Created by a concurrent request in the meantime: that is the user to reuse.
        return !created.IsSuccess && await users.FindByEmailAsync(email.Trim()) is { } raced ? raced : created;
    }

    private static ValidationProblem? Validate(string? email, string? password)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@') || email.Length > 256)
        {
            errors["email"] = ["Enter a valid email address."];
        }
        if (string.IsNullOrEmpty(password))
        {
            errors["password"] = ["Enter a password."];
        }
        return errors.Count > 0 ? new ValidationProblem(errors) : null;
    }

    /// <summary>Creates a team with <paramref name="ownerUserId"/> as its Owner, who is the actor of its <c>team.created</c> event.</summary>
    public async Task<Result<Team>> CreateTeamAsync(Guid ownerUserId, string? name, string tier = "free", AuditVia via = AuditVia.Ui,
        string? ip = null, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 255)
        {
            return ValidationProblem.For("team", "Enter a team name of 1 to 255 characters.");
        }
        if (TierPlans.Find(tier) is null)
        {
            return ValidationProblem.For("tier", $"Must be one of: {string.Join(", ", TierPlans.All.Select(t => t.Id))}.");
        }
        var now = Clock.UtcNow(time);
        var team = new Team { Id = Guid.NewGuid(), Name = name.Trim(), Tier = tier, CreatedAt = now };
        db.Teams.Add(team);
        db.TeamMembers.Add(new TeamMember { TeamId = team.Id, UserId = ownerUserId, Role = TeamRole.Owner, CreatedAt = now });
        var user = await db.Users.SingleAsync(u => u.Id == ownerUserId, ct);
        user.CurrentTeamId = team.Id;
        var owner = new TeamActor(team.Id, ownerUserId, TeamRole.Owner) { ActorName = user.Email, Via = via, Ip = ip };
        audit.Add(owner, AuditActions.TeamCreated, AuditTarget.Team(team.Id, team.Name), details: new { tier });
        await db.SaveChangesAsync(ct);
        return team;
    }

    public async Task<IReadOnlyList<Membership>> GetMembershipsAsync(Guid userId, CancellationToken ct = default) =>
        await db.TeamMembers.Where(m => m.UserId == userId)
            .OrderBy(m => m.Team!.Name)
            .Select(m => new Membership(m.TeamId, m.Team!.Name, m.Team.Tier, m.Role))
            .ToListAsync(ct);

    /// <summary>The user's role in the team, or null when the user is not a member (the caller answers 404).</summary>
    public async Task<TeamActor?> GetActorAsync(Guid userId, Guid teamId, CancellationToken ct = default)
    {
        var role = await db.TeamMembers.Where(m => m.UserId == userId && m.TeamId == teamId)
            .Select(m => (TeamRole?)m.Role).SingleOrDefaultAsync(ct);
        return role is null ? null : new TeamActor(teamId, userId, role.Value);
    }

    public async Task SetCurrentTeamAsync(Guid userId, Guid teamId, CancellationToken ct = default)
    {
        if (await GetActorAsync(userId, teamId, ct) is null)
        {
            return;
        }
        var user = await db.Users.SingleAsync(u => u.Id == userId, ct);
        user.CurrentTeamId = teamId;
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<MemberView>> ListMembersAsync(TeamActor actor, CancellationToken ct = default) =>
        (await db.TeamMembers.Where(m => m.TeamId == actor.TeamId)
            .Select(m => new MemberView(m.UserId, m.User!.Email!, m.Role, m.CreatedAt))
            .ToListAsync(ct))
        .OrderByDescending(m => m.Role).ThenBy(m => m.Email, StringComparer.OrdinalIgnoreCase).ToList();

    public Task<Result<Done>> ChangeRoleAsync(TeamActor actor, Guid userId, TeamRole role, CancellationToken ct = default) =>
        ChangeMemberAsync(actor, userId, role, ct);

    public Task<Result<Done>> RemoveMemberAsync(TeamActor actor, Guid userId, CancellationToken ct = default) =>
        ChangeMemberAsync(actor, userId, null, ct);

    /// <summary>Changes a role (or removes the member when <paramref name="newRole"/> is null), keeping at least one Owner.</summary>
    private async Task<Result<Done>> ChangeMemberAsync(TeamActor actor, Guid userId, TeamRole? newRole, CancellationToken ct)
    {
        var operation = newRole is null ? TeamOperations.RemoveMember : TeamOperations.ChangeMemberRole;
        if (await access.CheckAsync(actor, operation, AuditTarget.Member(userId, null), ct) is { } forbidden)
        {
            return forbidden;
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.LockTeamForWriteAsync(actor.TeamId, ct);
        var member = await db.TeamMembers.SingleOrDefaultAsync(m => m.TeamId == actor.TeamId && m.UserId == userId, ct);
        if (member is null)
        {
            return new NotFoundProblem("member");
        }
        if (TeamPermissions.LeavesRequiredRole(member.Role, newRole) &&
            await db.TeamMembers.CountAsync(m => m.TeamId == actor.TeamId && m.Role == TeamPermissions.RequiredRole, ct) <= 1)
        {
            return ValidationProblem.For("role", "A team needs at least one Owner. Make someone else an Owner first.");
        }
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(ct);
        // A member who leaves stops owning anything of the team (same save; the rows' foreign key would cascade too).
        var released = newRole is null ? await owners.RemoveMemberAsync(actor.TeamId, userId, ct) : 0;
        audit.Add(actor, operation.AuditAction!, AuditTarget.Member(userId, email), details: newRole is null
            ? (object)new { role = member.Role.ToWire(), owned_objects = released }
            : new { role = new { from = member.Role.ToWire(), to = newRole.Value.ToWire() } });
        if (newRole is null)
        {
            db.TeamMembers.Remove(member);
        }
        else
        {
            member.Role = newRole.Value;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // The member's keys act with at most the member's role.
        apiKeys.ForgetTeam(actor.TeamId);
        return Done.Instance;
    }
}
