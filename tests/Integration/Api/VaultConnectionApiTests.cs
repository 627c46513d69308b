using System.Net;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Persistence;
using Dataraven.Core.VaultConnections;
using Dataraven.Core.VaultProviders;
using Microsoft.EntityFrameworkCore;
using Dataraven.Core.Teams;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using Dataraven.Tests.Unit.CredentialStore;

namespace Dataraven.Tests.Api;

public sealed class VaultConnectionApiTestsLocal(LocalApiPortal portal) : VaultConnectionApiTests(portal), IClassFixture<LocalApiPortal>;

public sealed class VaultConnectionApiTestsSsm(SsmApiPortal portal) : VaultConnectionApiTests(portal), IClassFixture<SsmApiPortal>;

public sealed class VaultConnectionApiTestsPostgres(PostgresApiPortal portal) : VaultConnectionApiTests(portal), IClassFixture<PostgresApiPortal>;

public abstract class VaultConnectionApiTests(ApiPortalFixture portal) : ApiTestBase(portal)
{
    public static TheoryData<string> VaultTypes => new(ProviderFakes.VaultTypes);

    [Theory]
    [MemberData(nameof(VaultTypes))]
    public async Task Create_ForEachVaultType_Is201WithoutCredentials(string vaultType)
    {
        var body = ProviderFakes.ValidBody(vaultType, $"Prod {vaultType}");
        body["description"] = "Production vault";
        var response = await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body);
        var created = await response.AssertStatusAsync(HttpStatusCode.Created);
        var text = created.ToJsonString();

        Assert.Equal($"Prod {vaultType}", (string?)created["name"]);
        Assert.Equal(vaultType, (string?)created["vault_type"]);
        Assert.Equal("verified", (string?)created["status"]);
        Assert.Equal(Acme.TeamId.ToString(), (string?)created["team_id"]);
        Assert.Equal(Acme.OwnerId.ToString(), (string?)created["created_by"]);
        Assert.Equal(0, (int)created["secrets_count"]!);
        Assert.NotNull(created["last_verified_at"]);
        Assert.Null(created["last_verification_error"]);
        Assert.EndsWith($"/vault-connections/{created["id"]}", response.Headers.Location!.ToString());
        foreach (var forbidden in new[] { "access_token", "client_id", "client_secret" })
        {
            Assert.False(created.AsObject().ContainsKey(forbidden), $"{forbidden} must never appear");
        }
        foreach (var value in ProviderFakes.CredentialValues(body))
        {
            Assert.DoesNotContain(value, text);
        }
        // Settings of other vault types are null; this type's are set.
        Assert.Equal(vaultType == "doppler" ? ProviderFakes.DopplerProject : null, (string?)created["project"]);
        Assert.Equal(vaultType == "doppler" ? ProviderFakes.DopplerConfig : null, (string?)created["config"]);
        Assert.Equal(vaultType == "infisical" ? ProviderFakes.InfisicalProjectId : null, (string?)created["project_id"]);
        Assert.Equal(vaultType == "infisical" ? "/" : null, (string?)created["secret_path"]);
        foreach (var key in new[] { "project", "config", "project_id", "environment", "secret_path", "description", "created_at", "updated_at" })
        {
            Assert.True(created.AsObject().ContainsKey(key), $"{key} is part of the contract");
        }

