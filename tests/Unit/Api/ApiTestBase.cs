using System.Net;
using System.Text.Json.Nodes;
using Dataraven.Core.CredentialStore;
using Dataraven.Tests.Infrastructure;
using Dataraven.Tests.Unit.CredentialStore;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Api;

/// <summary>
/// The vault connection and secret API suites run once per credential store: the embedded Local store
/// and SSM on the real emulator (moto_server). Subclasses choose the store.
/// </summary>
public abstract class ApiTestBase : IAsyncLifetime
{
    protected TestPortal Portal { get; private set; } = null!;
    protected ProviderFakes Fakes { get; private set; } = null!;
    protected TeamFixture Acme { get; private set; } = null!;
    protected TeamFixture Globex { get; private set; } = null!;

    protected ICredentialStore Store => Portal.Services.GetRequiredService<ICredentialStore>();

    /// <summary>Selects the store (and anything else) for this run.</summary>
    protected abstract void ConfigureStore(TestPortalOptions options);

    protected virtual void Configure(TestPortalOptions options)
    {
    }

    public async Task InitializeAsync()
    {
        Fakes = await ProviderFakes.StartAsync();
        var options = new TestPortalOptions();
        Fakes.Configure(options);
        ConfigureStore(options);
        Configure(options);
        Portal = await TestPortal.StartAsync(options);
        Acme = await Portal.CreateTeamAsync("Acme", "pro");
        Globex = await Portal.CreateTeamAsync("Globex", "pro");
    }

    public async Task DisposeAsync()
    {
        await Portal.DisposeAsync();
        await Fakes.DisposeAsync();
    }

    protected static string Url(TeamFixture team, string rest) => $"/v1/teams/{team.TeamId}{rest}";

    protected HttpClient Owner(TeamFixture? team = null) => Portal.CreateClient((team ?? Acme).OwnerKey);

    protected async Task<JsonNode> CreateConnectionAsync(string vaultType = "doppler", string? name = null, TeamFixture? team = null)
    {
        var response = await Owner(team).PostJsonAsync(Url(team ?? Acme, "/vault-connections"), ProviderFakes.ValidBody(vaultType, name ?? $"{vaultType}-{Guid.NewGuid():N}"));
        return await response.AssertStatusAsync(HttpStatusCode.Created);
    }

    protected async Task SetTierAsync(TeamFixture team, string tier) =>
        await (await Owner(team).PutRawAsync(Url(team, "/tier"), $$"""{"tier":"{{tier}}"}""")).AssertStatusAsync(HttpStatusCode.OK);

    protected async Task<List<CredentialKey>> StoredKeysAsync()
    {
        var keys = new List<CredentialKey>();
        await foreach (var key in Store.ListAsync())
        {
            keys.Add(key);
        }
        return keys;
    }
}

/// <summary>Store choice: the embedded default.</summary>
public interface ILocalStoreRun;

/// <summary>Store choice: SSM Parameter Store on moto_server, one prefix per test class instance.</summary>
public static class SsmRun
{
    public static void Configure(TestPortalOptions options, MotoServerFixture moto)
    {
        foreach (var (k, v) in moto.ConfigurationValues($"/dataraven-test-{Guid.NewGuid():N}"))
        {
            options.Settings[k] = v;
        }
        options.Settings["CredentialStore:Ssm:MaxRetryAttempts"] = "1";
        options.Settings["CredentialStore:Ssm:RetryBaseDelay"] = "00:00:00.020";
        options.Settings["CredentialStore:Ssm:RequestTimeout"] = "00:00:05";
        var previous = options.Services;
        options.Services = services =>
        {
            previous?.Invoke(services);
            services.AddSingleton(moto.Credentials);
        };
    }
}
