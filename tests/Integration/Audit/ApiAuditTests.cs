using System.Net;
using System.Text.Json.Nodes;
using Dataraven.Core.ApiKeys;
using Dataraven.Core.Audit;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Dataraven.Core.VaultConnections;
using Dataraven.Tests.Api;
using Dataraven.Tests.Fakes;
using Dataraven.Tests.Infrastructure;
using Dataraven.Tests.Unit.Validation;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Tests.Audit;

/// <summary>
/// Every /v1 write answers with exactly one audit event: the acting key (type, id, name), via api, the client address,
/// the action, its target and outcome. Refusals for role, limit and provider record one failed event; 400 and 404 none.
/// </summary>
public sealed class ApiAuditTests(LocalApiPortal fixture) : ApiTestBase(fixture), IClassFixture<LocalApiPortal>
{
    private static readonly IPAddress From = IPAddress.Parse("203.0.113.7");

    private HttpClient Api(string key) => AuditTable.ApiClient(Portal, key, From);

    private Task<ApiKey> KeyAsync(TeamFixture team, string name) =>
        Portal.WithAsync<PortalDbContext, ApiKey>(db => db.ApiKeys.SingleAsync(k => k.TeamId == team.TeamId && k.Name == name));

    /// <summary>Runs an Owner-key request, checks its status, and returns its one event after checking who and where.</summary>
    private async Task<(AuditEvent Event, JsonNode? Body)> OwnerCallAsync(Func<HttpClient, Task<HttpResponseMessage>> call, HttpStatusCode status)
    {
        JsonNode? body = null;
        var e = await AuditTable.OneAddedByAsync(Portal, Acme.TeamId, async () =>
        {
            var response = await call(Api(Acme.OwnerKey));
            body = status == HttpStatusCode.NoContent ? null : await response.AssertStatusAsync(status);
            Assert.Equal(status, response.StatusCode);
        });
        var owner = await KeyAsync(Acme, "owner");
        Assert.Equal("api_key", e.ActorType);
        Assert.Equal(owner.Id, e.ActorId);
        Assert.Equal("owner", e.ActorName);
        Assert.Equal("api", e.Via);
        Assert.Equal("203.0.113.7", e.Ip);
        Assert.Equal(Acme.TeamId, e.TeamId);
        return (e, body);
    }

    private static Guid IdOf(JsonNode? body) => Guid.Parse((string)body!["id"]!);

    private async Task<Guid> ConnectionAsync(string name = "vault") => IdOf(await CreateConnectionAsync("doppler", name));

    private static Dictionary<string, object?> DirectSecret(string name) => new()
    {
        ["name"] = name, ["secret_type"] = "s3", ["auth_method"] = "s3_access_key",
        ["credentials"] = ValidationSamples.ValidCredentials("s3", "s3_access_key"),
    };

