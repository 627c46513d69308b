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
public sealed class FaultyCredentialStore(ICredentialStore inner) : ICredentialStore
{
    public bool FailPut { get; set; }
    public bool FailPutAfterWriting { get; set; }
    public bool FailDelete { get; set; }

    public async Task PutAsync(CredentialKey key, IReadOnlyDictionary<string, string> fields, CancellationToken ct = default)
    {
        if (FailPut)
        {
            throw new CredentialStoreUnavailableException("Injected store failure.");
        }
        await inner.PutAsync(key, fields, ct);
        if (FailPutAfterWriting)
        {
            throw new CredentialStoreUnavailableException("Injected failure after the write.");
        }
    }

    public Task<IReadOnlyDictionary<string, string>?> GetAsync(CredentialKey key, CancellationToken ct = default) => inner.GetAsync(key, ct);

    public Task DeleteAsync(CredentialKey key, CancellationToken ct = default) =>
        FailDelete ? throw new CredentialStoreUnavailableException("Injected store failure.") : inner.DeleteAsync(key, ct);

    public IAsyncEnumerable<CredentialKey> ListAsync(CancellationToken ct = default) => inner.ListAsync(ct);
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
            var real = services.Single(d => d.ServiceType == typeof(ICredentialStore));
            services.Remove(real);
            services.AddSingleton(sp => _store = new FaultyCredentialStore((ICredentialStore)real.ImplementationFactory!(sp)));
            services.AddSingleton<ICredentialStore>(sp => sp.GetRequiredService<FaultyCredentialStore>());
            services.ConfigureDbContext<PortalDbContext>(o => o.AddInterceptors(_interceptor));
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
    public async Task Delete_WhenStoreFails_Is502AndKeepsRecordWithItsCredential(string kind)
    {
        var created = await (await Owner.PostJsonAsync(Url($"/{kind}"), Body(kind))).AssertStatusAsync(HttpStatusCode.Created);
        _store.FailDelete = true;
        await (await Owner.DeleteAsync(Url($"/{kind}/{created["id"]}"))).AssertProblemAsync(HttpStatusCode.BadGateway, "provider_unreachable");
        await (await Owner.GetAsync(Url($"/{kind}/{created["id"]}"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(1, await StoredCountAsync());
    }

    [Fact]
    public async Task Rotate_WhenStoreFails_Is502AndOldCredentialsStay()
    {
        var created = await (await Owner.PostJsonAsync(Url("/vault-connections"), Body("vault-connections"))).AssertStatusAsync(HttpStatusCode.Created);
        var key = CredentialKey.ForVaultConnection(_team.TeamId, Guid.Parse((string)created["id"]!));
        var before = await _store.GetAsync(key);
        _store.FailPut = true;
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
        await (await owner.DeleteAsync($"{url}/vault-connections/{kept["id"]}")).AssertProblemAsync(HttpStatusCode.BadGateway, "provider_unreachable");

        var list = (await (await owner.GetAsync($"{url}/vault-connections")).ReadJsonAsync()).AsArray();
        Assert.Equal(["before outage"], list.Select(c => (string)c!["name"]!));
        Assert.Empty((await (await owner.GetAsync($"{url}/secrets")).ReadJsonAsync()).AsArray());
    }
}
