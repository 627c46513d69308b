using System.Text.Json;
using System.Text.RegularExpressions;
using Dataraven.Core.Checks;
using Dataraven.Core.VaultConnections;
using Microsoft.Extensions.Logging;

namespace Dataraven.Core.VaultProviders;

/// <summary>
/// Verifies a 1Password service account token with the <c>op</c> CLI (<c>op vault list --format json</c>) and reads
/// references with <c>op read</c>: builds the arguments and classifies the answers; <see cref="IOpProcessRunner"/> runs the process.
/// </summary>
public sealed partial class OnePasswordCliClient : IVaultProviderClient
{
    public const string AccessTokenField = "access_token";

    private readonly IOpProcessRunner _runner;
    private readonly ILogger<OnePasswordCliClient> _logger;

    public OnePasswordCliClient(IOpProcessRunner runner, ILogger<OnePasswordCliClient> logger)
    {
        _runner = runner;
        _logger = logger;
    }

    public VaultType VaultType => VaultType.OnePassword;

    /// <summary>The arguments passed to <c>op</c> for a verification (no credential among them).</summary>
    public static IReadOnlyList<string> VerifyArguments { get; } = ["vault", "list", "--format", "json"];

    public async Task<ProviderCheck> VerifyAsync(VaultConnectionSettings settings, IReadOnlyDictionary<string, string> credentials,
        CancellationToken ct = default)
    {
        if (!credentials.TryGetValue(AccessTokenField, out var token) || string.IsNullOrWhiteSpace(token))
        {
            return new ProviderCheck(ProviderOutcome.Rejected, "1Password needs an access_token (a service account token, ops_...).");
        }

        var check = settings.Vault is { } vault
            ? await VerifyVaultAsync(token, vault, [.. credentials.Values], ct).ConfigureAwait(false)
            : await RunAsync(token, [.. credentials.Values], ct).ConfigureAwait(false);
        _logger.Log(check.Ok ? LogLevel.Information : LogLevel.Warning,
            "1Password verification: {Outcome}: {Message}", check.Outcome, check.Message ?? "ok");
        return check;
    }

    private async Task<ProviderCheck> RunAsync(string token, string?[] secrets, CancellationToken ct)
    {
        var run = await _runner.RunAsync(token, VerifyArguments, secrets, ct).ConfigureAwait(false);
        if (run.Failure is not null) return new ProviderCheck(ProviderOutcome.Unreachable, run.Failure);
        if (run.ExitCode == 0)
        {
            return IsJsonArray(run.Stdout)
                ? ProviderCheck.Success
                : new ProviderCheck(ProviderOutcome.Unreachable, "The 1Password CLI answered with unexpected output (expected a JSON vault list).");
        }
        return Classify(run.ExitCode, run.Stderr, secrets);
    }

    /// <summary>The arguments of a scoped verification: <c>op vault get &lt;vault&gt; --format json</c>.</summary>
    public static IReadOnlyList<string> VaultGetArguments(string vault) => ["vault", "get", vault, "--format", "json"];

    /// <summary>A scoped connection: the token must reach that one vault; a vault it cannot see is a refusal, not an outage.</summary>
    private async Task<ProviderCheck> VerifyVaultAsync(string token, string vault, string?[] secrets, CancellationToken ct)
    {
        var run = await _runner.RunAsync(token, VaultGetArguments(vault), secrets, ct).ConfigureAwait(false);
        if (run.Failure is not null) return new ProviderCheck(ProviderOutcome.Unreachable, run.Failure);
        if (run.ExitCode == 0)
        {
            return IsJsonObject(run.Stdout)
                ? ProviderCheck.Success
                : new ProviderCheck(ProviderOutcome.Unreachable, "The 1Password CLI answered with unexpected output (expected a JSON vault).");
        }
        return ClassifyVaultFailure(run.ExitCode, run.Stderr, vault, secrets);
    }

    /// <summary>
    /// A failed run that names a vault: network first, then a vault the token cannot see (422 "the token cannot access vault 'X'"),
    /// then authentication, as <see cref="Classify"/>.
    /// </summary>
    public static ProviderCheck ClassifyVaultFailure(int exitCode, string? stderr, string vault, IEnumerable<string?> secrets)
    {
        var lower = ErrorPrefix().Replace(stderr ?? "", "").ToLowerInvariant();
        if (!NetworkMarkers.Any(lower.Contains) && MissingMarkers.Any(lower.Contains))
        {
            return new ProviderCheck(ProviderOutcome.Rejected,
                $"The token cannot access vault '{ProviderMessages.Sanitize(vault, secrets)}' (op exit {exitCode}).");
        }
        return Classify(exitCode, stderr, secrets);
    }

    /// <summary>The arguments of a reference read: <c>op read --no-newline &lt;reference&gt;</c> (the reference is not secret).</summary>
    public static IReadOnlyList<string> ReadArguments(string reference) => ["read", "--no-newline", reference];