    private async Task<Guid> SecretAsync(string name = "direct") =>
        IdOf(await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), DirectSecret(name))).AssertStatusAsync(HttpStatusCode.Created));

    [Fact]
    public async Task CreateApiKey()
    {
        var (e, body) = await OwnerCallAsync(c => c.PostJsonAsync(Url(Acme, "/api-keys"), new { name = "deploy", role = "operator" }), HttpStatusCode.Created);
        e.AssertIs(AuditActions.ApiKeyCreated, "succeeded", "api_key", IdOf(body));
        Assert.Equal("deploy", e.TargetName);
        Assert.Equal("operator", (string?)e.Details()!["role"]);
        Assert.DoesNotContain((string)body!["key"]!, e.Details!);
    }

    [Fact]
    public async Task DeleteApiKey()
    {
        var created = await (await Owner().PostJsonAsync(Url(Acme, "/api-keys"), new { name = "old", role = "viewer" })).AssertStatusAsync(HttpStatusCode.Created);
        var (e, _) = await OwnerCallAsync(c => c.DeleteAsync(Url(Acme, $"/api-keys/{created["id"]}")), HttpStatusCode.NoContent);
        e.AssertIs(AuditActions.ApiKeyDeleted, "succeeded", "api_key", IdOf(created));
        Assert.Equal("old", e.TargetName);
    }

    [Fact]
    public async Task ChangeTier()
    {
        var (e, _) = await OwnerCallAsync(c => c.PutRawAsync(Url(Acme, "/tier"), """{"tier":"free"}"""), HttpStatusCode.OK);
        e.AssertIs(AuditActions.TierChanged, "succeeded", "team", Acme.TeamId);
        Assert.Equal("Acme", e.TargetName);
        Assert.Equal("""{"from":"pro","to":"free"}""", e.Details);
    }

    [Fact]
    public async Task CreateVaultConnection()
    {
        var (e, body) = await OwnerCallAsync(c => c.PostJsonAsync(Url(Acme, "/vault-connections"), ProviderFakes.ValidBody("doppler", "Prod Doppler")),
            HttpStatusCode.Created);
        e.AssertIs(AuditActions.VaultConnectionCreated, "succeeded", "vault_connection", IdOf(body));
        Assert.Equal("Prod Doppler", e.TargetName);
        Assert.Equal("""{"vault_type":"doppler","status":"verified","owners":[]}""", e.Details);
    }

    [Fact]
    public async Task UpdateVaultConnection()
    {
        var id = await ConnectionAsync("before");
        var (e, _) = await OwnerCallAsync(c => c.PatchRawAsync(Url(Acme, $"/vault-connections/{id}"), """{"name":"after","description":"d"}"""),
            HttpStatusCode.OK);
        e.AssertIs(AuditActions.VaultConnectionUpdated, "succeeded", "vault_connection", id);
        Assert.Equal("after", e.TargetName);
        Assert.Equal("""{"fields":["name","description"]}""", e.Details);
    }

    [Fact]
    public async Task VerifyVaultConnection()
    {
        var id = await ConnectionAsync();
        var (e, _) = await OwnerCallAsync(c => c.PostAsync(Url(Acme, $"/vault-connections/{id}/verify"), null), HttpStatusCode.OK);
        e.AssertIs(AuditActions.VaultConnectionVerified, "succeeded", "vault_connection", id);
        Assert.Equal("""{"status":"verified"}""", e.Details);
    }

    [Fact]
    public async Task VerifyVaultConnection_ProviderNowRefuses_IsOneFailedEvent()
    {
        var token = $"dp.st.prd.revoked{Guid.NewGuid():N}";
        Fakes.Doppler.AcceptToken(token, ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig);
        var body = ProviderFakes.ValidBody("doppler", "revoked");
        body["access_token"] = token;
        var id = IdOf(await (await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body)).AssertStatusAsync(HttpStatusCode.Created));
        Fakes.Doppler.ForbidToken(token);

        var (e, answer) = await OwnerCallAsync(c => c.PostAsync(Url(Acme, $"/vault-connections/{id}/verify"), null), HttpStatusCode.OK);

        Assert.False((bool)answer!["verified"]!);
        e.AssertIs(AuditActions.VaultConnectionVerified, "failed", "vault_connection", id);
        Assert.Equal("""{"status":"failing","code":"provider_rejected"}""", e.Details);
        Assert.DoesNotContain(token, e.Details!);
    }

    [Fact]
    public async Task RotateVaultConnection()
    {
        var id = await ConnectionAsync();
        var (e, _) = await OwnerCallAsync(c => c.PostJsonAsync(Url(Acme, $"/vault-connections/{id}/rotate"),
            new { access_token = ProviderFakes.DopplerToken }), HttpStatusCode.OK);
        e.AssertIs(AuditActions.VaultConnectionRotated, "succeeded", "vault_connection", id);
        Assert.Equal("""{"credential_fields":["access_token"]}""", e.Details);
    }

    [Fact]
    public async Task DeleteVaultConnection()
    {
        var id = await ConnectionAsync("gone");
        var (e, _) = await OwnerCallAsync(c => c.DeleteAsync(Url(Acme, $"/vault-connections/{id}")), HttpStatusCode.NoContent);
        e.AssertIs(AuditActions.VaultConnectionDeleted, "succeeded", "vault_connection", id);
        Assert.Equal("gone", e.TargetName);
    }

    [Fact]
    public async Task CreateDirectSecret()
    {
        var (e, body) = await OwnerCallAsync(c => c.PostJsonAsync(Url(Acme, "/secrets"), DirectSecret("backups")), HttpStatusCode.Created);
        e.AssertIs(AuditActions.SecretCreated, "succeeded", "secret", IdOf(body));
        Assert.Equal("backups", e.TargetName);
        Assert.Equal("""{"secret_type":"s3","auth_method":"s3_access_key","source":"direct","credential_fields":["access_key_id","secret_access_key"],"owners":[]}""",
            e.Details);
    }

    [Fact]
    public async Task CreateVaultSecret()
    {
        var connection = await ConnectionAsync();
        var body = new Dictionary<string, object?>
        {
            ["name"] = "from vault", ["secret_type"] = "s3", ["auth_method"] = "s3_access_key", ["vault_connection_id"] = connection,
            ["field_mappings"] = ValidationSamples.ValidMappings(VaultType.Doppler, "s3", "s3_access_key")
                .Select(m => new Dictionary<string, string?> { ["field_name"] = m.FieldName, ["reference"] = m.Reference }).ToList(),
        };
        var (e, created) = await OwnerCallAsync(c => c.PostJsonAsync(Url(Acme, "/secrets"), body), HttpStatusCode.Created);
        e.AssertIs(AuditActions.SecretCreated, "succeeded", "secret", IdOf(created));
        Assert.Equal("""{"secret_type":"s3","auth_method":"s3_access_key","source":"vault","field_mappings":["access_key_id","secret_access_key"],"owners":[]}""",
            e.Details);
    }

    [Fact]
    public async Task UpdateSecret()
    {
        var id = await SecretAsync();
        var patch = new Dictionary<string, object?> { ["description"] = "nightly", ["credentials"] = ValidationSamples.ValidCredentials("s3", "s3_access_key") };
        var (e, _) = await OwnerCallAsync(c => c.SendAsync(new HttpRequestMessage(HttpMethod.Patch, Url(Acme, $"/secrets/{id}"))
        {
            Content = System.Net.Http.Json.JsonContent.Create(patch),
        }), HttpStatusCode.OK);
        e.AssertIs(AuditActions.SecretUpdated, "succeeded", "secret", id);
        Assert.Equal("""{"fields":["description","credentials"],"credential_fields":["access_key_id","secret_access_key"]}""", e.Details);
    }

    [Fact]
    public async Task DeleteSecret()
    {
        var id = await SecretAsync("old");
        var (e, _) = await OwnerCallAsync(c => c.DeleteAsync(Url(Acme, $"/secrets/{id}")), HttpStatusCode.NoContent);
        e.AssertIs(AuditActions.SecretDeleted, "succeeded", "secret", id);
        Assert.Equal("old", e.TargetName);
    }

    public static TheoryData<string> ViewerRefusals => new()
    {
        "POST /api-keys", "DELETE /api-keys", "PUT /tier", "POST /vault-connections", "PATCH /vault-connections", "POST verify",
        "POST rotate", "DELETE /vault-connections", "POST /secrets", "PATCH /secrets", "DELETE /secrets",
    };

    [Theory]
    [MemberData(nameof(ViewerRefusals))]
    public async Task RefusedForRole_IsOneFailedEvent_OfTheViewersKey(string endpoint)
    {
        var (_, _, viewerKey) = await Portal.AddMemberAsync(Acme, TeamRole.Viewer);
        var connection = await ConnectionAsync();
        var secret = await SecretAsync();
        var ownerKey = await KeyAsync(Acme, "owner");
        var (action, targetId, call) = endpoint switch
        {
            "POST /api-keys" => (AuditActions.ApiKeyCreated, (Guid?)null,
                (Func<HttpClient, Task<HttpResponseMessage>>)(c => c.PostJsonAsync(Url(Acme, "/api-keys"), new { name = "k", role = "viewer" }))),
            "DELETE /api-keys" => (AuditActions.ApiKeyDeleted, ownerKey.Id, c => c.DeleteAsync(Url(Acme, $"/api-keys/{ownerKey.Id}"))),
            "PUT /tier" => (AuditActions.TierChanged, Acme.TeamId, c => c.PutRawAsync(Url(Acme, "/tier"), """{"tier":"free"}""")),
            "POST /vault-connections" => (AuditActions.VaultConnectionCreated, null,
                c => c.PostJsonAsync(Url(Acme, "/vault-connections"), ProviderFakes.ValidBody("doppler", "mine"))),
            "PATCH /vault-connections" => (AuditActions.VaultConnectionUpdated, connection,
                c => c.PatchRawAsync(Url(Acme, $"/vault-connections/{connection}"), """{"name":"x"}""")),
            "POST verify" => (AuditActions.VaultConnectionVerified, connection, c => c.PostAsync(Url(Acme, $"/vault-connections/{connection}/verify"), null)),
            "POST rotate" => (AuditActions.VaultConnectionRotated, connection,
                c => c.PostJsonAsync(Url(Acme, $"/vault-connections/{connection}/rotate"), new { access_token = ProviderFakes.DopplerToken })),
            "DELETE /vault-connections" => (AuditActions.VaultConnectionDeleted, connection, c => c.DeleteAsync(Url(Acme, $"/vault-connections/{connection}"))),
            "POST /secrets" => (AuditActions.SecretCreated, null, c => c.PostJsonAsync(Url(Acme, "/secrets"), DirectSecret("mine"))),
            "PATCH /secrets" => (AuditActions.SecretUpdated, secret, c => c.PatchRawAsync(Url(Acme, $"/secrets/{secret}"), """{"name":"x"}""")),
            "DELETE /secrets" => (AuditActions.SecretDeleted, secret, c => c.DeleteAsync(Url(Acme, $"/secrets/{secret}"))),
            _ => throw new ArgumentOutOfRangeException(nameof(endpoint)),
        };
        var viewer = await KeyAsync(Acme, "Viewer key");

        var e = await AuditTable.OneAddedByAsync(Portal, Acme.TeamId, async () =>
            await (await call(Api(viewerKey))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role"));

        Assert.Equal(action, e.Action);
        Assert.Equal("failed", e.Outcome);
        Assert.Equal(targetId, e.TargetId);
        Assert.Equal("forbidden_role", e.Code());
        Assert.Equal(("api_key", viewer.Id, "Viewer key", "api", "203.0.113.7"), (e.ActorType, e.ActorId, e.ActorName, e.Via, e.Ip));
    }

    [Fact]
    public async Task KeyAboveOwnRole_IsOneFailedEvent()
    {
        var (_, _, adminKey) = await Portal.AddMemberAsync(Acme, TeamRole.Admin);
        var e = await AuditTable.OneAddedByAsync(Portal, Acme.TeamId, async () =>
            await (await Api(adminKey).PostJsonAsync(Url(Acme, "/api-keys"), new { name = "root", role = "owner" }))
                .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role"));
        e.AssertIs(AuditActions.ApiKeyCreated, "failed", "api_key");
        Assert.Equal(("root", (Guid?)null, "forbidden_role"), (e.TargetName, e.TargetId, e.Code()));
    }

    [Theory]
    [InlineData("vault-connections")]
    [InlineData("secrets")]
    public async Task RefusedForTierLimit_IsOneFailedEvent(string resource)
    {
        await SetTierAsync(Acme, "free");
        var limit = resource == "secrets" ? 5 : 1;
        for (var i = 0; i < limit; i++)
        {
            if (resource == "secrets")
            {
                await SecretAsync($"s{i}");
            }
            else
            {
                await ConnectionAsync($"c{i}");
            }
        }
        object body = resource == "secrets" ? DirectSecret("one too many") : ProviderFakes.ValidBody("doppler", "one too many");

        var (e, _) = await OwnerCallAsync(c => c.PostJsonAsync(Url(Acme, $"/{resource}"), body), HttpStatusCode.Forbidden);

        e.AssertIs(resource == "secrets" ? AuditActions.SecretCreated : AuditActions.VaultConnectionCreated, "failed",
            resource == "secrets" ? "secret" : "vault_connection");
        Assert.Equal(("one too many", (Guid?)null, "tier_limit_reached"), (e.TargetName, e.TargetId, e.Code()));
    }

    [Fact]
    public async Task CreateRejectedByProvider_IsOneFailedEvent()
    {
        var (e, _) = await OwnerCallAsync(c => c.PostJsonAsync(Url(Acme, "/vault-connections"), ProviderFakes.RejectedBody("doppler", "wrong")),
            HttpStatusCode.UnprocessableEntity);
        e.AssertIs(AuditActions.VaultConnectionCreated, "failed", "vault_connection");
        Assert.Equal("""{"code":"provider_rejected"}""", e.Details);
    }

    [Fact]
    public async Task CreateWithProviderUnreachable_IsOneFailedEvent()
    {
        Fakes.Doppler.FailNext(10, FakeFailure.ServerError);
        var (e, _) = await OwnerCallAsync(c => c.PostJsonAsync(Url(Acme, "/vault-connections"), ProviderFakes.ValidBody("doppler", "down")),
            HttpStatusCode.BadGateway);
        e.AssertIs(AuditActions.VaultConnectionCreated, "failed", "vault_connection");
        Assert.Equal("provider_unreachable", e.Code());
    }

    [Fact]
    public async Task RotateRejectedByProvider_IsOneFailedEvent()
    {
        var id = await ConnectionAsync();
        var (e, _) = await OwnerCallAsync(c => c.PostJsonAsync(Url(Acme, $"/vault-connections/{id}/rotate"), new { access_token = "dp.st.dev.wrongToken" }),
            HttpStatusCode.UnprocessableEntity);
        e.AssertIs(AuditActions.VaultConnectionRotated, "failed", "vault_connection", id);
        Assert.Equal("""{"code":"provider_rejected"}""", e.Details);
    }

    [Fact]
    public async Task ValidationFailures_NotFound_AndConflicts_RecordNothing()
    {
        var connection = await ConnectionAsync("taken");
        var secret = await SecretAsync();
        await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), new Dictionary<string, object?>
        {
            ["name"] = "uses it", ["secret_type"] = "s3", ["auth_method"] = "s3_access_key", ["vault_connection_id"] = connection,
            ["field_mappings"] = ValidationSamples.ValidMappings(VaultType.Doppler, "s3", "s3_access_key")
                .Select(m => new Dictionary<string, string?> { ["field_name"] = m.FieldName, ["reference"] = m.Reference }).ToList(),
        })).AssertStatusAsync(HttpStatusCode.Created);
        var globexBefore = (await AuditTable.OfTeamAsync(Portal, Globex.TeamId)).Count;
        var events = await AuditTable.AddedByAsync(Portal, Acme.TeamId, async () =>
        {
            var owner = Api(Acme.OwnerKey);
            await (await owner.PostJsonAsync(Url(Acme, "/secrets"), new { name = "" })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
            await (await owner.PutRawAsync(Url(Acme, "/tier"), """{"tier":"gold"}""")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
            await (await owner.DeleteAsync(Url(Acme, $"/secrets/{Guid.NewGuid()}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
            await (await owner.DeleteAsync(Url(Acme, $"/api-keys/{Guid.NewGuid()}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
            await (await owner.PostJsonAsync(Url(Acme, "/vault-connections"), ProviderFakes.ValidBody("doppler", "taken")))
                .AssertProblemAsync(HttpStatusCode.Conflict, "name_conflict");
            await (await owner.DeleteAsync(Url(Acme, $"/vault-connections/{connection}"))).AssertProblemAsync(HttpStatusCode.Conflict, "in_use");
            // Another team's object is a 404 for this key.
            await (await Api(Globex.OwnerKey).DeleteAsync(Url(Globex, $"/secrets/{secret}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        });
        Assert.Empty(events);
        Assert.Equal(globexBefore, (await AuditTable.OfTeamAsync(Portal, Globex.TeamId)).Count);
    }
}
