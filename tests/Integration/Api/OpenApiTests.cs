using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dataraven.Core.Secrets.Catalog;
using Dataraven.Core.Teams;
using Dataraven.Core.Tiers;
using Dataraven.Core.VaultConnections;
using Dataraven.Portal.Api;
using Dataraven.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace Dataraven.Tests.Api;

/// <summary>The generated /openapi/v1.json against the app's own endpoints and the DESIGN.md contract, and the /api-docs page.</summary>
public sealed partial class OpenApiTests(LocalApiPortal fixture) : IClassFixture<LocalApiPortal>
{
    private const string ProblemJson = "application/problem+json";
    private const string Team = "/v1/teams/{team_id}";

    private readonly TestPortal _portal = fixture.Portal;

    private async Task<JsonNode> DocumentAsync() =>
        await (await _portal.CreateClient().GetAsync("/openapi/v1.json")).AssertStatusAsync(HttpStatusCode.OK);

    private static IEnumerable<(RouteEndpoint Endpoint, string Path, string Method)> V1Endpoints(TestPortal portal) =>
        ((IEndpointRouteBuilder)portal.App).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods
                .Select(m => (e, WithoutConstraints().Replace(e.RoutePattern.RawText!, "{$1}").TrimEnd('/'), m.ToLowerInvariant())));

    [Fact]
    public async Task Document_ListsEveryV1Endpoint_WithItsSuccessAndDeclaredErrors()
    {
        var paths = (await DocumentAsync())["paths"]!.AsObject();
        var endpoints = V1Endpoints(_portal).ToList();
        var operations = paths.SelectMany(p => p.Value!.AsObject().Select(o => (p.Key, o.Key))).Order().ToList();
        Assert.Equal(endpoints.Select(e => (e.Path, e.Method)).Order(), operations);
        foreach (var (endpoint, path, method) in endpoints)
        {
            var operation = paths[path]?[method];
            Assert.True(operation is not null, $"{method} {path} is missing from the document");
            var responses = operation["responses"]!.AsObject();

            var success = endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>().Single(p => p.StatusCode is >= 200 and < 300);
            var documented = responses[success.StatusCode.ToString()];
            Assert.True(documented is not null, $"{method} {path}: no {success.StatusCode}");
            Assert.Equal(success.Type is not null && success.Type != typeof(void), documented["content"]?["application/json"] is not null);
            Assert.Single(responses, r => r.Key.StartsWith('2'));

            var declared = endpoint.Metadata.GetOrderedMetadata<ProblemResponseMetadata>().Select(m => m.Error).ToList();
            Assert.Contains(ApiErrors.Unauthenticated, declared);
            Assert.Contains(ApiErrors.NotFound, declared);
            foreach (var error in declared)
            {
                Assert.Contains(error.Code, CodesOf(responses, error.Status, $"{method} {path}"));
            }
        }
    }

    /// <summary>The error statuses DESIGN.md gives each operation, checked independently of the endpoints' metadata.</summary>
    [Theory]
    [InlineData("post", "/api-keys", "400 401 403 404 413 415 429")]
    [InlineData("get", "/api-keys", "401 404 429")]
    [InlineData("delete", "/api-keys/{id}", "401 403 404 429")]
    [InlineData("get", "/usage", "401 404 429")]
    [InlineData("put", "/tier", "400 401 403 404 413 415 429")]
    [InlineData("post", "/vault-connections", "400 401 403 404 409 413 415 422 429 502 503")]
    [InlineData("get", "/vault-connections", "400 401 404 429")]
    [InlineData("get", "/vault-connections/{id}", "401 404 429")]
    [InlineData("patch", "/vault-connections/{id}", "400 401 403 404 409 413 415 422 429 502 503")]
    [InlineData("delete", "/vault-connections/{id}", "401 403 404 409 429 502")]
    [InlineData("post", "/vault-connections/{id}/verify", "401 403 404 429 502 503")]
    [InlineData("post", "/vault-connections/{id}/rotate", "400 401 403 404 413 415 422 429 502 503")]
    [InlineData("post", "/secrets", "400 401 403 404 409 413 415 429 502")]
    [InlineData("get", "/secrets", "400 401 404 429")]
    [InlineData("get", "/secrets/{id}", "401 404 429")]
    [InlineData("patch", "/secrets/{id}", "400 401 403 404 409 413 415 429 502")]
    [InlineData("delete", "/secrets/{id}", "401 403 404 429 502")]
    public async Task Operation_DocumentsTheContractsErrors_AsProblemJsonWithTheirCodes(string method, string path, string statuses)
    {
        var operation = (await DocumentAsync())["paths"]![Team + path]![method]!;
        var responses = operation["responses"]!.AsObject();
        var errors = responses.Where(r => r.Key[0] is '4' or '5').Select(r => r.Key).Order().ToArray();
        Assert.Equal(statuses.Split(' '), errors);
        Assert.Equal(["unauthenticated"], CodesOf(responses, 401, path));
        Assert.Equal(["not_found"], CodesOf(responses, 404, path));
        if (responses["400"] is { } invalid)
        {
            Assert.Equal(["validation_failed"], CodesOf(responses, 400, path));
            Assert.NotNull(invalid["content"]![ProblemJson]!["schema"]!["properties"]!["errors"]);
            // What can be invalid: the body, or (the lists' filters) a query parameter.
            var queried = operation["parameters"]?.AsArray().Any(p => (string?)p!["in"] == "query") == true;
            Assert.True(queried || operation["requestBody"]?["content"]?["application/json"]?["schema"] is not null, $"{method} {path}");
        }
        if (responses["403"] is { } forbidden)
        {
            var codes = CodesOf(responses, 403, path);
            Assert.Contains("forbidden_role", codes);
            var creates = method == "post" && path is "/vault-connections" or "/secrets";
            Assert.Equal(creates, codes.Contains("tier_limit_reached"));
            var properties = forbidden["content"]![ProblemJson]!["schema"]!["properties"]!.AsObject();
            Assert.Equal(creates, new[] { "tier", "limit", "current", "upgrade_url" }.All(properties.ContainsKey));
        }
        if (responses["409"] is not null)
        {
            Assert.Equal(method == "delete" ? new[] { "in_use" } : ["name_conflict"], CodesOf(responses, 409, path));
        }
        if (responses["422"] is not null)
        {
            Assert.Equal(["provider_rejected"], CodesOf(responses, 422, path));
        }
        if (responses["502"] is not null)
        {
            Assert.Equal(["provider_unreachable"], CodesOf(responses, 502, path));
        }
        Assert.Equal(["rate_limited"], CodesOf(responses, 429, path));
        if (responses["503"] is not null)
        {
            Assert.Equal(["provider_busy"], CodesOf(responses, 503, path));
        }
        Assert.Equal("bearer", (string?)operation["security"]![0]!.AsObject().Single().Key);
    }

    [Fact]
    public async Task Document_SecurityScheme_IsTheBearerApiKey()
    {
        var scheme = (await DocumentAsync())["components"]!["securitySchemes"]!["bearer"]!;
        Assert.Equal("http", (string?)scheme["type"]);
        Assert.Equal("bearer", (string?)scheme["scheme"]);
        Assert.Equal("dr_<key_id>_<secret>", (string?)scheme["bearerFormat"]);
    }

    [Fact]
    public async Task EnumValues_EqualTheCatalogs()
    {
        var schemas = (await DocumentAsync())["components"]!["schemas"]!;
        string[] vaultTypes = [.. VaultTypes.All.Select(t => t.ToWire())];
        string[] secretTypes = [.. SecretCatalog.All.Select(t => t.Id)];
        string[] authMethods = [.. SecretCatalog.All.SelectMany(t => t.AuthMethods).Select(m => m.Id)];
        string[] roles = [.. TeamRoles.All.Select(r => r.ToWire())];
        string[] tiers = [.. TierPlans.All.Select(t => t.Id)];
        string[] statuses = [.. Enum.GetValues<VaultConnectionStatus>().Select(s => s.ToWire())];

        Assert.Equal(vaultTypes, EnumOf(schemas, "CreateVaultConnectionRequest", "vault_type"));
        Assert.Equal(vaultTypes, EnumOf(schemas, "VaultConnectionResponse", "vault_type"));
        Assert.Equal(vaultTypes, EnumOf(schemas, "SecretResponse", "vault_type"));
        Assert.Equal(statuses, EnumOf(schemas, "VaultConnectionResponse", "status"));
        Assert.Equal(secretTypes, EnumOf(schemas, "CreateSecretRequest", "secret_type"));
        Assert.Equal(secretTypes, EnumOf(schemas, "SecretResponse", "secret_type"));
        Assert.Equal(authMethods, EnumOf(schemas, "CreateSecretRequest", "auth_method"));
        Assert.Equal(authMethods, EnumOf(schemas, "UpdateSecretRequest", "auth_method"));
        Assert.Equal(authMethods, EnumOf(schemas, "SecretResponse", "auth_method"));
        Assert.Equal(["direct", "vault"], EnumOf(schemas, "SecretResponse", "source"));
        Assert.Equal(roles, EnumOf(schemas, "CreateApiKeyRequest", "role"));
        Assert.Equal(roles, EnumOf(schemas, "ApiKeyResponse", "role"));
        Assert.Equal(tiers, EnumOf(schemas, "ChangeTierRequest", "tier"));
        Assert.Equal(tiers, EnumOf(schemas, "UsageResponse", "tier"));
    }

    [Fact]
    public async Task Schemas_UseTheWireNames()
    {
        var schemas = (await DocumentAsync())["components"]!["schemas"]!;
        var connection = schemas["VaultConnectionResponse"]!["properties"]!.AsObject().Select(p => p.Key);
        Assert.Equal(
            ["id", "team_id", "name", "description", "vault_type", "project", "config", "project_id", "environment", "secret_path",
             "status", "last_verified_at", "last_verification_error", "secrets_count", "created_at", "created_by", "updated_at", "vault",
             "credential_expiration_days", "credentials_updated_at", "credentials_expire_at", "owners"],
            connection);
        foreach (var list in new[] { "/secrets", "/vault-connections" })
        {
            var parameters = (await DocumentAsync())["paths"]![Team + list]!["get"]!["parameters"]!.AsArray();
            Assert.Contains(parameters, p => (string?)p!["name"] == "expiring_within_days" && (string?)p["in"] == "query");
        }
        foreach (var request in new[] { "CreateVaultConnectionRequest", "UpdateVaultConnectionRequest", "CreateSecretRequest", "UpdateSecretRequest" })
        {
            var properties = schemas[request]!["properties"]!.AsObject();
            Assert.True(properties.ContainsKey("credential_expiration_days"), request);
            Assert.DoesNotContain(properties, p => p.Key.StartsWith("credential_expiration_days_", StringComparison.Ordinal));
        }
        Assert.NotNull(schemas["CreateSecretRequest"]!["properties"]!["field_mappings"]);
        Assert.NotNull(schemas["UsageResponse"]!["properties"]!["limits"]);
    }

    [Fact]
    public async Task Owners_AreDocumented_OnRequestsResponsesAndListFilters()
    {
        var document = await DocumentAsync();
        var schemas = document["components"]!["schemas"]!;
        foreach (var request in new[] { "CreateSecretRequest", "UpdateSecretRequest", "CreateVaultConnectionRequest", "UpdateVaultConnectionRequest" })
        {
            Assert.NotNull(schemas[request]!["properties"]!["owner_ids"]);
        }
        Assert.NotNull(schemas["SecretResponse"]!["properties"]!["owners"]);
        Assert.Equal(["id", "email"], schemas["OwnerResponse"]!["properties"]!.AsObject().Select(p => p.Key));
        foreach (var list in new[] { "/secrets", "/vault-connections" })
        {
            var parameters = document["paths"]![Team + list]!["get"]!["parameters"]!.AsArray();
            Assert.Contains(parameters, p => (string?)p!["name"] == "owner_id" && (string?)p["in"] == "query");
        }
    }

    [Fact]
    public async Task ResponseSchemas_NameNoCredential_ExceptTheShowOnceKey()
    {
        var document = await DocumentAsync();
        var credentialNames = new HashSet<string>(
            SecretCatalog.All.SelectMany(t => t.AuthMethods).SelectMany(m => m.Fields).Select(f => f.Name))
        {
            "access_token", "client_id", "client_secret", "credentials", "key", "secret", "password", "token",
        };
        var checkedKey = false;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                foreach (var (status, response) in operation!["responses"]!.AsObject())
                {
                    var names = new HashSet<string>();
                    foreach (var (_, media) in response!["content"]?.AsObject() ?? [])
                    {
                        CollectPropertyNames(media!["schema"], document, names, []);
                    }
                    var showOnce = path == Team + "/api-keys" && method == "post" && status == "201";
                    if (showOnce)
                    {
                        Assert.Contains("key", names);
                        checkedKey = true;
                        names.Remove("key");
                    }
                    // DESIGN.md "Notifications": a webhook's signing secret is shown once, in the creation's answer.
                    if (path == Team + "/webhooks" && method == "post" && status == "201")
                    {
                        Assert.Contains("secret", names);
                        names.Remove("secret");
                    }
                    Assert.True(!names.Overlaps(credentialNames),
                        $"{method} {path} {status} names a credential: {string.Join(", ", names.Intersect(credentialNames))}");
                }
            }
        }
        Assert.True(checkedKey);
    }

    [Fact]
    public async Task ProblemBodies_HaveOnlyDocumentedMembers()
    {
        var document = await DocumentAsync();
        var acme = await _portal.CreateTeamAsync("OpenApi " + Guid.NewGuid().ToString("N")[..8]);
        var owner = _portal.CreateClient(acme.OwnerKey);
        var connections = $"/v1/teams/{acme.TeamId}/vault-connections";
        await (await owner.PostJsonAsync(connections, ProviderFakes.ValidBody("doppler", "first"))).AssertStatusAsync(HttpStatusCode.Created);

        var tierLimit = await (await owner.PostJsonAsync(connections, ProviderFakes.ValidBody("doppler", "second")))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "tier_limit_reached");
        AssertMatches(tierLimit, document, "/vault-connections", "post", 403);

        var invalid = await (await owner.PostRawAsync(connections, "{\"name\": 5}")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        AssertMatches(invalid, document, "/vault-connections", "post", 400);

        var unknown = await (await owner.GetAsync($"{connections}/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        AssertMatches(unknown, document, "/vault-connections/{id}", "get", 404);
    }

    [Fact]
    public async Task ApiDocs_OnAFreshPortal_ServesThePageAndItsScriptsFromThePortal()
    {
        await using var fresh = await TestPortal.StartAsync();
        var client = fresh.CreateClient();
        var page = await client.GetAsync("/api-docs");
        for (var hops = 0; page.StatusCode == HttpStatusCode.Found && hops < 3; hops++)
        {
            page = await client.GetAsync(new Uri(page.RequestMessage!.RequestUri!, page.Headers.Location!));
        }
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("/api-docs/", page.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(@"(src|href)=""(https?:)?//", html);

        var scripts = ScriptSources().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("scalar.js", scripts);
        foreach (var script in scripts)
        {
            var response = await client.GetAsync(new Uri(page.RequestMessage.RequestUri, script));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
            Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 1000, $"{script} is empty");
        }
        var document = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
    }

    [Fact]
    public async Task ApiKeysPage_LinksToTheApiReference()
    {
        var team = await _portal.CreateTeamAsync("Docs " + Guid.NewGuid().ToString("N")[..8]);
        var browser = await SignedInClient.CreateAsync(_portal, team.OwnerEmail);
        var html = await browser.GetStringAsync("/api-keys");
        Assert.Matches(@"<a href=""/api-docs""[^>]*>API reference</a>", html);
    }

    private static string[] CodesOf(JsonObject responses, int status, string operation)
    {
        var content = responses[status.ToString()]?["content"];
        Assert.True(content?[ProblemJson] is not null, $"{operation}: {status} is not {ProblemJson}");
        var schema = content[ProblemJson]!["schema"]!;
        foreach (var member in new[] { "type", "title", "status", "code" })
        {
            Assert.NotNull(schema["properties"]![member]);
        }
        return [.. schema["properties"]!["code"]!["enum"]!.AsArray().Select(c => (string)c!)];
    }

    /// <summary>The enum's values without the null that a nullable field also allows.</summary>
    private static string[] EnumOf(JsonNode schemas, string schema, string property) =>
        [.. schemas[schema]!["properties"]![property]!["enum"]!.AsArray().Select(v => (string?)v).OfType<string>()];

    private static void AssertMatches(JsonNode body, JsonNode document, string path, string method, int status)
    {
        var schema = document["paths"]![Team + path]![method]!["responses"]![status.ToString()]!["content"]![ProblemJson]!["schema"]!;
        var documented = schema["properties"]!.AsObject().Select(p => p.Key).ToHashSet();
        var sent = body.AsObject().Select(p => p.Key).ToList();
        Assert.All(sent, member => Assert.Contains(member, documented));
        Assert.All(schema["required"]!.AsArray().Select(r => (string)r!), member => Assert.Contains(member, sent));
        Assert.Contains((string)body["code"]!, schema["properties"]!["code"]!["enum"]!.AsArray().Select(c => (string)c!));
    }

    private static void CollectPropertyNames(JsonNode? schema, JsonNode document, HashSet<string> names, HashSet<string> seen)
    {
        if (schema is not JsonObject s)
        {
            return;
        }
        if ((string?)s["$ref"] is { } reference)
        {
            if (seen.Add(reference))
            {
                CollectPropertyNames(document["components"]!["schemas"]![reference.Split('/')[^1]], document, names, seen);
            }
            return;
        }
        foreach (var (name, property) in s["properties"]?.AsObject() ?? [])
        {
            names.Add(name);
            CollectPropertyNames(property, document, names, seen);
        }
        CollectPropertyNames(s["items"], document, names, seen);
        CollectPropertyNames(s["additionalProperties"], document, names, seen);
        foreach (var keyword in new[] { "allOf", "anyOf", "oneOf" })
        {
            foreach (var part in s[keyword]?.AsArray() ?? [])
            {
                CollectPropertyNames(part, document, names, seen);
            }
        }
    }

    /// <summary>"{id:guid}" as the document writes it: "{id}".</summary>
    [GeneratedRegex(@"\{([^}:]+):[^}]+\}")]
    private static partial Regex WithoutConstraints();

    [GeneratedRegex(@"<script[^>]*\bsrc=""([^""]+)""")]
    private static partial Regex ScriptSources();
}
