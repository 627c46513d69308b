using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dataraven.Core.ApiKeys;
using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.Persistence;

/// <summary>
/// A key deleted through one portal instance stops working there at once and on the other instance (one PostgreSQL
/// database) within <see cref="ApiKeyCache.Lifetime"/>, the bound of its authentication cache.
/// </summary>
public sealed class TwoInstanceApiKeyTests : IAsyncLifetime
{
    private readonly List<PortalProcess> _instances = [];
    private readonly Dictionary<string, string> _environment = new();
    private string _dataDir = "";

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.SharedAsync();
        _dataDir = Directory.CreateTempSubdirectory("dr-keys-").FullName;
        _environment["Database__Provider"] = "Postgres";
        _environment["ConnectionStrings__Portal"] = await server.CreateDatabaseAsync("keys");
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
    public async Task A_key_deleted_on_one_instance_is_refused_on_the_other_within_the_cache_lifetime()
    {
        var (code, stdout, stderr) = await PortalProcess.RunAsync(_environment,
            "bootstrap", "--team", "Keys", "--email", $"owner-{Guid.NewGuid():N}@example.com", "--password", TestPortal.Password);
        Assert.True(code == 0, $"bootstrap exited {code}: {stderr}");
        var boot = JsonNode.Parse(stdout.Trim().Split('\n')[^1])!;
        var teamId = (string)boot["team_id"]!;
        var ownerOnA = _instances[0].Client((string)boot["api_key"]!);
        var created = JsonNode.Parse(await (await ownerOnA.PostAsJsonAsync($"/v1/teams/{teamId}/api-keys",
            new { name = "ci", role = "viewer" })).Content.ReadAsStringAsync())!;
        var list = $"/v1/teams/{teamId}/secrets";
        var keyOnA = _instances[0].Client((string)created["key"]!);
        var keyOnB = _instances[1].Client((string)created["key"]!);
        // Both instances have the key cached.
        Assert.Equal(HttpStatusCode.OK, (await keyOnA.GetAsync(list)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await keyOnB.GetAsync(list)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await ownerOnA.DeleteAsync($"/v1/teams/{teamId}/api-keys/{(string)created["id"]!}")).StatusCode);
        var deleted = Stopwatch.StartNew();

        Assert.Equal(HttpStatusCode.Unauthorized, (await keyOnA.GetAsync(list)).StatusCode);
        var bound = ApiKeyCache.Lifetime + TimeSpan.FromSeconds(1);
        HttpStatusCode onB;
        do
        {
            onB = (await keyOnB.GetAsync(list)).StatusCode;
        }
        while (onB == HttpStatusCode.OK && deleted.Elapsed < bound + TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.Unauthorized, onB);
        Assert.True(deleted.Elapsed <= bound, $"instance B accepted the deleted key for {deleted.Elapsed} (bound {bound})");
    }
}
