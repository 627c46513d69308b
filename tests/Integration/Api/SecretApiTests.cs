using System.Net;
using System.Text.Json.Nodes;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Secrets.Catalog;
using Dataraven.Core.Teams;
using Dataraven.Core.VaultConnections;
using Dataraven.Tests.Infrastructure;
using Dataraven.Tests.Unit.CredentialStore;
using Dataraven.Tests.Unit.Validation;

namespace Dataraven.Tests.Api;

public sealed class SecretApiTestsLocal(LocalApiPortal portal) : SecretApiTests(portal), IClassFixture<LocalApiPortal>;

public sealed class SecretApiTestsSsm(SsmApiPortal portal) : SecretApiTests(portal), IClassFixture<SsmApiPortal>;

public sealed class SecretApiTestsPostgres(PostgresApiPortal portal) : SecretApiTests(portal), IClassFixture<PostgresApiPortal>;

public abstract class SecretApiTests(ApiPortalFixture portal) : ApiTestBase(portal)
{
    public static TheoryData<string, string> AllAuthMethods()
    {
        var data = new TheoryData<string, string>();
        foreach (var (type, method) in ValidationSamples.AllAuthMethods())
        {
            data.Add(type, method.Id);
        }
        return data;
    }

    public static TheoryData<string> VaultTypes => new(ProviderFakes.VaultTypes);

    private static Dictionary<string, object?> DirectBody(string type, string method, string name, Dictionary<string, string>? credentials = null) => new()
    {
        ["name"] = name,
        ["description"] = "Nightly backups",
        ["secret_type"] = type,
        ["auth_method"] = method,
        ["credentials"] = credentials ?? ValidationSamples.ValidCredentials(type, method),
    };

    private static Dictionary<string, object?> VaultBody(string vaultType, string connectionId, string name, string type = "s3", string method = "s3_access_key")
    {
        VaultTypes_TryParse(vaultType, out var vt);
        return new()
        {
            ["name"] = name,
            ["secret_type"] = type,
            ["auth_method"] = method,
            ["vault_connection_id"] = connectionId,
            ["field_mappings"] = ValidationSamples.ValidMappings(vt, type, method)
                .Select(m => new Dictionary<string, string?> { ["field_name"] = m.FieldName, ["reference"] = m.Reference }).ToList(),
        };
    }

    private static void VaultTypes_TryParse(string wire, out VaultType type) => Core.VaultConnections.VaultTypes.TryParse(wire, out type);

    private async Task<JsonNode> CreateDirectAsync(string name = "secret", string type = "s3", string method = "s3_access_key", TeamFixture? team = null) =>
        await (await Owner(team).PostJsonAsync(Url(team ?? Acme, "/secrets"), DirectBody(type, method, name))).AssertStatusAsync(HttpStatusCode.Created);

    [Theory]
    [MemberData(nameof(AllAuthMethods))]
    public async Task Create_DirectForEveryTypeAndAuthMethod_Is201WithoutValues(string type, string method)
    {
        var credentials = ValidationSamples.ValidCredentials(type, method);
        foreach (var field in SecretCatalog.FindAuthMethod(type, method)!.Fields.Where(f => f.Check == CredentialCheck.NonEmpty))
        {
            credentials[field.Name] = $"CANARY-{field.Name}-{Guid.NewGuid():N}";
        }
        var response = await Owner().PostJsonAsync(Url(Acme, "/secrets"), DirectBody(type, method, $"{type} direct", credentials));
        var created = await response.AssertStatusAsync(HttpStatusCode.Created);
        var text = created.ToJsonString();

        Assert.Equal(type, (string?)created["secret_type"]);
        Assert.Equal(method, (string?)created["auth_method"]);
        Assert.Equal("direct", (string?)created["source"]);
        Assert.Null(created["vault_connection_id"]);
        Assert.Empty(created["field_mappings"]!.AsArray());
        Assert.Equal(credentials.Keys.Order(), created["credential_fields"]!.AsArray().Select(n => (string)n!).Order());
        Assert.Equal(Acme.OwnerId.ToString(), (string?)created["updated_by"]);
        Assert.False(created.AsObject().ContainsKey("credentials"));
        foreach (var value in credentials.Values)
        {
            Assert.DoesNotContain(value, text);
        }
        var stored = await Store.GetAsync(CredentialKey.ForSecret(Acme.TeamId, Guid.Parse((string)created["id"]!)));
        Assert.Equal(credentials.OrderBy(kv => kv.Key).Select(kv => kv.Value.Trim()), stored!.OrderBy(kv => kv.Key).Select(kv => kv.Value));
    }

