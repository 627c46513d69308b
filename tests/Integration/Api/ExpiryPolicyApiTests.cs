using System.Net;
using System.Text.Json.Nodes;
using Dataraven.Core.Notifications;
using Dataraven.Core.Persistence;
using Dataraven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dataraven.Tests.Api;

/// <summary>A portal on a fake clock, for the expiry policy (DESIGN.md, "Ownership and the credential lifecycle").</summary>
public class ExpiryPortal : ApiPortalFixture
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));

    protected override async Task ConfigureAsync(TestPortalOptions options)
    {
        options.Settings["Webhooks:DispatcherEnabled"] = "false";
        await ConfigureDatabaseAsync(options);
        var previous = options.Services;
        options.Services = services =>
        {
            previous?.Invoke(services);
            services.AddSingleton<TimeProvider>(Clock);
        };
    }

    protected virtual Task ConfigureDatabaseAsync(TestPortalOptions options) => Task.CompletedTask;
}

public sealed class PostgresExpiryPortal : ExpiryPortal
{
    protected override Task ConfigureDatabaseAsync(TestPortalOptions options) => PostgresRun.ConfigureAsync(options);
}

public sealed class ExpiryPolicyApiTestsSqlite(ExpiryPortal portal) : ExpiryPolicyApiTests(portal), IClassFixture<ExpiryPortal>;

public sealed class ExpiryPolicyApiTestsPostgres(PostgresExpiryPortal portal) : ExpiryPolicyApiTests(portal), IClassFixture<PostgresExpiryPortal>;

public abstract class ExpiryPolicyApiTests(ExpiryPortal fixture) : ApiTestBase(fixture)
{
    private FakeTimeProvider Clock => fixture.Clock;

    private DateTime Now => Core.Common.Clock.UtcNow(Clock);

