using System.Net;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Dataraven.Core.Audit;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Dataraven.Tests.Api;
using Dataraven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Unit.Checks;

/// <summary>The portal with S3 checks pointed at moto_server checking signatures for real.</summary>
public sealed class CheckApiPortal : ApiPortalFixture
{
    public AuthMotoFixture Moto { get; } = new();

    protected override async Task ConfigureAsync(TestPortalOptions options)
    {
        await Moto.InitializeAsync();
        options.Settings["Storage:S3:ServiceUrl"] = Moto.Endpoint;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Moto.DisposeAsync();
    }
}

public sealed class SecretCheckApiTests(CheckApiPortal fixture) : ApiTestBase(fixture), IClassFixture<CheckApiPortal>
{
    private AuthMotoFixture Moto => fixture.Moto;

    private static readonly string[] CheckKeys = ["status", "checked_at", "fields", "storage", "expires_at", "error_class"];

    private async Task<string> CreateS3SecretAsync(AWSCredentials key, TeamFixture? team = null, string? name = null)
    {
        var k = key.GetCredentials();
        var body = new Dictionary<string, object?>
        {
            ["name"] = name ?? $"s3-{Guid.NewGuid():N}",
            ["secret_type"] = "s3",
            ["auth_method"] = "s3_access_key",
            ["credentials"] = new Dictionary<string, string> { ["access_key_id"] = k.AccessKey, ["secret_access_key"] = k.SecretKey },
        };
        var created = await (await Owner(team).PostJsonAsync(Url(team ?? Acme, "/secrets"), body)).AssertStatusAsync(HttpStatusCode.Created);
        return (string)created["id"]!;
    }

    private BasicAWSCredentials WrongSecret => new(Moto.Good.GetCredentials().AccessKey, "wrong-secret-wrong-secret-wrong-secret00");

    private Task<HttpResponseMessage> CheckAsync(string id, object? target = null, HttpClient? client = null) =>
        target is null
            ? (client ?? Owner()).PostAsync(Url(Acme, $"/secrets/{id}/check"), null)
            : (client ?? Owner()).PostJsonAsync(Url(Acme, $"/secrets/{id}/check"), target);

    [Fact]
    public async Task Health_BeforeFirstCheck_UncheckedWithNulls()
    {
        var id = await CreateS3SecretAsync(Moto.Good);

        var one = await (await Owner().GetAsync(Url(Acme, $"/secrets/{id}"))).AssertStatusAsync(HttpStatusCode.OK);
        var list = await (await Owner().GetAsync(Url(Acme, "/secrets"))).AssertStatusAsync(HttpStatusCode.OK);

        foreach (var health in new[] { one["health"]!, list.AsArray().Single(s => (string)s!["id"]! == id)!["health"]! })
        {
            Assert.Equal(["status", "checked_at", "expires_at"], health.AsObject().Select(p => p.Key));
            Assert.Equal("unchecked", (string?)health["status"]);
            Assert.Null(health["checked_at"]);
            Assert.Null(health["expires_at"]);
        }
    }

    [Fact]
    public async Task Check_GoodKey_OkPerFieldAndStorage_HealthUpdated()
    {
        var id = await CreateS3SecretAsync(Moto.Good);

        var check = await (await CheckAsync(id, new { bucket = AuthMotoFixture.Bucket })).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal(CheckKeys, check.AsObject().Select(p => p.Key));
        Assert.Equal("ok", (string?)check["status"]);
        Assert.Null(check["error_class"]);
        var fields = check["fields"]!.AsArray();
        Assert.Equal(["access_key_id", "secret_access_key"], fields.Select(f => (string)f!["field_name"]!));
        foreach (var field in fields)
        {
            Assert.Equal(["field_name", "status", "length", "fingerprint", "message"], field!.AsObject().Select(p => p.Key));
            Assert.Equal("ok", (string?)field["status"]);
            Assert.Matches("^[0-9a-f]{8}$", (string)field["fingerprint"]!);
        }
        Assert.Equal(Moto.Good.GetCredentials().SecretKey.Length, (int)fields[1]!["length"]!);
        var storage = check["storage"]!;
        Assert.Equal(["status", "capabilities", "message"], storage.AsObject().Select(p => p.Key));
        Assert.Equal("ok", (string?)storage["status"]);
        Assert.Equal(["list", "read", "write"], storage["capabilities"]!.AsObject().Select(p => p.Key));
        Assert.True((bool)storage["capabilities"]!["list"]!);

        var health = (await (await Owner().GetAsync(Url(Acme, $"/secrets/{id}"))).AssertStatusAsync(HttpStatusCode.OK))["health"]!;
        Assert.Equal("ok", (string?)health["status"]);
        Assert.Equal((string?)check["checked_at"], (string?)health["checked_at"]);
    }

