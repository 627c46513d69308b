using Dataraven.Core.VaultConnections;

namespace Dataraven.Core.VaultProviders;

/// <summary>The non-secret settings of a vault connection that a provider call needs.</summary>
public sealed record VaultConnectionSettings(
    string? Project = null,
    string? Config = null,
    string? ProjectId = null,
    string? Environment = null,
    string? SecretPath = null,
    string? Vault = null);

public enum ProviderOutcome
{
    /// <summary>The provider accepted the credentials and the settings.</summary>
    Ok,

    /// <summary>The provider refused the credentials, or the project/config/environment does not exist (422 provider_rejected).</summary>
    Rejected,

    /// <summary>The provider could not be reached, timed out or answered 5xx (502 provider_unreachable).</summary>
    Unreachable,

    /// <summary>The portal already has as many calls in flight to this provider as it allows (503 provider_busy); nothing was asked.</summary>
    Busy,
}

/// <summary>A provider's answer. <see cref="Message"/> is sanitized: it never contains a credential.</summary>
public sealed record ProviderCheck(ProviderOutcome Outcome, string? Message = null)
{
    public static readonly ProviderCheck Success = new(ProviderOutcome.Ok);

    /// <summary>When <see cref="Outcome"/> is <see cref="ProviderOutcome.Busy"/>: when to try again.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static ProviderCheck Busy(string provider, TimeSpan retryAfter) =>
        new(ProviderOutcome.Busy, $"Too many calls to {provider} are in progress; try again shortly.") { RetryAfter = retryAfter };

    public bool Ok => Outcome == ProviderOutcome.Ok;
}

/// <summary>
/// One client per vault type. Credential field names: <c>access_token</c> (1Password, Doppler),
/// <c>client_id</c> and <c>client_secret</c> (Infisical).
/// </summary>
public interface IVaultProviderClient
{
    VaultType VaultType { get; }

    Task<ProviderCheck> VerifyAsync(VaultConnectionSettings settings, IReadOnlyDictionary<string, string> credentials,
        CancellationToken ct = default);

    /// <summary>
    /// Resolves each reference (in order) through the connection: one <see cref="ReferenceRead"/> per reference. Never throws for
    /// the provider's answer; messages are sanitized against the credentials and every value read.
    /// </summary>
    Task<IReadOnlyList<ReferenceRead>> ReadAsync(VaultConnectionSettings settings, IReadOnlyDictionary<string, string> credentials,
        IReadOnlyList<string> references, CancellationToken ct = default);

    /// <summary>Whether <paramref name="path"/> can be browsed on this connection, and what browsing it costs in reads.</summary>
    BrowsePlan PlanBrowse(VaultConnectionSettings settings, string path);

    /// <summary>
    /// The names (never the values) at <paramref name="path"/> (already accepted by <see cref="PlanBrowse"/>). A value that the
    /// provider's answer carries is dropped while it is parsed. Never throws for the provider's answer; messages are sanitized.
    /// </summary>
    Task<BrowseResult> BrowseAsync(VaultConnectionSettings settings, IReadOnlyDictionary<string, string> credentials, string path,
        CancellationToken ct = default);
}
