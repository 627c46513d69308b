using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dataraven.Core.CredentialStore;
using Dataraven.Tests.Infrastructure;
using Dataraven.Tests.Unit.Validation;
using Xunit.Abstractions;

namespace Dataraven.Tests.Persistence;

/// <summary>
/// Two portal processes (the built Dataraven.Portal.dll) on one PostgreSQL database and one shared local
/// credential store, as behind a load balancer. Concurrent creates split across both must keep the tier limits
/// and the name uniqueness exact: the database, not either process's memory, decides.
/// </summary>
public sealed class TwoInstanceRaceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Requests = 50;
    private readonly List<PortalProcess> _instances = [];
    private readonly Dictionary<string, string> _environment = new();
    private string _dataDir = "";

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.SharedAsync();
        _dataDir = Directory.CreateTempSubdirectory("dr-two-").FullName;
        _environment["Database__Provider"] = "Postgres";
        _environment["ConnectionStrings__Portal"] = await server.CreateDatabaseAsync("two");
        _environment["CredentialStore__Provider"] = "Local";
        _environment["CredentialStore__Local__Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        _environment["CredentialStore__Local__Path"] = Path.Combine(_dataDir, "credentials");
        // Both start (and migrate) at once: the migration lock lets one of them apply the schema.
        var starting = Enumerable.Range(0, 2).Select(_ => PortalProcess.StartAsync(_environment)).ToList();
        _instances.AddRange(await Task.WhenAll(starting));
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
        Directory.Delete(_dataDir, recursive: true);
    }

    private async Task<(Guid TeamId, string Key)> BootstrapAsync(string tier)
    {
        var (code, stdout, stderr) = await PortalProcess.RunAsync(_environment,
            "bootstrap", "--team", $"Race {tier}", "--email", $"owner-{Guid.NewGuid():N}@example.com", "--password", TestPortal.Password, "--tier", tier);
        Assert.True(code == 0, $"bootstrap exited {code}: {stderr}");
        var json = JsonNode.Parse(stdout.Trim().Split('\n')[^1])!;
        return (Guid.Parse((string)json["team_id"]!), (string)json["api_key"]!);
    }

    /// <summary>Request i goes to instance i % 2.</summary>
    private List<HttpClient> Clients(string key) => _instances.Select(i => i.Client(key)).ToList();

    private static Dictionary<string, object?> Connection(string name)
    {
        var body = ProviderFakes.ValidBody("doppler", name);
        body["verify"] = false;
        return body;
    }

    private static Dictionary<string, object?> Secret(string name) => new()
    {
        ["name"] = name,
        ["secret_type"] = "s3",
        ["auth_method"] = "s3_access_key",
        ["credentials"] = ValidationSamples.ValidCredentials("s3", "s3_access_key"),
    };

    private async Task<RaceTally> RaceAsync(List<HttpClient> clients, string url, Func<int, Dictionary<string, object?>> body, int count)
    {
        var tally = new RaceTally("201", "403 tier_limit_reached", "409 name_conflict");
        var watch = Stopwatch.StartNew();
        await tally.RaceAsync(count, i => clients[i % clients.Count].PostJsonAsync(url, body(i)));
        output.WriteLine($"{url.Split('/')[^1]}: {count} creates over 2 instances in {watch.ElapsedMilliseconds} ms: {tally.Summary()}");
        tally.AssertOnlyExpected();
        return tally;
    }

    private async Task<List<string>> ListIdsAsync(HttpClient client, Guid teamId, string resource) =>
        (await (await client.GetAsync($"/v1/teams/{teamId}/{resource}")).AssertStatusAsync(HttpStatusCode.OK))
            .AsArray().Select(n => (string)n!["id"]!).Order().ToList();

    /// <summary>Every credential in the shared store has its record, and every record its credential.</summary>
    private async Task AssertStoreMatchesRecordsAsync(HttpClient client, Guid teamId)
    {
        var store = new LocalCredentialStore(Microsoft.Extensions.Options.Options.Create(new LocalCredentialStoreOptions
        {
            Key = _environment["CredentialStore__Local__Key"],
            Path = _environment["CredentialStore__Local__Path"],
        }), _dataDir);
        var stored = new List<string>();
        await foreach (var key in store.ListAsync())
        {
            if (key.TeamId == teamId)
            {
                stored.Add(key.ObjectId.ToString());
            }
        }
        var records = (await ListIdsAsync(client, teamId, "vault-connections")).Concat(await ListIdsAsync(client, teamId, "secrets")).Order();
        Assert.Equal(records, stored.Order());
    }

    [Fact]
    public async Task ConcurrentCreatesAcrossTwoInstances_KeepTierLimitsAndNamesExact()
    {
        var (free, freeKey) = await BootstrapAsync("free");
        var clients = Clients(freeKey);

        // Free: 1 vault connection.
        var connections = await RaceAsync(clients, $"/v1/teams/{free}/vault-connections", i => Connection($"vault {i}"), Requests);
        Assert.Equal(1, connections.Count("201"));
        Assert.Equal(Requests - 1, connections.Count("403 tier_limit_reached"));

        // Free from 4 secrets: 5 is the limit, so one more.
        for (var i = 0; i < 4; i++)
        {
            await (await clients[i % 2].PostJsonAsync($"/v1/teams/{free}/secrets", Secret($"existing {i}"))).AssertStatusAsync(HttpStatusCode.Created);
        }
        var secrets = await RaceAsync(clients, $"/v1/teams/{free}/secrets", i => Secret($"secret {i}"), Requests);
        Assert.Equal(1, secrets.Count("201"));
        Assert.Equal(Requests - 1, secrets.Count("403 tier_limit_reached"));
        Assert.Equal(5, (await ListIdsAsync(clients[0], free, "secrets")).Count);
        await AssertStoreMatchesRecordsAsync(clients[1], free);

        // One name, 20 creates (in differing case), far below Pro's limits: one is created.
        var (pro, proKey) = await BootstrapAsync("pro");
        var proClients = Clients(proKey);
        foreach (var resource in new[] { "secrets", "vault-connections" })
        {
            var url = $"/v1/teams/{pro}/{resource}";
            var named = await RaceAsync(proClients, url, i => resource == "secrets"
                ? Secret(i % 2 == 0 ? "Shared Name" : "SHARED name")
                : Connection(i % 2 == 0 ? "Shared Name" : "SHARED name"), 20);
            Assert.Equal(1, named.Count("201"));
            Assert.Equal(19, named.Count("409 name_conflict"));
        }
        await AssertStoreMatchesRecordsAsync(proClients[0], pro);
    }

    /// <summary>One portal process on a free port of 127.0.0.1, stopped (its process tree) on dispose.</summary>
    private sealed class PortalProcess : IAsyncDisposable
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

        public HttpClient Client(string key)
        {
            var client = new HttpClient { BaseAddress = _address, Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);
            _clients.Add(client);
            return client;
        }

        /// <summary>The portal's build output beside this test build (same configuration).</summary>
        private static string PortalDll()
        {
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var dll = Path.Combine(dir.FullName, "src", "Portal", "bin", configuration, "net10.0", "Dataraven.Portal.dll");
                if (File.Exists(Path.Combine(dir.FullName, "Dataraven.Portal.sln")))
                {
                    return File.Exists(dll) ? dll : throw new InvalidOperationException($"Build the portal first: {dll} is missing.");
                }
            }
            throw new InvalidOperationException("Dataraven.Portal.sln not found above the test binaries.");
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
            start.Environment["Logging__LogLevel__Default"] = "Warning";
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
}
