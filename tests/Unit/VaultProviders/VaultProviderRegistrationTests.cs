using Dataraven.Core.VaultConnections;
using Dataraven.Core.VaultProviders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
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
        Assert.Equal(TimeSpan.FromSeconds(15), options.TotalTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout);
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
            ["Vaults:TimeoutSeconds"] = "9",
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
        Assert.Equal(9, options.TimeoutSeconds);
        Assert.Equal(TimeSpan.FromSeconds(9), options.TotalTimeout);
        Assert.Equal(1, options.MaxRetries);
        Assert.Equal(0.1, options.RetryBaseDelaySeconds);
        Assert.Equal(4, options.MaxRetryAfterSeconds);
    }

    [Theory]
    [InlineData("7", 7)]
    [InlineData(null, 15)]
    public void AddVaultProviders_TimeoutSeconds_TotalTimeout(string? timeoutSeconds, double expectedSeconds)
    {
        var settings = timeoutSeconds is null ? [] : new Dictionary<string, string?> { ["Vaults:TimeoutSeconds"] = timeoutSeconds };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddVaultProviders(configuration).BuildServiceProvider();

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), services.GetRequiredService<IOptions<VaultProviderOptions>>().Value.TotalTimeout);
    }

    [Theory]
    [InlineData(DopplerClient.HttpClientName)]
    [InlineData(InfisicalClient.HttpClientName)]
    public void AddVaultProviders_StandardResilienceHandler_FollowsVaultsSettings(string clientName)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vaults:TimeoutSeconds"] = "40",
            ["Vaults:AttemptTimeoutSeconds"] = "25",
            ["Vaults:MaxRetries"] = "2",
            ["Vaults:RetryBaseDelaySeconds"] = "0.5",
            ["Vaults:MaxRetryAfterSeconds"] = "4",
        }).Build();
        using var services = new ServiceCollection().AddVaultProviders(configuration).BuildServiceProvider();

        var resilience = services.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get($"{clientName}-standard");

        Assert.Equal(TimeSpan.FromSeconds(40), resilience.TotalRequestTimeout.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(25), resilience.AttemptTimeout.Timeout);
        Assert.Equal(2, resilience.Retry.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(0.5), resilience.Retry.Delay);
        Assert.Equal(TimeSpan.FromSeconds(4), resilience.Retry.MaxDelay);
        Assert.True(resilience.Retry.UseJitter);
        Assert.True(resilience.Retry.ShouldRetryAfterHeader);
        Assert.Equal(TimeSpan.FromSeconds(50), resilience.CircuitBreaker.SamplingDuration); // at least twice an attempt
    }

    [Fact]
    public void AddVaultProviders_AttemptTimeoutAboveTotal_ClampedToTotal()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vaults:TimeoutSeconds"] = "3",
            ["Vaults:AttemptTimeoutSeconds"] = "10",
        }).Build();
        using var services = new ServiceCollection().AddVaultProviders(configuration).BuildServiceProvider();

        var resilience = services.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get($"{DopplerClient.HttpClientName}-standard");

        Assert.Equal(TimeSpan.FromSeconds(3), resilience.AttemptTimeout.Timeout);
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
        var clients = new VaultProviderClients([], new ProviderCallGate(
            Options.Create(new VaultProviderOptions()), TimeProvider.System, NullLogger<ProviderCallGate>.Instance));

        Assert.Throws<InvalidOperationException>(() => clients.Get(VaultType.Doppler));
        Assert.False(clients.TryGet(VaultType.Doppler, out _));
    }
}
