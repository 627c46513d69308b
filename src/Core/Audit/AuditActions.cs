namespace Dataraven.Core.Audit;

/// <summary>Every action name an audit event can carry: <c>&lt;target type&gt;.&lt;verb&gt;</c>. The one list.</summary>
public static class AuditActions
{
    public const string TeamCreated = "team.created";
    public const string TierChanged = "tier.changed";
    /// <summary>An Owner changed the team's sign-in policy (details: require_two_factor from, to).</summary>
    public const string TeamSecurityChanged = "team.security_changed";

    public const string MemberRoleChanged = "member.role_changed";
    public const string MemberRemoved = "member.removed";

    /// <summary>A member turned a second factor on (an authenticator app) for their own account.</summary>
    public const string TwoFactorEnabled = "member.two_factor_enabled";
    public const string TwoFactorDisabled = "member.two_factor_disabled";
    /// <summary>A member added a passkey to their own account (details: factor, name; never the key).</summary>
    public const string PasskeyAdded = "member.passkey_added";
    public const string PasskeyRenamed = "member.passkey_renamed";
    public const string PasskeyRemoved = "member.passkey_removed";
    public const string RecoveryCodesRegenerated = "member.recovery_codes_regenerated";
    /// <summary>An Owner made a password reset link for a member (never the link itself).</summary>
    public const string MemberPasswordResetLinkCreated = "member.password_reset_link_created";

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
    public const string VaultConnectionRestored = "vault_connection.restored";
    public const string VaultConnectionPurged = "vault_connection.purged";

    public const string SecretCreated = "secret.created";
    public const string SecretUpdated = "secret.updated";
    public const string SecretDeleted = "secret.deleted";
    public const string SecretRestored = "secret.restored";
    public const string SecretPurged = "secret.purged";
    public const string SecretChecked = "secret.checked";
}
