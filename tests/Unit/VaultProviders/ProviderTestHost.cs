using Dataraven.Core.VaultProviders;
using Dataraven.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dataraven.Tests.Unit.VaultProviders;

/// <summary>AddVaultProviders with short timeouts pointed at fakes, plus a capturing logger.</summary>
internal sealed class ProviderTestHost : IDisposable
{
    // Generous enough for a cold, busy 2-core machine; the hang tests use ShortTimeouts.
    public const double AttemptTimeoutSeconds = 2;
    public const double TotalTimeoutSeconds = 5;
    public const int MaxRetries = 2;

    public const double ShortAttemptTimeoutSeconds = 0.5;
    public const double ShortTotalTimeoutSeconds = 2;

    /// <summary>Overrides for tests where the provider hangs: attempts give up after 0.5 s, the call after 2 s.</summary>
    public static Dictionary<string, string?> ShortTimeouts => new()
    {
        ["Vaults:AttemptTimeoutSeconds"] = "0.5",
        ["Vaults:TimeoutSeconds"] = "2",
    };

    private readonly ServiceProvider _services;

    public ProviderTestHost(string? dopplerUrl = null, string? infisicalUrl = null, string? opCliPath = null,
        IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Vaults:AttemptTimeoutSeconds"] = AttemptTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Vaults:TimeoutSeconds"] = TotalTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Vaults:MaxRetries"] = MaxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Vaults:RetryBaseDelaySeconds"] = "0.05",
            ["Vaults:MaxRetryAfterSeconds"] = "5",
            ["Vaults:OnePassword:TimeoutSeconds"] = "1.5",
        };
        if (dopplerUrl is not null) settings["Vaults:Doppler:BaseUrl"] = dopplerUrl;
        if (infisicalUrl is not null) settings["Vaults:Infisical:BaseUrl"] = infisicalUrl;
        if (opCliPath is not null) settings["Vaults:OnePassword:CliPath"] = opCliPath;
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>()) settings[key] = value;

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        services.AddVaultProviders(configuration);
        _services = services.BuildServiceProvider();
    }

    public CapturingLoggerProvider Logs { get; } = new();

    public VaultProviderClients Clients => _services.GetRequiredService<VaultProviderClients>();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public void Dispose() => _services.Dispose();
}