        var stored = await Store.GetAsync(CredentialKey.ForVaultConnection(Acme.TeamId, Guid.Parse((string)created["id"]!)));
        Assert.NotNull(stored);
        Assert.Equal(ProviderFakes.CredentialValues(body).Order(), stored!.Values.Order());
    }

    [Fact]
    public async Task Create_DuplicateNameInAnyCase_Is409AndCallsNoProvider()
    {
        await CreateConnectionAsync("doppler", "Production Doppler");
        var before = Fakes.Doppler.Requests.Count;
        var response = await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), ProviderFakes.ValidBody("doppler", "PRODUCTION doppler"));
        await response.AssertProblemAsync(HttpStatusCode.Conflict, "name_conflict");
        Assert.Equal(before, Fakes.Doppler.Requests.Count);
    }

    [Fact]
    public async Task Create_SameNameInAnotherTeam_IsAllowed()
    {
        await CreateConnectionAsync("doppler", "Shared name");
        await CreateConnectionAsync("doppler", "Shared name", Globex);
    }

    [Fact]
    public async Task Create_SecondOnFree_Is403TierLimitWithUpgradeDetails()
    {
        await SetTierAsync(Acme, "free");
        await CreateConnectionAsync("onepassword");
        var response = await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), ProviderFakes.ValidBody("doppler", "second"));
        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden, "tier_limit_reached");
        Assert.Equal("free", (string?)problem["tier"]);
        Assert.Equal(1, (int)problem["limit"]!);
        Assert.Equal(1, (int)problem["current"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["upgrade_url"]));
    }

    [Fact]
    public async Task Create_EleventhOnPro_Is403TierLimit()
    {
        for (var i = 0; i < 10; i++)
        {
            await CreateConnectionAsync(ProviderFakes.VaultTypes[i % 3], $"conn {i}");
        }
        var response = await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), ProviderFakes.ValidBody("doppler", "eleventh"));
        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden, "tier_limit_reached");
        Assert.Equal("pro", (string?)problem["tier"]);
        Assert.Equal(10, (int)problem["limit"]!);
        Assert.Equal(10, (int)problem["current"]!);
    }

    [Fact]
    public async Task Create_TwentyConcurrentOnFree_LeavesExactlyOne()
    {
        await SetTierAsync(Acme, "free");
        var client = Owner();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            client.PostJsonAsync(Url(Acme, "/vault-connections"), ProviderFakes.ValidBody(ProviderFakes.VaultTypes[i % 3], $"race {i}"))));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await r.AssertProblemAsync(HttpStatusCode.Forbidden, "tier_limit_reached");
        }
        var list = await (await client.GetAsync(Url(Acme, "/vault-connections"))).ReadJsonAsync();
        Assert.Single(list.AsArray());
        Assert.Single(await StoredKeysAsync());
    }

    [Theory]
    [MemberData(nameof(VaultTypes))]
    public async Task Create_ProviderRejects_Is422AndStoresNothing(string vaultType)
    {
        var response = await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), ProviderFakes.RejectedBody(vaultType, "bad"));
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "provider_rejected");
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["title"]));
        Assert.Empty((await (await Owner().GetAsync(Url(Acme, "/vault-connections"))).ReadJsonAsync()).AsArray());
        Assert.Empty(await StoredKeysAsync());
    }

    [Fact]
    public async Task Create_DopplerProjectUnknown_Is422()
    {
        var body = ProviderFakes.ValidBody("doppler", "wrong project");
        body["project"] = "no-such-project";
        await (await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "provider_rejected");
    }

    [Fact]
    public async Task Create_ProviderDown_Is502_ThenSavedUnverified_ThenVerifyMarksVerified()
    {
        Fakes.Doppler.FailNext(10, FakeFailure.ServerError);
        var body = ProviderFakes.ValidBody("doppler", "flaky");
        await (await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body)).AssertProblemAsync(HttpStatusCode.BadGateway, "provider_unreachable");
        Assert.Empty(await StoredKeysAsync());

        body["verify"] = false;
        var created = await (await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body)).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal("unverified", (string?)created["status"]);
        Assert.Null(created["last_verified_at"]);

        Fakes.Doppler.Reset();
        var verify = await (await Owner().PostAsync(Url(Acme, $"/vault-connections/{created["id"]}/verify"), null)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.True((bool)verify["verified"]!);
        Assert.Null(verify["error"]);
        Assert.NotNull(verify["checked_at"]);
        var after = await (await Owner().GetAsync(Url(Acme, $"/vault-connections/{created["id"]}"))).ReadJsonAsync();
        Assert.Equal("verified", (string?)after["status"]);
    }

    [Fact]
    public async Task Verify_WhenProviderNowRefuses_MarksFailingWithError()
    {
        // A token of this test's own, so revoking it changes nothing for other tests sharing the fakes.
        var token = $"dp.st.prd.revoked{Guid.NewGuid():N}";
        Fakes.Doppler.AcceptToken(token, ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig);
        var body = ProviderFakes.ValidBody("doppler", "revoked");
        body["access_token"] = token;
        var created = await (await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body)).AssertStatusAsync(HttpStatusCode.Created);
        Fakes.Doppler.ForbidToken(token);
        var verify = await (await Owner().PostAsync(Url(Acme, $"/vault-connections/{created["id"]}/verify"), null)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.False((bool)verify["verified"]!);
        Assert.False(string.IsNullOrEmpty((string?)verify["error"]));
        var after = await (await Owner().GetAsync(Url(Acme, $"/vault-connections/{created["id"]}"))).ReadJsonAsync();
        Assert.Equal("failing", (string?)after["status"]);
        Assert.Equal((string?)verify["error"], (string?)after["last_verification_error"]);
        Assert.DoesNotContain(token, after.ToJsonString());
    }

    [Fact]
    public async Task Verify_RecordsWhyTheConnectionFails_RejectedOrUnreachable_UntilItWorksAgain()
    {
        var token = $"dp.st.prd.class{Guid.NewGuid():N}";
        Fakes.Doppler.AcceptToken(token, ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig);
        var body = ProviderFakes.ValidBody("doppler", "failure class");
        body["access_token"] = token;
        var id = Guid.Parse((string)(await (await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body)).AssertStatusAsync(HttpStatusCode.Created))["id"]!);
        async Task<(string? Status, ProviderOutcome? Class)> VerifyAsync()
        {
            await (await Owner().PostAsync(Url(Acme, $"/vault-connections/{id}/verify"), null)).AssertStatusAsync(HttpStatusCode.OK);
            var wire = await (await Owner().GetAsync(Url(Acme, $"/vault-connections/{id}"))).ReadJsonAsync();
            var stored = await Portal.WithAsync<PortalDbContext, VaultConnection>(db => db.VaultConnections.AsNoTracking().SingleAsync(c => c.Id == id));
            Assert.Equal(wire["last_verification_error"]?.GetValue<string>(), stored.LastVerificationError);
            return ((string?)wire["status"], stored.FailureClass);
        }

        Fakes.Doppler.FailNext(20, FakeFailure.ServiceUnavailable);
        Assert.Equal(("failing", ProviderOutcome.Unreachable), await VerifyAsync());
        Fakes.Doppler.Reset();
        Fakes.Doppler.ForbidToken(token);
        Assert.Equal(("failing", ProviderOutcome.Rejected), await VerifyAsync());
        var rotatedToken = $"dp.st.prd.rotated{Guid.NewGuid():N}";
        Fakes.Doppler.AcceptToken(rotatedToken, ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig);
        await (await Owner().PostRawAsync(Url(Acme, $"/vault-connections/{id}/rotate"), $$"""{"access_token":"{{rotatedToken}}"}""")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(("verified", (ProviderOutcome?)null), await VerifyAsync());
    }

    [Theory]
    [MemberData(nameof(VaultTypes))]
    public async Task Rotate_RejectedByProvider_Is422AndOldCredentialsKeepWorking(string vaultType)
    {
        var created = await CreateConnectionAsync(vaultType, "rotating");
        var id = Guid.Parse((string)created["id"]!);
        var before = await Store.GetAsync(CredentialKey.ForVaultConnection(Acme.TeamId, id));
        var bad = vaultType == "infisical"
            ? """{"client_id":"7b0a4c1e-8d52-4c3f-9a61-2f5e9d8c1b11","client_secret":"wrong"}"""
            : vaultType == "doppler" ? """{"access_token":"dp.st.dev.revoked"}""" : """{"access_token":"ops_revoked"}""";
        await (await Owner().PostRawAsync(Url(Acme, $"/vault-connections/{id}/rotate"), bad)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "provider_rejected");

        Assert.Equal(before, await Store.GetAsync(CredentialKey.ForVaultConnection(Acme.TeamId, id)));
        var verify = await (await Owner().PostAsync(Url(Acme, $"/vault-connections/{id}/verify"), null)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.True((bool)verify["verified"]!);
    }

    [Fact]
    public async Task Rotate_Accepted_ReplacesStoredCredentials()
    {
        var created = await CreateConnectionAsync("doppler", "to rotate");
        var id = Guid.Parse((string)created["id"]!);
        const string newToken = "dp.st.prd.rotatedToken0002";
        Fakes.Doppler.AcceptToken(newToken, ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig);
        var rotated = await (await Owner().PostRawAsync(Url(Acme, $"/vault-connections/{id}/rotate"), $$"""{"access_token":"{{newToken}}"}""")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("verified", (string?)rotated["status"]);
        Assert.DoesNotContain(newToken, rotated.ToJsonString());
        var stored = await Store.GetAsync(CredentialKey.ForVaultConnection(Acme.TeamId, id));
        Assert.Equal(newToken, stored!["access_token"]);
    }

    [Fact]
    public async Task Rotate_WithFieldsOfAnotherType_Is400()
    {
        var created = await CreateConnectionAsync("doppler", "typed");
        var response = await Owner().PostRawAsync(Url(Acme, $"/vault-connections/{created["id"]}/rotate"),
            """{"access_token":"dp.st.x","client_secret":"nope"}""");
        await response.AssertValidationErrorAsync("client_secret");
    }

    [Fact]
    public async Task Delete_MovesToTrash_KeepsStoredCredential_PurgeRemovesBoth()
    {
        var created = await CreateConnectionAsync("infisical", "to delete");
        var id = Guid.Parse((string)created["id"]!);
        Assert.NotNull(await Store.GetAsync(CredentialKey.ForVaultConnection(Acme.TeamId, id)));
        Assert.Equal(HttpStatusCode.NoContent, (await Owner().DeleteAsync(Url(Acme, $"/vault-connections/{id}"))).StatusCode);
        Assert.NotNull(await Store.GetAsync(CredentialKey.ForVaultConnection(Acme.TeamId, id)));
        await (await Owner().GetAsync(Url(Acme, $"/vault-connections/{id}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.NoContent, (await Owner().DeleteAsync(Url(Acme, $"/trash/{id}"))).StatusCode);
        Assert.Null(await Store.GetAsync(CredentialKey.ForVaultConnection(Acme.TeamId, id)));
    }

    [Fact]
    public async Task Patch_RenamesAndDescribes_DuplicateIs409_EmptyNameIs400()
    {
        var first = await CreateConnectionAsync("doppler", "first");
        await CreateConnectionAsync("onepassword", "second");
        var patched = await (await Owner().PatchRawAsync(Url(Acme, $"/vault-connections/{first["id"]}"), """{"name":"renamed","description":"Now described"}""")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("renamed", (string?)patched["name"]);
        Assert.Equal("Now described", (string?)patched["description"]);
        await (await Owner().PatchRawAsync(Url(Acme, $"/vault-connections/{first["id"]}"), """{"name":"SECOND"}""")).AssertProblemAsync(HttpStatusCode.Conflict, "name_conflict");
        await (await Owner().PatchRawAsync(Url(Acme, $"/vault-connections/{first["id"]}"), """{"name":""}""")).AssertValidationErrorAsync("name");
        await (await Owner().PatchRawAsync(Url(Acme, $"/vault-connections/{first["id"]}"), """{"access_token":"dp.st.x"}""")).AssertValidationErrorAsync("access_token");
        var unchanged = await (await Owner().GetAsync(Url(Acme, $"/vault-connections/{first["id"]}"))).ReadJsonAsync();
        Assert.Equal("renamed", (string?)unchanged["name"]);
    }

    public static TheoryData<string, string, string> InvalidBodies => new()
    {
        { "missing name", """{"vault_type":"onepassword","access_token":"ops_x"}""", "name" },
        { "unknown type", """{"name":"x","vault_type":"hashicorp","access_token":"ops_x"}""", "vault_type" },
        { "1Password prefix", """{"name":"x","vault_type":"onepassword","access_token":"dp.st.x"}""", "access_token" },
        { "Doppler without project", """{"name":"x","vault_type":"doppler","access_token":"dp.st.x","config":"prd"}""", "project" },
        { "Infisical client id not a UUID", """{"name":"x","vault_type":"infisical","client_id":"abc","client_secret":"s","project_id":"0f9e8d7c-6b5a-4321-8fed-cba987654321","environment":"prod"}""", "client_id" },
        { "field of another type", """{"name":"x","vault_type":"onepassword","access_token":"ops_x","project":"backend"}""", "project" },
        { "wrong JSON type", """{"name":"x","vault_type":"onepassword","access_token":"ops_x","verify":"yes"}""", "verify" },
        { "unknown field", """{"name":"x","vault_type":"onepassword","access_token":"ops_x","token":"ops_y"}""", "token" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Create_InvalidBody_Is400NamingTheField_AndChangesNothing(string because, string body, string field)
    {
        var response = await Owner().PostRawAsync(Url(Acme, "/vault-connections"), body);
        await response.AssertValidationErrorAsync(field);
        Assert.True(Fakes.Doppler.Requests.Count == 0, because);
        Assert.Empty((await (await Owner().GetAsync(Url(Acme, "/vault-connections"))).ReadJsonAsync()).AsArray());
        Assert.Empty(await StoredKeysAsync());
    }

    [Theory]
    [InlineData(TeamRole.Viewer, "create", HttpStatusCode.Forbidden)]
    [InlineData(TeamRole.Operator, "create", HttpStatusCode.Forbidden)]
    [InlineData(TeamRole.Admin, "create", HttpStatusCode.Created)]
    [InlineData(TeamRole.Viewer, "verify", HttpStatusCode.Forbidden)]
    [InlineData(TeamRole.Operator, "verify", HttpStatusCode.OK)]
    [InlineData(TeamRole.Operator, "rotate", HttpStatusCode.Forbidden)]
    [InlineData(TeamRole.Operator, "patch", HttpStatusCode.Forbidden)]
    [InlineData(TeamRole.Operator, "delete", HttpStatusCode.Forbidden)]
    [InlineData(TeamRole.Admin, "delete", HttpStatusCode.NoContent)]
    [InlineData(TeamRole.Viewer, "list", HttpStatusCode.OK)]
    [InlineData(TeamRole.Viewer, "get", HttpStatusCode.OK)]
    public async Task Roles_DecideWhoMayDoWhat(TeamRole role, string action, HttpStatusCode expected)
    {
        var existing = await CreateConnectionAsync("doppler", "existing");
        var id = (string)existing["id"]!;
        var client = Portal.CreateClient((await Portal.AddMemberAsync(Acme, role)).Key);
        var response = action switch
        {
            "create" => await client.PostJsonAsync(Url(Acme, "/vault-connections"), ProviderFakes.ValidBody("onepassword", "by role")),
            "verify" => await client.PostAsync(Url(Acme, $"/vault-connections/{id}/verify"), null),
            "rotate" => await client.PostRawAsync(Url(Acme, $"/vault-connections/{id}/rotate"), $$"""{"access_token":"{{ProviderFakes.DopplerToken}}"}"""),
            "patch" => await client.PatchRawAsync(Url(Acme, $"/vault-connections/{id}"), """{"name":"mine"}"""),
            "delete" => await client.DeleteAsync(Url(Acme, $"/vault-connections/{id}")),
            "list" => await client.GetAsync(Url(Acme, "/vault-connections")),
            _ => await client.GetAsync(Url(Acme, $"/vault-connections/{id}")),
        };
        if (expected == HttpStatusCode.Forbidden)
        {
            await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");
            var after = await (await Owner().GetAsync(Url(Acme, $"/vault-connections/{id}"))).AssertStatusAsync(HttpStatusCode.OK);
            Assert.Equal("existing", (string?)after["name"]);
        }
        else
        {
            await response.AssertStatusAsync(expected);
        }
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("PATCH", "")]
    [InlineData("DELETE", "")]
    [InlineData("POST", "/verify")]
    [InlineData("POST", "/rotate")]
    public async Task AnotherTeamsConnection_Is404AndUntouched(string method, string suffix)
    {
        var theirs = await CreateConnectionAsync("doppler", "theirs", Globex);
        var request = new HttpRequestMessage(new HttpMethod(method), Url(Acme, $"/vault-connections/{theirs["id"]}{suffix}"));
        if (method is "PATCH" || suffix == "/rotate")
        {
            var body = method is "PATCH" ? """{"name":"hijacked"}""" : $$"""{"access_token":"{{ProviderFakes.DopplerToken}}"}""";
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }
        await (await Owner().SendAsync(request)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        // Also through the other team's URL with my key.
        await (await Owner().GetAsync(Url(Globex, $"/vault-connections/{theirs["id"]}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var still = await (await Owner(Globex).GetAsync(Url(Globex, $"/vault-connections/{theirs["id"]}"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("theirs", (string?)still["name"]);
    }

    [Fact]
    public async Task UnknownOrMalformedId_Is404()
    {
        await (await Owner().GetAsync(Url(Acme, $"/vault-connections/{Guid.NewGuid()}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await Owner().GetAsync(Url(Acme, "/vault-connections/not-a-uuid"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }
}
