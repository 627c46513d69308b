using System.Net;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Persistence;
using Dataraven.Core.VaultConnections;
using Dataraven.Tests.Infrastructure;
using Dataraven.Tests.Unit.CredentialStore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Api;

/// <summary>A store that can be told to fail, around the real one.</summary>
public sealed class FaultyCredentialStore(ICredentialStore inner, SimulatedCrash? crash = null) : ICredentialStore
{
    public bool FailPut { get; set; }
    public bool FailPutAfterWriting { get; set; }
    public bool FailDelete { get; set; }
    public bool Unreachable { get; set; }
    public SimulatedCrash Crash { get; } = crash ?? new();

    public async Task PutAsync(CredentialKey key, IReadOnlyDictionary<string, string> fields, CancellationToken ct = default)
    {
        Crash.Step();
        if (FailPut || Unreachable)
        {
            throw new CredentialStoreUnavailableException("Injected store failure.");
        }
        await inner.PutAsync(key, fields, ct);
        if (FailPutAfterWriting)
        {
            throw new CredentialStoreUnavailableException("Injected failure after the write.");
        }
    }

    public Task<IReadOnlyDictionary<string, string>?> GetAsync(CredentialKey key, CancellationToken ct = default)
    {
        Crash.ThrowIfDead();
        if (Unreachable)
        {
            throw new CredentialStoreUnavailableException("Injected outage.");
        }
        return inner.GetAsync(key, ct);
    }

    public Task DeleteAsync(CredentialKey key, CancellationToken ct = default)
    {
        Crash.Step();
        return FailDelete || Unreachable ? throw new CredentialStoreUnavailableException("Injected store failure.") : inner.DeleteAsync(key, ct);
    }

    public IAsyncEnumerable<CredentialKey> ListAsync(CancellationToken ct = default) => inner.ListAsync(ct);

    public IAsyncEnumerable<string> ListIncompleteWritesAsync(CancellationToken ct = default) => inner.ListIncompleteWritesAsync(ct);

    public Task DeleteIncompleteWriteAsync(string name, CancellationToken ct = default) => inner.DeleteIncompleteWriteAsync(name, ct);
}

/// <summary>
/// A process that dies after a number of writes: each store write and each database save or commit is a step;
/// from the step at <see cref="At"/> on, nothing reaches the store or the database any more (not even cleanup).
/// </summary>
public sealed class SimulatedCrash
{
    private int _steps;

    public int? At { get; private set; }
    public bool Happened { get; private set; }

    public void Arm(int at) => (At, _steps, Happened) = (at, 0, false);

    public void Disarm() => (At, Happened) = (null, false);

    public void Step()
    {
        ThrowIfDead();
        if (At is { } at && _steps++ >= at)
        {
            Happened = true;
            ThrowIfDead();
        }
    }

    public void ThrowIfDead()
    {
        if (Happened)
        {
            throw new CrashException();
        }
    }

    public sealed class CrashException() : Exception("Simulated crash.");
}

/// <summary>Database saves and commits as crash steps.</summary>
public sealed class CrashInterceptor(SimulatedCrash crash) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        crash.Step();
        return ValueTask.FromResult(result);
    }

    public ValueTask<InterceptionResult> TransactionCommittingAsync(System.Data.Common.DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        crash.Step();
        return ValueTask.FromResult(result);
    }
}

/// <summary>Makes SaveChanges fail when a vault connection or secret is being added.</summary>
public sealed class FailingInsertInterceptor : SaveChangesInterceptor
{
    public bool Fail { get; set; }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (Fail && eventData.Context!.ChangeTracker.Entries().Any(e => e.State == EntityState.Added &&
                e.Entity is VaultConnection or Core.Secrets.Secret))
        {
            throw new DbUpdateException("Injected database failure.");
        }
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }
}

/// <summary>Create and delete never leave a credential without its record, or a record without its credential.</summary>
public sealed class ConsistencyTests : IAsyncLifetime
{
    private readonly FailingInsertInterceptor _interceptor = new();
    private readonly SimulatedCrash _crash = new();
    private FaultyCredentialStore _store = null!;
    private TestPortal _portal = null!;
    private ProviderFakes _fakes = null!;
    private TeamFixture _team = null!;

