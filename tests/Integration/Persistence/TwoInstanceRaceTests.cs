using System.Diagnostics;
using System.Net;
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
}
