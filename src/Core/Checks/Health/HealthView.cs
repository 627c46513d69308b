using Dataraven.Core.Secrets;

namespace Dataraven.Core.Checks.Health;

/// <summary>How close a credential is to its expiry: the warning steps of DESIGN.md (30, 7 and 1 days).</summary>
public enum ExpiryWarning
{
    None,
    Within30Days,
    Within7Days,
    Within1Day,
    Expired,
}

/// <summary>
/// A secret's health as shown at a moment: the last check's status (expired once <see cref="CredentialsExpireAt"/> has
/// passed: the credential's own expiry or the team's expiry policy, whichever is earlier), the expiry warning, and
/// whether someone should look at it. The one place these rules live. <see cref="ExpiresAt"/> stays what the last check
/// read from the credential itself (the health's <c>expires_at</c>).
/// </summary>
public sealed record HealthView(CheckStatus Status, DateTime? CheckedAt, DateTime? ExpiresAt, ExpiryWarning Warning)
{
    /// <summary>The secret's <c>credentials_expire_at</c> (<see cref="Common.CredentialExpiry"/>), which the warning and status follow.</summary>
    public DateTime? CredentialsExpireAt { get; init; }

    public static HealthView Of(Secret secret, DateTime now) => Of(secret.Health, now, Common.CredentialExpiry.Of(secret));

    /// <param name="credentialsExpireAt">What <see cref="Common.CredentialExpiry"/> computed for the secret of <paramref name="health"/>.</param>
    public static HealthView Of(SecretHealth health, DateTime now, DateTime? credentialsExpireAt)
    {
        var warning = WarningOf(credentialsExpireAt, now);
        var status = warning == ExpiryWarning.Expired && health.Status.Severity() < CheckStatus.Expired.Severity()
            ? CheckStatus.Expired
            : health.Status;
        return new HealthView(status, health.CheckedAt, health.ExpiresAt, warning) { CredentialsExpireAt = credentialsExpireAt };
    }

    /// <summary>
    /// When the status <see cref="Of(Secret, DateTime)"/> gives for <paramref name="secret"/> next changes by time alone
    /// (it turns expired), or null when it will not.
    /// </summary>
    public static DateTime? StatusChangesAt(Secret secret, DateTime now) => StatusChangesAt(Common.CredentialExpiry.Of(secret), now);

    public static DateTime? StatusChangesAt(DateTime? credentialsExpireAt, DateTime now) =>
        credentialsExpireAt > now ? credentialsExpireAt : null;

    /// <summary>A failing check, or a credential that expires within a week.</summary>
    public bool NeedsAttention => IsFailure(Status) || Warning >= ExpiryWarning.Within7Days;

    /// <summary>Worse than "not checked": the check ran and something refused, was missing or did not answer.</summary>
    public static bool IsFailure(CheckStatus status) => status.Severity() > CheckStatus.Unchecked.Severity();

    public static ExpiryWarning WarningOf(DateTime? expiresAt, DateTime now) => (expiresAt - now) switch
    {
        null => ExpiryWarning.None,
        { } left when left <= TimeSpan.Zero => ExpiryWarning.Expired,
        { } left when left <= TimeSpan.FromDays(1) => ExpiryWarning.Within1Day,
        { } left when left <= TimeSpan.FromDays(7) => ExpiryWarning.Within7Days,
        { } left when left <= TimeSpan.FromDays(30) => ExpiryWarning.Within30Days,
        _ => ExpiryWarning.None,
    };
}