    [Fact]
    public async Task Check_WrongSecret_RejectedOnGetAndAudited()
    {
        var id = await CreateS3SecretAsync(WrongSecret);

        var check = await (await CheckAsync(id, new { bucket = AuthMotoFixture.Bucket })).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal("rejected", (string?)check["status"]);
        Assert.Equal("rejected", (string?)check["error_class"]);
        Assert.Equal("rejected", (string?)check["storage"]!["status"]);
        var list = await (await Owner().GetAsync(Url(Acme, "/secrets"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("rejected", (string?)list.AsArray().Single(s => (string)s!["id"]! == id)!["health"]!["status"]);

        var events = await EventsAsync(Guid.Parse(id));
        var e = Assert.Single(events);
        Assert.Equal("failed", e.Outcome);
        Assert.Equal("api_key", e.ActorType);
        Assert.Equal("api", e.Via);
        var details = JsonNode.Parse(e.Details!)!;
        Assert.Equal("rejected", (string?)details["status"]);
        Assert.Equal("rejected", (string?)details["error_class"]);
        Assert.Equal(["access_key_id", "secret_access_key"], details["fields"]!.AsArray().Select(f => (string)f!["field_name"]!));
        Assert.All(details["fields"]!.AsArray(), f => Assert.Equal(["field_name", "status"], f!.AsObject().Select(p => p.Key)));
    }

    [Fact]
    public async Task Check_Target_RememberedForLaterChecks_UntilABodyReplacesIt()
    {
        var id = await CreateS3SecretAsync(Moto.Good);

        var missing = await (await CheckAsync(id, new { bucket = "no-such-bucket-here", region = "us-east-1" })).AssertStatusAsync(HttpStatusCode.OK);
        var again = await (await CheckAsync(id)).AssertStatusAsync(HttpStatusCode.OK);
        var fixedTarget = await (await CheckAsync(id, new { bucket = AuthMotoFixture.Bucket })).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal("misconfigured", (string?)missing["status"]);
        Assert.Equal("misconfigured", (string?)again["status"]);
        Assert.Contains("no-such-bucket-here", (string?)again["storage"]!["message"]);
        Assert.Equal("ok", (string?)fixedTarget["status"]);
        var stored = await Portal.WithAsync<PortalDbContext, Core.Checks.Health.SecretHealth>(async db =>
            (await db.Secrets.AsNoTracking().SingleAsync(s => s.Id == Guid.Parse(id))).Health);
        Assert.Equal((AuthMotoFixture.Bucket, (string?)null, (string?)null), (stored.TargetBucket, stored.TargetEndpointUrl, stored.TargetRegion));
    }

    [Theory]
    [InlineData(TeamRole.Owner)]
    [InlineData(TeamRole.Admin)]
    [InlineData(TeamRole.Operator)]
    public async Task Check_ByOperatorAndAbove_Ok(TeamRole role)
    {
        var id = await CreateS3SecretAsync(Moto.Good);
        var client = role == TeamRole.Owner ? Owner() : Portal.CreateClient((await Portal.AddMemberAsync(Acme, role)).Key);

        await (await CheckAsync(id, client: client)).AssertStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Check_ByViewer_ForbiddenRole_NothingRecorded()
    {
        var id = await CreateS3SecretAsync(Moto.Good);
        var viewer = Portal.CreateClient((await Portal.AddMemberAsync(Acme, TeamRole.Viewer)).Key);

        await (await CheckAsync(id, client: viewer)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");
        var health = (await (await viewer.GetAsync(Url(Acme, $"/secrets/{id}"))).AssertStatusAsync(HttpStatusCode.OK))["health"]!;

        Assert.Equal("unchecked", (string?)health["status"]);
        Assert.Empty(await EventsAsync(Guid.Parse(id)));
    }

    [Fact]
    public async Task Check_AnotherTeamsSecretOrNoSecret_NotFound()
    {
        var globexSecret = await CreateS3SecretAsync(Moto.Good, Globex);

        await (await CheckAsync(globexSecret)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await CheckAsync(Guid.NewGuid().ToString())).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await CheckAsync("not-a-uuid")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("endpoint_url", "not a url")]
    [InlineData("endpoint_url", "ftp://files.example.com")]
    [InlineData("endpoint_url", "/relative/path")]
    [InlineData("endpoint_url", "https://user:pass@s3.example.com")]
    [InlineData("bucket", "Bad_Bucket!")]
    [InlineData("bucket", "ab")]
    [InlineData("region", "US East 1")]
    [InlineData("region", "eu_west_1")]
    public async Task Check_BadTarget_400NamingTheField(string field, string value)
    {
        var id = await CreateS3SecretAsync(Moto.Good);

        var body = await (await CheckAsync(id, new Dictionary<string, string> { [field] = value })).AssertValidationErrorAsync(field);

        Assert.Single(body["errors"]!.AsObject());
        Assert.Empty(await EventsAsync(Guid.Parse(id)));
    }

    [Fact]
    public async Task Check_UnknownBodyField_400()
    {
        var id = await CreateS3SecretAsync(Moto.Good);

        await (await Owner().PostRawAsync(Url(Acme, $"/secrets/{id}/check"), """{"bucket_name":"x"}""")).AssertValidationErrorAsync("bucket_name");
    }

    private async Task<List<AuditEvent>> EventsAsync(Guid secretId) =>
        await Portal.WithAsync<PortalDbContext, List<AuditEvent>>(db =>
            db.AuditEvents.AsNoTracking().Where(e => e.TargetId == secretId && e.Action == AuditActions.SecretChecked).ToListAsync());
}
