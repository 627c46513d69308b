using System.Collections.Frozen;
using Dataraven.Core.Common;
using static Dataraven.Core.Teams.TeamPermission;

namespace Dataraven.Core.Teams;

/// <summary>What a member may do in a team. Which roles hold which is <see cref="TeamPermissions"/>' table.</summary>
public enum TeamPermission
{
    /// <summary>Lists, details, the activity, the plan and usage: everyone in the team.</summary>
    ReadTeam,
    /// <summary>Create (and the wizard's test), edit, rotate and delete vault connections.</summary>
    ManageVaultConnections,
    VerifyVaultConnections,
    /// <summary>Create, edit and delete secrets, and check a secret that is not saved yet.</summary>
    ManageSecrets,
    CheckSecrets,
    ManageApiKeys,
    /// <summary>See, send and revoke invitations (for which roles: <see cref="TeamPermissions.MayInvite"/>).</summary>
    InviteMembers,
    /// <summary>Ask someone outside the team for a direct secret's credential by link; see and revoke those links.</summary>
    RequestCredentials,
    /// <summary>Add, list, test and delete the team's webhooks, and see their deliveries.</summary>
    ManageWebhooks,
    /// <summary>Change a member's role, remove a member.</summary>
    ManageMembers,
    ChangeTier,
    /// <summary>Delete what is in the trash for good, before its purge date (restoring needs the manage permission of its kind).</summary>
    PurgeTrash,
    /// <summary>Require a second factor of the team's members.</summary>
    ManageTeamSecurity,
}

/// <summary>
/// The one place that says which role may do what: the table, the rules that also depend on the other role involved,
/// and the wording of "who may" in refusals. Services, endpoints, pages and the nav read these, never the role itself.
/// </summary>
public static class TeamPermissions
{
    private static readonly FrozenDictionary<TeamRole, FrozenSet<TeamPermission>> Table = new Dictionary<TeamRole, FrozenSet<TeamPermission>>
    {
        [TeamRole.Owner] = Set(ReadTeam, ManageVaultConnections, VerifyVaultConnections, ManageSecrets, CheckSecrets, ManageApiKeys,
            InviteMembers, RequestCredentials, ManageWebhooks, ManageMembers, ChangeTier, PurgeTrash, ManageTeamSecurity),
        [TeamRole.Admin] = Set(ReadTeam, ManageVaultConnections, VerifyVaultConnections, ManageSecrets, CheckSecrets, ManageApiKeys,
            InviteMembers, RequestCredentials, ManageWebhooks),
        [TeamRole.Operator] = Set(ReadTeam, VerifyVaultConnections, CheckSecrets),
        [TeamRole.Viewer] = Set(ReadTeam),
    }.ToFrozenDictionary();

    public static IReadOnlySet<TeamPermission> For(TeamRole role) => Table[role];

    public static bool Can(this TeamRole role, TeamPermission permission) => Table[role].Contains(permission);

    public static bool Can(this TeamActor actor, TeamPermission permission) => actor.Role.Can(permission);

    /// <summary>The roles that hold <paramref name="permission"/>, highest first.</summary>
    public static IReadOnlyList<TeamRole> Holders(TeamPermission permission) => TeamRoles.All.Where(r => r.Can(permission)).ToList();

    /// <summary>The holders, as a sentence names them: "Owners", "Owners and Admins".</summary>
    public static string Describe(TeamPermission permission) => Join(Holders(permission).Select(Plural));

    /// <summary>"Your role may not {action} (Owners and Admins only)." or "(Operators and above)."</summary>
    public static ForbiddenRoleProblem Refusal(TeamPermission permission, string action)
    {
        var holders = Holders(permission);
        var who = holders.Count >= 3 && IsFromTheTop(holders) ? $"{Plural(holders[^1])} and above" : $"{Describe(permission)} only";
        return new ForbiddenRoleProblem($"{action} ({who})");
    }

    /// <summary>Who may, as a page says it: "the Admin role or higher", "the Owner role".</summary>
    public static string Requirement(TeamPermission permission)
    {
        var holders = Holders(permission);
        if (!IsFromTheTop(holders))
        {
            return $"one of the roles {Join(holders.Select(r => r.ToString()))}";
        }
        return holders.Count == 1 ? $"the {holders[0]} role" : $"the {holders[^1]} role or higher";
    }

    // Rules that also depend on the other role involved. Roles are compared here and nowhere else.

    /// <summary>Those who may invite invite roles below their own; those who manage members (Owners) any role.</summary>
    public static bool MayInvite(this TeamRole role, TeamRole invited) =>
        role.Can(InviteMembers) && (role.Can(ManageMembers) || invited < role);

    /// <summary>The roles <paramref name="role"/> may invite, highest first.</summary>
    public static IReadOnlyList<TeamRole> InvitableBy(TeamRole role) => TeamRoles.All.Where(r => role.MayInvite(r)).ToList();

    /// <summary>An API key carries a role no higher than its creator's.</summary>
    public static bool MayIssueKey(this TeamRole creator, TeamRole keyRole) => keyRole <= creator;

    /// <summary>A key acts with its own role, capped by its creator's current one.</summary>
    public static TeamRole KeyActsAs(TeamRole keyRole, TeamRole creatorRole) => keyRole < creatorRole ? keyRole : creatorRole;

    /// <summary>The role a team never loses its last member of.</summary>
    public const TeamRole RequiredRole = TeamRole.Owner;

    /// <summary>Whether changing a member from <paramref name="from"/> to <paramref name="to"/> (null: removing) takes one <see cref="RequiredRole"/> away.</summary>
    public static bool LeavesRequiredRole(TeamRole from, TeamRole? to) => from == RequiredRole && to != RequiredRole;

    private static FrozenSet<TeamPermission> Set(params TeamPermission[] permissions) => permissions.ToFrozenSet();

    /// <summary>The holders are the highest roles, with no gap (roles are ordered, see <see cref="TeamRole"/>).</summary>
    private static bool IsFromTheTop(IReadOnlyList<TeamRole> holders) => holders.SequenceEqual(TeamRoles.All.Take(holders.Count));

    private static string Plural(TeamRole role) => $"{role}s";

    private static string Join(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Concat(list) : $"{string.Join(", ", list.Take(list.Count - 1))} and {list[^1]}";
    }
}
