using System.Diagnostics;

namespace Dataraven.Tests.Api;

/// <summary>
/// Command-line tools from npm that test.sh installs outside the repository, like Azurite:
/// @redocly/cli 2.77.0 and openapi-typescript 7.13.0 in ~/.cache/dataraven/redocly.
/// </summary>
public static class NpmTools
{
    public static readonly string Folder = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "dataraven", "redocly");

    /// <summary>The tool's executable; a missing one fails the test that needs it (never skips it).</summary>
    public static string Find(string name)
    {
        var path = Path.Combine(Folder, "node_modules", ".bin", name);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{name} was not found in {Folder}: run ./test.sh once (it installs @redocly/cli@2.77.0 and openapi-typescript@7.13.0 there), " +
                $"or `npm install --prefix {Folder} @redocly/cli@2.77.0 openapi-typescript@7.13.0`.");
        }
        return path;
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string name, params string[] arguments)
    {
        var start = new ProcessStartInfo(Find(name))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // No update check or telemetry: the tests run without the internet.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
