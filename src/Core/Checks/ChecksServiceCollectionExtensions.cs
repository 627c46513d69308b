using Dataraven.Core.Checks.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dataraven.Core.Checks;

public static class ChecksServiceCollectionExtensions
{
    /// <summary>The secret checker, its storage probes, the fingerprint key and the provider read meter; options from <c>Checks</c> and <c>Storage</c>.</summary>
    public static IServiceCollection AddChecks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ChecksOptions>().Bind(configuration.GetSection(ChecksOptions.SectionName));
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<IProviderReadMeter, ProviderReadMeter>();
        services.AddSingleton<ValueFingerprints>();
        services.AddSingleton<AzureBlobEndpoints>();
        services.AddSingleton<IStorageProbe, S3Probe>();
        services.AddSingleton<IStorageProbe, AzureAccountKeyProbe>();
        services.AddSingleton<IStorageProbe, AzureSasProbe>();
        services.AddSingleton<IStorageProbe, GcsProbe>();
        services.AddSingleton<IStorageProbe, B2Probe>();
        // The probe's own timeout bounds the call; a redirect would carry the Basic credentials elsewhere.
        services.AddHttpClient(B2Probe.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<StorageProbes>();
        services.AddScoped<ISecretChecker, SecretChecker>();
        return services;
    }
}
