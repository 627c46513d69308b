using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dataraven.Core.VaultConnections;
using Dataraven.Tests.Infrastructure;
using Dataraven.Tests.Unit.Validation;

namespace Dataraven.Tests.Api;

/// <summary>
/// DESIGN: times are ISO-8601 UTC. Values the portal reads back from SQLite once lost their kind and came
/// out without the <c>Z</c>; this calls every /v1 endpoint of every resource and checks every time in every answer.
/// </summary>
public sealed class UtcTimesApiTestsSqlite(LocalApiPortal fixture) : UtcTimesApiTests(fixture), IClassFixture<LocalApiPortal>;

public sealed class UtcTimesApiTestsPostgres(PostgresApiPortal fixture) : UtcTimesApiTests(fixture), IClassFixture<PostgresApiPortal>;

public abstract class UtcTimesApiTests(ApiPortalFixture fixture) : ApiTestBase(fixture)
{
    [Fact]
    public async Task EveryEndpoint_EveryTime_EndsInZ()
    {
        var owner = Owner();
        var times = new List<(string Call, string Path, string Value)>();

        async Task<JsonNode> Call(HttpMethod method, string rest, HttpStatusCode expected, object? body = null, int minTimes = 1)
        {
            using var request = new HttpRequestMessage(method, Url(Acme, rest));
            if (body is not null)
            {
                request.Content = JsonContent(body);
            }
            var json = await (await owner.SendAsync(request)).AssertStatusAsync(expected);
            var found = Times(json, "$").ToList();
            Assert.True(found.Count >= minTimes, $"{method} {rest}: expected at least {minTimes} time(s), found {found.Count} in {json.ToJsonString()}");
            times.AddRange(found.Select(t => ($"{method} {rest}", t.Path, t.Value)));
            return json;
        }

        // API keys: the owner's key has been used by now, so last_used_at is set on the list.
        var key = await Call(HttpMethod.Post, "/api-keys", HttpStatusCode.Created, new { name = "utc", role = "admin" });
        await Call(HttpMethod.Get, "/api-keys", HttpStatusCode.OK, minTimes: 3);
        Assert.NotNull((await Call(HttpMethod.Get, "/api-keys", HttpStatusCode.OK)).AsArray()
            .Single(k => (string?)k!["id"] == (string?)key["id"])!["created_at"]);

        await Call(HttpMethod.Get, "/usage", HttpStatusCode.OK, minTimes: 0);
        await Call(HttpMethod.Put, "/tier", HttpStatusCode.OK, new { tier = "pro" }, minTimes: 0);

        var rotations = new Dictionary<string, object>
        {
            ["onepassword"] = new { access_token = ProviderFakes.OnePasswordToken },
            ["doppler"] = new { access_token = ProviderFakes.DopplerToken },
            ["infisical"] = new { client_id = ProviderFakes.InfisicalClientId, client_secret = ProviderFakes.InfisicalClientSecret },
        };
        foreach (var vaultType in ProviderFakes.VaultTypes)
        {
            var connection = await Call(HttpMethod.Post, "/vault-connections", HttpStatusCode.Created, ProviderFakes.ValidBody(vaultType, $"utc {vaultType}"), minTimes: 3);
            var id = (string)connection["id"]!;
            await Call(HttpMethod.Get, $"/vault-connections/{id}", HttpStatusCode.OK, minTimes: 3);
            await Call(HttpMethod.Patch, $"/vault-connections/{id}", HttpStatusCode.OK, new { description = "read back, then written" }, minTimes: 3);
            await Call(HttpMethod.Post, $"/vault-connections/{id}/verify", HttpStatusCode.OK, new { });
            await Call(HttpMethod.Post, $"/vault-connections/{id}/rotate", HttpStatusCode.OK, rotations[vaultType], minTimes: 3);

            VaultTypes.TryParse(vaultType, out var parsed);
            var secret = await Call(HttpMethod.Post, "/secrets", HttpStatusCode.Created, new Dictionary<string, object?>
            {
                ["name"] = $"utc via {vaultType}", ["secret_type"] = "s3", ["auth_method"] = "s3_access_key", ["vault_connection_id"] = id,
                ["field_mappings"] = ValidationSamples.ValidMappings(parsed, "s3", "s3_access_key")
                    .Select(m => new Dictionary<string, string?> { ["field_name"] = m.FieldName, ["reference"] = m.Reference }),
            }, minTimes: 2);
            await Call(HttpMethod.Get, $"/secrets/{secret["id"]}", HttpStatusCode.OK, minTimes: 2);
        }
        await Call(HttpMethod.Get, "/vault-connections", HttpStatusCode.OK, minTimes: 9);

        var direct = await Call(HttpMethod.Post, "/secrets", HttpStatusCode.Created, new Dictionary<string, object?>
        {
            ["name"] = "utc direct", ["secret_type"] = "s3", ["auth_method"] = "s3_access_key",
            ["credentials"] = ValidationSamples.ValidCredentials("s3", "s3_access_key"),
        }, minTimes: 2);
        await Call(HttpMethod.Get, $"/secrets/{direct["id"]}", HttpStatusCode.OK, minTimes: 2);
        await Call(HttpMethod.Patch, $"/secrets/{direct["id"]}", HttpStatusCode.OK, new { description = "read back, then written" }, minTimes: 2);
        await Call(HttpMethod.Get, "/secrets", HttpStatusCode.OK, minTimes: 8);

        var notUtc = times.Where(t => !t.Value.EndsWith('Z')).Select(t => $"{t.Call} {t.Path} = {t.Value}").ToList();
        Assert.True(notUtc.Count == 0, "Times without Z:\n" + string.Join("\n", notUtc));
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    /// <summary>Every string that is named like a time (<c>*_at</c>) or reads as one, wherever it is in the answer.</summary>
    private static IEnumerable<(string Path, string Value)> Times(JsonNode? node, string path) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String && IsTime(p.Key, (string)v!)
            ? [($"{path}.{p.Key}", (string)v!)]
            : Times(p.Value, $"{path}.{p.Key}")),
        JsonArray a => a.SelectMany((item, i) => Times(item, $"{path}[{i}]")),
        _ => [],
    };

    private static bool IsTime(string name, string value) =>
        name.EndsWith("_at", StringComparison.Ordinal)
        || (value.Length >= 19 && value[4] == '-' && value[10] == 'T'
            && DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _));
}