    [Theory]
    [MemberData(nameof(VaultTypes))]
    public async Task Create_VaultReferenced_Is201_StoresOnlyMappings(string vaultType)
    {
        var connection = await CreateConnectionAsync(vaultType, $"{vaultType} vault");
        var created = await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), VaultBody(vaultType, (string)connection["id"]!, "referenced")))
            .AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal("vault", (string?)created["source"]);
        Assert.Equal((string?)connection["id"], (string?)created["vault_connection_id"]);
        Assert.Equal($"{vaultType} vault", (string?)created["vault_connection_name"]);
        Assert.Equal(vaultType, (string?)created["vault_type"]);
        var mappings = created["field_mappings"]!.AsArray();
        Assert.Equal(["access_key_id", "secret_access_key"], mappings.Select(m => (string)m!["field_name"]!));
        Assert.All(mappings, m => Assert.False(string.IsNullOrEmpty((string?)m!["reference"])));
        Assert.Equal(["access_key_id", "secret_access_key"], created["credential_fields"]!.AsArray().Select(n => (string)n!));
        Assert.Null(await Store.GetAsync(CredentialKey.ForSecret(Acme.TeamId, Guid.Parse((string)created["id"]!))));

        var usage = await (await Owner().GetAsync(Url(Acme, $"/vault-connections/{connection["id"]}"))).ReadJsonAsync();
        Assert.Equal(1, (int)usage["secrets_count"]!);
    }

    [Fact]
    public async Task Create_ReferenceInvalidForTheConnectionsVaultType_Is400NamingTheRow()
    {
        var connection = await CreateConnectionAsync("doppler");
        var body = VaultBody("doppler", (string)connection["id"]!, "bad ref");
        ((List<Dictionary<string, string?>>)body["field_mappings"]!)[1]["reference"] = "op://DevOps/AWS/secret";
        await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), body)).AssertValidationErrorAsync("field_mappings[1].reference");
        Assert.Empty((await (await Owner().GetAsync(Url(Acme, "/secrets"))).ReadJsonAsync()).AsArray());
    }

    [Fact]
    public async Task Create_WithAnotherTeamsConnection_Is404()
    {
        var theirs = await CreateConnectionAsync("doppler", "theirs", Globex);
        var response = await Owner().PostJsonAsync(Url(Acme, "/secrets"), VaultBody("doppler", (string)theirs["id"]!, "stolen"));
        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var count = await (await Owner(Globex).GetAsync(Url(Globex, $"/vault-connections/{theirs["id"]}"))).ReadJsonAsync();
        Assert.Equal(0, (int)count["secrets_count"]!);
    }

    [Fact]
    public async Task Create_DuplicateNameInAnyCase_Is409()
    {
        await CreateDirectAsync("Backups");
        var response = await Owner().PostJsonAsync(Url(Acme, "/secrets"), DirectBody("r2", "r2_access_key", "  BACKUPS "));
        await response.AssertProblemAsync(HttpStatusCode.Conflict, "name_conflict");
        Assert.Single(await StoredKeysAsync());
    }

    [Fact]
    public async Task Create_SixthOnFree_Is403TierLimit()
    {
        await SetTierAsync(Acme, "free");
        for (var i = 0; i < 5; i++)
        {
            await CreateDirectAsync($"secret {i}");
        }
        var problem = await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), DirectBody("s3", "s3_access_key", "sixth")))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "tier_limit_reached");
        Assert.Equal(5, (int)problem["limit"]!);
        Assert.Equal(5, (int)problem["current"]!);
        Assert.Equal(5, (await StoredKeysAsync()).Count);
    }

    [Fact]
    public async Task Create_TwentyConcurrentAtFourOfFive_LeavesExactlyFive()
    {
        await SetTierAsync(Acme, "free");
        for (var i = 0; i < 4; i++)
        {
            await CreateDirectAsync($"existing {i}");
        }
        var client = Owner();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            client.PostJsonAsync(Url(Acme, "/secrets"), DirectBody("s3", "s3_access_key", $"race {i}"))));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.Forbidden));
        Assert.Equal(5, (await (await client.GetAsync(Url(Acme, "/secrets"))).ReadJsonAsync()).AsArray().Count);
        Assert.Equal(5, (await StoredKeysAsync()).Count);
    }

    [Fact]
    public async Task Create_DowngradedBelowUsage_RefusesUntilUnderLimit()
    {
        for (var i = 0; i < 6; i++)
        {
            await CreateDirectAsync($"pro secret {i}");
        }
        await SetTierAsync(Acme, "free");
        await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), DirectBody("s3", "s3_access_key", "more")))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "tier_limit_reached");
        var list = (await (await Owner().GetAsync(Url(Acme, "/secrets"))).ReadJsonAsync()).AsArray();
        Assert.Equal(6, list.Count);
        foreach (var id in list.Take(2).Select(s => (string)s!["id"]!))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await Owner().DeleteAsync(Url(Acme, $"/secrets/{id}"))).StatusCode);
        }
        await CreateDirectAsync("fits again");
    }

    [Fact]
    public async Task Delete_MovesToTrash_KeepsStoredValue_PurgeRemovesIt()
    {
        var created = await CreateDirectAsync("to delete");
        var key = CredentialKey.ForSecret(Acme.TeamId, Guid.Parse((string)created["id"]!));
        Assert.NotNull(await Store.GetAsync(key));
        Assert.Equal(HttpStatusCode.NoContent, (await Owner().DeleteAsync(Url(Acme, $"/secrets/{created["id"]}"))).StatusCode);
        Assert.NotNull(await Store.GetAsync(key));
        await (await Owner().GetAsync(Url(Acme, $"/secrets/{created["id"]}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.NoContent, (await Owner().DeleteAsync(Url(Acme, $"/trash/{created["id"]}"))).StatusCode);
        Assert.Null(await Store.GetAsync(key));
    }

    [Fact]
    public async Task DeleteConnection_InUse_Is409ListingSecrets_ThenSucceedsOnceFree()
    {
        var connection = await CreateConnectionAsync("infisical", "shared vault");
        var secret = await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), VaultBody("infisical", (string)connection["id"]!, "uses vault")))
            .AssertStatusAsync(HttpStatusCode.Created);
        var problem = await (await Owner().DeleteAsync(Url(Acme, $"/vault-connections/{connection["id"]}")))
            .AssertProblemAsync(HttpStatusCode.Conflict, "in_use");
        var usedBy = problem["secrets"]!.AsArray();
        Assert.Equal("uses vault", (string?)usedBy.Single()!["name"]);
        Assert.Equal((string?)secret["id"], (string?)usedBy.Single()!["id"]);
        Assert.NotNull(await Store.GetAsync(CredentialKey.ForVaultConnection(Acme.TeamId, Guid.Parse((string)connection["id"]!))));

        Assert.Equal(HttpStatusCode.NoContent, (await Owner().DeleteAsync(Url(Acme, $"/secrets/{secret["id"]}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Owner().DeleteAsync(Url(Acme, $"/vault-connections/{connection["id"]}"))).StatusCode);
    }

    [Fact]
    public async Task Patch_DirectSecret_NewCredentialsReplaceStoredValue_OmittedKeepsIt()
    {
        var created = await CreateDirectAsync("patched");
        var key = CredentialKey.ForSecret(Acme.TeamId, Guid.Parse((string)created["id"]!));
        var before = await Store.GetAsync(key);

        var renamed = await (await Owner().PatchRawAsync(Url(Acme, $"/secrets/{created["id"]}"), """{"name":"renamed","description":"new"}""")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("renamed", (string?)renamed["name"]);
        Assert.Equal(before, await Store.GetAsync(key));

        var replaced = await (await Owner().PatchRawAsync(Url(Acme, $"/secrets/{created["id"]}"),
            """{"credentials":{"access_key_id":"AKIANEWNEWNEW","secret_access_key":"NEW-SECRET-VALUE"}}""")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.DoesNotContain("NEW-SECRET-VALUE", replaced.ToJsonString());
        Assert.Equal("NEW-SECRET-VALUE", (await Store.GetAsync(key))!["secret_access_key"]);
    }

    [Fact]
    public async Task Patch_ChangedAuthMethod_NeedsMatchingCredentials()
    {
        var created = await CreateDirectAsync("azure", "azure_blob", "azure_account_key");
        var id = (string)created["id"]!;
        await (await Owner().PatchRawAsync(Url(Acme, $"/secrets/{id}"), """{"auth_method":"azure_sas_url"}""")).AssertValidationErrorAsync("credentials");
        await (await Owner().PatchRawAsync(Url(Acme, $"/secrets/{id}"),
            """{"auth_method":"azure_sas_url","credentials":{"account_name":"a","account_key":"b"}}""")).AssertValidationErrorAsync("credentials.sas_url");
        var ok = await (await Owner().PatchRawAsync(Url(Acme, $"/secrets/{id}"),
            $$$"""{"auth_method":"azure_sas_url","credentials":{"sas_url":"{{{ValidationSamples.SasUrl}}}"}}""")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("azure_sas_url", (string?)ok["auth_method"]);
        Assert.Equal(["sas_url"], ok["credential_fields"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["sas_url"], (await Store.GetAsync(CredentialKey.ForSecret(Acme.TeamId, Guid.Parse(id))))!.Keys);
    }

    [Fact]
    public async Task Patch_SourceRules_CredentialsOnlyForDirect_MappingsOnlyForVault()
    {
        var direct = await CreateDirectAsync("direct one");
        await (await Owner().PatchRawAsync(Url(Acme, $"/secrets/{direct["id"]}"),
            """{"field_mappings":[{"field_name":"access_key_id","reference":"A"},{"field_name":"secret_access_key","reference":"B"}]}"""))
            .AssertValidationErrorAsync("field_mappings");

        var connection = await CreateConnectionAsync("doppler");
        var vault = await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), VaultBody("doppler", (string)connection["id"]!, "vault one"))).AssertStatusAsync(HttpStatusCode.Created);
        await (await Owner().PatchRawAsync(Url(Acme, $"/secrets/{vault["id"]}"),
            """{"credentials":{"access_key_id":"A","secret_access_key":"B"}}""")).AssertValidationErrorAsync("credentials");
        var remapped = await (await Owner().PatchRawAsync(Url(Acme, $"/secrets/{vault["id"]}"),
            """{"field_mappings":[{"field_name":"secret_access_key","reference":"NEW_SECRET"},{"field_name":"access_key_id","reference":"NEW_ID"}]}"""))
            .AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(["NEW_ID", "NEW_SECRET"], remapped["field_mappings"]!.AsArray().Select(m => (string)m!["reference"]!));
        await (await Owner().PatchRawAsync(Url(Acme, $"/secrets/{vault["id"]}"),
            """{"field_mappings":[{"field_name":"access_key_id","reference":"lower_case"},{"field_name":"secret_access_key","reference":"OK"}]}"""))
            .AssertValidationErrorAsync("field_mappings[0].reference");
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"name":"x","secret_type":"s3","auth_method":"s3_access_key","credentials":{"access_key_id":"A"}}""", "credentials.secret_access_key" },
        { """{"name":"x","secret_type":"s3","auth_method":"s3_access_key","credentials":{"access_key_id":"A","secret_access_key":""}}""", "credentials.secret_access_key" },
        { """{"name":"x","secret_type":"s3","auth_method":"s3_access_key","credentials":{"access_key_id":"A","secret_access_key":"B","token":"C"}}""", "credentials.token" },
        { """{"name":"x","secret_type":"s3","auth_method":"azure_sas_url","credentials":{"sas_url":"https://x/?sig=1"}}""", "auth_method" },
        { """{"name":"x","secret_type":"ftp","auth_method":"password","credentials":{"p":"q"}}""", "secret_type" },
        { """{"name":"x","secret_type":"azure_blob","auth_method":"azure_sas_url","credentials":{"sas_url":"http://acme.blob.core.windows.net/c?sig=abc"}}""", "credentials.sas_url" },
        { """{"name":"x","secret_type":"gcs","auth_method":"gcs_service_account","credentials":{"service_account_json":"{\"type\":\"user\"}"}}""", "credentials.service_account_json" },
        { """{"name":"x","secret_type":"s3","auth_method":"s3_access_key"}""", "credentials" },
        { """{"name":"x","secret_type":"s3","auth_method":"s3_access_key","credentials":{"access_key_id":1,"secret_access_key":"B"}}""", "credentials.access_key_id" },
        { """{"name":"x","secret_type":"s3","auth_method":"s3_access_key","vault_connection_id":"nope","field_mappings":[]}""", "vault_connection_id" },
        { """{"secret_type":"s3","auth_method":"s3_access_key","credentials":{"access_key_id":"A","secret_access_key":"B"}}""", "name" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Create_InvalidBody_Is400NamingTheField_AndChangesNothing(string body, string field)
    {
        await (await Owner().PostRawAsync(Url(Acme, "/secrets"), body)).AssertValidationErrorAsync(field);
        Assert.Empty((await (await Owner().GetAsync(Url(Acme, "/secrets"))).ReadJsonAsync()).AsArray());
        Assert.Empty(await StoredKeysAsync());
    }

    [Theory]
    [InlineData(TeamRole.Viewer, "create", HttpStatusCode.Forbidden)]
    [InlineData(TeamRole.Operator, "create", HttpStatusCode.Forbidden)]
    [InlineData(TeamRole.Admin, "create", HttpStatusCode.Created)]
    [InlineData(TeamRole.Operator, "patch", HttpStatusCode.Forbidden)]
    [InlineData(TeamRole.Viewer, "delete", HttpStatusCode.Forbidden)]
    [InlineData(TeamRole.Admin, "delete", HttpStatusCode.NoContent)]
    [InlineData(TeamRole.Viewer, "list", HttpStatusCode.OK)]
    [InlineData(TeamRole.Viewer, "get", HttpStatusCode.OK)]
    public async Task Roles_DecideWhoMayDoWhat(TeamRole role, string action, HttpStatusCode expected)
    {
        var existing = await CreateDirectAsync("existing");
        var id = (string)existing["id"]!;
        var client = Portal.CreateClient((await Portal.AddMemberAsync(Acme, role)).Key);
        var response = action switch
        {
            "create" => await client.PostJsonAsync(Url(Acme, "/secrets"), DirectBody("s3", "s3_access_key", "by role")),
            "patch" => await client.PatchRawAsync(Url(Acme, $"/secrets/{id}"), """{"name":"mine"}"""),
            "delete" => await client.DeleteAsync(Url(Acme, $"/secrets/{id}")),
            "list" => await client.GetAsync(Url(Acme, "/secrets")),
            _ => await client.GetAsync(Url(Acme, $"/secrets/{id}")),
        };
        if (expected == HttpStatusCode.Forbidden)
        {
            await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");
            var after = await (await Owner().GetAsync(Url(Acme, $"/secrets/{id}"))).AssertStatusAsync(HttpStatusCode.OK);
            Assert.Equal("existing", (string?)after["name"]);
        }
        else
        {
            await response.AssertStatusAsync(expected);
        }
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task AnotherTeamsSecret_Is404AndUntouched(string method)
    {
        var theirs = await CreateDirectAsync("theirs", team: Globex);
        var request = new HttpRequestMessage(new HttpMethod(method), Url(Acme, $"/secrets/{theirs["id"]}"));
        if (method == "PATCH")
        {
            request.Content = new StringContent("""{"name":"hijacked"}""", System.Text.Encoding.UTF8, "application/json");
        }
        await (await Owner().SendAsync(request)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var still = await (await Owner(Globex).GetAsync(Url(Globex, $"/secrets/{theirs["id"]}"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("theirs", (string?)still["name"]);
        Assert.NotNull(await Store.GetAsync(CredentialKey.ForSecret(Globex.TeamId, Guid.Parse((string)theirs["id"]!))));
    }
}
