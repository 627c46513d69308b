using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dataraven.Core.CredentialStore.Ssm;

public static class SsmRegistration
{
    /// <summary>
    /// Registers <see cref="SsmCredentialStore"/> as the singleton <see cref="ICredentialStore"/> on an
    /// <see cref="IAmazonSimpleSystemsManagement"/> configured from <c>CredentialStore:Ssm</c>. AWS credentials
    /// come from the SDK's default chain, unless an <see cref="AWSCredentials"/> is registered in the
    /// container (tests, special deployments).
    /// </summary>
    public static IServiceCollection AddSsmCredentialStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SsmCredentialStoreOptions>().Bind(configuration.GetSection(SsmCredentialStoreOptions.SectionName));
        services.AddSingleton<IAmazonSimpleSystemsManagement>(sp => CreateClient(
            sp.GetRequiredService<IOptions<SsmCredentialStoreOptions>>().Value, sp.GetService<AWSCredentials>()));
        services.AddSingleton<SsmCredentialStore>();
        services.AddSingleton<ICredentialStore>(sp => sp.GetRequiredService<SsmCredentialStore>());
        return services;
    }

    /// <summary>An SSM client for <paramref name="options"/>; null <paramref name="credentials"/> means the SDK's default chain.</summary>
    public static IAmazonSimpleSystemsManagement CreateClient(SsmCredentialStoreOptions options, AWSCredentials? credentials = null) =>
        credentials is null
            ? new AmazonSimpleSystemsManagementClient(options.ToClientConfig())
            : new AmazonSimpleSystemsManagementClient(credentials, options.ToClientConfig());
}
