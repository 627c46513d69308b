namespace Dataraven.Core.Owners;

/// <summary>
/// A team member who owns a vault connection or a secret (ConductorOne's <c>ownerIds</c>): told by email when it fails
/// or expires, and what "Owned by me" shows. The row belongs to the membership: removing the member removes it.
/// </summary>
public sealed class ObjectOwner
{
    public Guid TeamId { get; set; }

    /// <summary>The secret's or the vault connection's id.</summary>
    public Guid ObjectId { get; set; }

    /// <summary><see cref="OwnedObjectTypes.Secret"/> or <see cref="OwnedObjectTypes.VaultConnection"/>.</summary>
    public required string ObjectType { get; set; }

    public Guid UserId { get; set; }
}

public static class OwnedObjectTypes
{
    public const string Secret = "secret";
    public const string VaultConnection = "vault_connection";
}

/// <summary>An owner as responses show one.</summary>
public sealed record OwnerRef(Guid Id, string? Email);

/// <summary>What an owner change did, for the audit event.</summary>
public sealed record OwnerChange(IReadOnlyList<Guid> Added, IReadOnlyList<Guid> Removed)
{
    public bool Any => Added.Count > 0 || Removed.Count > 0;
}
