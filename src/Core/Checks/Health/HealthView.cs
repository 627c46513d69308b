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
/// A secret's health as shown at a moment: the last check's status (expired once the credential's own expiry has
/// passed), the expiry warning, and whether someone should look at it. The one place these rules live.
/// </summary>
public sealed record HealthView(CheckStatus Status, DateTime? CheckedAt, DateTime? ExpiresAt, ExpiryWarning Warning)
{
    public static HealthView Of(SecretHealth health, DateTime now)
    {
        var warning = WarningOf(health.ExpiresAt, now);
        var status = warning == ExpiryWarning.Expired && health.Status.Severity() < CheckStatus.Expired.Severity()
            ? CheckStatus.Expired
            : health.Status;
        return new HealthView(status, health.CheckedAt, health.ExpiresAt, warning);
    }

    /// <summary>
    /// When what <see cref="Of"/> gives for <paramref name="health"/> next changes by time alone (its status turns
    /// expired), or null when it will not.
    /// </summary>
    public static DateTime? StatusChangesAt(SecretHealth health, DateTime now) => health.ExpiresAt > now ? health.ExpiresAt : null;

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
