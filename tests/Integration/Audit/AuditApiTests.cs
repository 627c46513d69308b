using System.Net;
using System.Text.Json.Nodes;
using CsvHelper;
using Dataraven.Core.Audit;
using Dataraven.Core.Teams;
using Dataraven.Tests.Api;
using Dataraven.Tests.Infrastructure;

namespace Dataraven.Tests.Audit;

public sealed class AuditApiTestsLocal(LocalApiPortal portal) : AuditApiTests(portal), IClassFixture<LocalApiPortal>;

public sealed class AuditApiTestsPostgres(PostgresApiPortal portal) : AuditApiTests(portal), IClassFixture<PostgresApiPortal>;

/// <summary>GET .../audit-events and .../audit-events.csv: filters, keyset pages, errors, other teams, CSV quoting.</summary>
public abstract class AuditApiTests(ApiPortalFixture portal) : ApiTestBase(portal)
{
    private const string Window = "from=2020-01-01&to=2020-12-31T23:59:59Z";

    [Fact]
    public async Task List_NewestFirst_InTheDesignShape()
    {
        var secret = Guid.NewGuid();
        var seeded = await AuditSeed.AddAsync(Portal.Services,
        [
            (AuditSeed.Actor(Acme), AuditActions.SecretCreated, AuditTarget.Secret(secret, "Prod backups")),
            (AuditSeed.Actor(Acme), AuditActions.SecretUpdated, AuditTarget.Secret(secret, "Prod backups")),
        ], details: new { Fields = new[] { "secret_access_key" } });

        var body = await (await Owner().GetAsync(Url(Acme, $"/audit-events?target_id={secret}"))).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal(["items", "next_cursor"], body.AsObject().Select(p => p.Key).Order());
        Assert.Null(body["next_cursor"]);
        var items = body["items"]!.AsArray();
        Assert.Equal([seeded[1].Id.ToString(), seeded[0].Id.ToString()], items.Select(i => (string)i!["id"]!));
        var newest = items[0]!;
        Assert.Equal(Acme.TeamId.ToString(), (string?)newest["team_id"]);
        Assert.Equal("2020-03-01T12:00:01Z", (string?)newest["at"]);
        Assert.Equal("""{"type":"user","id":"{{id}}","name":"alice@example.com"}""".Replace("{{id}}", Acme.OwnerId.ToString()), newest["actor"]!.ToJsonString());
        Assert.Equal("ui", (string?)newest["via"]);
        Assert.Equal("secret.updated", (string?)newest["action"]);
        Assert.Equal($$"""{"type":"secret","id":"{{secret}}","name":"Prod backups"}""", newest["target"]!.ToJsonString());
        Assert.Equal("succeeded", (string?)newest["outcome"]);
        Assert.Equal("""{"fields":["secret_access_key"]}""", newest["details"]!.ToJsonString());
        Assert.Equal("203.0.113.7", (string?)newest["ip"]);
    }

    [Fact]
    public async Task Filters_ActionTargetActorAndInclusiveTimeRange()
    {
        var secret = Guid.NewGuid();
        var connection = Guid.NewGuid();
        var key = Guid.NewGuid();
        var viaKey = new TeamActor(Acme.TeamId, Acme.OwnerId, TeamRole.Admin, key) { ActorName = "ci key" };
        var seeded = await AuditSeed.AddAsync(Portal.Services,
        [
            (AuditSeed.Actor(Acme), AuditActions.SecretCreated, AuditTarget.Secret(secret, "Prod backups")),
            (viaKey, AuditActions.SecretUpdated, AuditTarget.Secret(secret, "Prod backups")),
            (viaKey, AuditActions.VaultConnectionRotated, AuditTarget.VaultConnection(connection, "Doppler prod")),
            (AuditSeed.Actor(Acme), AuditActions.VaultConnectionVerified, AuditTarget.VaultConnection(connection, "Doppler prod")),
        ], step: TimeSpan.FromHours(1));

        Assert.Equal([seeded[1].Id], await IdsAsync($"action=secret.updated&{Window}"));
        Assert.Equal([seeded[3].Id, seeded[2].Id], await IdsAsync($"target_id={connection}"));
        Assert.Equal([seeded[2].Id, seeded[1].Id], await IdsAsync($"actor_id={key}"));
        Assert.Equal([seeded[2].Id], await IdsAsync($"actor_id={key}&target_id={connection}&action=vault_connection.rotated"));
        // from and to are inclusive: 13:00 and 14:00 are the second and third events.
        Assert.Equal([seeded[2].Id, seeded[1].Id], await IdsAsync("from=2020-03-01T13:00:00Z&to=2020-03-01T14:00:00Z"));
        Assert.Equal([seeded[3].Id, seeded[2].Id, seeded[1].Id, seeded[0].Id], await IdsAsync("from=2020-03-01&to=2020-03-02"));
        Assert.Empty(await IdsAsync($"action=secret.deleted&{Window}"));
    }

