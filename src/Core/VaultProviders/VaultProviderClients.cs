using Dataraven.Core.VaultConnections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dataraven.Core.VaultProviders;

/// <summary>The registered provider client of each vault type; calls through it are bounded by <see cref="ProviderCallGate"/>.</summary>
public sealed class VaultProviderClients
{
    private readonly Dictionary<VaultType, IVaultProviderClient> _clients;
    private readonly ProviderCallGate _gate;

    public VaultProviderClients(IEnumerable<IVaultProviderClient> clients, ProviderCallGate gate)
    {
        _gate = gate;
        _clients = new Dictionary<VaultType, IVaultProviderClient>();
        foreach (var client in clients)
        {
            // The last registration wins, so tests and hosts can replace a client.
            _clients[client.VaultType] = client;
        }
    }

    public IVaultProviderClient Get(VaultType type) =>
        _clients.TryGetValue(type, out var client)
            ? client
            : throw new InvalidOperationException($"No provider client is registered for {type.DisplayName()}.");

    public bool TryGet(VaultType type, out IVaultProviderClient client) => _clients.TryGetValue(type, out client!);

    public Task<ProviderCheck> VerifyAsync(VaultType type, VaultConnectionSettings settings,
        IReadOnlyDictionary<string, string> credentials, CancellationToken ct = default) =>
        _gate.RunAsync(type, token => Get(type).VerifyAsync(settings, credentials, token), ct);

    /// <summary>Reads references (values in memory only) under the same deadline and per-provider bound as every other call.</summary>
    public Task<IReadOnlyList<ReferenceRead>> ReadAsync(VaultType type, VaultConnectionSettings settings,
        IReadOnlyDictionary<string, string> credentials, IReadOnlyList<string> references, CancellationToken ct = default) =>
        _gate.RunAsync(type, token => Get(type).ReadAsync(settings, credentials, references, token),
            busy: () => ReferenceRead.FailAll(references, Checks.CheckStatus.RateLimited,
                $"Too many calls to {type.DisplayName()} are in progress; the check can run again shortly."),
            timedOut: message => ReferenceRead.FailAll(references, Checks.CheckStatus.Unreachable, message), ct);

    /// <summary>Browses names under the same deadline and per-provider bound as every other call.</summary>
    public Task<BrowseResult> BrowseAsync(VaultType type, VaultConnectionSettings settings,
        IReadOnlyDictionary<string, string> credentials, string path, CancellationToken ct = default) =>
        _gate.RunAsync(type, token => Get(type).BrowseAsync(settings, credentials, path, token),
            busy: () => BrowseResult.Failed(ProviderCheck.Busy(type.DisplayName(), TimeSpan.FromSeconds(1))),
            timedOut: message => BrowseResult.Failed(ProviderOutcome.Unreachable, message), ct);
}

public static class VaultProviderServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Doppler, Infisical and 1Password clients, <see cref="VaultProviderClients"/> and
    /// <see cref="VaultProviderOptions"/> bound from the section <c>Vaults</c>.
    /// </summary>
    public static IServiceCollection AddVaultProviders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<VaultProviderOptions>().Bind(configuration.GetSection(VaultProviderOptions.SectionName));
        services.AddLogging();

        services.AddProviderHttpClient(DopplerClient.HttpClientName);
        services.AddProviderHttpClient(InfisicalClient.HttpClientName);

        services.TryAddSingleton<DopplerClient>();
        services.TryAddSingleton<InfisicalClient>();
        services.TryAddSingleton<IOpProcessRunner, OpCliRunner>();
        services.TryAddSingleton<OnePasswordCliClient>();
        services.AddSingleton<IVaultProviderClient>(sp => sp.GetRequiredService<OnePasswordCliClient>());
        services.AddSingleton<IVaultProviderClient>(sp => sp.GetRequiredService<DopplerClient>());
        services.AddSingleton<IVaultProviderClient>(sp => sp.GetRequiredService<InfisicalClient>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProviderCallGate>();
        services.TryAddSingleton<VaultProviderClients>();
        return services;
    }
}
