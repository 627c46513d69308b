using Dataraven.Core.Checks.Health;
using Dataraven.Core.Common;

namespace Dataraven.Core.Secrets;

/// <summary>
/// Storage credentials a transfer needs. Either direct (values in the credential store, only the
/// field names here) or vault-referenced (mappings from each field to a reference in the team's vault).
/// </summary>
public sealed class Secret : INamedTeamRecord, Trash.ITrashable
{
    public Guid Id { get; set; }
    public Guid TeamId { get; set; }
    public required string Name { get; set; }
    public required string NameNormalized { get; set; }
    public string? Description { get; set; }
    public required string SecretType { get; set; }
    public required string AuthMethod { get; set; }

    /// <summary>Null for direct secrets.</summary>
    public Guid? VaultConnectionId { get; set; }
    public List<FieldMapping> FieldMappings { get; set; } = [];

    /// <summary>Names (never values) of the fields held in the credential store.</summary>
    public List<string> CredentialFields { get; set; } = [];

    public Guid CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public Guid UpdatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>The last check and the target checks look at (columns of this row).</summary>
    public SecretHealth Health { get; set; } = new();

    /// <summary>In the team's trash since then (null: live). See <see cref="Trash.ITrashable"/>.</summary>
    public DateTime? DeletedAt { get; set; }
    public Guid? DeletedBy { get; set; }
    public DateTime? PurgeAt { get; set; }

    /// <summary>How many days a credential may live before it must be rotated (null: no policy). See <see cref="CredentialExpiry"/>.</summary>
    public int? CredentialExpirationDays { get; set; }

    /// <summary>When the credentials or the field mappings last changed (create, a credentials/mappings PATCH).</summary>
    public DateTime CredentialsUpdatedAt { get; set; }

    public bool IsDirect => VaultConnectionId is null;
}

public sealed class FieldMapping
{
    public required string FieldName { get; set; }
    public required string Reference { get; set; }
}