    [Fact]
    public async Task Cursor_WalksEveryEventOnce_NewestFirst_EvenWhenTimesTie()
    {
        var secret = Guid.NewGuid();
        // Seven events, the middle five in the same millisecond: the id breaks the tie.
        var seeded = await AuditSeed.SecretUpdatesAsync(Portal.Services, Acme, 7, secret, step: TimeSpan.Zero);
        var expected = seeded.OrderByDescending(e => e.At).ToList();

        var pages = new List<List<Guid>>();
        string? cursor = null;
        do
        {
            var body = await GetAsync($"target_id={secret}&limit=3" + (cursor is null ? "" : $"&cursor={cursor}"));
            pages.Add(body["items"]!.AsArray().Select(i => Guid.Parse((string)i!["id"]!)).ToList());
            cursor = (string?)body["next_cursor"];
        }
        while (cursor is not null && pages.Count < 10);

        Assert.Equal([3, 3, 1], pages.Select(p => p.Count));
        var all = pages.SelectMany(p => p).ToList();
        Assert.Equal(7, all.Distinct().Count());
        Assert.Equal(seeded.Select(e => e.Id).Order(), all.Order());
        // Same order as one page of all seven.
        Assert.Equal(await IdsAsync($"target_id={secret}&limit=7"), all);
    }

