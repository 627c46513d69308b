using System.Net;
using System.Text.Json.Nodes;
using Dataraven.Core.Audit;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Dataraven.Core.VaultConnections;
using Dataraven.Tests.Infrastructure;
using Dataraven.Tests.Unit.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Api;

/// <summary>
/// The trash (DESIGN.md, soft delete): DELETE moves a secret or vault connection there with its credential, the trash
/// lists it, Owners and Admins restore it (name, tier limit and connection rules), Owners purge it.
/// </summary>
public sealed class TrashApiTests(LocalApiPortal fixture) : ApiTestBase(fixture), IClassFixture<LocalApiPortal>
{
    private static Dictionary<string, object?> DirectSecret(string name) => new()
    {
        ["name"] = name,
        ["secret_type"] = "s3",
        ["auth_method"] = "s3_access_key",
        ["credentials"] = ValidationSamples.ValidCredentials("s3", "s3_access_key"),
    };

    private static Dictionary<string, object?> VaultSecret(string connectionId, string name) => new()
    {
        ["name"] = name,
        ["secret_type"] = "s3",
        ["auth_method"] = "s3_access_key",
        ["vault_connection_id"] = connectionId,
        ["field_mappings"] = ValidationSamples.ValidMappings(VaultType.Doppler, "s3", "s3_access_key")
            .Select(m => new Dictionary<string, string?> { ["field_name"] = m.FieldName, ["reference"] = m.Reference }).ToList(),
    };

    private async Task<string> CreateSecretAsync(string name, TeamFixture? team = null) =>
        (string)(await (await Owner(team).PostJsonAsync(Url(team ?? Acme, "/secrets"), DirectSecret(name))).AssertStatusAsync(HttpStatusCode.Created))["id"]!;

    private async Task DeleteAsync(string resource, string id) =>
        await (await Owner().DeleteAsync(Url(Acme, $"/{resource}/{id}"))).AssertStatusAsync(HttpStatusCode.NoContent);

    private async Task<JsonArray> TrashAsync(HttpClient? client = null) =>
        (await (await (client ?? Owner()).GetAsync(Url(Acme, "/trash"))).AssertStatusAsync(HttpStatusCode.OK))["items"]!.AsArray();

    private async Task<List<AuditEvent>> AuditOfAsync(string id) =>
        await Portal.WithAsync<PortalDbContext, List<AuditEvent>>(db =>
            db.AuditEvents.AsNoTracking().Where(e => e.TeamId == Acme.TeamId && e.TargetId == Guid.Parse(id)).OrderBy(e => e.At).ToListAsync());