    public async Task InitializeAsync()
    {
        _fakes = await ProviderFakes.StartAsync();
        var options = new TestPortalOptions();
        _fakes.Configure(options);
        options.Services = services =>
        {
            services.DecorateCredentialStore((_, real) => _store = new FaultyCredentialStore(real, _crash));
            services.ConfigureDbContext<PortalDbContext>(o => o.AddInterceptors(_interceptor, new CrashInterceptor(_crash)));
        };
        _portal = await TestPortal.StartAsync(options);
        _portal.Services.GetRequiredService<ICredentialStore>();
        _team = await _portal.CreateTeamAsync("Acme", "pro");
    }

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        await _fakes.DisposeAsync();
    }

    private HttpClient Owner => _portal.CreateClient(_team.OwnerKey);
    private string Url(string rest) => $"/v1/teams/{_team.TeamId}{rest}";

    private async Task<int> StoredCountAsync()
    {
        var n = 0;
        await foreach (var _ in _store.ListAsync())
        {
            n++;
        }
        return n;
    }

    private async Task<int> RecordCountAsync() =>
        await _portal.WithAsync<PortalDbContext, int>(async db => await db.VaultConnections.CountAsync() + await db.Secrets.CountAsync());

    public static TheoryData<string> Kinds => new() { "vault-connections", "secrets" };

    private static object Body(string kind) => kind == "vault-connections"
        ? ProviderFakes.ValidBody("doppler", "consistent")
        : new Dictionary<string, object?>
        {
            ["name"] = "consistent", ["secret_type"] = "s3", ["auth_method"] = "s3_access_key",
            ["credentials"] = new Dictionary<string, string> { ["access_key_id"] = "AKIA1", ["secret_access_key"] = "S1" },
        };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Create_WhenStoreFails_Is502AndLeavesNoRecord(string kind)
    {
        _store.FailPut = true;
        await (await Owner.PostJsonAsync(Url($"/{kind}"), Body(kind))).AssertProblemAsync(HttpStatusCode.BadGateway, "provider_unreachable");
        Assert.Equal(0, await RecordCountAsync());
        Assert.Equal(0, await StoredCountAsync());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Create_WhenStoreWritesThenFails_RemovesWhatItWrote(string kind)
    {
        _store.FailPutAfterWriting = true;
        await (await Owner.PostJsonAsync(Url($"/{kind}"), Body(kind))).AssertProblemAsync(HttpStatusCode.BadGateway, "provider_unreachable");
        Assert.Equal(0, await RecordCountAsync());
        Assert.Equal(0, await StoredCountAsync());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Create_WhenDatabaseFailsAfterStoring_RemovesTheCredential(string kind)
    {
        _interceptor.Fail = true;
        var response = await Owner.PostJsonAsync(Url($"/{kind}"), Body(kind));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("Injected", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await RecordCountAsync());
        Assert.Equal(0, await StoredCountAsync());

        _interceptor.Fail = false;
        await (await Owner.PostJsonAsync(Url($"/{kind}"), Body(kind))).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal(1, await RecordCountAsync());
        Assert.Equal(1, await StoredCountAsync());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Purge_WhenStoreUnreachable_Is502AndKeepsTrashedRecordWithItsCredential(string kind)
    {
        var created = await (await Owner.PostJsonAsync(Url($"/{kind}"), Body(kind))).AssertStatusAsync(HttpStatusCode.Created);
        _store.Unreachable = true;
        // The delete only moves the record to the trash: the store is not asked.
        await (await Owner.DeleteAsync(Url($"/{kind}/{created["id"]}"))).AssertStatusAsync(HttpStatusCode.NoContent);
        await (await Owner.DeleteAsync(Url($"/trash/{created["id"]}"))).AssertProblemAsync(HttpStatusCode.BadGateway, "provider_unreachable");
        _store.Unreachable = false;
        Assert.True(await InTrashAsync((string)created["id"]!));
        Assert.Equal(1, await StoredCountAsync());
        Assert.True((await ReconcileAsync()).IsConsistent);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Purge_WhenStoreFailsAfterTheRecordIsGone_LeavesAnOrphanThatReconcileDeletes(string kind)
    {
        var created = await (await Owner.PostJsonAsync(Url($"/{kind}"), Body(kind))).AssertStatusAsync(HttpStatusCode.Created);
        await (await Owner.DeleteAsync(Url($"/{kind}/{created["id"]}"))).AssertStatusAsync(HttpStatusCode.NoContent);
        // In the trash its credential is known, not an orphan.
        Assert.Empty((await ReconcileAsync()).Orphans);
        Assert.Equal(1, await StoredCountAsync());
        _store.FailDelete = true;
        await (await Owner.DeleteAsync(Url($"/trash/{created["id"]}"))).AssertStatusAsync(HttpStatusCode.NoContent);
        Assert.False(await InTrashAsync((string)created["id"]!));
        _store.FailDelete = false;

        var report = await ReconcileAsync();
        Assert.Single(report.DeletedOrphans);
        Assert.True(report.IsConsistent);
        Assert.Equal(0, await StoredCountAsync());
    }

    private async Task<bool> InTrashAsync(string id) =>
        (await (await Owner.GetAsync(Url("/trash"))).ReadJsonAsync())["items"]!.AsArray().Any(i => (string)i!["id"]! == id);

    /// <summary>A crash at every step of <paramref name="operation"/>, each on a fresh object, then reconcile --fix.</summary>
    private async Task CrashAtEveryStepAsync(Func<int, Task<Guid>> create, Func<Guid, Task> operation, Func<Guid, Task<string>> stateOf,
        string oldState, string newState)
    {
        var outcomes = new List<string>();
        for (var at = 0; at < 12; at++)
        {
            var id = await create(at);
            _store.Crash.Arm(at);
            await operation(id);
            var crashed = _store.Crash.Happened;
            _store.Crash.Disarm();
            var report = await ReconcileAsync();
            var state = await stateOf(id);
            outcomes.Add($"crash at step {at}: {state}");
            Assert.True(report.IsConsistent, $"crash at step {at}: {report.Format()}");
            Assert.True(state == oldState || state == newState, $"crash at step {at} left a mixed state: {state}");
            if (!crashed)
            {
                Assert.Equal(newState, state);
                Assert.Empty((await ReconcileAsync()).Orphans);
                return;
            }
        }
        Assert.Fail("The operation never completed: " + string.Join("; ", outcomes));
    }

    private Task<CredentialReconciliationReport> ReconcileAsync() =>
        _portal.WithAsync<CredentialReconciler, CredentialReconciliationReport>(r => r.FixAsync());

    [Fact]
    public async Task Rotate_CrashAtAnyStep_LeavesOldOrNewStateAfterReconcile()
    {
        const string newToken = "dp.st.dev.fakeRotatedDopplerToken0002";
        _fakes.Doppler.AcceptToken(newToken, ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig, "dev");
        await CrashAtEveryStepAsync(
            async at => Guid.Parse((string)(await (await Owner.PostJsonAsync(Url("/vault-connections"), ProviderFakes.ValidBody("doppler", $"rotated {at}")))
                .AssertStatusAsync(HttpStatusCode.Created))["id"]!),
            id => Owner.PostRawAsync(Url($"/vault-connections/{id}/rotate"), $$"""{"access_token":"{{newToken}}"}"""),
            async id =>
            {
                var stored = await _store.GetAsync(CredentialKey.ForVaultConnection(_team.TeamId, id));
                var record = await _portal.WithAsync<PortalDbContext, VaultConnection>(db => db.VaultConnections.AsNoTracking().SingleAsync(v => v.Id == id));
                // A rotation moves updated_at past created_at.
                var token = stored?["access_token"] switch { ProviderFakes.DopplerToken => "original", newToken => "rotated", _ => "missing" };
                return $"record {(record.UpdatedAt > record.CreatedAt ? "rotated" : "original")}, credential {token}";
            },
            "record original, credential original", "record rotated, credential rotated");
    }

    [Fact]
    public async Task SecretCredentialUpdate_CrashAtAnyStep_LeavesOldOrNewStateAfterReconcile()
    {
        await CrashAtEveryStepAsync(
            async at => Guid.Parse((string)(await (await Owner.PostJsonAsync(Url("/secrets"), new Dictionary<string, object?>
            {
                ["name"] = $"blob {at}", ["secret_type"] = "azure_blob", ["auth_method"] = "azure_account_key",
                ["credentials"] = new Dictionary<string, string> { ["account_name"] = "acct", ["account_key"] = AccountKey },
            })).AssertStatusAsync(HttpStatusCode.Created))["id"]!),
            id => Owner.PatchRawAsync(Url($"/secrets/{id}"),
                """{"auth_method":"azure_sas_url","credentials":{"sas_url":"https://acct.blob.core.windows.net/?sv=2022-11-02&se=2030-01-01&sp=rl&sig=abc"}}"""),
            async id =>
            {
                var stored = await _store.GetAsync(CredentialKey.ForSecret(_team.TeamId, id));
                var record = await _portal.WithAsync<PortalDbContext, Core.Secrets.Secret>(db => db.Secrets.AsNoTracking().SingleAsync(s => s.Id == id));
                return $"record {record.AuthMethod} [{string.Join(",", record.CredentialFields.Order())}], credential [{string.Join(",", (stored?.Keys ?? []).Order())}]";
            },
            "record azure_account_key [account_key,account_name], credential [account_key,account_name]",
            "record azure_sas_url [sas_url], credential [sas_url]");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Purge_CrashAtAnyStep_LeavesTrashedRecordWithCredentialOrNeitherAfterReconcile(string kind)
    {
        var n = 0;
        await CrashAtEveryStepAsync(
            async _ =>
            {
                var body = Body(kind);
                ((Dictionary<string, object?>)body)["name"] = $"doomed {n++}";
                var id = (string)(await (await Owner.PostJsonAsync(Url($"/{kind}"), body)).AssertStatusAsync(HttpStatusCode.Created))["id"]!;
                await (await Owner.DeleteAsync(Url($"/{kind}/{id}"))).AssertStatusAsync(HttpStatusCode.NoContent);
                return Guid.Parse(id);
            },
            id => Owner.DeleteAsync(Url($"/trash/{id}")),
            async id =>
            {
                var key = kind == "secrets" ? CredentialKey.ForSecret(_team.TeamId, id) : CredentialKey.ForVaultConnection(_team.TeamId, id);
                var record = await InTrashAsync(id.ToString());
                var stored = await _store.GetAsync(key) is not null;
                return $"record {(record ? "kept" : "gone")}, credential {(stored ? "kept" : "gone")}";
            },
            "record kept, credential kept", "record gone, credential gone");
    }

    private static readonly string AccountKey = Convert.ToBase64String(new byte[64]);

    [Fact]
    public async Task Rotate_WhenStoreFails_Is502AndOldCredentialsStay()
    {
        var created = await (await Owner.PostJsonAsync(Url("/vault-connections"), Body("vault-connections"))).AssertStatusAsync(HttpStatusCode.Created);
        var key = CredentialKey.ForVaultConnection(_team.TeamId, Guid.Parse((string)created["id"]!));
        var before = await _store.GetAsync(key);
        _store.FailPut = true;
        // (the first write of a rotation fails, so nothing may change)
        await (await Owner.PostRawAsync(Url($"/vault-connections/{created["id"]}/rotate"), $$"""{"access_token":"{{ProviderFakes.DopplerToken}}"}"""))
            .AssertProblemAsync(HttpStatusCode.BadGateway, "provider_unreachable");
        Assert.Equal(before, await _store.GetAsync(key));
    }
}

/// <summary>SSM going away mid-run: the caller gets 502 and no record points at a missing parameter.</summary>
public sealed class SsmOutageTests(MotoServerFixture moto) : IClassFixture<MotoServerFixture>, IAsyncLifetime
{
    private TestPortal _portal = null!;
    private ProviderFakes _fakes = null!;

    public async Task InitializeAsync()
    {
        _fakes = await ProviderFakes.StartAsync();
        var options = new TestPortalOptions();
        _fakes.Configure(options);
        await SsmRun.WarmUpAsync(moto);
        SsmRun.Configure(options, moto);
        _portal = await TestPortal.StartAsync(options);
    }

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        await _fakes.DisposeAsync();
    }

    [Fact]
    public async Task EmulatorStopped_CreateIs502_AndNoRecordPointsAtAMissingParameter()
    {
        var team = await _portal.CreateTeamAsync("Acme", "pro");
        var owner = _portal.CreateClient(team.OwnerKey);
        var url = $"/v1/teams/{team.TeamId}";
        var kept = await (await owner.PostJsonAsync($"{url}/vault-connections", ProviderFakes.ValidBody("doppler", "before outage"))).AssertStatusAsync(HttpStatusCode.Created);
        var store = _portal.Services.GetRequiredService<ICredentialStore>();
        Assert.NotNull(await store.GetAsync(CredentialKey.ForVaultConnection(team.TeamId, Guid.Parse((string)kept["id"]!))));

        await moto.StopAsync();

        var problem = await (await owner.PostJsonAsync($"{url}/vault-connections", ProviderFakes.ValidBody("onepassword", "during outage")))
            .AssertProblemAsync(HttpStatusCode.BadGateway, "provider_unreachable");
        Assert.DoesNotContain(ProviderFakes.OnePasswordToken, problem.ToJsonString());
        Assert.DoesNotContain("   at ", problem.ToJsonString());
        await (await owner.PostJsonAsync($"{url}/secrets", new Dictionary<string, object?>
        {
            ["name"] = "during outage", ["secret_type"] = "r2", ["auth_method"] = "r2_access_key",
            ["credentials"] = new Dictionary<string, string> { ["access_key_id"] = "A", ["secret_access_key"] = "B" },
        })).AssertProblemAsync(HttpStatusCode.BadGateway, "provider_unreachable");
        // A delete moves it to the trash without the store; purging it needs the store.
        await (await owner.DeleteAsync($"{url}/vault-connections/{kept["id"]}")).AssertStatusAsync(HttpStatusCode.NoContent);
        await (await owner.DeleteAsync($"{url}/trash/{kept["id"]}")).AssertProblemAsync(HttpStatusCode.BadGateway, "provider_unreachable");

        var trash = (await (await owner.GetAsync($"{url}/trash")).ReadJsonAsync())["items"]!.AsArray();
        Assert.Equal(["before outage"], trash.Select(c => (string)c!["name"]!));
        Assert.Empty((await (await owner.GetAsync($"{url}/secrets")).ReadJsonAsync()).AsArray());
    }
}
