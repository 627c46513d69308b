using Dataraven.Core.Common;
using Dataraven.Core.VaultProviders;

namespace Dataraven.Core.VaultConnections;

/// <summary>
/// A team's connection to its own vault. Only settings live here; the connection's own credentials
/// (token, client id/secret) are in the credential store under <see cref="CredentialStore.CredentialKey"/>.
/// </summary>
public sealed class VaultConnection : INamedTeamRecord, Trash.ITrashable
{
    public Guid Id { get; set; }
    public Guid TeamId { get; set; }
    public required string Name { get; set; }
    public required string NameNormalized { get; set; }
    public string? Description { get; set; }
    public VaultType VaultType { get; set; }

    // 1Password: the one vault the connection may read (a name or ID as op accepts it); null reads any vault the token reaches.
    public string? Vault { get; set; }

    // Doppler
    public string? Project { get; set; }
    public string? Config { get; set; }

    // Infisical
    public string? ProjectId { get; set; }
    public string? Environment { get; set; }
    public string? SecretPath { get; set; }

    public VaultConnectionStatus Status { get; set; }
    public DateTime? LastVerifiedAt { get; set; }
    public string? LastVerificationError { get; set; }

    /// <summary>
    /// While failing, why: the provider refused the credentials (<see cref="ProviderOutcome.Rejected"/>) or could not be
    /// reached (<see cref="ProviderOutcome.Unreachable"/>), so the list says what to fix after a reload. Null otherwise,
    /// and for connections that failed before this was recorded.
    /// </summary>
    public ProviderOutcome? FailureClass { get; set; }

    public Guid CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>In the team's trash since then (null: live). See <see cref="Trash.ITrashable"/>.</summary>
    public DateTime? DeletedAt { get; set; }
    public Guid? DeletedBy { get; set; }
    public DateTime? PurgeAt { get; set; }

    /// <summary>How many days the connection's credentials may live before they must be rotated (null: no policy).</summary>
    public int? CredentialExpirationDays { get; set; }

    /// <summary>When the credentials last changed (create, rotate). See <see cref="CredentialExpiry"/>.</summary>
    public DateTime CredentialsUpdatedAt { get; set; }
}
