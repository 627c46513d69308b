using Dataraven.Core.CredentialStore;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Infrastructure;

public static class CredentialStoreDecorator
{
    /// <summary>
    /// Puts <paramref name="wrap"/>'s store in front of the portal's configured one (for fault injection and probes): the
    /// wrapper is registered as itself and as the <see cref="ICredentialStore"/> every service gets.
    /// </summary>
    public static IServiceCollection DecorateCredentialStore<T>(this IServiceCollection services, Func<IServiceProvider, ICredentialStore, T> wrap)
        where T : class, ICredentialStore
    {
        var real = services.Single(d => d.ServiceType == typeof(ICredentialStore));
        services.Remove(real);
        services.AddSingleton(sp => wrap(sp, (ICredentialStore)real.ImplementationFactory!(sp)));
        services.AddSingleton<ICredentialStore>(sp => sp.GetRequiredService<T>());
        return services;
    }
}
