using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dataraven.Core.Teams;
using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.Api;

/// <summary>
/// Keys are authenticated from a short-lived cache (ApiKeyCache); on the instance that deletes a key or changes its
/// creator's role, the very next request sees the change.
/// </summary>
public sealed class ApiKeyRevocationTests(LocalApiPortal fixture) : IClassFixture<LocalApiPortal>
{
    private TestPortal Portal => fixture.Portal;

    [Fact]
    public async Task A_deleted_key_is_refused_on_the_next_request()
    {
        var team = await Portal.CreateTeamAsync("Revoke");
        var owner = Portal.CreateClient(team.OwnerKey);
        var created = await owner.PostAsJsonAsync($"/v1/teams/{team.TeamId}/api-keys", new { name = "ci", role = "admin" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var key = Portal.CreateClient((string)body["key"]!);
        // Used twice first, so the key is in the cache when it is deleted.
        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync($"/v1/teams/{team.TeamId}/secrets")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync($"/v1/teams/{team.TeamId}/secrets")).StatusCode);

        var deleted = await owner.DeleteAsync($"/v1/teams/{team.TeamId}/api-keys/{(string)body["id"]!}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await key.GetAsync($"/v1/teams/{team.TeamId}/secrets")).StatusCode);
    }

    [Fact]
    public async Task A_demoted_creators_key_loses_the_role_on_the_next_request()
    {
        var team = await Portal.CreateTeamAsync("Demote", tier: "pro");
        var (adminId, _, adminKey) = await Portal.AddMemberAsync(team, TeamRole.Admin);
        var admin = Portal.CreateClient(adminKey);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync($"/v1/teams/{team.TeamId}/secrets", Secret("before"))).StatusCode);

        var changed = await Portal.WithAsync<TeamService, bool>(async teams =>
            (await teams.ChangeRoleAsync(new TeamActor(team.TeamId, team.OwnerId, TeamRole.Owner), adminId, TeamRole.Viewer)).IsSuccess);

        Assert.True(changed);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsJsonAsync($"/v1/teams/{team.TeamId}/secrets", Secret("after"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/teams/{team.TeamId}/secrets")).StatusCode);
    }

    [Fact]
    public async Task A_removed_creators_key_is_refused_on_the_next_request()
    {
        var team = await Portal.CreateTeamAsync("Remove");
        var (memberId, _, memberKey) = await Portal.AddMemberAsync(team, TeamRole.Operator);
        var member = Portal.CreateClient(memberKey);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"/v1/teams/{team.TeamId}/secrets")).StatusCode);

        var removed = await Portal.WithAsync<TeamService, bool>(async teams =>
            (await teams.RemoveMemberAsync(new TeamActor(team.TeamId, team.OwnerId, TeamRole.Owner), memberId)).IsSuccess);

        Assert.True(removed);
        Assert.Equal(HttpStatusCode.Unauthorized, (await member.GetAsync($"/v1/teams/{team.TeamId}/secrets")).StatusCode);
    }

    private static Dictionary<string, object?> Secret(string name) => new()
    {
        ["name"] = name, ["secret_type"] = "s3", ["auth_method"] = "s3_access_key",
        ["credentials"] = new Dictionary<string, string> { ["access_key_id"] = "AKIAIOSFODNN7EXAMPLE", ["secret_access_key"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
    };
}
