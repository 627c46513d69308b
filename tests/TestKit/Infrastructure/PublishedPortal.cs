using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Dataraven.Tests.Infrastructure;

/// <summary>
/// <c>dotnet publish src/Portal --no-build</c> into a temp folder, once per test class (publishing is slow), deleted
/// afterwards. What a user deploys: the tests below start it as they would, never the build output.
/// </summary>
public sealed class PublishFixture : IAsyncLifetime
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    public string Folder { get; } = Directory.CreateTempSubdirectory("dr-publish-").FullName;

    public string Dll => Path.Combine(Folder, "Dataraven.Portal.dll");

    public async Task InitializeAsync()
    {
        var publish = await PublishedPortal.RunAsync("dotnet", TestPortal.RepoRoot, new Dictionary<string, string>(),
            "publish", Path.Combine(TestPortal.RepoRoot, "src", "Portal"), "--no-build", "-c", Configuration, "-o", Folder, "-nologo");
        if (publish.Code != 0)
        {
            throw new InvalidOperationException("dotnet publish failed:\n" + publish.Output);
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>
/// One published portal process (<c>dotnet Dataraven.Portal.dll</c>) in a working folder of the test's choosing, with
/// only the environment the test gives it. Stopped with SIGTERM by the test, killed on dispose if still running.
/// </summary>
public sealed class PublishedPortal : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log;

    private PublishedPortal(Process process, Uri address, ConcurrentQueue<string> log)
    {
        _process = process;
        Address = address;
        _log = log;
    }

    public Uri Address { get; }

    public string Log => string.Join('\n', _log);

    public bool HasExited => _process.HasExited;

    /// <summary>Settings that keep this portal's data in <paramref name="folder"/> (absolute paths).</summary>
    public static Dictionary<string, string> DataIn(string folder) => new()
    {
        ["ConnectionStrings__Portal"] = $"Data Source={Path.Combine(folder, "portal.db")}",
        ["CredentialStore__Local__Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["CredentialStore__Local__Path"] = Path.Combine(folder, "credentials"),
        ["DataProtection__KeysPath"] = Path.Combine(folder, "keys"),
    };

    /// <summary>Starts the portal and waits until <c>/healthz</c> answers at <paramref name="address"/> (which the environment must make it listen on).</summary>
    public static async Task<PublishedPortal> StartAsync(PublishFixture publish, string workingDirectory, Uri address,
        IReadOnlyDictionary<string, string> environment)
    {
        var log = new ConcurrentQueue<string>();
        var process = Process.Start(StartInfo("dotnet", workingDirectory, environment, publish.Dll))!;
        process.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var portal = new PublishedPortal(process, address, log);
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The published portal exited with {process.ExitCode}:\n{portal.Log}");
            }
            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return portal;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                await portal.DisposeAsync();
                throw new InvalidOperationException($"The published portal did not answer at {address} within {StartTimeout}:\n{portal.Log}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>A CLI command of the published portal (e.g. bootstrap) with the same kind of environment.</summary>
    public static Task<(int Code, string Output)> CommandAsync(PublishFixture publish, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync("dotnet", workingDirectory, environment, [publish.Dll, .. args]);

    public static async Task<(int Code, string Output)> RunAsync(string file, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(file, workingDirectory, environment, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Sends SIGTERM (what systemd and container runtimes send) and waits up to <paramref name="timeout"/> for the exit code.</summary>
    public async Task<int?> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ProcessStartInfo StartInfo(string file, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        // The published portal must not inherit settings from the test host's environment.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__") || k.StartsWith("CredentialStore__") ||
                     k.StartsWith("ASPNETCORE_") || k.StartsWith("DOTNET_ENVIRONMENT") || k.StartsWith("DOTNET_CONTENTROOT") ||
                     k.StartsWith("AWS_")).ToList())
        {
            start.Environment.Remove(key);
        }
        foreach (var (k, v) in environment)
        {
            start.Environment[k] = v;
        }
        return start;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
