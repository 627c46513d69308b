using System.Net;
using System.Text.Json.Nodes;
using Dataraven.Core.Audit;
using Dataraven.Core.Common;
using Dataraven.Core.Persistence;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Core.VaultConnections;
using Dataraven.Tests.Infrastructure;
using Dataraven.Tests.Unit.Validation;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Tests.Api;

public sealed class OwnerApiTestsLocal(LocalApiPortal portal) : OwnerApiTests(portal), IClassFixture<LocalApiPortal>;

public sealed class OwnerApiTestsPostgres(PostgresApiPortal portal) : OwnerApiTests(portal), IClassFixture<PostgresApiPortal>;

/// <summary>
/// Owners (DESIGN.md, "Ownership and the credential lifecycle"): <c>owner_ids</c> on create and PATCH of secrets and vault
/// connections, <c>owners</c> in every response, the <c>owner_id</c> filter, a leaving member's ownership, the audit trail.
/// </summary>
public abstract class OwnerApiTests(ApiPortalFixture portal) : ApiTestBase(portal)
{
    private static Dictionary<string, object?> DirectSecret(string name, object? ownerIds = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = name,
            ["secret_type"] = "s3",
            ["auth_method"] = "s3_access_key",
            ["credentials"] = ValidationSamples.ValidCredentials("s3", "s3_access_key"),
        };
        if (ownerIds is not null)
        {
            body["owner_ids"] = ownerIds;
        }
        return body;
    }

    private static List<string> OwnerIdsOf(JsonNode node) =>
        node["owners"]!.AsArray().Select(o => (string)o!["id"]!).Order().ToList();

    private static List<string> Ids(params Guid[] ids) => ids.Select(i => i.ToString()).Order().ToList();

    private async Task<JsonNode> CreateSecretAsync(string name, object? ownerIds = null) =>
        await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), DirectSecret(name, ownerIds))).AssertStatusAsync(HttpStatusCode.Created);

    private async Task<JsonArray> ListAsync(string resource, string query = "") =>
        (await (await Owner().GetAsync(Url(Acme, $"/{resource}{query}"))).AssertStatusAsync(HttpStatusCode.OK)).AsArray();

    private Task<int> OwnerRowsAsync(Guid objectId) =>
        Portal.WithAsync<PortalDbContext, int>(db => db.ObjectOwners.CountAsync(o => o.ObjectId == objectId));

    [Fact]
    public async Task CreateByMember_DefaultsToTheCreator_ByApiKey_HasNoOwners()
    {
        var actor = new TeamActor(Acme.TeamId, Acme.OwnerId, TeamRole.Owner);
        var created = await Portal.WithAsync<SecretService, Result<SecretDetails>>(s =>
            s.CreateAsync(actor, new CreateSecretRequest
            {
                Name = "mine", SecretType = "s3", AuthMethod = "s3_access_key",
                Credentials = ValidationSamples.ValidCredentials("s3", "s3_access_key"),
            }));
        Assert.True(created.IsSuccess);
        var owner = Assert.Single(created.Value!.Owners);
        Assert.Equal(Acme.OwnerId, owner.Id);
        Assert.Equal(Acme.OwnerEmail, owner.Email);

        var detail = await (await Owner().GetAsync(Url(Acme, $"/secrets/{created.Value.Secret.Id}"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(Ids(Acme.OwnerId), OwnerIdsOf(detail));
        Assert.Equal(Acme.OwnerEmail, (string?)detail["owners"]![0]!["email"]);

        // Through an API key: nobody is the creator.
        var byKey = await CreateSecretAsync("keyed");
        Assert.Empty(byKey["owners"]!.AsArray());
        var connection = await CreateConnectionAsync();
        Assert.Empty(connection["owners"]!.AsArray());
    }

    [Fact]
    public async Task Secret_SetReplaceClear_ResponsesAndListCarryOwners()
    {
        var (admin, _, _) = await Portal.AddMemberAsync(Acme, TeamRole.Admin);
        var (viewer, _, _) = await Portal.AddMemberAsync(Acme, TeamRole.Viewer);
        var created = await CreateSecretAsync("owned", new[] { admin.ToString(), viewer.ToString(), admin.ToString() });
        Assert.Equal(Ids(admin, viewer), OwnerIdsOf(created));
        var id = (string)created["id"]!;

        var replaced = await (await Owner().PatchRawAsync(Url(Acme, $"/secrets/{id}"), $$"""{"owner_ids":["{{Acme.OwnerId}}","{{viewer}}"]}"""))
            .AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(Ids(Acme.OwnerId, viewer), OwnerIdsOf(replaced));
        Assert.Equal(Ids(Acme.OwnerId, viewer), OwnerIdsOf((await ListAsync("secrets")).Single()!));

        // Without owner_ids a PATCH leaves them.
        var renamed = await (await Owner().PatchRawAsync(Url(Acme, $"/secrets/{id}"), """{"name":"owned 2"}""")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(Ids(Acme.OwnerId, viewer), OwnerIdsOf(renamed));

        var cleared = await (await Owner().PatchRawAsync(Url(Acme, $"/secrets/{id}"), """{"owner_ids":[]}""")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Empty(cleared["owners"]!.AsArray());
        Assert.Equal(0, await OwnerRowsAsync(Guid.Parse(id)));
        Assert.Empty((await ListAsync("secrets")).Single()!["owners"]!.AsArray());
    }

    [Fact]
    public async Task VaultConnection_SetOnCreate_ReplaceOnPatch_FilterByOwner()
    {
        var (admin, _, _) = await Portal.AddMemberAsync(Acme, TeamRole.Admin);
        var body = ProviderFakes.ValidBody("doppler", "owned-conn");
        body["owner_ids"] = new[] { admin.ToString() };
        var created = await (await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body)).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal(Ids(admin), OwnerIdsOf(created));
        var other = await CreateConnectionAsync(name: "unowned-conn");
        var id = (string)created["id"]!;

        // The unfiltered list first (so its bytes are cached), then the filter: never the cached unfiltered answer.
        Assert.Equal(2, (await ListAsync("vault-connections")).Count);
        Assert.Equal([id], (await ListAsync("vault-connections", $"?owner_id={admin}")).Select(c => (string)c!["id"]!));
        Assert.Empty(await ListAsync("vault-connections", $"?owner_id={Acme.OwnerId}"));

        var patched = await (await Owner().PatchRawAsync(Url(Acme, $"/vault-connections/{other["id"]}"), $$"""{"owner_ids":["{{Acme.OwnerId}}"]}"""))
            .AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(Ids(Acme.OwnerId), OwnerIdsOf(patched));
        // The owner change is in the next (cached) list at once.
        Assert.Equal([(string)other["id"]!], (await ListAsync("vault-connections", $"?owner_id={Acme.OwnerId}")).Select(c => (string)c!["id"]!));
        Assert.Equal(Ids(Acme.OwnerId), OwnerIdsOf((await ListAsync("vault-connections")).Single(c => (string)c!["id"]! == (string)other["id"]!)!));

        await (await Owner().GetAsync(Url(Acme, "/vault-connections?owner_id=nobody"))).AssertValidationErrorAsync("owner_id");
        await (await Owner().GetAsync(Url(Acme, "/secrets?owner_id=123"))).AssertValidationErrorAsync("owner_id");
    }

    [Fact]
    public async Task SecretList_FilterByOwner_ReflectsOwnerChanges()
    {
        var (admin, _, _) = await Portal.AddMemberAsync(Acme, TeamRole.Admin);
        var a = (string)(await CreateSecretAsync("a", new[] { admin.ToString() }))["id"]!;
        var b = (string)(await CreateSecretAsync("b"))["id"]!;
        Assert.Equal(2, (await ListAsync("secrets")).Count);
        Assert.Equal([a], (await ListAsync("secrets", $"?owner_id={admin}")).Select(s => (string)s!["id"]!));

        await (await Owner().PatchRawAsync(Url(Acme, $"/secrets/{b}"), $$"""{"owner_ids":["{{admin}}"]}""")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(new[] { a, b }.Order(), (await ListAsync("secrets", $"?owner_id={admin}")).Select(s => (string)s!["id"]!).Order());
        Assert.Empty(await ListAsync("secrets", $"?owner_id={Guid.NewGuid()}"));
    }

    [Fact]
    public async Task NonMemberOrMalformedOwner_Is400NamingIt_NothingChanged()
    {
        var globexOwner = Globex.OwnerId.ToString();
        await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), DirectSecret("refused", new[] { globexOwner })))
            .AssertValidationErrorAsync("owner_ids[0]");
        await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), DirectSecret("refused", new[] { Acme.OwnerId.ToString(), "not-a-uuid" })))
            .AssertValidationErrorAsync("owner_ids[1]");
        var body = ProviderFakes.ValidBody("doppler", "refused-conn");
        body["owner_ids"] = new[] { globexOwner };
        await (await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body)).AssertValidationErrorAsync("owner_ids[0]");
        Assert.Empty(await ListAsync("secrets"));
        Assert.Empty(await ListAsync("vault-connections"));
        Assert.Empty(await StoredKeysAsync());

        var created = await CreateSecretAsync("kept", new[] { Acme.OwnerId.ToString() });
        var id = (string)created["id"]!;
        await (await Owner().PatchRawAsync(Url(Acme, $"/secrets/{id}"), $$"""{"name":"renamed","owner_ids":["{{globexOwner}}"]}"""))
            .AssertValidationErrorAsync("owner_ids[0]");
        var after = await (await Owner().GetAsync(Url(Acme, $"/secrets/{id}"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("kept", (string?)after["name"]);
        Assert.Equal(Ids(Acme.OwnerId), OwnerIdsOf(after));
        var connection = (string)(await CreateConnectionAsync())["id"]!;
        await (await Owner().PatchRawAsync(Url(Acme, $"/vault-connections/{connection}"), """{"owner_ids":["x"]}"""))
            .AssertValidationErrorAsync("owner_ids[0]");
    }

    [Fact]
    public async Task OtherTeam_Is404_AndSeesNoOwners()
    {
        var id = (string)(await CreateSecretAsync("private", new[] { Acme.OwnerId.ToString() }))["id"]!;
        await (await Owner(Globex).PatchRawAsync(Url(Globex, $"/secrets/{id}"), $$"""{"owner_ids":["{{Globex.OwnerId}}"]}"""))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Empty((await (await Owner(Globex).GetAsync(Url(Globex, $"/secrets?owner_id={Acme.OwnerId}"))).AssertStatusAsync(HttpStatusCode.OK)).AsArray());
        Assert.Equal(Ids(Acme.OwnerId), OwnerIdsOf(await (await Owner().GetAsync(Url(Acme, $"/secrets/{id}"))).AssertStatusAsync(HttpStatusCode.OK)));
    }

    [Fact]
    public async Task Viewer_CannotChangeOwners()
    {
        var (_, _, viewerKey) = await Portal.AddMemberAsync(Acme, TeamRole.Viewer);
        var id = (string)(await CreateSecretAsync("guarded"))["id"]!;
        await (await Portal.CreateClient(viewerKey).PatchRawAsync(Url(Acme, $"/secrets/{id}"), $$"""{"owner_ids":["{{Acme.OwnerId}}"]}"""))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");
        Assert.Equal(0, await OwnerRowsAsync(Guid.Parse(id)));
    }

    [Fact]
    public async Task RemovingAMember_DropsTheirOwnershipEverywhereInTheTeam()
    {
        var (admin, _, _) = await Portal.AddMemberAsync(Acme, TeamRole.Admin);
        var secret = (string)(await CreateSecretAsync("shared", new[] { admin.ToString(), Acme.OwnerId.ToString() }))["id"]!;
        var body = ProviderFakes.ValidBody("doppler", "admins-conn");
        body["owner_ids"] = new[] { admin.ToString() };
        var connection = (string)(await (await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body)).AssertStatusAsync(HttpStatusCode.Created))["id"]!;
        Assert.Single(await ListAsync("secrets", $"?owner_id={admin}"));

        var removed = await Portal.WithAsync<TeamService, Result<Done>>(t =>
            t.RemoveMemberAsync(new TeamActor(Acme.TeamId, Acme.OwnerId, TeamRole.Owner), admin));
        Assert.True(removed.IsSuccess);

        Assert.Equal(Ids(Acme.OwnerId), OwnerIdsOf(await (await Owner().GetAsync(Url(Acme, $"/secrets/{secret}"))).AssertStatusAsync(HttpStatusCode.OK)));
        Assert.Empty((await (await Owner().GetAsync(Url(Acme, $"/vault-connections/{connection}"))).AssertStatusAsync(HttpStatusCode.OK))["owners"]!.AsArray());
        // The cached lists know it too.
        Assert.Empty(await ListAsync("secrets", $"?owner_id={admin}"));
        Assert.Empty(await ListAsync("vault-connections", $"?owner_id={admin}"));
        Assert.Equal(0, await Portal.WithAsync<PortalDbContext, int>(db => db.ObjectOwners.CountAsync(o => o.UserId == admin)));
        // A former member is no longer a valid owner.
        await (await Owner().PatchRawAsync(Url(Acme, $"/secrets/{secret}"), $$"""{"owner_ids":["{{admin}}"]}""")).AssertValidationErrorAsync("owner_ids[0]");
    }

    [Fact]
    public async Task OwnerChanges_AreAudited_WithIdsOnly()
    {
        var (admin, adminEmail, _) = await Portal.AddMemberAsync(Acme, TeamRole.Admin);
        var id = (string)(await CreateSecretAsync("audited", new[] { Acme.OwnerId.ToString() }))["id"]!;
        await (await Owner().PatchRawAsync(Url(Acme, $"/secrets/{id}"), $$"""{"owner_ids":["{{admin}}"]}""")).AssertStatusAsync(HttpStatusCode.OK);

        var events = await Portal.WithAsync<PortalDbContext, List<AuditEvent>>(db =>
            db.AuditEvents.AsNoTracking().Where(e => e.TeamId == Acme.TeamId && e.TargetId == Guid.Parse(id)).ToListAsync());
        var createdEvent = events.Single(e => e.Action == AuditActions.SecretCreated);
        Assert.Contains(Acme.OwnerId.ToString(), createdEvent.Details);
        var updated = JsonNode.Parse(events.Single(e => e.Action == AuditActions.SecretUpdated).Details!)!;
        Assert.Contains("owners", updated["fields"]!.AsArray().Select(f => (string)f!));
        Assert.Equal([admin.ToString()], updated["owners_added"]!.AsArray().Select(x => (string)x!));
        Assert.Equal([Acme.OwnerId.ToString()], updated["owners_removed"]!.AsArray().Select(x => (string)x!));
        Assert.DoesNotContain(adminEmail, events.Select(e => e.Details ?? "").Aggregate("", string.Concat));
    }

    [Fact]
    public async Task TrashedAndRestored_KeepsItsOwners()
    {
        var id = (string)(await CreateSecretAsync("comes back", new[] { Acme.OwnerId.ToString() }))["id"]!;
        await (await Owner().DeleteAsync(Url(Acme, $"/secrets/{id}"))).AssertStatusAsync(HttpStatusCode.NoContent);
        Assert.Empty(await ListAsync("secrets", $"?owner_id={Acme.OwnerId}"));
        var restored = await (await Owner().PostAsync(Url(Acme, $"/secrets/{id}/restore"), null)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(Ids(Acme.OwnerId), OwnerIdsOf(restored));

        await (await Owner().DeleteAsync(Url(Acme, $"/secrets/{id}"))).AssertStatusAsync(HttpStatusCode.NoContent);
        await (await Owner().DeleteAsync(Url(Acme, $"/trash/{id}"))).AssertStatusAsync(HttpStatusCode.NoContent);
        Assert.Equal(0, await OwnerRowsAsync(Guid.Parse(id)));
    }
}
