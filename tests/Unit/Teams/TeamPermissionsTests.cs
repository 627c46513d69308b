using System.Reflection;
using Dataraven.Core.Audit;
using Dataraven.Core.Common;
using Dataraven.Core.Teams;
using static Dataraven.Core.Teams.TeamRole;

namespace Dataraven.Tests.Teams;

public sealed class TeamPermissionsTests
{
    [Fact]
    public void DocumentedRules_NameEveryPermission() =>
        Assert.Equal(Enum.GetValues<TeamPermission>().Order(), DocumentedRoles.Holders.Keys.Order());

    [Theory]
    [MemberData(nameof(DocumentedRoles.EveryRoleAndPermission), MemberType = typeof(DocumentedRoles))]
    public void Can_EveryRoleAndPermission_MatchesTheDocumentedRule(TeamRole role, TeamPermission permission)
    {
        var documented = DocumentedRoles.Holders[permission].Contains(role);

        Assert.Equal(documented, role.Can(permission));
        Assert.Equal(documented, TeamPermissions.For(role).Contains(permission));
        Assert.Equal(documented, new TeamActor(Guid.NewGuid(), Guid.NewGuid(), role).Can(permission));
    }

    [Theory]
    [InlineData(Owner, Admin)]
    [InlineData(Admin, Operator)]
    [InlineData(Operator, Viewer)]
    public void For_AHigherRole_MayDoEverythingTheNextLowerOneMay(TeamRole role, TeamRole lower)
    {
        Assert.Superset(new HashSet<TeamPermission>(TeamPermissions.For(lower)), new HashSet<TeamPermission>(TeamPermissions.For(role)));
        Assert.NotEqual(TeamPermissions.For(lower).Count, TeamPermissions.For(role).Count);
    }

    [Fact]
    public void Holders_ListsTheRolesHighestFirst() =>
        Assert.Equal([Owner, Admin, Operator], TeamPermissions.Holders(TeamPermission.VerifyVaultConnections));

    [Theory]
    [InlineData(TeamPermission.ManageVaultConnections, "Owners and Admins")]
    [InlineData(TeamPermission.ChangeTier, "Owners")]
    [InlineData(TeamPermission.CheckSecrets, "Owners, Admins and Operators")]
    [InlineData(TeamPermission.ReadTeam, "Owners, Admins, Operators and Viewers")]
    public void Describe_NamesTheHolders(TeamPermission permission, string expected) =>
        Assert.Equal(expected, TeamPermissions.Describe(permission));

    [Theory]
    [MemberData(nameof(EveryPermission))]
    public void Requirement_NamesTheLowestRoleThatMay(TeamPermission permission) =>
        Assert.Equal(DocumentedRoles.Requirement[permission], TeamPermissions.Requirement(permission));

    [Theory]
    [InlineData(TeamPermission.ManageApiKeys, "Your role may not do this (Owners and Admins only).")]
    [InlineData(TeamPermission.ChangeTier, "Your role may not do this (Owners only).")]
    [InlineData(TeamPermission.VerifyVaultConnections, "Your role may not do this (Operators and above).")]
    public void Refusal_SaysWhoMay(TeamPermission permission, string expected)
    {
        var refusal = TeamPermissions.Refusal(permission, "do this");

        Assert.Equal(expected, refusal.Message);
        Assert.Equal("forbidden_role", refusal.Code);
    }

    /// <summary>The refusal texts and refusal audit actions as the services wrote them before the table (HEAD 372ffcf).</summary>
    private static readonly Dictionary<string, (string Action, string? AuditAction)> Before = new()
    {
        [nameof(TeamOperations.TestVaultConnection)] = ("set up vault connections (Owners and Admins only)", null),
        [nameof(TeamOperations.CreateVaultConnection)] = ("create vault connections (Owners and Admins only)", AuditActions.VaultConnectionCreated),
        [nameof(TeamOperations.UpdateVaultConnection)] = ("edit vault connections (Owners and Admins only)", AuditActions.VaultConnectionUpdated),
        [nameof(TeamOperations.RotateVaultConnection)] = ("rotate vault connection credentials (Owners and Admins only)", AuditActions.VaultConnectionRotated),
        [nameof(TeamOperations.DeleteVaultConnection)] = ("delete vault connections (Owners and Admins only)", AuditActions.VaultConnectionDeleted),
        [nameof(TeamOperations.VerifyVaultConnection)] = ("verify vault connections (Operators and above)", AuditActions.VaultConnectionVerified),
        [nameof(TeamOperations.BrowseVaultConnection)] = ("browse vault connections (Owners and Admins only)", null),
        [nameof(TeamOperations.CreateSecret)] = ("create secrets (Owners and Admins only)", AuditActions.SecretCreated),
        [nameof(TeamOperations.UpdateSecret)] = ("edit secrets (Owners and Admins only)", AuditActions.SecretUpdated),
        [nameof(TeamOperations.DeleteSecret)] = ("delete secrets (Owners and Admins only)", AuditActions.SecretDeleted),
        [nameof(TeamOperations.CheckSecret)] = ("check secrets (Operators and above)", null),
        [nameof(TeamOperations.CheckDraftSecret)] = ("check unsaved secrets (Owners and Admins only)", null),
        [nameof(TeamOperations.CreateApiKey)] = ("create API keys (Owners and Admins only)", AuditActions.ApiKeyCreated),
        [nameof(TeamOperations.DeleteApiKey)] = ("delete API keys (Owners and Admins only)", AuditActions.ApiKeyDeleted),
        [nameof(TeamOperations.Invite)] = ("invite members (Owners and Admins only)", null),
        [nameof(TeamOperations.ListInvitations)] = ("see invitations (Owners and Admins only)", null),
        [nameof(TeamOperations.CreateCredentialRequest)] = ("request credentials (Owners and Admins only)", "credential_request.created"),
        [nameof(TeamOperations.ListCredentialRequests)] = ("see credential requests (Owners and Admins only)", null),
        [nameof(TeamOperations.RevokeCredentialRequest)] = ("revoke credential requests (Owners and Admins only)", "credential_request.revoked"),
        [nameof(TeamOperations.CreateWebhook)] = ("add webhooks (Owners and Admins only)", "webhook.created"),
        [nameof(TeamOperations.ListWebhooks)] = ("see webhooks (Owners and Admins only)", null),
        [nameof(TeamOperations.DeleteWebhook)] = ("delete webhooks (Owners and Admins only)", "webhook.deleted"),
        [nameof(TeamOperations.TestWebhook)] = ("test webhooks (Owners and Admins only)", null),
        [nameof(TeamOperations.ChangeMemberRole)] = ("manage members (Owners only)", AuditActions.MemberRoleChanged),
        [nameof(TeamOperations.RemoveMember)] = ("manage members (Owners only)", AuditActions.MemberRemoved),
        [nameof(TeamOperations.ChangeTeamTier)] = ("change the plan (Owners only)", AuditActions.TierChanged),
        // The trash (added with it).
        [nameof(TeamOperations.RestoreVaultConnection)] = ("restore vault connections (Owners and Admins only)", AuditActions.VaultConnectionRestored),
        [nameof(TeamOperations.RestoreSecret)] = ("restore secrets (Owners and Admins only)", AuditActions.SecretRestored),
        [nameof(TeamOperations.PurgeTrash)] = ("purge the trash (Owners only)", null),
        [nameof(TeamOperations.ChangeTeamSecurity)] = ("change the team's sign-in policy (Owners only)", AuditActions.TeamSecurityChanged),
        [nameof(TeamOperations.ResetMemberPassword)] = ("make password reset links (Owners only)", AuditActions.MemberPasswordResetLinkCreated),
    };

