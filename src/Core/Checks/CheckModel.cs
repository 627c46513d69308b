using Dataraven.Core.Secrets;

namespace Dataraven.Core.Checks;

/// <summary>How a check of one field, of the storage service or of a whole secret came out (DESIGN.md, "Checks").</summary>
public enum CheckStatus
{
    Ok,
    Missing,
    Rejected,
    Expired,
    Unreachable,
    RateLimited,
    Misconfigured,
    Unchecked,
}

public static class CheckStatuses
{
    public static readonly IReadOnlyList<CheckStatus> All = Enum.GetValues<CheckStatus>();

    public static string ToWire(this CheckStatus status) => status switch
    {
        CheckStatus.RateLimited => "rate_limited",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static CheckStatus? FromWire(string? wire) => All.Cast<CheckStatus?>().FirstOrDefault(s => s!.Value.ToWire() == wire);

    /// <summary>
    /// Which of two outcomes is worse, for a secret's <c>error_class</c> (the worst field's status): what the user must
    /// fix first. Unchecked ranks below every failure and above ok.
    /// </summary>
    public static int Severity(this CheckStatus status) => status switch
    {
        CheckStatus.Ok => 0,
        CheckStatus.Unchecked => 1,
        CheckStatus.RateLimited => 2,
        CheckStatus.Unreachable => 3,
        CheckStatus.Misconfigured => 4,
        CheckStatus.Expired => 5,
        CheckStatus.Missing => 6,
        CheckStatus.Rejected => 7,
        _ => 0,
    };

    public static CheckStatus Worst(IEnumerable<CheckStatus> statuses) =>
        statuses.DefaultIfEmpty(CheckStatus.Unchecked).MaxBy(Severity);
}

/// <summary>Where a storage check looks: non-secret settings remembered on the secret so scheduled checks reuse them.</summary>
public sealed record CheckTarget(string? Bucket = null, string? EndpointUrl = null, string? Region = null)
{
    public static readonly CheckTarget None = new();
}

/// <summary>
/// One credential field: its status, and for a value that was read, its length and fingerprint (first 8 hex
/// characters of HMAC-SHA256 under the installation's key). Never the value.
/// </summary>
public sealed record FieldCheck(string FieldName, CheckStatus Status, int? Length = null, string? Fingerprint = null, string? Message = null);

/// <summary>What a side-effect-free probe learned about the operations the credential allows; null where unknown.</summary>
public sealed record StorageCapabilities(bool? List = null, bool? Read = null, bool? Write = null)
{
    public static readonly StorageCapabilities Unknown = new();
}

/// <summary>The storage service's answer. <see cref="ExpiresAt"/> comes from the credential itself (SAS <c>se</c>, B2 key expiry).</summary>
public sealed record StorageCheck(CheckStatus Status, StorageCapabilities Capabilities, string? Message = null, DateTime? ExpiresAt = null)
{
    public static StorageCheck NotChecked(string message) => new(CheckStatus.Unchecked, StorageCapabilities.Unknown, message);
}

/// <summary>A secret's check: the response body of <c>POST /v1/teams/{team_id}/secrets/{id}/check</c> in domain form.</summary>
public sealed record SecretCheck(
    CheckStatus Status,
    DateTime CheckedAt,
    IReadOnlyList<FieldCheck> Fields,
    StorageCheck Storage,
    DateTime? ExpiresAt,
    CheckStatus? ErrorClass);

/// <summary>
/// Unsaved editor input to check before saving: direct credential values, or mappings through a saved vault
/// connection of the same team. Its <see cref="ToString"/> never prints values.
/// </summary>
public sealed class SecretDraft
{
    public required Guid TeamId { get; init; }
    public required string SecretType { get; init; }
    public required string AuthMethod { get; init; }

    /// <summary>Direct values by field name (null for a vault draft). Held in memory only.</summary>
    public IReadOnlyDictionary<string, string>? Credentials { get; init; }

    public Guid? VaultConnectionId { get; init; }
    public IReadOnlyList<FieldMapping> FieldMappings { get; init; } = [];

    public override string ToString() => $"SecretDraft({SecretType}/{AuthMethod}, {(Credentials is null ? "vault" : "direct")})";
}

/// <summary>
/// Proves that a secret works without any value leaving the portal: reads direct values from the credential store
/// or resolves vault references through the secret's connection (values in memory only), then probes the storage
/// service with them. Never throws for a provider's or a storage service's answer: every outcome is a status.
/// </summary>
public interface ISecretChecker
{
    Task<SecretCheck> CheckAsync(Secret secret, CheckTarget target, CancellationToken ct = default);

    Task<SecretCheck> CheckDraftAsync(SecretDraft draft, CheckTarget target, CancellationToken ct = default);
}

/// <summary>
/// Reference reads per connection in the current hour, against the hourly budget its provider declares in the catalog
/// (1Password: <c>Checks:OnePasswordReadsPerHour</c>): the resolver takes from it before reading (a refused take is
/// <see cref="CheckStatus.RateLimited"/>), the scheduler spreads its checks by it, and the connection shows it as a meter.
/// </summary>
public interface IProviderReadMeter
{
    /// <summary>The reads a connection of <paramref name="type"/> may make per hour; null when its provider has no budget.</summary>
    int? BudgetPerHour(VaultConnections.VaultType type);

    int ReadsThisHour(Guid connectionId);

    /// <summary>Takes <paramref name="reads"/> from the connection's budget; always succeeds for a provider without one.</summary>
    bool TryTake(VaultConnections.VaultType type, Guid connectionId, int reads);
}
