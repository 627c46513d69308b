using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Dataraven.Tests.Hosting;

/// <summary>A published portal carries its configuration: run from any folder, it reads the root appsettings.json.</summary>
public sealed class PublishTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
    private readonly string _publish = Directory.CreateTempSubdirectory("dr-publish-").FullName;
    private readonly string _elsewhere = Directory.CreateTempSubdirectory("dr-cwd-").FullName;

    public void Dispose()
    {
        Directory.Delete(_publish, recursive: true);
        Directory.Delete(_elsewhere, recursive: true);
    }

    [Fact]
    public async Task Publish_CarriesAppSettings_AndThePublishedPortalUsesIt()
    {
        var root = RepoRoot();
        var publish = await RunAsync("dotnet", root, "publish", Path.Combine(root, "src", "Portal"), "--no-build", "-c", Configuration, "-o", _publish, "-nologo");
        Assert.True(publish.Code == 0, publish.Output);

        var published = Path.Combine(_publish, "appsettings.json");
        Assert.True(File.Exists(published), "appsettings.json is missing from the publish output");
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(root, "appsettings.json")), await File.ReadAllTextAsync(published));

        // Started from an unrelated folder: relative paths in the file resolve beside the binaries, and its
        // log levels apply (no EF command text at Information).
        var run = await RunAsync("dotnet", _elsewhere, Path.Combine(_publish, "Dataraven.Portal.dll"),
            "bootstrap", "--team", "Published", "--email", "owner@example.com", "--password", "correct horse battery");
        Assert.True(run.Code == 0, run.Output);
        var line = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single(l => l.TrimStart().StartsWith('{'));
        Assert.StartsWith("dr_", (string?)JsonNode.Parse(line)!["api_key"]);
        Assert.True(File.Exists(Path.Combine(_publish, "data", "portal.db")), "the database was not created under the publish folder");
        Assert.False(Directory.Exists(Path.Combine(_elsewhere, "data")));
        Assert.DoesNotContain("Executed DbCommand", run.Output);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dataraven.Portal.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Dataraven.Portal.sln not found above the test output.");
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string cwd, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        // The published portal must not inherit settings from the test host's environment.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__") || k.StartsWith("CredentialStore__") || k.StartsWith("ASPNETCORE_") || k.StartsWith("DOTNET_ENVIRONMENT")).ToList())
        {
            start.Environment.Remove(key);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
