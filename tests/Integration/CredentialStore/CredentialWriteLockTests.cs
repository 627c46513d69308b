using System.Net;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Persistence;
using Dataraven.Tests.Api;
using Dataraven.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Unit.CredentialStore;

/// <summary>
/// Before every store call, writes to the portal's SQLite file from a connection of its own, as another request
/// would while an SSM call is in flight: the write only gets through when the portal does not hold the database's
/// write lock during the store call.
/// </summary>
public sealed class WriterProbingCredentialStore(ICredentialStore inner, string databaseFile) : ICredentialStore
{
    private readonly List<string> _blocked = [];

    public int Probes { get; private set; }

    /// <summary>The store calls during which another writer could not write.</summary>
    public IReadOnlyList<string> Blocked
    {
        get { lock (_blocked) return [.. _blocked]; }
    }

    public async Task PutAsync(CredentialKey key, IReadOnlyDictionary<string, string> fields, CancellationToken ct = default)
    {
        await ProbeAsync($"put {key}");
        await inner.PutAsync(key, fields, ct);
    }

    public async Task<IReadOnlyDictionary<string, string>?> GetAsync(CredentialKey key, CancellationToken ct = default)
    {
        await ProbeAsync($"get {key}");
        return await inner.GetAsync(key, ct);
    }

    public Task DeleteAsync(CredentialKey key, CancellationToken ct = default) => inner.DeleteAsync(key, ct);

    public IAsyncEnumerable<CredentialKey> ListAsync(CancellationToken ct = default) => inner.ListAsync(ct);

    private async Task ProbeAsync(string call)
    {
        // Pooling off: the probe's connection must not be one the portal could be holding.
        await using var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // Microsoft.Data.Sqlite retries a busy database until the command timeout: one second is ample for a free lock.
        command.CommandTimeout = 1;
        command.CommandText = "CREATE TABLE IF NOT EXISTS write_probe (n INTEGER); INSERT INTO write_probe VALUES (1);";
        try
        {
            await command.ExecuteNonQueryAsync();
            Probes++;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            // SQLITE_BUSY or SQLITE_LOCKED: someone holds the write lock.
            lock (_blocked) _blocked.Add(call);
        }
    }
}

/// <summary>The credential store's network calls happen outside the database's write lock (a slow SSM call never blocks other writers).</summary>
public sealed class CredentialWriteLockTests : IAsyncLifetime
{
    private const string NewToken = "dp.st.dev.fakeRotatedDopplerToken0002";

    private WriterProbingCredentialStore _store = null!;
    private TestPortal _portal = null!;
    private ProviderFakes _fakes = null!;
    private TeamFixture _team = null!;

