using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dataraven.Core.Checks;
using Dataraven.Core.VaultConnections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dataraven.Core.VaultProviders;

/// <summary>
/// Verifies a 1Password service account token with the <c>op</c> CLI: <c>op vault list --format json</c>, the token
/// only in the environment variable <c>OP_SERVICE_ACCOUNT_TOKEN</c> (never in argv). The process tree is killed on timeout.
/// </summary>
public sealed partial class OnePasswordCliClient : IVaultProviderClient
{
    public const string AccessTokenField = "access_token";
    public const string TokenEnvironmentVariable = "OP_SERVICE_ACCOUNT_TOKEN";

    public const string InstallHint =
        "Install the 1Password CLI on the portal host (https://developer.1password.com/docs/cli/get-started/) " +
        "and set Vaults:OnePassword:CliPath to the full path of the 'op' executable.";

    private readonly VaultProviderOptions _options;
    private readonly ILogger<OnePasswordCliClient> _logger;

    public OnePasswordCliClient(IOptions<VaultProviderOptions> options, ILogger<OnePasswordCliClient> logger)
    {
        _options = options.Value;
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

        var check = await RunAsync(token, [.. credentials.Values], ct).ConfigureAwait(false);
        _logger.Log(check.Ok ? LogLevel.Information : LogLevel.Warning,
            "1Password verification: {Outcome}: {Message}", check.Outcome, check.Message ?? "ok");
        return check;
    }

    private async Task<ProviderCheck> RunAsync(string token, string?[] secrets, CancellationToken ct)
    {
        var run = await RunOpAsync(token, VerifyArguments, secrets, ct).ConfigureAwait(false);
        if (run.Failure is not null) return new ProviderCheck(ProviderOutcome.Unreachable, run.Failure);
        if (run.ExitCode == 0)
        {
            return IsJsonArray(run.Stdout)
                ? ProviderCheck.Success
                : new ProviderCheck(ProviderOutcome.Unreachable, "The 1Password CLI answered with unexpected output (expected a JSON vault list).");
        }
        return Classify(run.ExitCode, run.Stderr, secrets);
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
            var run = await RunOpAsync(token, ReadArguments(reference), [.. secrets], ct).ConfigureAwait(false);
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

    /// <summary>One finished <c>op</c> run, or why it did not run to the end. Its output can be a secret value: no ToString prints it.</summary>
    private sealed class OpRun
    {
        public string? Failure { get; init; }
        public int ExitCode { get; init; }
        public string Stdout { get; init; } = "";
        public string Stderr { get; init; } = "";

        public override string ToString() => Failure is null ? $"OpRun(exit {ExitCode})" : "OpRun(failed)";
    }

    private async Task<OpRun> RunOpAsync(string token, IReadOnlyList<string> arguments, string?[] secrets, CancellationToken ct)
    {
        var cliPath = string.IsNullOrWhiteSpace(_options.OnePassword.CliPath) ? OnePasswordProviderOptions.DefaultCliPath : _options.OnePassword.CliPath;

        var psi = new ProcessStartInfo(cliPath)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) psi.ArgumentList.Add(argument);

        // Only our token decides who op is: drop inherited OP_* settings (Connect host/token, sessions, accounts).
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("OP_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            psi.Environment.Remove(key);
        }
        psi.Environment[TokenEnvironmentVariable] = token;

        using var process = new Process { StartInfo = psi };
        try
        {
            if (!process.Start())
            {
                return new OpRun { Failure = $"The 1Password CLI could not be started. {InstallHint}" };
            }
        }
        catch (Win32Exception)
        {
            _logger.LogError("1Password CLI not found or not executable at the configured Vaults:OnePassword:CliPath");
            return new OpRun
            {
                Failure = $"The 1Password CLI was not found or is not executable at '{ProviderMessages.Sanitize(cliPath, secrets)}'. {InstallHint}",
            };
        }

        try { process.StandardInput.Close(); } catch (IOException) { /* the process may already be gone */ }
        var stdoutTask = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderrTask = process.StandardError.ReadToEndAsync(CancellationToken.None);

        var timeout = _options.OnePassword.Timeout;
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeoutCts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await KillTreeAsync(process).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            return new OpRun { Failure = $"The 1Password CLI did not finish within {timeout.TotalSeconds:0.##} s and was stopped." };
        }

        return new OpRun
        {
            ExitCode = process.ExitCode,
            Stdout = await ReadOrEmptyAsync(stdoutTask).ConfigureAwait(false),
            Stderr = await ReadOrEmptyAsync(stderrTask).ConfigureAwait(false),
        };
    }

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

    private static async Task<string> ReadOrEmptyAsync(Task<string> read)
    {
        try
        {
            // A grandchild that inherited the pipes could keep them open: do not wait for it forever.
            return await read.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or ObjectDisposedException)
        {
            return string.Empty;
        }
    }

    private static async Task KillTreeAsync(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited.
        }
        try
        {
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Give up waiting; the kill was requested.
        }
    }
}
