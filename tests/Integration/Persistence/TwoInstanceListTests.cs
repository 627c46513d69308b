using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.Persistence;

/// <summary>
/// Two portal instances on one PostgreSQL database: a write through one is in the other's very next list response,
/// though the other had the list cached (it reads the team's data version on every request).
/// </summary>
public sealed class TwoInstanceListTests() : TwoPortalsOnPostgres("lists")
{
    [Fact]
    public async Task A_write_on_one_instance_is_in_the_next_list_on_the_other()
    {
        var (teamId, ownerKey) = await BootstrapAsync("Lists");
        var secrets = $"/v1/teams/{teamId}/secrets";
        var onA = Instances[0].Client(ownerKey);
        var onB = Instances[1].Client(ownerKey);

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