    private static IEnumerable<(string Name, TeamOperation Operation)> Operations() =>
        typeof(TeamOperations).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(TeamOperation))
            .Select(f => (f.Name, (TeamOperation)f.GetValue(null)!));

    [Fact]
    public void EveryOperation_RefusesWithTheSameTextAndAuditActionAsBefore()
    {
        Assert.Equal(Before.Keys.Order(), Operations().Select(o => o.Name).Order());
        var viewer = new TeamActor(Guid.NewGuid(), Guid.NewGuid(), Viewer);
        foreach (var (name, operation) in Operations())
        {
            var refusal = operation.RefusalFor(viewer);
            Assert.NotNull(refusal);
            Assert.Equal(new ForbiddenRoleProblem(Before[name].Action).Message, refusal.Message);
            Assert.Equal(Before[name].AuditAction, operation.AuditAction);
        }
    }

    [Theory]
    [MemberData(nameof(DocumentedRoles.EveryRoleAndPermission), MemberType = typeof(DocumentedRoles))]
    public void RefusalFor_RefusesExactlyTheRolesWithoutThePermission(TeamRole role, TeamPermission permission)
    {
        var operation = new TeamOperation(permission, "do it");

        var refusal = operation.RefusalFor(new TeamActor(Guid.NewGuid(), Guid.NewGuid(), role));

        Assert.Equal(!DocumentedRoles.Holders[permission].Contains(role), refusal is not null);
    }

    [Theory]
    [MemberData(nameof(DocumentedRoles.EveryPairOfRoles), MemberType = typeof(DocumentedRoles))]
    public void MayInvite_OwnerAnyRole_AdminRolesBelowAdmin_OthersNone(TeamRole role, TeamRole invited)
    {
        var documented = role == Owner || (role == Admin && invited is Operator or Viewer);

        Assert.Equal(documented, role.MayInvite(invited));
        Assert.Equal(documented, TeamPermissions.InvitableBy(role).Contains(invited));
    }

    [Fact]
    public void InvitableBy_ListsHighestFirst()
    {
        Assert.Equal([Owner, Admin, Operator, Viewer], TeamPermissions.InvitableBy(Owner));
        Assert.Equal([Operator, Viewer], TeamPermissions.InvitableBy(Admin));
        Assert.Empty(TeamPermissions.InvitableBy(Operator));
    }

    [Theory]
    [MemberData(nameof(DocumentedRoles.EveryPairOfRoles), MemberType = typeof(DocumentedRoles))]
    public void ApiKeys_CarryARoleNoHigherThanTheirCreators(TeamRole creator, TeamRole keyRole)
    {
        var rank = TeamRoles.All.Reverse().ToList();
        var noHigher = rank.IndexOf(keyRole) <= rank.IndexOf(creator);

        Assert.Equal(noHigher, creator.MayIssueKey(keyRole));
        Assert.Equal(noHigher ? keyRole : creator, TeamPermissions.KeyActsAs(keyRole, creator));
    }

    [Theory]
    [InlineData(Owner, Admin, true)]
    [InlineData(Owner, Viewer, true)]
    [InlineData(Owner, null, true)]
    [InlineData(Owner, Owner, false)]
    [InlineData(Admin, Owner, false)]
    [InlineData(Admin, null, false)]
    [InlineData(Viewer, null, false)]
    public void LeavesRequiredRole_OnlyWhenAnOwnerStopsBeingOne(TeamRole from, TeamRole? to, bool expected)
    {
        Assert.Equal(Owner, TeamPermissions.RequiredRole);
        Assert.Equal(expected, TeamPermissions.LeavesRequiredRole(from, to));
    }

    public static IEnumerable<object[]> EveryPermission() => Enum.GetValues<TeamPermission>().Select(p => new object[] { p });
}
