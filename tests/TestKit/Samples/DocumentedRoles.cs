using Dataraven.Core.Teams;
using static Dataraven.Core.Teams.TeamPermission;
using static Dataraven.Core.Teams.TeamRole;

namespace Dataraven.Tests.Teams;

/// <summary>
/// DESIGN.md, "Roles", written out by hand: "Owner/Admin create, update, rotate and delete vault connections, secrets
/// and API keys; Operator may also verify; everyone in the team reads. Only an Owner changes the tier or the membership
/// of Owners", the invitation endpoint's "(Owner; Admin for roles below Admin)" and the credential requests' "(Owner,
/// Admin)". The product's table must agree.
/// </summary>
public static class DocumentedRoles
{
    public static readonly IReadOnlyDictionary<TeamPermission, TeamRole[]> Holders = new Dictionary<TeamPermission, TeamRole[]>
    {
        [ReadTeam] = [Owner, Admin, Operator, Viewer],
        [ManageVaultConnections] = [Owner, Admin],
        [ManageSecrets] = [Owner, Admin],
        [ManageApiKeys] = [Owner, Admin],
        [VerifyVaultConnections] = [Owner, Admin, Operator],
        [CheckSecrets] = [Owner, Admin, Operator],
        [InviteMembers] = [Owner, Admin],
        [RequestCredentials] = [Owner, Admin],
        // "Notifications": webhooks are managed by Owners and Admins.
        [ManageWebhooks] = [Owner, Admin],
        // Changing roles and removing members is Owner-only for every member today, Owners included.
        [ManageMembers] = [Owner],
        [ChangeTier] = [Owner],
        // DESIGN.md, soft delete: "DELETE /v1/teams/{team_id}/trash/{id} (Owner)".
        [PurgeTrash] = [Owner],
        [ManageTeamSecurity] = [Owner],
    };

    /// <summary>How a page names who may, per permission ("needs the Admin role or higher").</summary>
    public static readonly IReadOnlyDictionary<TeamPermission, string> Requirement = new Dictionary<TeamPermission, string>
    {
        [ReadTeam] = "the Viewer role or higher",
        [ManageVaultConnections] = "the Admin role or higher",
        [ManageSecrets] = "the Admin role or higher",
        [ManageApiKeys] = "the Admin role or higher",
        [VerifyVaultConnections] = "the Operator role or higher",
        [CheckSecrets] = "the Operator role or higher",
        [InviteMembers] = "the Admin role or higher",
        [RequestCredentials] = "the Admin role or higher",
        [ManageWebhooks] = "the Admin role or higher",
        [ManageMembers] = "the Owner role",
        [ChangeTier] = "the Owner role",
        [PurgeTrash] = "the Owner role",
        [ManageTeamSecurity] = "the Owner role",
    };

    public static IEnumerable<object[]> EveryRoleAndPermission() =>
        from role in Enum.GetValues<TeamRole>()
        from permission in Enum.GetValues<TeamPermission>()
        select new object[] { role, permission };

    public static IEnumerable<object[]> EveryPairOfRoles() =>
        from role in Enum.GetValues<TeamRole>()
        from other in Enum.GetValues<TeamRole>()
        select new object[] { role, other };
}
