using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dataraven.Core.VaultProviders;

/// <summary>One finished <c>op</c> run, or why it did not run to the end. Its output can be a secret value: no ToString prints it.</summary>
public sealed class OpRun
{
    public string? Failure { get; init; }
    public int ExitCode { get; init; }
    public string Stdout { get; init; } = "";
    public string Stderr { get; init; } = "";

    public override string ToString() => Failure is null ? $"OpRun(exit {ExitCode})" : "OpRun(failed)";
}

/// <summary>Runs the 1Password CLI once; what to ask it and what its answer means is the client's business.</summary>
public interface IOpProcessRunner
{
    /// <summary>
    /// Runs <c>op</c> with <paramref name="arguments"/> and the service account <paramref name="token"/>. A failure to start
    /// or to finish in time is <see cref="OpRun.Failure"/>, sanitized against <paramref name="secrets"/>.
    /// </summary>
    Task<OpRun> RunAsync(string token, IReadOnlyList<string> arguments, IReadOnlyCollection<string?> secrets, CancellationToken ct);
}

/// <summary>
/// Starts <c>Vaults:OnePassword:CliPath</c> with the token only in the environment variable <c>OP_SERVICE_ACCOUNT_TOKEN</c>
/// (never in argv), stdin closed, and kills the process tree when <c>Vaults:OnePassword:TimeoutSeconds</c> runs out.
/// </summary>
public sealed class OpCliRunner(IOptions<VaultProviderOptions> options, ILogger<OpCliRunner> logger) : IOpProcessRunner
{
    public const string TokenEnvironmentVariable = "OP_SERVICE_ACCOUNT_TOKEN";

    public const string InstallHint =
        "Install the 1Password CLI on the portal host (https://developer.1password.com/docs/cli/get-started/) " +
        "and set Vaults:OnePassword:CliPath to the full path of the 'op' executable.";

    private readonly OnePasswordProviderOptions _options = options.Value.OnePassword;

    public async Task<OpRun> RunAsync(string token, IReadOnlyList<string> arguments, IReadOnlyCollection<string?> secrets, CancellationToken ct)
    {
        var cliPath = string.IsNullOrWhiteSpace(_options.CliPath) ? OnePasswordProviderOptions.DefaultCliPath : _options.CliPath;

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
            logger.LogError("1Password CLI not found or not executable at the configured Vaults:OnePassword:CliPath");
            return new OpRun
            {
                Failure = $"The 1Password CLI was not found or is not executable at '{ProviderMessages.Sanitize(cliPath, secrets)}'. {InstallHint}",
            };
        }

        try { process.StandardInput.Close(); } catch (IOException) { /* the process may already be gone */ }
        var stdoutTask = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderrTask = process.StandardError.ReadToEndAsync(CancellationToken.None);

        var timeout = _options.Timeout;
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
