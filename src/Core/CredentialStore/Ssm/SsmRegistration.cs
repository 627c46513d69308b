using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dataraven.Core.CredentialStore.Ssm;

public static class SsmRegistration
{
    /// <summary>
    /// Registers <see cref="SsmCredentialStore"/> as the singleton <see cref="ICredentialStore"/>, with its
    /// own HttpClient, options from <c>CredentialStore:Ssm</c> and AWS credentials from the standard
    /// chain. When an <see cref="AWSCredentials"/> is registered in the container (tests, special
    /// deployments), that one is used instead.
    /// </summary>
    public static IServiceCollection AddSsmCredentialStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SsmCredentialStoreOptions>().Bind(configuration.GetSection(SsmCredentialStoreOptions.SectionName));
        services.AddSingleton<SsmCredentialStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SsmCredentialStoreOptions>>().Value;
            var credentials = sp.GetService<AWSCredentials>() is { } given
                ? AwsCredentialSource.From(given)
                : AwsCredentialSource.DefaultChain();
            return SsmCredentialStore.Create(options, credentials,
                sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
                sp.GetService<TimeProvider>());
        });
        services.AddSingleton<ICredentialStore>(sp => sp.GetRequiredService<SsmCredentialStore>());
        return services;
    }
}
