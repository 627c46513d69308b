using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Core.CredentialStore.Ssm;

public static class SsmRegistration
{
    public static IServiceCollection AddSsmCredentialStore(this IServiceCollection services, IConfiguration configuration) =>
        throw new NotSupportedException("CredentialStore:Provider=Ssm is being built (issue 5).");
}
