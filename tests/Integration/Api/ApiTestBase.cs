using System.Net;
using System.Text.Json.Nodes;
using Dataraven.Core.CredentialStore;
using Dataraven.Tests.Infrastructure;
using Dataraven.Tests.Persistence;
using Dataraven.Tests.Unit.CredentialStore;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Api;

/// <summary>One portal (and one set of provider fakes) per test class; each test works in teams of its own.</summary>
public abstract class ApiPortalFixture : IAsyncLifetime
{
    public TestPortal Portal { get; private set; } = null!;
    public ProviderFakes Fakes { get; private set; } = null!;

    protected virtual Task ConfigureAsync(TestPortalOptions options) => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Fakes = await ProviderFakes.StartAsync();
        var options = new TestPortalOptions();
        Fakes.Configure(options);
        await ConfigureAsync(options);
        Portal = await TestPortal.StartAsync(options);
    }

    public virtual async Task DisposeAsync()
    {
        await Portal.DisposeAsync();
        await Fakes.DisposeAsync();
    }
}

/// <summary>The embedded default store.</summary>
public sealed class LocalApiPortal : ApiPortalFixture;

/// <summary>SSM Parameter Store on the real emulator (moto_server), started for this fixture.</summary>
public sealed class SsmApiPortal : ApiPortalFixture
{
    public MotoServerFixture Moto { get; } = new();

    protected override async Task ConfigureAsync(TestPortalOptions options)
    {
        await Moto.InitializeAsync();
        await SsmRun.WarmUpAsync(Moto);
        SsmRun.Configure(options, Moto);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Moto.DisposeAsync();
    }
}

/// <summary>The embedded store on PostgreSQL (a database of its own on the test run's server) instead of SQLite.</summary>
public sealed class PostgresApiPortal : ApiPortalFixture
{
    protected override async Task ConfigureAsync(TestPortalOptions options) =>
        await PostgresRun.ConfigureAsync(options);
}

/// <summary>
/// The vault connection and secret API suites run once per credential store: the embedded Local store
/// and SSM on the real emulator, and once on PostgreSQL. Subclasses choose the store through their class fixture.
/// </summary>
public abstract class ApiTestBase(ApiPortalFixture fixture) : IAsyncLifetime
{
    protected TestPortal Portal => fixture.Portal;
    protected ProviderFakes Fakes => fixture.Fakes;
    protected TeamFixture Acme { get; private set; } = null!;
    protected TeamFixture Globex { get; private set; } = null!;

    protected ICredentialStore Store => Portal.Services.GetRequiredService<ICredentialStore>();

    public async Task InitializeAsync()
    {
        Fakes.Doppler.Reset();
        Fakes.Infisical.Reset();
        Acme = await Portal.CreateTeamAsync("Acme", "pro");
        Globex = await Portal.CreateTeamAsync("Globex", "pro");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    protected static string Url(TeamFixture team, string rest) => $"/v1/teams/{team.TeamId}{rest}";

    protected HttpClient Owner(TeamFixture? team = null) => Portal.CreateClient((team ?? Acme).OwnerKey);

    protected async Task<JsonNode> CreateConnectionAsync(string vaultType = "doppler", string? name = null, TeamFixture? team = null)
    {
        var response = await Owner(team).PostJsonAsync(Url(team ?? Acme, "/vault-connections"), ProviderFakes.ValidBody(vaultType, name ?? $"{vaultType}-{Guid.NewGuid():N}"));
        return await response.AssertStatusAsync(HttpStatusCode.Created);
    }

    protected async Task SetTierAsync(TeamFixture team, string tier) =>
        await (await Owner(team).PutRawAsync(Url(team, "/tier"), $$"""{"tier":"{{tier}}"}""")).AssertStatusAsync(HttpStatusCode.OK);

    /// <summary>The stored credentials of this test's teams.</summary>
    protected async Task<List<CredentialKey>> StoredKeysAsync()
    {
        var keys = new List<CredentialKey>();
        await foreach (var key in Store.ListAsync())
        {
            if (key.TeamId == Acme.TeamId || key.TeamId == Globex.TeamId)
            {
                keys.Add(key);
            }
        }
        return keys;
    }
}

/// <summary>Store choice: SSM Parameter Store on moto_server, one prefix per test class instance.</summary>
public static class SsmRun
{
    /// <summary>moto loads its SSM backend on the first SSM call, which can take seconds; do it before any test times it.</summary>
    public static async Task WarmUpAsync(MotoServerFixture moto)
    {
        var store = moto.CreateStore("/warm-up");
        await store.GetAsync(CredentialKey.ForSecret(Guid.NewGuid(), Guid.NewGuid()));
    }

    public static void Configure(TestPortalOptions options, MotoServerFixture moto)
    {
        foreach (var (k, v) in moto.ConfigurationValues($"/dataraven-test-{Guid.NewGuid():N}"))
        {
            options.Settings[k] = v;
        }
        options.Settings["CredentialStore:Ssm:MaxRetryAttempts"] = "1";
        options.Settings["CredentialStore:Ssm:RequestTimeout"] = "00:00:10";
        var previous = options.Services;
        options.Services = services =>
        {
            previous?.Invoke(services);
            services.AddSingleton(moto.Credentials);
        };
    }
}

/// <summary>Database choice: PostgreSQL, a new database on the test run's server.</summary>
public static class PostgresRun
{
    public static async Task ConfigureAsync(TestPortalOptions options)
    {
        var server = await PostgresServer.SharedAsync();
        options.Settings["Database:Provider"] = "Postgres";
        options.Settings["ConnectionStrings:Portal"] = await server.CreateDatabaseAsync();
    }
}