    public async Task InitializeAsync()
    {
        _fakes = await ProviderFakes.StartAsync();
        _fakes.Doppler.AcceptToken(NewToken, ProviderFakes.DopplerProject, ProviderFakes.DopplerConfig, "dev");
        var options = new TestPortalOptions();
        _fakes.Configure(options);
        options.Services = services =>
        {
            services.DecorateCredentialStore((sp, real) => _store = new WriterProbingCredentialStore(real,
                new SqliteConnectionStringBuilder(sp.GetRequiredService<IConfiguration>().GetConnectionString("Portal")).DataSource));
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

    private static Dictionary<string, object?> DirectSecret(string name) => new()
    {
        ["name"] = name, ["secret_type"] = "s3", ["auth_method"] = "s3_access_key",
        ["credentials"] = new Dictionary<string, string> { ["access_key_id"] = "AKIA1", ["secret_access_key"] = "S1" },
    };

    [Fact]
    public async Task CreateRotateReplaceDelete_StoreCalls_DoNotHoldTheDatabaseWriteLock()
    {
        var connection = await (await Owner.PostJsonAsync(Url("/vault-connections"), ProviderFakes.ValidBody("doppler", "unlocked")))
            .AssertStatusAsync(HttpStatusCode.Created);
        await (await Owner.PostRawAsync(Url($"/vault-connections/{connection["id"]}/rotate"), $$"""{"access_token":"{{NewToken}}"}"""))
            .AssertStatusAsync(HttpStatusCode.OK);
        var secret = await (await Owner.PostJsonAsync(Url("/secrets"), DirectSecret("unlocked"))).AssertStatusAsync(HttpStatusCode.Created);
        await (await Owner.PatchRawAsync(Url($"/secrets/{secret["id"]}"),
            """{"credentials":{"access_key_id":"AKIA2","secret_access_key":"S2"}}""")).AssertStatusAsync(HttpStatusCode.OK);
        await (await Owner.DeleteAsync(Url($"/secrets/{secret["id"]}"))).AssertStatusAsync(HttpStatusCode.NoContent);
        await (await Owner.DeleteAsync(Url($"/vault-connections/{connection["id"]}"))).AssertStatusAsync(HttpStatusCode.NoContent);
        // A delete only moves to the trash; the purge is what touches the store.
        await (await Owner.DeleteAsync(Url($"/trash/{secret["id"]}"))).AssertStatusAsync(HttpStatusCode.NoContent);
        await (await Owner.DeleteAsync(Url($"/trash/{connection["id"]}"))).AssertStatusAsync(HttpStatusCode.NoContent);

        Assert.Empty(_store.Blocked);
        // Creates (2), rotate and replace (staged + current, 2 each), purges' reachability reads (2).
        Assert.True(_store.Probes >= 8, $"only {_store.Probes} store calls were probed");
    }

    [Fact]
    public async Task Create_RefusedByTheNameCheck_WritesNoCredential()
    {
        await (await Owner.PostJsonAsync(Url("/secrets"), DirectSecret("taken"))).AssertStatusAsync(HttpStatusCode.Created);
        var probes = _store.Probes;

        await (await Owner.PostJsonAsync(Url("/secrets"), DirectSecret("taken"))).AssertProblemAsync(HttpStatusCode.Conflict, "name_conflict");

        Assert.Equal(probes, _store.Probes);
        var stored = 0;
        await foreach (var _ in _store.ListAsync())
        {
            stored++;
        }
        Assert.Equal(1, stored);
    }
}

/// <summary>A create crashed at any step, its credential written before the transaction opens, leaves both or neither after reconcile.</summary>
public sealed class CreateCrashTests : IAsyncLifetime
{
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
            services.ConfigureDbContext<PortalDbContext>(o => o.AddInterceptors(new CrashInterceptor(_crash)));
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

    public static TheoryData<string> Kinds => new() { "vault-connections", "secrets" };

    private static Dictionary<string, object?> Body(string kind, string name)
    {
        if (kind == "vault-connections")
        {
            return ProviderFakes.ValidBody("doppler", name);
        }
        return new()
        {
            ["name"] = name, ["secret_type"] = "s3", ["auth_method"] = "s3_access_key",
            ["credentials"] = new Dictionary<string, string> { ["access_key_id"] = "AKIA1", ["secret_access_key"] = "S1" },
        };
    }

    private async Task<(int Records, int Stored)> CountAsync()
    {
        var records = await _portal.WithAsync<PortalDbContext, int>(async db =>
            await db.VaultConnections.CountAsync() + await db.Secrets.CountAsync());
        var stored = 0;
        await foreach (var _ in _store.ListAsync())
        {
            stored++;
        }
        return (records, stored);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Create_CrashAtAnyStep_LeavesRecordWithCredentialOrNeitherAfterReconcile(string kind)
    {
        var client = _portal.CreateClient(_team.OwnerKey);
        for (var at = 0; at < 12; at++)
        {
            var before = await CountAsync();
            _crash.Arm(at);
            var response = await client.PostJsonAsync($"/v1/teams/{_team.TeamId}/{kind}", Body(kind, $"crashed {at}"));
            var crashed = _crash.Happened;
            _crash.Disarm();
            var report = await _portal.WithAsync<CredentialReconciler, CredentialReconciliationReport>(r => r.FixAsync());
            var after = await CountAsync();

            Assert.True(report.IsConsistent, $"crash at step {at}: {report.Format()}");
            Assert.Empty(report.Missing);
            Assert.Equal(after.Records - before.Records, after.Stored - before.Stored);
            if (!crashed)
            {
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                Assert.Equal((before.Records + 1, before.Stored + 1), after);
                return;
            }
            Assert.Equal(before, after);
        }
        Assert.Fail("The create never completed.");
    }
}
