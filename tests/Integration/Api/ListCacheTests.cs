using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dataraven.Core.Checks;
using Dataraven.Core.Persistence;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Core.VaultConnections;
using Dataraven.Portal.Api;
using Dataraven.Tests.Infrastructure;
using Dataraven.Tests.Unit.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Api;

public sealed class ListCacheTestsLocal(LocalApiPortal portal) : ListCacheTests(portal), IClassFixture<LocalApiPortal>;

public sealed class ListCacheTestsPostgres(PostgresApiPortal portal) : ListCacheTests(portal), IClassFixture<PostgresApiPortal>;

/// <summary>
/// The list responses come from <see cref="TeamListCache"/>: the same bytes as serializing the lists afresh, and every
/// write (through the API or any save, like a scheduled check's) visible to the very next request.
/// </summary>
public abstract class ListCacheTests(ApiPortalFixture fixture) : ApiTestBase(fixture)
{
    private static readonly Dictionary<string, object?> S3Credentials = new()
    {
        ["access_key_id"] = "AKIAIOSFODNN7EXAMPLE",
        ["secret_access_key"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    };

    private async Task<JsonNode> CreateSecretAsync(string name, string? connectionId = null)
    {
        Dictionary<string, object?> body = connectionId is null
            ? new() { ["name"] = name, ["secret_type"] = "s3", ["auth_method"] = "s3_access_key", ["credentials"] = S3Credentials }
            : new()
            {
                ["name"] = name, ["secret_type"] = "s3", ["auth_method"] = "s3_access_key", ["vault_connection_id"] = connectionId,
                ["field_mappings"] = ValidationSamples.ValidMappings(VaultType.Doppler, "s3", "s3_access_key")
                    .Select(m => new { field_name = m.FieldName, reference = m.Reference }).ToList(),
            };
        return await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), body)).AssertStatusAsync(HttpStatusCode.Created);
    }

    private async Task<byte[]> GetBytesAsync(string list)
    {
        var response = await Owner().GetAsync(Url(Acme, list));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        return await response.Content.ReadAsByteArrayAsync();
    }

    private async Task<JsonArray> ListAsync(string list) => JsonNode.Parse(await GetBytesAsync(list))!.AsArray();

    private static TeamActor Reader(TeamFixture team) => new(team.TeamId, team.OwnerId, TeamRole.Owner);

    [Fact]
    public async Task Cached_bytes_are_the_bytes_of_serializing_the_lists_afresh()
    {
        var connection = await CreateConnectionAsync("doppler", "Main vault");
        await CreateSecretAsync("b-direct");
        await CreateSecretAsync("a-vault", (string)connection["id"]!);

        var first = await GetBytesAsync("/secrets");
        var second = await GetBytesAsync("/secrets");
        var fresh = await Portal.WithAsync<SecretService, byte[]>(async s =>
        {
            var now = DateTime.UtcNow;
            return JsonSerializer.SerializeToUtf8Bytes((await s.ListAsync(Reader(Acme))).Select(d => SecretResponse.From(d, now)).ToList(), ApiJson.Options);
        });
        Assert.Equal(fresh, first);
        Assert.Equal(first, second);

        var connections = await GetBytesAsync("/vault-connections");
        var freshConnections = await Portal.WithAsync<VaultConnectionService, byte[]>(async s =>
            JsonSerializer.SerializeToUtf8Bytes((await s.ListAsync(Reader(Acme))).Select(d => VaultConnectionResponse.From(d, DateTime.UtcNow)).ToList(), ApiJson.Options));
        Assert.Equal(freshConnections, connections);
        Assert.Equal(connections, await GetBytesAsync("/vault-connections"));
    }

    [Fact]
    public async Task Every_write_is_visible_on_the_next_request()
    {
        var connection = await CreateConnectionAsync("doppler", "Main vault");
        var connectionId = (string)connection["id"]!;
        Assert.Empty(await ListAsync("/secrets"));
        Assert.Equal(0, (int)(await ListAsync("/vault-connections")).Single()!["secrets_count"]!);

        var created = await CreateSecretAsync("backups", connectionId);
        var id = (string)created["id"]!;
        Assert.Equal("backups", (string?)(await ListAsync("/secrets")).Single()!["name"]);
        Assert.Equal(1, (int)(await ListAsync("/vault-connections")).Single()!["secrets_count"]!);

        await (await Owner().PatchRawAsync(Url(Acme, $"/secrets/{id}"), """{"name":"nightly"}""")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("nightly", (string?)(await ListAsync("/secrets")).Single()!["name"]);

        await (await Owner().PatchRawAsync(Url(Acme, $"/vault-connections/{connectionId}"), """{"name":"Renamed vault"}""")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Renamed vault", (string?)(await ListAsync("/secrets")).Single()!["vault_connection_name"]);
        Assert.Equal("Renamed vault", (string?)(await ListAsync("/vault-connections")).Single()!["name"]);

        // A check records health in the secret's row through an ordinary save, as the scheduler does.
        await WithDbAsync(async db =>
        {
            var secret = await db.Secrets.SingleAsync(s => s.Id == Guid.Parse(id));
            secret.Health.Record(new SecretCheck(CheckStatus.Rejected, DateTime.UtcNow, [], new StorageCheck(CheckStatus.Rejected, StorageCapabilities.Unknown, "no"), null, CheckStatus.Rejected));
            await db.SaveChangesAsync();
        });
        Assert.Equal("rejected", (string?)(await ListAsync("/secrets")).Single()!["health"]!["status"]);

        await (await Owner().DeleteAsync(Url(Acme, $"/secrets/{id}"))).AssertStatusAsync(HttpStatusCode.NoContent);
        Assert.Empty(await ListAsync("/secrets"));
        Assert.Equal(0, (int)(await ListAsync("/vault-connections")).Single()!["secrets_count"]!);

        await (await Owner().DeleteAsync(Url(Acme, $"/vault-connections/{connectionId}"))).AssertStatusAsync(HttpStatusCode.NoContent);
        Assert.Empty(await ListAsync("/vault-connections"));
    }

    [Fact]
    public async Task A_cached_list_is_not_served_once_a_credential_in_it_expired()
    {
        var id = Guid.Parse((string)(await CreateSecretAsync("expiring"))["id"]!);
        var expiresAt = DateTime.UtcNow.AddSeconds(2);
        await WithDbAsync(async db =>
        {
            var secret = await db.Secrets.SingleAsync(s => s.Id == id);
            secret.Health.Record(new SecretCheck(CheckStatus.Ok, DateTime.UtcNow, [], new StorageCheck(CheckStatus.Ok, new StorageCapabilities(true, true)), expiresAt, null));
            await db.SaveChangesAsync();
        });
        Assert.Equal("ok", (string?)(await ListAsync("/secrets")).Single()!["health"]!["status"]);
        Assert.Equal("ok", (string?)(await ListAsync("/secrets")).Single()!["health"]!["status"]);

        await Task.Delay(expiresAt - DateTime.UtcNow + TimeSpan.FromMilliseconds(200));
        Assert.Equal("expired", (string?)(await ListAsync("/secrets")).Single()!["health"]!["status"]);
    }

    [Fact]
    public async Task A_team_never_sees_another_teams_cached_list()
    {
        await CreateSecretAsync("acme-only");
        Assert.Single(await ListAsync("/secrets"));
        var globex = await (await Owner(Globex).GetAsync(Url(Globex, "/secrets"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Empty(globex.AsArray());
    }

    private async Task WithDbAsync(Func<PortalDbContext, Task> action)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }
}