    [Fact]
    public async Task DeleteSecret_MovesToTrash_GoneFromListAndGet_CredentialKept_ListedWithPurgeDate()
    {
        var id = await CreateSecretAsync("trashed");
        await DeleteAsync("secrets", id);

        await (await Owner().GetAsync(Url(Acme, $"/secrets/{id}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Empty((await (await Owner().GetAsync(Url(Acme, "/secrets"))).ReadJsonAsync()).AsArray());
        Assert.NotNull(await Store.GetAsync(CredentialKey.ForSecret(Acme.TeamId, Guid.Parse(id))));

        var item = Assert.Single(await TrashAsync())!;
        Assert.Equal("secret", (string?)item["type"]);
        Assert.Equal(id, (string?)item["id"]);
        Assert.Equal("trashed", (string?)item["name"]);
        Assert.Equal(Acme.OwnerId.ToString(), (string?)item["deleted_by"]);
        var deletedAt = (DateTime)item["deleted_at"]!;
        Assert.Equal(TimeSpan.FromDays(30), (DateTime)item["purge_at"]! - deletedAt);
        // A second delete finds nothing live.
        await (await Owner().DeleteAsync(Url(Acme, $"/secrets/{id}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        // The audit says it went to the trash.
        var deleted = (await AuditOfAsync(id)).Single(e => e.Action == AuditActions.SecretDeleted);
        Assert.Contains("\"trash\":true", deleted.Details);
    }

    [Fact]
    public async Task Trash_EveryRoleMayList_OtherTeamSeesNothing()
    {
        var id = await CreateSecretAsync("listed");
        await DeleteAsync("secrets", id);
        foreach (var role in new[] { TeamRole.Admin, TeamRole.Operator, TeamRole.Viewer })
        {
            var (_, _, key) = await Portal.AddMemberAsync(Acme, role);
            Assert.Single(await TrashAsync(Portal.CreateClient(key)));
        }
        var other = (await (await Owner(Globex).GetAsync(Url(Globex, "/trash"))).AssertStatusAsync(HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Empty(other);
        // Globex's key on Acme's trash: not its team.
        Assert.NotEqual(HttpStatusCode.OK, (await Owner(Globex).GetAsync(Url(Acme, "/trash"))).StatusCode);
    }

    [Fact]
    public async Task DeleteFreesTheName_RestoreUnderTakenNameIs409_RenamedRestoreIs200WithCredentialIntact()
    {
        var id = await CreateSecretAsync("reused");
        var key = CredentialKey.ForSecret(Acme.TeamId, Guid.Parse(id));
        var value = await Store.GetAsync(key);
        await DeleteAsync("secrets", id);
        var newer = await CreateSecretAsync("REUSED");

        await (await Owner().PostAsync(Url(Acme, $"/secrets/{id}/restore"), null)).AssertProblemAsync(HttpStatusCode.Conflict, "name_conflict");
        await (await Owner().PostRawAsync(Url(Acme, $"/secrets/{id}/restore"), """{"name":"   "}""")).AssertValidationErrorAsync("name");
        await (await Owner().PostRawAsync(Url(Acme, $"/secrets/{id}/restore"), """{"name":"reused"}"""))
            .AssertProblemAsync(HttpStatusCode.Conflict, "name_conflict");
        Assert.Single(await TrashAsync());

        var restored = await (await Owner().PostRawAsync(Url(Acme, $"/secrets/{id}/restore"), """{"name":"reused (old)"}"""))
            .AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(id, (string?)restored["id"]);
        Assert.Equal("reused (old)", (string?)restored["name"]);
        Assert.Equal(value, await Store.GetAsync(key));
        Assert.Empty(await TrashAsync());
        await (await Owner().GetAsync(Url(Acme, $"/secrets/{id}"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(2, (await (await Owner().GetAsync(Url(Acme, "/secrets"))).ReadJsonAsync()).AsArray().Count);
        Assert.NotEqual(id, newer);
        Assert.Contains(await AuditOfAsync(id), e => e.Action == AuditActions.SecretRestored && e.Outcome == "succeeded");
        // Restored once: no longer in the trash.
        await (await Owner().PostAsync(Url(Acme, $"/secrets/{id}/restore"), null)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Restore_Roles_OwnerAndAdmin_OthersForbidden_UnknownAndOtherTeamsAre404()
    {
        var id = await CreateSecretAsync("guarded");
        await DeleteAsync("secrets", id);
        foreach (var role in new[] { TeamRole.Operator, TeamRole.Viewer })
        {
            var (_, _, key) = await Portal.AddMemberAsync(Acme, role);
            await (await Portal.CreateClient(key).PostAsync(Url(Acme, $"/secrets/{id}/restore"), null))
                .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");
        }
        await (await Owner().PostAsync(Url(Acme, $"/secrets/{Guid.NewGuid()}/restore"), null)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await Owner(Globex).PostAsync(Url(Globex, $"/secrets/{id}/restore"), null)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        // A live secret is not in the trash.
        var live = await CreateSecretAsync("live");
        await (await Owner().PostAsync(Url(Acme, $"/secrets/{live}/restore"), null)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");

        var (_, _, adminKey) = await Portal.AddMemberAsync(Acme, TeamRole.Admin);
        await (await Portal.CreateClient(adminKey).PostAsync(Url(Acme, $"/secrets/{id}/restore"), null)).AssertStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Purge_OwnerOnly_RemovesRecordAndCredential_AuditedAsPurged()
    {
        var id = await CreateSecretAsync("purged");
        var key = CredentialKey.ForSecret(Acme.TeamId, Guid.Parse(id));
        await DeleteAsync("secrets", id);
        var (_, _, adminKey) = await Portal.AddMemberAsync(Acme, TeamRole.Admin);
        await (await Portal.CreateClient(adminKey).DeleteAsync(Url(Acme, $"/trash/{id}"))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_role");
        await (await Owner(Globex).DeleteAsync(Url(Globex, $"/trash/{id}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.NotNull(await Store.GetAsync(key));

        await (await Owner().DeleteAsync(Url(Acme, $"/trash/{id}"))).AssertStatusAsync(HttpStatusCode.NoContent);
        Assert.Null(await Store.GetAsync(key));
        Assert.Empty(await TrashAsync());
        Assert.False(await Portal.WithAsync<PortalDbContext, bool>(db => db.Secrets.IgnoreQueryFilters().AnyAsync(s => s.Id == Guid.Parse(id))));
        Assert.Contains(await AuditOfAsync(id), e => e.Action == AuditActions.SecretPurged && e.ActorType == "api_key");
        await (await Owner().DeleteAsync(Url(Acme, $"/trash/{id}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        // A live secret cannot be purged through the trash.
        var live = await CreateSecretAsync("live one");
        await (await Owner().DeleteAsync(Url(Acme, $"/trash/{live}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task TrashedObjects_CountTowardNoTierLimit_RestoreAtTheLimitIs403()
    {
        var team = await Portal.CreateTeamAsync("Small", "free");
        var owner = Owner(team);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await CreateSecretAsync($"s{i}", team));
        }
        await (await owner.PostJsonAsync(Url(team, "/secrets"), DirectSecret("sixth"))).AssertProblemAsync(HttpStatusCode.Forbidden, "tier_limit_reached");
        await (await owner.DeleteAsync(Url(team, $"/secrets/{ids[0]}"))).AssertStatusAsync(HttpStatusCode.NoContent);
        await CreateSecretAsync("sixth", team);
        var problem = await (await owner.PostAsync(Url(team, $"/secrets/{ids[0]}/restore"), null))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "tier_limit_reached");
        Assert.Equal(5, (int)problem["limit"]!);

        var usage = await (await owner.GetAsync(Url(team, "/usage"))).ReadJsonAsync();
        Assert.Equal(5, (int)usage["usage"]!["secrets"]!);

        // The same for vault connections (one on Free).
        var first = await CreateConnectionAsync("doppler", "first", team);
        await (await owner.DeleteAsync(Url(team, $"/vault-connections/{first["id"]}"))).AssertStatusAsync(HttpStatusCode.NoContent);
        await CreateConnectionAsync("doppler", "second", team);
        await (await owner.PostAsync(Url(team, $"/vault-connections/{first["id"]}/restore"), null))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "tier_limit_reached");
    }

    [Fact]
    public async Task Connection_InUseByLiveSecret_Is409_ByTrashedSecretsOnly_GoesToTrash_SecretRestoreWaitsForIt()
    {
        var connection = (string)(await CreateConnectionAsync("doppler", "vault"))["id"]!;
        var secret = (string)(await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), VaultSecret(connection, "mapped"))).AssertStatusAsync(HttpStatusCode.Created))["id"]!;
        await (await Owner().DeleteAsync(Url(Acme, $"/vault-connections/{connection}"))).AssertProblemAsync(HttpStatusCode.Conflict, "in_use");

        await DeleteAsync("secrets", secret);
        await DeleteAsync("vault-connections", connection);
        Assert.Equal(2, (await TrashAsync()).Count);
        Assert.NotNull(await Store.GetAsync(CredentialKey.ForVaultConnection(Acme.TeamId, Guid.Parse(connection))));
        // A secret cannot use a trashed connection.
        await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), VaultSecret(connection, "new user"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");

        await (await Owner().PostAsync(Url(Acme, $"/secrets/{secret}/restore"), null))
            .AssertProblemAsync(HttpStatusCode.Conflict, "vault_connection_in_trash");
        var restored = await (await Owner().PostAsync(Url(Acme, $"/vault-connections/{connection}/restore"), null)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("vault", (string?)restored["name"]);
        Assert.Equal(0, (int)restored["secrets_count"]!);
        var back = await (await Owner().PostAsync(Url(Acme, $"/secrets/{secret}/restore"), null)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("vault", (string?)back["vault_connection_name"]);
        Assert.Contains(await AuditOfAsync(connection), e => e.Action == AuditActions.VaultConnectionRestored);
    }

    [Fact]
    public async Task PurgeConnection_TakesItsTrashedSecretsWithIt()
    {
        var connection = (string)(await CreateConnectionAsync("doppler", "vault"))["id"]!;
        var secret = (string)(await (await Owner().PostJsonAsync(Url(Acme, "/secrets"), VaultSecret(connection, "mapped"))).AssertStatusAsync(HttpStatusCode.Created))["id"]!;
        await DeleteAsync("secrets", secret);
        await DeleteAsync("vault-connections", connection);

        await (await Owner().DeleteAsync(Url(Acme, $"/trash/{connection}"))).AssertStatusAsync(HttpStatusCode.NoContent);
        Assert.Empty(await TrashAsync());
        Assert.Null(await Store.GetAsync(CredentialKey.ForVaultConnection(Acme.TeamId, Guid.Parse(connection))));
        Assert.Contains(await AuditOfAsync(secret), e => e.Action == AuditActions.SecretPurged);
        Assert.Contains(await AuditOfAsync(connection), e => e.Action == AuditActions.VaultConnectionPurged);
    }

    [Fact]
    public async Task TrashedSecret_IsNotChecked_NorReconciledAsAnOrphan()
    {
        var id = await CreateSecretAsync("quiet");
        await DeleteAsync("secrets", id);
        await (await Owner().PostAsync(Url(Acme, $"/secrets/{id}/check"), null)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await Owner().PatchRawAsync(Url(Acme, $"/secrets/{id}"), """{"description":"x"}""")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var report = await Portal.WithAsync<CredentialReconciler, CredentialReconciliationReport>(r => r.ReconcileAsync(false));
        Assert.DoesNotContain(report.Orphans, k => k.ObjectId == Guid.Parse(id));
    }
}
