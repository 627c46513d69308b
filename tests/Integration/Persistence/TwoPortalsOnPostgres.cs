using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.Persistence;

/// <summary>Two portal processes on one throwaway PostgreSQL database, sharing one local credential store.</summary>
public abstract class TwoPortalsOnPostgres(string name) : IAsyncLifetime
{
    protected readonly List<PortalProcess> Instances = [];
    protected readonly Dictionary<string, string> Environment = new();
    private string _dataDir = "";

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.SharedAsync();
        _dataDir = Directory.CreateTempSubdirectory($"dr-{name}-").FullName;
        Environment["Database__Provider"] = "Postgres";
        Environment["ConnectionStrings__Portal"] = await server.CreateDatabaseAsync(name);
        Environment["CredentialStore__Provider"] = "Local";
        Environment["CredentialStore__Local__Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Environment["CredentialStore__Local__Path"] = Path.Combine(_dataDir, "credentials");
        Instances.AddRange(await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => PortalProcess.StartAsync(Environment))));
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in Instances)
        {
            await instance.DisposeAsync();
        }
        Directory.Delete(_dataDir, recursive: true);
    }

    /// <summary>A team made by the <c>bootstrap</c> command: its id and its Owner API key.</summary>
    protected async Task<(string TeamId, string ApiKey)> BootstrapAsync(string team)
    {
        var (code, stdout, stderr) = await PortalProcess.RunAsync(Environment,
            "bootstrap", "--team", team, "--email", $"owner-{Guid.NewGuid():N}@example.com", "--password", TestPortal.Password);
        Assert.True(code == 0, $"bootstrap exited {code}: {stderr}");
        var boot = JsonNode.Parse(stdout.Trim().Split('\n')[^1])!;
        return ((string)boot["team_id"]!, (string)boot["api_key"]!);
    }
}
