using Dataraven.Core;
using Dataraven.Core.Checks;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Persistence;
using Dataraven.Tests.Fakes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dataraven.Tests.Unit.Checks;

/// <summary>
/// Core as the portal registers it (AddDataravenCore), on a migrated SQLite file and a local credential store in a temp
/// folder, with every log line captured. Configuration values point the providers and storage services at test servers.
/// </summary>
public sealed class CheckerHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private CheckerHarness(ServiceProvider services, string root, CapturingLoggerProvider logs)
    {
        _services = services;
        Root = root;
        Logs = logs;
    }

    public string Root { get; }

    public CapturingLoggerProvider Logs { get; }

    public IServiceProvider Services => _services;

    public static async Task<CheckerHarness> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "checks-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Portal"] = "Data Source=portal.db",
            ["CredentialStore:Local:Path"] = "credentials",
            ["CredentialStore:Local:KeyFile"] = "credential-store.key",
            ["Vaults:MaxRetries"] = "0",
            ["Vaults:TimeoutSeconds"] = "10",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddDataravenCore(configuration, root);
        var provider = services.BuildServiceProvider();
        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Database.MigrateAsync();
        }
        return new CheckerHarness(provider, root, logs);
    }

    public ICredentialStore Store => _services.GetRequiredService<ICredentialStore>();

    /// <summary>Runs <paramref name="action"/> with a scoped checker (as an endpoint would get it).</summary>
    public async Task<T> WithCheckerAsync<T>(Func<ISecretChecker, PortalDbContext, Task<T>> action)
    {
        await using var scope = _services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ISecretChecker>(), scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    public Task<SecretCheck> CheckDraftAsync(SecretDraft draft, CheckTarget? target = null) =>
        WithCheckerAsync((checker, _) => checker.CheckDraftAsync(draft, target ?? CheckTarget.None));

    public static SecretDraft Direct(string secretType, string authMethod, Dictionary<string, string> credentials, Guid? teamId = null) => new()
    {
        TeamId = teamId ?? Guid.NewGuid(),
        SecretType = secretType,
        AuthMethod = authMethod,
        Credentials = credentials,
    };

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