    /// <summary>Runs <c>op read</c> once per reference, the token in the environment only.</summary>
    public async Task<IReadOnlyList<ReferenceRead>> ReadAsync(VaultConnectionSettings settings, IReadOnlyDictionary<string, string> credentials,
        IReadOnlyList<string> references, CancellationToken ct = default)
    {
        if (!credentials.TryGetValue(AccessTokenField, out var token) || string.IsNullOrWhiteSpace(token))
        {
            return ReferenceRead.FailAll(references, CheckStatus.Rejected, "The 1Password connection has no access token stored: rotate its credentials.");
        }

        List<string?> secrets = [.. credentials.Values];
        var reads = new List<ReferenceRead>(references.Count);
        foreach (var reference in references)
        {
            var run = await _runner.RunAsync(token, ReadArguments(reference), [.. secrets], ct).ConfigureAwait(false);
            var read = run.Failure is not null ? ReferenceRead.Failed(CheckStatus.Unreachable, run.Failure)
                : run.ExitCode == 0 ? ReferenceRead.Found(run.Stdout)
                : ClassifyRead(run.ExitCode, run.Stderr, secrets);
            if (read.Value is not null) secrets.Add(read.Value);
            _logger.Log(read.Status == CheckStatus.Ok ? LogLevel.Information : LogLevel.Warning,
                "1Password read of {Reference}: {Status}: {Message}", reference, read.Status.ToWire(), read.Message ?? "ok");
            reads.Add(read);
        }
        return reads;
    }

    /// <summary>Maps a failed <c>op read</c>: network, rate limit, a reference that names nothing, then authentication.</summary>
    public static ReferenceRead ClassifyRead(int exitCode, string? stderr, IEnumerable<string?> secrets)
    {
        var stripped = ErrorPrefix().Replace(stderr ?? "", "");
        var detail = ProviderMessages.Sanitize(stripped, secrets);
        var suffix = string.IsNullOrEmpty(detail) ? "" : $": {detail}";
        var lower = stripped.ToLowerInvariant();
        if (RateLimitMarkers.Any(lower.Contains))
        {
            return ReferenceRead.Failed(CheckStatus.RateLimited, $"1Password rate limit reached (op exit {exitCode}){suffix}");
        }
        if (NetworkMarkers.Any(lower.Contains))
        {
            return ReferenceRead.Failed(CheckStatus.Unreachable, $"1Password could not be reached (op exit {exitCode}){suffix}");
        }
        if (MissingMarkers.Any(lower.Contains))
        {
            return ReferenceRead.Failed(CheckStatus.Missing, $"1Password has nothing at this reference (op exit {exitCode}){suffix}");
        }
        return Classify(exitCode, stderr, secrets).Outcome == ProviderOutcome.Rejected
            ? ReferenceRead.Failed(CheckStatus.Rejected, $"1Password rejected the service account token (op exit {exitCode}){suffix}")
            : ReferenceRead.Failed(CheckStatus.Unreachable, $"The 1Password CLI failed (op exit {exitCode}){suffix}");
    }

    private static readonly string[] RateLimitMarkers = ["too many requests", "rate limit", "429"];

    private static readonly string[] MissingMarkers =
    [
        "isn't an item", "isn't a vault", "isn't a field", "isn't a section", "could not find", "couldn't find", "no item",
        "not found", "does not exist", "doesn't exist", "no such",
    ];

    /// <summary>Maps a failed <c>op</c> run to Rejected (authentication) or Unreachable (network, anything else).</summary>
    public static ProviderCheck Classify(int exitCode, string? stderr, IEnumerable<string?> credentials)
    {
        var stripped = ErrorPrefix().Replace(stderr ?? "", "");
        var detail = ProviderMessages.Sanitize(stripped, credentials);
        var suffix = string.IsNullOrEmpty(detail) ? "" : $": {detail}";
        var lower = stripped.ToLowerInvariant();

        if (NetworkMarkers.Any(lower.Contains))
        {
            return new ProviderCheck(ProviderOutcome.Unreachable, $"1Password could not be reached (op exit {exitCode}){suffix}");
        }
        if (AuthMarkers.Any(lower.Contains))
        {
            return new ProviderCheck(ProviderOutcome.Rejected, $"1Password rejected the service account token (op exit {exitCode}){suffix}");
        }
        return new ProviderCheck(ProviderOutcome.Unreachable, $"The 1Password CLI failed (op exit {exitCode}){suffix}");
    }

    private static readonly string[] NetworkMarkers =
    [
        "dial tcp", "connection refused", "connection reset", "no such host", "i/o timeout", "timeout", "timed out",
        "network is unreachable", "tls handshake", "eof", "temporary failure", "502", "503", "504", "service unavailable",
        "could not connect", "couldn't connect",
    ];

    private static readonly string[] AuthMarkers =
    [
        "authentication", "authenticat", "unauthorized", "invalid token", "invalid service account token", "token is invalid",
        "expired", "revoked", "forbidden", "401", "403", "not authorized", "signin", "sign in", "sign-in", "invalid", "token",
    ];

    /// <summary><c>[ERROR] 2025/01/01 12:00:00 </c> at the start of each of op's error lines.</summary>
    [GeneratedRegex(@"(?m)^\s*\[(?:ERROR|WARN|WARNING)\]\s*(?:\d{4}/\d{2}/\d{2}\s+\d{2}:\d{2}:\d{2}\s*)?", RegexOptions.CultureInvariant)]
    private static partial Regex ErrorPrefix();

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsJsonArray(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Array;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
