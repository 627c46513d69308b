using System.Net;
using System.Text.Json.Nodes;
using Dataraven.Core.Persistence;
using Dataraven.Core.Secrets.Catalog;
using Dataraven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Api;

/// <summary>The two vaults of <see cref="VaultBrowsePortal"/> on SQLite.</summary>
public sealed class VaultScopePortal : ApiPortalFixture
{
    protected override Task ConfigureAsync(TestPortalOptions options)
    {
        Fakes.Op.AddVault(VaultBrowsePortal.DevOps).AddVault(VaultBrowsePortal.Shared);
        return Task.CompletedTask;
    }
}

/// <summary>The same on PostgreSQL.</summary>
public sealed class VaultScopePortalPostgres : ApiPortalFixture
{
    protected override async Task ConfigureAsync(TestPortalOptions options)
    {
        Fakes.Op.AddVault(VaultBrowsePortal.DevOps).AddVault(VaultBrowsePortal.Shared);
        await PostgresRun.ConfigureAsync(options);
    }
}

public sealed class VaultScopeChangeApiTestsSqlite(VaultScopePortal portal) : VaultScopeChangeApiTests(portal), IClassFixture<VaultScopePortal>;

public sealed class VaultScopeChangeApiTestsPostgres(VaultScopePortalPostgres portal) : VaultScopeChangeApiTests(portal), IClassFixture<VaultScopePortalPostgres>;

/// <summary>
/// Issue 20: when PATCH changes a 1Password connection's vault, the secrets whose references point into another vault are
/// marked <c>misconfigured</c> at once (each field says which vault it references and which one the connection now reads),
/// the others are left alone, and a later check answers the same without reading those references.
/// </summary>
public abstract class VaultScopeChangeApiTests(ApiPortalFixture portal) : ApiTestBase(portal)
{
    private async Task<string> CreateSecretAsync(string connectionId, string vault, string item)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = $"s3-{vault}-{Guid.NewGuid():N}",
            ["secret_type"] = "s3",
            ["auth_method"] = "s3_access_key",
            ["vault_connection_id"] = connectionId,
            ["field_mappings"] = SecretCatalog.FindAuthMethod("s3", "s3_access_key")!.Fields
                .Select(f => new Dictionary<string, string?> { ["field_name"] = f.Name, ["reference"] = $"op://{vault}/{item}/{f.Name}" }).ToList(),
        };
        var created = await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), body)).AssertStatusAsync(HttpStatusCode.Created);
        return (string)created["id"]!;
    }

    private async Task<JsonNode> SecretAsync(string id) =>
        await (await Owner().GetAsync(Url(Acme, $"/secrets/{id}"))).AssertStatusAsync(HttpStatusCode.OK);

    [Fact]
    public async Task PatchVault_SecretsInAnotherVault_AreMisconfiguredWithBothVaults_OthersUntouched()
    {
        var body = ProviderFakes.ValidBody("onepassword", $"1p-{Guid.NewGuid():N}");
        var connection = await (await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body)).AssertStatusAsync(HttpStatusCode.Created);
        var connectionId = (string)connection["id"]!;
        var elsewhere = await CreateSecretAsync(connectionId, "DevOps", "AWS-Prod");
        var inScope = await CreateSecretAsync(connectionId, "Shared", "Wifi");

        await (await Owner().PatchRawAsync(Url(Acme, $"/vault-connections/{connectionId}"), """{"vault":"Shared"}"""))
            .AssertStatusAsync(HttpStatusCode.OK);

        var flagged = await SecretAsync(elsewhere);
        Assert.Equal("misconfigured", (string?)flagged["health"]!["status"]);
        Assert.Equal("unchecked", (string?)(await SecretAsync(inScope))["health"]!["status"]);
        var list = await (await Owner().GetAsync(Url(Acme, "/secrets"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("misconfigured", (string?)list.AsArray().Single(s => (string)s!["id"]! == elsewhere)!["health"]!["status"]);

        await using (var scope = Portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var secret = await db.Secrets.AsNoTracking().SingleAsync(s => s.Id == Guid.Parse(elsewhere));
            var last = secret.Health.LastCheck()!;
            Assert.All(last.Fields, f => Assert.Equal("References vault 'DevOps', the connection now reads 'Shared': pick a reference in 'Shared'.", f.Message));
            var updated = await db.AuditEvents.AsNoTracking()
                .SingleAsync(e => e.TeamId == Acme.TeamId && e.Action == "vault_connection.updated" && e.TargetId == Guid.Parse(connectionId));
            Assert.Contains("secrets_out_of_scope", updated.Details);
            Assert.Contains(secret.Name, updated.Details);
        }

        // Checking it again says the same and does not read the references of the other vault.
        var before = Fakes.Op.CommandLog.Count;
        var check = await (await Owner().PostJsonAsync(Url(Acme, $"/secrets/{elsewhere}/check"), new Dictionary<string, object?>()))
            .AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("misconfigured", (string?)check["status"]);
        Assert.All(check["fields"]!.AsArray(), f =>
        {
            Assert.Equal("misconfigured", (string?)f!["status"]);
            Assert.Contains("the connection now reads 'Shared'", (string?)f["message"]);
        });
        Assert.DoesNotContain(Fakes.Op.CommandLog.Skip(before), line => line.Contains("DevOps", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PatchVault_SameVaultOrNameOnly_FlagsNothing()
    {
        var body = ProviderFakes.ValidBody("onepassword", $"1p-{Guid.NewGuid():N}");
        body["vault"] = "DevOps";
        var connection = await (await Owner().PostJsonAsync(Url(Acme, "/vault-connections"), body)).AssertStatusAsync(HttpStatusCode.Created);
        var connectionId = (string)connection["id"]!;
        var secret = await CreateSecretAsync(connectionId, "DevOps", "AWS-Prod");

        await (await Owner().PatchRawAsync(Url(Acme, $"/vault-connections/{connectionId}"), """{"vault":"DevOps","name":"renamed"}"""))
            .AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal("unchecked", (string?)(await SecretAsync(secret))["health"]!["status"]);
    }
}
