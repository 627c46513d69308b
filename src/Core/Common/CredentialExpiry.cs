using FluentValidation;

namespace Dataraven.Core.Common;

/// <summary>
/// When a credential must be rotated (DESIGN.md, "Ownership and the credential lifecycle"): the earlier of
/// <c>credentials_updated_at + credential_expiration_days</c> (the team's policy) and the credential's own expiry (what a
/// check read from it: SAS <c>se</c>, B2 key expiry). The one place this is computed: responses, list filters, health,
/// connection status, notices and the UI all ask here.
/// </summary>
public static class CredentialExpiry
{
    public const int MinDays = 1;
    public const int MaxDays = 3650;

    /// <summary>The wire name of the policy, for validation errors and the UI.</summary>
    public const string DaysField = "credential_expiration_days";

    /// <summary>The wire name of the list filter.</summary>
    public const string WithinDaysField = "expiring_within_days";

    /// <summary>Null when there is no policy and the credential says nothing about its own expiry.</summary>
    public static DateTime? ExpireAt(DateTime credentialsUpdatedAt, int? expirationDays, DateTime? ownExpiry)
    {
        DateTime? policy = expirationDays is { } days ? credentialsUpdatedAt.AddDays(days) : null;
        return (policy, ownExpiry) switch
        {
            ({ } p, { } o) => p < o ? p : o,
            ({ } p, null) => p,
            (null, var o) => o,
        };
    }

    public static DateTime? Of(Secrets.Secret secret) =>
        ExpireAt(secret.CredentialsUpdatedAt, secret.CredentialExpirationDays, secret.Health.ExpiresAt);

    /// <summary>A connection's token says nothing about its own expiry: only the policy applies.</summary>
    public static DateTime? Of(VaultConnections.VaultConnection connection) =>
        ExpireAt(connection.CredentialsUpdatedAt, connection.CredentialExpirationDays, null);

    public static bool IsExpired(DateTime? expireAt, DateTime now) => expireAt <= now;

    /// <summary>The <c>?expiring_within_days=N</c> filter: expires at or before now + N days (already expired included).</summary>
    public static bool ExpiresWithin(DateTime? expireAt, DateTime now, int days) => expireAt <= now.AddDays(days);

    /// <summary>Null (no policy) or 1-3650; errors keyed <c>credential_expiration_days</c>.</summary>
    public static IRuleBuilderOptions<T, int?> ExpirationDays<T>(this IRuleBuilderInitial<T, int?> rule) =>
        rule.Must(d => d is null or >= MinDays and <= MaxDays)
            .WithMessage($"Must be between {MinDays} and {MaxDays} days, or null for no expiry policy.")
            .OverridePropertyName(DaysField);

    /// <summary>The list filter's value: null when absent, else 0-3650, or the message for a 400 on <c>expiring_within_days</c>.</summary>
    public static bool TryParseWithinDays(string? value, out int? days, out string? error)
    {
        days = null;
        error = null;
        if (value is null)
        {
            return true;
        }
        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            && n is >= 0 and <= MaxDays)
        {
            days = n;
            return true;
        }
        error = $"Must be a whole number of days from 0 to {MaxDays}.";
        return false;
    }
}

/// <summary>
/// The expiry policy in a PATCH body (secrets and vault connections). Unlike the other fields of a PATCH, null here is a
/// value: an explicit <c>null</c> clears the policy, and only an absent field leaves it unchanged
/// (<see cref="CredentialExpirationDaysGiven"/>: the JSON reader calls the setter only for a field it finds).
/// </summary>
public abstract class ExpiryPolicyPatch
{
    private int? _credentialExpirationDays;

    public int? CredentialExpirationDays
    {
        get => _credentialExpirationDays;
        set
        {
            _credentialExpirationDays = value;
            CredentialExpirationDaysGiven = true;
        }
    }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool CredentialExpirationDaysGiven { get; private set; }
}
