using Dataraven.Core.Teams;

namespace Dataraven.Core.Invitations;

/// <summary>
/// An invitation to join a team with a role, bound to one email. Only a SHA-256 hash of its token is stored: the
/// link holding the token is shown once, to the inviter.
/// </summary>
public sealed class Invitation
{
    public Guid Id { get; set; }
    public Guid TeamId { get; set; }
    public required string Email { get; set; }

    /// <summary>The email upper-cased, as Identity normalizes it, so one address has one pending invitation.</summary>
    public required string EmailNormalized { get; set; }
    public TeamRole Role { get; set; }
    public required byte[] TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public Guid CreatedBy { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? AcceptedAt { get; set; }
    public Guid? AcceptedBy { get; set; }
    public DateTime? RevokedAt { get; set; }

    public bool IsPendingAt(DateTime now) => AcceptedAt is null && RevokedAt is null && ExpiresAt > now;
}
