using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.Persistence;

/// <summary>
/// Two portal instances on one PostgreSQL database: a write through one is in the other's very next list response,
/// though the other had the list cached (it reads the team's data version on every request).
/// </summary>
public sealed class TwoInstanceListTests : IAsyncLifetime
{
    private readonly List<PortalProcess> _instances = [];
    private readonly Dictionary<string, string> _environment = new();
    private string _dataDir = "";

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.SharedAsync();
        _dataDir = Directory.CreateTempSubdirectory("dr-lists-").FullName;
        _environment["Database__Provider"] = "Postgres";
        _environment["ConnectionStrings__Portal"] = await server.CreateDatabaseAsync("lists");
        _environment["CredentialStore__Provider"] = "Local";
        _environment["CredentialStore__Local__Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        _environment["CredentialStore__Local__Path"] = Path.Combine(_dataDir, "credentials");
        _instances.AddRange(await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => PortalProcess.StartAsync(_environment))));
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task A_write_on_one_instance_is_in_the_next_list_on_the_other()
    {
        var (code, stdout, stderr) = await PortalProcess.RunAsync(_environment,
            "bootstrap", "--team", "Lists", "--email", $"owner-{Guid.NewGuid():N}@example.com", "--password", TestPortal.Password);
        Assert.True(code == 0, $"bootstrap exited {code}: {stderr}");
        var boot = JsonNode.Parse(stdout.Trim().Split('\n')[^1])!;
        var secrets = $"/v1/teams/{(string)boot["team_id"]!}/secrets";
        var onA = _instances[0].Client((string)boot["api_key"]!);
        var onB = _instances[1].Client((string)boot["api_key"]!);

        async Task<List<string>> NamesOnB()
        {
            var response = await onB.GetAsync(secrets);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Select(s => (string)s!["name"]!).ToList();
        }

        Assert.Empty(await NamesOnB());
        Assert.Empty(await NamesOnB());
        var created = await onA.PostAsJsonAsync(secrets, new
        {
            name = "backups", secret_type = "s3", auth_method = "s3_access_key",
            credentials = new { access_key_id = "AKIAIOSFODNN7EXAMPLE", secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(["backups"], await NamesOnB());

        var id = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!;
        var renamed = await onA.PatchAsync($"{secrets}/{id}", JsonContent.Create(new { name = "nightly" }));
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal(["nightly"], await NamesOnB());

        Assert.Equal(HttpStatusCode.NoContent, (await onA.DeleteAsync($"{secrets}/{id}")).StatusCode);
        Assert.Empty(await NamesOnB());
    }
}
