using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dataraven.Core.ApiKeys;
using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.Persistence;

/// <summary>
/// A key deleted through one portal instance stops working there at once and on the other instance (one PostgreSQL
/// database) within <see cref="ApiKeyCache.Lifetime"/>, the bound of its authentication cache.
/// </summary>
public sealed class TwoInstanceApiKeyTests() : TwoPortalsOnPostgres("keys")
{
    [Fact]
    public async Task A_key_deleted_on_one_instance_is_refused_on_the_other_within_the_cache_lifetime()
    {
        var (teamId, ownerKey) = await BootstrapAsync("Keys");
        var ownerOnA = Instances[0].Client(ownerKey);
        var created = JsonNode.Parse(await (await ownerOnA.PostAsJsonAsync($"/v1/teams/{teamId}/api-keys",
            new { name = "ci", role = "viewer" })).Content.ReadAsStringAsync())!;
        var list = $"/v1/teams/{teamId}/secrets";
        var keyOnA = Instances[0].Client((string)created["key"]!);
        var keyOnB = Instances[1].Client((string)created["key"]!);
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
