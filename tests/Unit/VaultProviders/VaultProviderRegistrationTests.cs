using Dataraven.Core.VaultConnections;
using Dataraven.Core.VaultProviders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dataraven.Tests.Unit.VaultProviders;

public sealed class VaultProviderRegistrationTests
{
    [Fact]
    public void AddVaultProviders_EmptyConfiguration_UsesDocumentedDefaults()
    {
        using var services = new ServiceCollection().AddVaultProviders(new ConfigurationBuilder().Build()).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<VaultProviderOptions>>().Value;

        Assert.Equal("https://api.doppler.com", options.Doppler.BaseUrl);
        Assert.Equal("https://app.infisical.com", options.Infisical.BaseUrl);
        Assert.Equal("op", options.OnePassword.CliPath);
        Assert.Equal(10, options.AttemptTimeoutSeconds);
        Assert.Equal(3, options.MaxRetries);
        Assert.Equal(30, options.MaxRetryAfterSeconds);
        Assert.True(options.TotalTimeoutSeconds > options.AttemptTimeoutSeconds);
    }

    [Fact]
    public void AddVaultProviders_VaultsSection_BindsEveryKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vaults:Doppler:BaseUrl"] = "http://doppler.local",
            ["Vaults:Infisical:BaseUrl"] = "http://infisical.local",
            ["Vaults:OnePassword:CliPath"] = "/usr/local/bin/op",
            ["Vaults:OnePassword:TimeoutSeconds"] = "7",
            ["Vaults:AttemptTimeoutSeconds"] = "2",
            ["Vaults:TotalTimeoutSeconds"] = "9",
            ["Vaults:MaxRetries"] = "1",
            ["Vaults:RetryBaseDelaySeconds"] = "0.1",
            ["Vaults:MaxRetryAfterSeconds"] = "4",
        }).Build();
        using var services = new ServiceCollection().AddVaultProviders(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<VaultProviderOptions>>().Value;

        Assert.Equal("http://doppler.local", options.Doppler.BaseUrl);
        Assert.Equal("http://infisical.local", options.Infisical.BaseUrl);
        Assert.Equal("/usr/local/bin/op", options.OnePassword.CliPath);
        Assert.Equal(7, options.OnePassword.TimeoutSeconds);
        Assert.Equal(2, options.AttemptTimeoutSeconds);
        Assert.Equal(9, options.TotalTimeoutSeconds);
        Assert.Equal(1, options.MaxRetries);
        Assert.Equal(0.1, options.RetryBaseDelaySeconds);
        Assert.Equal(4, options.MaxRetryAfterSeconds);
    }

    [Theory]
    [InlineData(VaultType.Doppler, typeof(DopplerClient))]
    [InlineData(VaultType.Infisical, typeof(InfisicalClient))]
    [InlineData(VaultType.OnePassword, typeof(OnePasswordCliClient))]
    public void Get_EachVaultType_ResolvesItsClient(VaultType type, Type expected)
    {
        using var services = new ServiceCollection().AddVaultProviders(new ConfigurationBuilder().Build()).BuildServiceProvider();

        var client = services.GetRequiredService<VaultProviderClients>().Get(type);

        Assert.IsType(expected, client);
        Assert.Equal(type, client.VaultType);
    }

    [Fact]
    public void Get_UnregisteredType_ThrowsAndTryGetFalse()
    {
        var clients = new VaultProviderClients([]);

        Assert.Throws<InvalidOperationException>(() => clients.Get(VaultType.Doppler));
        Assert.False(clients.TryGet(VaultType.Doppler, out _));
    }
}
