using System.Net;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Dataraven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Api;

public sealed class FoundationApiTests(LocalApiPortal fixture) : IClassFixture<LocalApiPortal>, IAsyncLifetime
{
    private TestPortal _portal = null!;
    private TeamFixture _acme = null!;
    private TeamFixture _globex = null!;

    public async Task InitializeAsync()
    {
        _portal = fixture.Portal;
        _acme = await _portal.CreateTeamAsync("Acme");
        _globex = await _portal.CreateTeamAsync("Globex");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Team(TeamFixture t, string rest = "") => $"/v1/teams/{t.TeamId}{rest}";

    [Theory]
    [InlineData(null)]
    [InlineData("dr_nope_nope")]
    [InlineData("not-a-key")]
    [InlineData("Basic Zm9vOmJhcg==")]
    public async Task AnyEndpoint_WithoutValidKey_Is401Unauthenticated(string? header)
    {
        var client = _portal.CreateClient();
        if (header is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header.StartsWith("Basic") ? header : "Bearer " + header);
        }
        foreach (var path in new[] { "/usage", "/api-keys" })
        {
            var response = await client.GetAsync(Team(_acme, path));
            await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        }
    }

    [Fact]
    public async Task Key_WithTamperedSecret_Is401()
    {
        var tampered = _acme.OwnerKey[..^4] + "0000";
        var response = await _portal.CreateClient(tampered).GetAsync(Team(_acme, "/usage"));
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Theory]
    [InlineData("GET", "/usage")]
    [InlineData("GET", "/api-keys")]
    [InlineData("POST", "/api-keys")]
    [InlineData("PUT", "/tier")]
    [InlineData("DELETE", "/api-keys/00000000-0000-0000-0000-000000000001")]
    public async Task OtherTeamsResources_WithMyKey_Are404(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), Team(_globex, path));
        if (method is "POST" or "PUT")
        {
            request.Content = new StringContent("""{"name":"x","role":"viewer","tier":"pro"}""", System.Text.Encoding.UTF8, "application/json");
        }
        var response = await _portal.CreateClient(_acme.OwnerKey).SendAsync(request);
        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task DeleteApiKey_OfAnotherTeam_Is404AndKeyStillWorks()
    {
        var globexKeys = await (await _portal.CreateClient(_globex.OwnerKey).GetAsync(Team(_globex, "/api-keys"))).ReadJsonAsync();
        var globexKeyId = (string)globexKeys[0]!["id"]!;
        var response = await _portal.CreateClient(_acme.OwnerKey).DeleteAsync(Team(_acme, $"/api-keys/{globexKeyId}"));
        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.OK, (await _portal.CreateClient(_globex.OwnerKey).GetAsync(Team(_globex, "/usage"))).StatusCode);
    }

    [Theory]
    [InlineData(TeamRole.Viewer)]
    [InlineData(TeamRole.Operator)]
    public async Task CreateApiKey_ByViewerOrOperator_Is403ForbiddenRole(TeamRole role)
    {
        var member = await _portal.AddMemberAsync(_acme, role);
        var response = await _portal.CreateClient(member.Key).PostRawAsync(Team(_acme, "/api-keys"), """{"name":"ci","role":"viewer"}""");
        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");
    }

    [Theory]
    [InlineData(TeamRole.Admin, "owner", HttpStatusCode.Forbidden)]
    [InlineData(TeamRole.Admin, "admin", HttpStatusCode.Created)]
    [InlineData(TeamRole.Admin, "viewer", HttpStatusCode.Created)]
    [InlineData(TeamRole.Owner, "owner", HttpStatusCode.Created)]
    public async Task CreateApiKey_RoleNeverAboveCreators(TeamRole creator, string requested, HttpStatusCode expected)
    {
        var key = creator == TeamRole.Owner ? _acme.OwnerKey : (await _portal.AddMemberAsync(_acme, creator)).Key;
        var response = await _portal.CreateClient(key).PostRawAsync(Team(_acme, "/api-keys"), $$"""{"name":"minted","role":"{{requested}}"}""");
        if (expected == HttpStatusCode.Forbidden)
        {
            await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");
        }
        else
        {
            var body = await response.AssertStatusAsync(HttpStatusCode.Created);
            Assert.Equal(requested, (string?)body["role"]);
        }
    }

    [Fact]
    public async Task CreateApiKey_ShowsKeyOnce_StoresOnlyAHash_AndTheKeyWorks()
    {
        var owner = _portal.CreateClient(_acme.OwnerKey);
        var created = await (await owner.PostRawAsync(Team(_acme, "/api-keys"), """{"name":"pipeline","role":"admin"}""")).AssertStatusAsync(HttpStatusCode.Created);
        var key = (string)created["key"]!;
        Assert.Matches("^dr_[0-9a-f]+_[0-9a-f]+$", key);
        Assert.True(Guid.TryParse((string?)created["id"], out _));
        Assert.Equal("pipeline", (string?)created["name"]);
        Assert.NotNull(created["created_at"]);

        var list = await (await owner.GetAsync(Team(_acme, "/api-keys"))).AssertStatusAsync(HttpStatusCode.OK);
        var listed = list.AsArray().Single(k => (string?)k!["name"] == "pipeline")!;
        Assert.Null(listed["key"]);
        Assert.DoesNotContain(key.Split('_')[2], list.ToJsonString());

        var secret = key.Split('_')[2];
        Assert.DoesNotContain(secret, await ReadDatabaseAsync());

        var usage = await _portal.CreateClient(key).GetAsync(Team(_acme, "/usage"));
        Assert.Equal(HttpStatusCode.OK, usage.StatusCode);
    }

    [Fact]
    public async Task DeleteApiKey_ThenKeyIs401()
    {
        var owner = _portal.CreateClient(_acme.OwnerKey);
        var created = await (await owner.PostRawAsync(Team(_acme, "/api-keys"), """{"name":"temp","role":"viewer"}""")).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync(Team(_acme, $"/api-keys/{created["id"]}"))).StatusCode);
        var response = await _portal.CreateClient((string)created["key"]!).GetAsync(Team(_acme, "/usage"));
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task ApiKey_OfRemovedMember_StopsWorking_AndDemotionCapsItsRole()
    {
        var admin = await _portal.AddMemberAsync(_acme, TeamRole.Admin);
        var owner = new TeamActor(_acme.TeamId, _acme.OwnerId, TeamRole.Owner);
        await _portal.WithAsync<TeamService, Core.Common.Result<Core.Common.Done>>(t => t.ChangeRoleAsync(owner, admin.UserId, TeamRole.Viewer));
        var demoted = await _portal.CreateClient(admin.Key).PostRawAsync(Team(_acme, "/api-keys"), """{"name":"x","role":"viewer"}""");
        await demoted.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");

        await _portal.WithAsync<TeamService, Core.Common.Result<Core.Common.Done>>(t => t.RemoveMemberAsync(owner, admin.UserId));
        var removed = await _portal.CreateClient(admin.Key).GetAsync(Team(_acme, "/usage"));
        await removed.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task Usage_ReportsTierLimitsAndUsage()
    {
        var body = await (await _portal.CreateClient(_acme.OwnerKey).GetAsync(Team(_acme, "/usage"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("free", (string?)body["tier"]);
        Assert.Equal(1, (int)body["limits"]!["vault_connections"]!);
        Assert.Equal(5, (int)body["limits"]!["secrets"]!);
        Assert.Equal(0, (int)body["usage"]!["vault_connections"]!);
        Assert.Equal(0, (int)body["usage"]!["secrets"]!);
    }

    [Fact]
    public async Task ChangeTier_ByOwner_SwitchesBothWays()
    {
        var owner = _portal.CreateClient(_acme.OwnerKey);
        var pro = await (await owner.PutRawAsync(Team(_acme, "/tier"), """{"tier":"pro"}""")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("pro", (string?)pro["tier"]);
        Assert.Equal(10, (int)pro["limits"]!["vault_connections"]!);
        Assert.Equal(100, (int)pro["limits"]!["secrets"]!);
        var free = await (await owner.PutRawAsync(Team(_acme, "/tier"), """{"tier":"free"}""")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("free", (string?)free["tier"]);
    }

    [Theory]
    [InlineData(TeamRole.Admin)]
    [InlineData(TeamRole.Operator)]
    [InlineData(TeamRole.Viewer)]
    public async Task ChangeTier_ByNonOwner_Is403AndTierUnchanged(TeamRole role)
    {
        var member = await _portal.AddMemberAsync(_acme, role);
        var response = await _portal.CreateClient(member.Key).PutRawAsync(Team(_acme, "/tier"), """{"tier":"pro"}""");
        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");
        var usage = await (await _portal.CreateClient(_acme.OwnerKey).GetAsync(Team(_acme, "/usage"))).ReadJsonAsync();
        Assert.Equal("free", (string?)usage["tier"]);
    }

    public static TheoryData<string, string, string> MalformedBodies => new()
    {
        { "/api-keys", "{not json", "body" },
        { "/api-keys", "", "body" },
        { "/api-keys", "[]", "body" },
        { "/api-keys", """{"name": 42, "role": "viewer"}""", "name" },
        { "/api-keys", """{"name": "ci", "role": ["viewer"]}""", "role" },
        { "/api-keys", """{"name": "ci", "role": "superuser"}""", "role" },
        { "/api-keys", """{"name": "", "role": "viewer"}""", "name" },
        { "/api-keys", """{"role": "viewer"}""", "name" },
        { "/api-keys", """{"name": "ci", "role": "viewer", "scope": "all"}""", "scope" },
        { "/tier", """{"tier": "enterprise"}""", "tier" },
        { "/tier", """{"tier": 2}""", "tier" },
        { "/tier", """{}""", "tier" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task MalformedBody_Is400NamingTheField_AndChangesNothing(string path, string body, string field)
    {
        var owner = _portal.CreateClient(_acme.OwnerKey);
        var before = (await (await owner.GetAsync(Team(_acme, "/api-keys"))).ReadJsonAsync()).AsArray().Count;
        var response = path == "/tier" ? await owner.PutRawAsync(Team(_acme, path), body) : await owner.PostRawAsync(Team(_acme, path), body);
        await response.AssertValidationErrorAsync(field);
        var after = (await (await owner.GetAsync(Team(_acme, "/api-keys"))).ReadJsonAsync()).AsArray().Count;
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task BodyOver64KiB_Is413PayloadTooLarge()
    {
        var big = $$"""{"name":"{{new string('a', 70_000)}}","role":"viewer"}""";
        var response = await _portal.CreateClient(_acme.OwnerKey).PostRawAsync(Team(_acme, "/api-keys"), big);
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task UnknownApiRouteOrMethod_IsProblemJson_NotAnHtmlPage()
    {
        var owner = _portal.CreateClient(_acme.OwnerKey);
        await (await owner.GetAsync(Team(_acme, "/nothing-here"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await owner.GetAsync("/v1/unknown")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await owner.PatchRawAsync(Team(_acme, "/usage"), "{}")).AssertProblemAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        var page = await _portal.CreateClient().GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("Page not found", await page.Content.ReadAsStringAsync());
    }

    private async Task<string> ReadDatabaseAsync()
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(FULL);");
        var bytes = await File.ReadAllBytesAsync(_portal.DatabaseFile);
        return System.Text.Encoding.Latin1.GetString(bytes);
    }
}
