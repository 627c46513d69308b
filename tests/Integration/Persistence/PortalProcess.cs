using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Dataraven.Tests.Persistence;

/// <summary>One portal process on a free port of 127.0.0.1, stopped (its process tree) on dispose.</summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly Uri _address;
    private readonly List<HttpClient> _clients = [];

    private PortalProcess(Process process, Uri address)
    {
        _process = process;
        _address = address;
    }

    public Uri Address => _address;

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = _address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        _clients.Add(client);
        return client;
    }

    private static string RepoRoot => Infrastructure.TestPortal.RepoRoot;

    /// <summary>The portal's build output beside this test build (same configuration).</summary>
    private static string PortalDll()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Path.Combine(RepoRoot, "src", "Portal", "bin", configuration, "net10.0", "Dataraven.Portal.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"Build the portal first: {dll} is missing.");
    }

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(PortalDll());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (k, v) in environment)
        {
            start.Environment[k] = v;
        }
        // The build output's own folder holds no appsettings.json: the repo root's applies, as under `dotnet run`.
        start.Environment["ASPNETCORE_CONTENTROOT"] = RepoRoot;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["RateLimits__ApiPerMinute"] = "100000";
        return start;
    }

    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(environment, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    public static async Task<PortalProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = StartInfo(environment);
        start.Environment["Urls"] = address.ToString();
        var process = Process.Start(start)!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var instance = new PortalProcess(process, address);
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The portal exited with {process.ExitCode}:\n{string.Join('\n', log.TakeLast(40))}");
            }
            try
            {
                using var response = await http.GetAsync($"/v1/teams/{Guid.Empty}/usage");
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    return instance;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                await instance.DisposeAsync();
                throw new InvalidOperationException($"The portal did not answer within {StartTimeout}:\n{string.Join('\n', log.TakeLast(40))}");
            }
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