    [Fact]
    public async Task Limit_DefaultsTo50_AndAllows200()
    {
        var secret = Guid.NewGuid();
        await AuditSeed.SecretUpdatesAsync(Portal.Services, Acme, 205, secret);

        var first = await GetAsync($"target_id={secret}");
        Assert.Equal(50, first["items"]!.AsArray().Count);
        Assert.NotNull((string?)first["next_cursor"]);
        var max = await GetAsync($"target_id={secret}&limit=200");
        Assert.Equal(200, max["items"]!.AsArray().Count);
        var rest = await GetAsync($"target_id={secret}&limit=200&cursor={(string?)max["next_cursor"]}");
        Assert.Equal(5, rest["items"]!.AsArray().Count);
        Assert.Null(rest["next_cursor"]);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=MTIzLmFiYw", "cursor")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2020-13-45", "to")]
    [InlineData("from=2020-02-01&to=2020-01-01", "to")]
    [InlineData("target_id=42", "target_id")]
    [InlineData("actor_id=someone", "actor_id")]
    public async Task BadParameter_Is400NamingIt_OnBothEndpoints(string query, string field)
    {
        await (await Owner().GetAsync(Url(Acme, $"/audit-events?{query}"))).AssertValidationErrorAsync(field);
        await (await Owner().GetAsync(Url(Acme, $"/audit-events.csv?{query}"))).AssertValidationErrorAsync(field);
    }

    [Fact]
    public async Task AnotherTeamsEvents_Are404_AndNeverListed()
    {
        var secret = Guid.NewGuid();
        await AuditSeed.SecretUpdatesAsync(Portal.Services, Globex, 1, secret);

        await (await Owner(Acme).GetAsync(Url(Globex, "/audit-events"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await Owner(Acme).GetAsync(Url(Globex, "/audit-events.csv"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Empty(await IdsAsync($"target_id={secret}"));
        Assert.Single((await GetAsync($"target_id={secret}", Globex))["items"]!.AsArray());
    }

    [Theory]
    [InlineData(TeamRole.Viewer)]
    [InlineData(TeamRole.Operator)]
    [InlineData(TeamRole.Admin)]
    public async Task EveryRole_ReadsItsTeamsEvents(TeamRole role)
    {
        var secret = Guid.NewGuid();
        await AuditSeed.SecretUpdatesAsync(Portal.Services, Acme, 2, secret);
        var member = await Portal.AddMemberAsync(Acme, role);
        using var client = Portal.CreateClient(member.Key);

        var body = await (await client.GetAsync(Url(Acme, $"/audit-events?target_id={secret}"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(2, body["items"]!.AsArray().Count);
        var csv = await client.GetAsync(Url(Acme, $"/audit-events.csv?target_id={secret}"));
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
    }

    [Theory]
    [InlineData("PUT", "/audit-events")]
    [InlineData("PATCH", "/audit-events")]
    [InlineData("DELETE", "/audit-events")]
    [InlineData("POST", "/audit-events")]
    [InlineData("DELETE", "/audit-events.csv")]
    [InlineData("PUT", "/audit-events/{id}")]
    [InlineData("PATCH", "/audit-events/{id}")]
    [InlineData("DELETE", "/audit-events/{id}")]
    public async Task NoEndpoint_EditsOrDeletesEvents(string method, string path)
    {
        var seeded = (await AuditSeed.SecretUpdatesAsync(Portal.Services, Acme, 1))[0];
        var request = new HttpRequestMessage(new HttpMethod(method), Url(Acme, path.Replace("{id}", seeded.Id.ToString())))
        {
            Content = new StringContent("""{"action":"secret.deleted"}""", System.Text.Encoding.UTF8, "application/json"),
        };

        var response = await Owner().SendAsync(request);

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.MethodNotAllowed, HttpStatusCode.NotFound });
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([seeded.Id], await IdsAsync($"target_id={seeded.TargetId}&action=secret.updated"));
    }

    [Fact]
    public async Task Csv_HeaderAndEveryMatchingEvent_Rfc4180Quoting_FormulasDefused()
    {
        var secret = Guid.NewGuid();
        string[] names = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1", "-2", "@SUM(A1)", "Backups, \"prod\"\nsecond line", "plain"];
        var seeded = await AuditSeed.AddAsync(Portal.Services,
            names.Select(n => (AuditSeed.Actor(Acme, n == "plain" ? "=cmd|' /C calc'!A0" : "alice@example.com"), AuditActions.SecretUpdated,
                AuditTarget.Secret(secret, n))));
        await AuditSeed.SecretUpdatesAsync(Portal.Services, Acme, 250, secret, start: AuditSeed.Start.AddDays(1));

        var response = await Owner().GetAsync(Url(Acme, $"/audit-events.csv?target_id={secret}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("audit-events.csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("id,at,actor_type,actor_id,actor_name,via,action,target_type,target_id,target_name,outcome,details,ip\r\n", text);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"", text);
        Assert.Contains("\"Backups, \"\"prod\"\"\nsecond line\"", text);

        var rows = ParseCsv(text);
        Assert.Equal(256, rows.Count);
        var byId = rows.ToDictionary(r => Guid.Parse(r["id"]));
        Assert.Equal(["'=HYPERLINK(\"http://evil.example\",\"click\")", "'+1", "'-2", "'@SUM(A1)", "Backups, \"prod\"\nsecond line", "plain"],
            seeded.Select(e => byId[e.Id]["target_name"]));
        Assert.Equal("'=cmd|' /C calc'!A0", byId[seeded[^1].Id]["actor_name"]);
        var last = byId[seeded[^1].Id];
        Assert.Equal("2020-03-01T12:00:05.000Z", last["at"]);
        Assert.Equal("secret.updated", last["action"]);
        Assert.Equal(secret.ToString(), last["target_id"]);
        Assert.Equal("203.0.113.7", last["ip"]);
        // Newest first, like the list.
        Assert.Equal(seeded[^1].Id, Guid.Parse(rows[250]["id"]));
    }

    [Fact]
    public async Task Csv_AppliesTheFilters()
    {
        var secret = Guid.NewGuid();
        var seeded = await AuditSeed.SecretUpdatesAsync(Portal.Services, Acme, 3, secret, step: TimeSpan.FromDays(1));

        var text = await (await Owner().GetAsync(Url(Acme, $"/audit-events.csv?target_id={secret}&from=2020-03-02&to=2020-03-02T23:00:00Z")))
            .Content.ReadAsStringAsync();

        Assert.Equal([seeded[1].Id], ParseCsv(text).Select(r => Guid.Parse(r["id"])));
    }

    private static List<Dictionary<string, string>> ParseCsv(string text)
    {
        using var reader = CsvReader.FromText(text, CsvReaderOptions.Default with { HasHeader = false });
        var rows = new List<Dictionary<string, string>>();
        string[]? header = null;
        while (reader.Read())
        {
            var fields = Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i)).ToArray();
            if (header is null)
            {
                header = fields;
                continue;
            }
            rows.Add(header.Zip(fields).ToDictionary(p => p.First, p => p.Second));
        }
        return rows;
    }

    private async Task<JsonNode> GetAsync(string query, TeamFixture? team = null) =>
        await (await Owner(team).GetAsync(Url(team ?? Acme, $"/audit-events?{query}"))).AssertStatusAsync(HttpStatusCode.OK);

    private async Task<List<Guid>> IdsAsync(string query) =>
        (await GetAsync(query))["items"]!.AsArray().Select(i => Guid.Parse((string)i!["id"]!)).ToList();
}
