namespace Dataraven.Core.Audit;

/// <summary>Every action name an audit event can carry: <c>&lt;target type&gt;.&lt;verb&gt;</c>. The one list.</summary>
public static class AuditActions
{
    public const string TeamCreated = "team.created";
    public const string TierChanged = "tier.changed";

    public const string MemberRoleChanged = "member.role_changed";
    public const string MemberRemoved = "member.removed";

    public const string InvitationCreated = "invitation.created";
    public const string InvitationRevoked = "invitation.revoked";
    /// <summary>The invited person joined the team: how members are added.</summary>
    public const string InvitationAccepted = "invitation.accepted";

    public const string CredentialRequestCreated = "credential_request.created";
    public const string CredentialRequestRevoked = "credential_request.revoked";
    public const string CredentialRequestViewed = "credential_request.viewed";
    public const string CredentialRequestFulfilled = "credential_request.fulfilled";

    public const string WebhookCreated = "webhook.created";
    public const string WebhookDeleted = "webhook.deleted";

    public const string ApiKeyCreated = "api_key.created";
    public const string ApiKeyDeleted = "api_key.deleted";

    public const string VaultConnectionCreated = "vault_connection.created";
    public const string VaultConnectionUpdated = "vault_connection.updated";
    public const string VaultConnectionRotated = "vault_connection.rotated";
    public const string VaultConnectionVerified = "vault_connection.verified";
    public const string VaultConnectionDeleted = "vault_connection.deleted";

    public const string SecretCreated = "secret.created";
    public const string SecretUpdated = "secret.updated";
    public const string SecretDeleted = "secret.deleted";
    public const string SecretChecked = "secret.checked";
}
