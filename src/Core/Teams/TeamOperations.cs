using Dataraven.Core.Audit;
using Dataraven.Core.Common;
using static Dataraven.Core.Teams.TeamPermission;

namespace Dataraven.Core.Teams;

/// <summary>
/// Something a member may be refused: the permission it needs, how the refusal names it ("edit secrets"), and the
/// audit action a refused attempt is recorded under (null: the refusal is not recorded, as today for invitations,
/// checks and the wizard's test).
/// </summary>
public sealed record TeamOperation(TeamPermission Permission, string Action, string? AuditAction = null)
{
    public ForbiddenRoleProblem? RefusalFor(TeamActor actor) => actor.Can(Permission) ? null : TeamPermissions.Refusal(Permission, Action);
}

/// <summary>Every operation a role may be refused, with the permission it needs (which roles hold it: <see cref="TeamPermissions"/>).</summary>
public static class TeamOperations
{
    public static readonly TeamOperation TestVaultConnection = new(ManageVaultConnections, "set up vault connections");
    public static readonly TeamOperation CreateVaultConnection = new(ManageVaultConnections, "create vault connections", AuditActions.VaultConnectionCreated);
    public static readonly TeamOperation UpdateVaultConnection = new(ManageVaultConnections, "edit vault connections", AuditActions.VaultConnectionUpdated);
    public static readonly TeamOperation RotateVaultConnection = new(ManageVaultConnections, "rotate vault connection credentials", AuditActions.VaultConnectionRotated);
    public static readonly TeamOperation DeleteVaultConnection = new(ManageVaultConnections, "delete vault connections", AuditActions.VaultConnectionDeleted);
    public static readonly TeamOperation RestoreVaultConnection = new(ManageVaultConnections, "restore vault connections", AuditActions.VaultConnectionRestored);
    public static readonly TeamOperation VerifyVaultConnection = new(VerifyVaultConnections, "verify vault connections", AuditActions.VaultConnectionVerified);
    public static readonly TeamOperation BrowseVaultConnection = new(ManageVaultConnections, "browse vault connections");

    public static readonly TeamOperation CreateSecret = new(ManageSecrets, "create secrets", AuditActions.SecretCreated);
    public static readonly TeamOperation UpdateSecret = new(ManageSecrets, "edit secrets", AuditActions.SecretUpdated);
    public static readonly TeamOperation DeleteSecret = new(ManageSecrets, "delete secrets", AuditActions.SecretDeleted);
    public static readonly TeamOperation RestoreSecret = new(ManageSecrets, "restore secrets", AuditActions.SecretRestored);
    public static readonly TeamOperation PurgeTrash = new(TeamPermission.PurgeTrash, "purge the trash");
    public static readonly TeamOperation CheckSecret = new(CheckSecrets, "check secrets");
    public static readonly TeamOperation CheckDraftSecret = new(ManageSecrets, "check unsaved secrets");

    public static readonly TeamOperation CreateApiKey = new(ManageApiKeys, "create API keys", AuditActions.ApiKeyCreated);
    public static readonly TeamOperation DeleteApiKey = new(ManageApiKeys, "delete API keys", AuditActions.ApiKeyDeleted);

    public static readonly TeamOperation Invite = new(InviteMembers, "invite members");
    public static readonly TeamOperation ListInvitations = new(InviteMembers, "see invitations");
    public static readonly TeamOperation CreateCredentialRequest = new(RequestCredentials, "request credentials", AuditActions.CredentialRequestCreated);
    public static readonly TeamOperation ListCredentialRequests = new(RequestCredentials, "see credential requests");
    public static readonly TeamOperation RevokeCredentialRequest = new(RequestCredentials, "revoke credential requests", AuditActions.CredentialRequestRevoked);
    public static readonly TeamOperation CreateWebhook = new(ManageWebhooks, "add webhooks", AuditActions.WebhookCreated);
    public static readonly TeamOperation ListWebhooks = new(ManageWebhooks, "see webhooks");
    public static readonly TeamOperation DeleteWebhook = new(ManageWebhooks, "delete webhooks", AuditActions.WebhookDeleted);
    public static readonly TeamOperation TestWebhook = new(ManageWebhooks, "test webhooks");
    public static readonly TeamOperation ChangeMemberRole = new(ManageMembers, "manage members", AuditActions.MemberRoleChanged);
    public static readonly TeamOperation ResetMemberPassword = new(ManageMembers, "make password reset links", AuditActions.MemberPasswordResetLinkCreated);
    public static readonly TeamOperation RemoveMember = new(ManageMembers, "manage members", AuditActions.MemberRemoved);

    public static readonly TeamOperation ChangeTeamTier = new(ChangeTier, "change the plan", AuditActions.TierChanged);
    public static readonly TeamOperation ChangeTeamSecurity = new(ManageTeamSecurity, "change the team's sign-in policy", AuditActions.TeamSecurityChanged);
}