    private static Dictionary<string, object?> DirectBody(string name, object? days = null, bool withDays = true)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = name,
            ["secret_type"] = "s3",
            ["auth_method"] = "s3_access_key",
            ["credentials"] = new Dictionary<string, string> { ["access_key_id"] = "AKIAIOSFODNN7EXAMPLE", ["secret_access_key"] = "secret" },
        };
        if (withDays)
        {
            body["credential_expiration_days"] = days;
        }
        return body;
    }

    private async Task<JsonNode> CreateSecretAsync(string name, int? days) =>
        await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), DirectBody(name, days))).AssertStatusAsync(HttpStatusCode.Created);

    private async Task<JsonNode> CreateConnectionWithPolicyAsync(string name, int? days)
    {
        var body = ProviderFakes.ValidBody("doppler", name);
        body["credential_expiration_days"] = days;
        return await (await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body)).AssertStatusAsync(HttpStatusCode.Created);
    }

    private async Task<JsonNode> GetAsync(string path) => await (await Owner().GetAsync(Url(Acme, path))).AssertStatusAsync(HttpStatusCode.OK);

    private async Task<JsonNode> PatchAsync(string path, string json) =>
        await (await Owner().PatchRawAsync(Url(Acme, path), json)).AssertStatusAsync(HttpStatusCode.OK);

    private static DateTime? At(JsonNode node, string field) => node[field] is { } v ? (DateTime)v : null;

    private async Task SetOwnExpiryAsync(string secretId, DateTime? expiresAt)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var secret = await db.Secrets.SingleAsync(s => s.Id == Guid.Parse(secretId));
        secret.Health.ExpiresAt = expiresAt;
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Create_WithAPolicy_EveryResponseCarriesTheDaysTheUpdateAndTheExpiry()
    {
        var secret = await CreateSecretAsync("rotated quarterly", 90);
        var connection = await CreateConnectionWithPolicyAsync("yearly vault", 365);
        var plain = await CreateSecretAsync("no policy", null);

        Assert.Equal(90, (int)secret["credential_expiration_days"]!);
        Assert.Equal(Now, At(secret, "credentials_updated_at"));
        Assert.Equal(Now.AddDays(90), At(secret, "credentials_expire_at"));
        Assert.Equal(Now.AddDays(365), At(connection, "credentials_expire_at"));
        Assert.Null(plain["credential_expiration_days"]);
        Assert.Null(plain["credentials_expire_at"]);
        Assert.Equal(Now, At(plain, "credentials_updated_at"));

        var detail = await GetAsync($"/secrets/{secret["id"]}");
        Assert.Equal(Now.AddDays(90), At(detail, "credentials_expire_at"));
        var listed = (await GetAsync("/secrets")).AsArray().Single(s => (string)s!["id"]! == (string)secret["id"]!)!;
        Assert.Equal(90, (int)listed["credential_expiration_days"]!);
        var connections = (await GetAsync("/vault-connections")).AsArray().Single(c => (string)c!["id"]! == (string)connection["id"]!)!;
        Assert.Equal(Now.AddDays(365), At(connections, "credentials_expire_at"));
        Assert.Equal(Now.AddDays(365), At(await GetAsync($"/vault-connections/{connection["id"]}"), "credentials_expire_at"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("3651")]
    [InlineData("\"30\"")]
    [InlineData("1.5")]
    public async Task OutOfRange_Is400OnTheField_AndChangesNothing(string days)
    {
        var body = $$"""{"name":"bad policy","secret_type":"s3","auth_method":"s3_access_key","credentials":{"access_key_id":"AKIAIOSFODNN7EXAMPLE","secret_access_key":"s"},"credential_expiration_days":{{days}}}""";
        await (await Owner().PostRawAsync(Url(Acme, "/secrets"), body)).AssertValidationErrorAsync("credential_expiration_days");
        var connection = ProviderFakes.ValidBody("doppler", "bad policy vault");
        var connectionJson = System.Text.Json.JsonSerializer.Serialize(connection)[..^1] + $$""","credential_expiration_days":{{days}}}""";
        await (await Owner().PostRawAsync(Url(Acme, "/vault-connections"), connectionJson)).AssertValidationErrorAsync("credential_expiration_days");
        Assert.Empty((await GetAsync("/secrets")).AsArray());
        Assert.Empty((await GetAsync("/vault-connections")).AsArray());
        Assert.Empty(await StoredKeysAsync());

        var secret = await CreateSecretAsync("kept", 30);
        var vault = await CreateConnectionWithPolicyAsync("kept vault", 30);
        await (await Owner().PatchRawAsync(Url(Acme, $"/secrets/{secret["id"]}"), $$"""{"name":"renamed","credential_expiration_days":{{days}}}"""))
            .AssertValidationErrorAsync("credential_expiration_days");
        await (await Owner().PatchRawAsync(Url(Acme, $"/vault-connections/{vault["id"]}"), $$"""{"name":"renamed","credential_expiration_days":{{days}}}"""))
            .AssertValidationErrorAsync("credential_expiration_days");
        var after = await GetAsync($"/secrets/{secret["id"]}");
        Assert.Equal("kept", (string)after["name"]!);
        Assert.Equal(30, (int)after["credential_expiration_days"]!);
        Assert.Equal(30, (int)(await GetAsync($"/vault-connections/{vault["id"]}"))["credential_expiration_days"]!);
    }

    [Fact]
    public async Task Patch_AbsentKeeps_NullClears_NumberSets()
    {
        var secret = await CreateSecretAsync("policy edits", 30);
        var id = (string)secret["id"]!;
        Assert.Equal(30, (int)(await PatchAsync($"/secrets/{id}", """{"description":"no policy field"}"""))["credential_expiration_days"]!);
        Assert.Equal(60, (int)(await PatchAsync($"/secrets/{id}", """{"credential_expiration_days":60}"""))["credential_expiration_days"]!);
        var cleared = await PatchAsync($"/secrets/{id}", """{"credential_expiration_days":null}""");
        Assert.Null(cleared["credential_expiration_days"]);
        Assert.Null(cleared["credentials_expire_at"]);

        var connection = await CreateConnectionWithPolicyAsync("policy edits vault", 30);
        var cid = (string)connection["id"]!;
        Assert.Equal(30, (int)(await PatchAsync($"/vault-connections/{cid}", """{"name":"renamed vault"}"""))["credential_expiration_days"]!);
        Assert.Null((await PatchAsync($"/vault-connections/{cid}", """{"credential_expiration_days":null}"""))["credential_expiration_days"]);
        Assert.Equal(7, (int)(await PatchAsync($"/vault-connections/{cid}", """{"credential_expiration_days":7}"""))["credential_expiration_days"]!);
    }

    [Fact]
    public async Task CredentialsUpdatedAt_MovesOnRotateAndCredentialsOrMappingsPatch_NotOnRenames()
    {
        var created = Now;
        var secret = await CreateSecretAsync("moving", 30);
        var id = (string)secret["id"]!;
        var connection = await CreateConnectionWithPolicyAsync("moving vault", 30);
        var cid = (string)connection["id"]!;
        var mapped = await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), new Dictionary<string, object?>
        {
            ["name"] = "mapped", ["secret_type"] = "s3", ["auth_method"] = "s3_access_key", ["vault_connection_id"] = cid,
            ["field_mappings"] = new[]
            {
                new Dictionary<string, string> { ["field_name"] = "access_key_id", ["reference"] = "AWS_ACCESS_KEY_ID" },
                new Dictionary<string, string> { ["field_name"] = "secret_access_key", ["reference"] = "AWS_SECRET_ACCESS_KEY" },
            },
        })).AssertStatusAsync(HttpStatusCode.Created);
        var mid = (string)mapped["id"]!;

        Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(created, At(await PatchAsync($"/secrets/{id}", """{"name":"moving renamed","description":"d","credential_expiration_days":40}"""), "credentials_updated_at"));
        Assert.Equal(created, At(await PatchAsync($"/vault-connections/{cid}", """{"name":"moving vault renamed","description":"d"}"""), "credentials_updated_at"));
        Assert.Equal(created, At(await PatchAsync($"/secrets/{mid}",
            """{"field_mappings":[{"field_name":"access_key_id","reference":"AWS_ACCESS_KEY_ID"},{"field_name":"secret_access_key","reference":"AWS_SECRET_ACCESS_KEY"}]}"""),
            "credentials_updated_at"));

        var patched = await PatchAsync($"/secrets/{id}", """{"credentials":{"access_key_id":"AKIAIOSFODNN7NEWKEY1","secret_access_key":"new"}}""");
        Assert.Equal(Now, At(patched, "credentials_updated_at"));
        Assert.Equal(Now.AddDays(40), At(patched, "credentials_expire_at"));
        Assert.Equal(Now, At(await PatchAsync($"/secrets/{mid}",
            """{"field_mappings":[{"field_name":"access_key_id","reference":"NEW_ID"},{"field_name":"secret_access_key","reference":"NEW_SECRET"}]}"""),
            "credentials_updated_at"));

        var token = $"dp.st.prd.rotated{Guid.NewGuid():N}";
        Fakes.Doppler.AcceptToken(token, ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig);
        var rotated = await (await Owner().PostRawAsync(Url(Acme, $"/vault-connections/{cid}/rotate"), $$"""{"access_token":"{{token}}"}"""))
            .AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(Now, At(rotated, "credentials_updated_at"));
        Assert.Equal(Now.AddDays(30), At(rotated, "credentials_expire_at"));
    }

    [Fact]
    public async Task ExpireAt_IsTheEarlierOfPolicyAndOwnExpiry_AndPastIt_StatusIsExpired_UntilRotated()
    {
        var early = (string)(await CreateSecretAsync("own expiry first", 90))["id"]!;
        var late = (string)(await CreateSecretAsync("policy first", 10))["id"]!;
        var ownOnly = (string)(await CreateSecretAsync("own expiry only", null))["id"]!;
        await SetOwnExpiryAsync(early, Now.AddDays(5));
        await SetOwnExpiryAsync(late, Now.AddDays(50));
        await SetOwnExpiryAsync(ownOnly, Now.AddDays(20));
        Assert.Equal(Now.AddDays(5), At(await GetAsync($"/secrets/{early}"), "credentials_expire_at"));
        var policyFirst = await GetAsync($"/secrets/{late}");
        Assert.Equal(Now.AddDays(10), At(policyFirst, "credentials_expire_at"));
        Assert.Equal(Now.AddDays(50), At(policyFirst["health"]!, "expires_at"));
        Assert.Equal(Now.AddDays(20), At(await GetAsync($"/secrets/{ownOnly}"), "credentials_expire_at"));
        var connection = (string)(await CreateConnectionWithPolicyAsync("short-lived vault", 10))["id"]!;

        var list = await GetAsync("/secrets");
        Assert.Equal("unchecked", (string)list.AsArray().Single(s => (string)s!["id"]! == late)!["health"]!["status"]!);
        Assert.Equal("verified", (string)(await GetAsync("/vault-connections")).AsArray().Single()!["status"]!);

        Clock.Advance(TimeSpan.FromDays(10) + TimeSpan.FromSeconds(1));
        // The cached lists turn too: their bytes stop being served at the first expiry.
        Assert.Equal("expired", (string)(await GetAsync("/secrets")).AsArray().Single(s => (string)s!["id"]! == late)!["health"]!["status"]!);
        Assert.Equal("expired", (string)(await GetAsync($"/secrets/{late}"))["health"]!["status"]!);
        Assert.Equal("expired", (string)(await GetAsync("/vault-connections")).AsArray().Single()!["status"]!);
        Assert.Equal("expired", (string)(await GetAsync($"/vault-connections/{connection}"))["status"]!);

        var token = $"dp.st.prd.rotated{Guid.NewGuid():N}";
        Fakes.Doppler.AcceptToken(token, ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig);
        var rotated = await (await Owner().PostRawAsync(Url(Acme, $"/vault-connections/{connection}/rotate"), $$"""{"access_token":"{{token}}"}"""))
            .AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("verified", (string)rotated["status"]!);
        Assert.Equal("verified", (string)(await GetAsync("/vault-connections")).AsArray().Single()!["status"]!);
        var renewed = await PatchAsync($"/secrets/{late}", """{"credentials":{"access_key_id":"AKIAIOSFODNN7NEWKEY1","secret_access_key":"new"}}""");
        Assert.Equal("unchecked", (string)renewed["health"]!["status"]!);
    }

    [Fact]
    public async Task ExpiringWithinDays_FiltersBothLists_IncludesExpired_AndRefusesBadValues()
    {
        var soon = (string)(await CreateSecretAsync("soon", 5))["id"]!;
        var later = (string)(await CreateSecretAsync("later", 60))["id"]!;
        var gone = (string)(await CreateSecretAsync("gone", 1))["id"]!;
        await CreateSecretAsync("never", null);
        var vaultSoon = (string)(await CreateConnectionWithPolicyAsync("vault soon", 3))["id"]!;
        await CreateConnectionWithPolicyAsync("vault later", 100);
        Clock.Advance(TimeSpan.FromDays(2));

        // Unfiltered first, so a cached list exists that the filter must not answer from.
        Assert.Equal(4, (await GetAsync("/secrets")).AsArray().Count);
        static IEnumerable<string> Ids(JsonNode list) => list.AsArray().Select(s => (string)s!["id"]!).Order();
        Assert.Equal(new[] { soon, gone }.Order(), Ids(await GetAsync("/secrets?expiring_within_days=7")));
        Assert.Equal([gone], Ids(await GetAsync("/secrets?expiring_within_days=0")));
        Assert.Equal(new[] { soon, gone, later }.Order(), Ids(await GetAsync("/secrets?expiring_within_days=3650")));
        Assert.Equal([vaultSoon], Ids(await GetAsync("/vault-connections?expiring_within_days=30")));

        Clock.Advance(TimeSpan.FromDays(54));
        Assert.Equal(new[] { soon, gone, later }.Order(), Ids(await GetAsync("/secrets?expiring_within_days=7")));

        foreach (var bad in new[] { "-1", "3651", "abc", "1.5", "" })
        {
            await (await Owner().GetAsync(Url(Acme, $"/secrets?expiring_within_days={bad}"))).AssertValidationErrorAsync("expiring_within_days");
            await (await Owner().GetAsync(Url(Acme, $"/vault-connections?expiring_within_days={bad}"))).AssertValidationErrorAsync("expiring_within_days");
        }
        // Another team's objects never appear.
        Assert.Empty((await (await Owner(Globex).GetAsync(Url(Globex, "/secrets?expiring_within_days=3650"))).AssertStatusAsync(HttpStatusCode.OK)).AsArray());
    }

    [Fact]
    public async Task Notices_ForAPolicyExpiry_EachThresholdOnce_ThenExpired_AndARotationStartsOver()
    {
        var id = Guid.Parse((string)(await CreateSecretAsync("policy notices", 40))["id"]!);
        var expiresAt = Now.AddDays(40);
        // The pass looks at every team (other tests' secrets too): count this secret's marks, not the pass's total.
        async Task<List<string>> KindsAsync(DateTime at) => await Portal.WithAsync<PortalDbContext, List<string>>(db =>
            db.NotificationMarks.Where(m => m.TargetId == id && m.ExpiresAt == at).OrderBy(m => m.CreatedAt).Select(m => m.Kind).ToListAsync());
        async Task<List<string>> PassAsync(DateTime at)
        {
            await Portal.WithAsync<ExpiryNotices, int>(n => n.RunAsync());
            return await KindsAsync(at);
        }

        Assert.Empty(await PassAsync(expiresAt));
        var expected = new List<string>();
        foreach (var (day, kind) in new[] { (11.0, "expiring:30"), (34, "expiring:7"), (39.5, "expiring:1"), (40.1, "expired") })
        {
            Clock.Advance(expiresAt.AddDays(day - 40) - Now);
            expected.Add(kind);
            Assert.Equal(expected, await PassAsync(expiresAt));
            Assert.Equal(expected, await PassAsync(expiresAt)); // the next pass finds the same state: nothing new
        }
        var events = await Portal.WithAsync<PortalDbContext, int>(db => db.NotificationEvents.CountAsync(e => e.TargetId == id));
        Assert.Equal(4, events);

        var renewed = await PatchAsync($"/secrets/{id}", """{"credentials":{"access_key_id":"AKIAIOSFODNN7NEWKEY1","secret_access_key":"new"}}""");
        var next = At(renewed, "credentials_expire_at")!.Value;
        Assert.Equal(Now.AddDays(40), next);
        Assert.Empty(await PassAsync(next)); // 40 days left again: nothing yet
        Clock.Advance(TimeSpan.FromDays(15));
        Assert.Equal(["expiring:30"], await PassAsync(next));
    }
}
