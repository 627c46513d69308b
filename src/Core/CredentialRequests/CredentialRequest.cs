using Dataraven.Core.Common;

namespace Dataraven.Core.CredentialRequests;

public enum CredentialRequestStatus
{
    Pending,
    Fulfilled,
    Expired,
    Revoked,
    Exhausted,
}

/// <summary>
/// A link that asks someone outside the team for a direct secret's credential, once. Only a SHA-256 hash of its token
/// is stored. <see cref="FulfilledAt"/>, <see cref="RevokedAt"/> and <see cref="ExhaustedAt"/> are concurrency tokens:
/// the save that closes the link succeeds only if nobody closed it meanwhile, so of concurrent submits exactly one wins.
/// </summary>
public sealed class CredentialRequest : ITeamRecord
{
    public Guid Id { get; set; }
    public Guid TeamId { get; set; }
    public required byte[] TokenHash { get; set; }

    /// <summary>The direct secret whose credentials are replaced; for a new secret, set when it is fulfilled.</summary>
    public Guid? SecretId { get; set; }

    /// <summary>True when the request replaces an existing secret's credentials (<see cref="SecretId"/> set at creation).</summary>
    public bool ForExistingSecret { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public required string SecretType { get; set; }
    public required string AuthMethod { get; set; }
    public string? Note { get; set; }
    public int Views { get; set; }
    public int MaxViews { get; set; }
    public bool RequireSignIn { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public Guid CreatedBy { get; set; }
    public DateTime? FulfilledAt { get; set; }
    public DateTime? RevokedAt { get; set; }

    /// <summary>When a view past <see cref="MaxViews"/> was refused.</summary>
    public DateTime? ExhaustedAt { get; set; }

    public CredentialRequestStatus StatusAt(DateTime now) =>
        FulfilledAt is not null ? CredentialRequestStatus.Fulfilled
        : RevokedAt is not null ? CredentialRequestStatus.Revoked
        : ExhaustedAt is not null ? CredentialRequestStatus.Exhausted
        : ExpiresAt <= now ? CredentialRequestStatus.Expired
        : CredentialRequestStatus.Pending;
}
