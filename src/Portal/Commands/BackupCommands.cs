using Dataraven.Core;
using Dataraven.Core.Backups;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Persistence;
using Dataraven.Portal.Hosting;

namespace Dataraven.Portal.Commands;

/// <summary><c>backup --to DIR</c> and <c>restore --from DIR [--force]</c> for the embedded default (SQLite and the local store).</summary>
public static class BackupCommands
{
    private const string KeyReminder =
        "The credential store key is not in the backup: keep data/credential-store.key (or CredentialStore:Local:Key) in a separate, safe place.";

    public static async Task<int> BackupAsync(IServiceProvider services, IReadOnlyDictionary<string, string?> options, TextWriter stdout, TextWriter stderr)
    {
        if (!TryGetFolder(options, "to", ["to"], out var folder) || Embedded(services) is not { } backup)
        {
            return await UsageAsync(stderr, "usage: backup --to DIR (a new or empty folder)", services);
        }
        try
        {
            var summary = await backup.BackupAsync(folder);
            await stdout.WriteLineAsync($"backup written to {summary.Folder}");
            await stdout.WriteAsync(summary.Reconciliation.Format());
            await stdout.WriteLineAsync(KeyReminder);
            return summary.Reconciliation.ExitCode;
        }
        catch (BackupException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return 1;
        }
    }

    public static async Task<int> RestoreAsync(IServiceProvider services, IReadOnlyDictionary<string, string?> options, TextWriter stdout, TextWriter stderr)
    {
        if (!TryGetFolder(options, "from", ["from", "force"], out var folder) || Embedded(services) is not { } backup)
        {
            return await UsageAsync(stderr, "usage: restore --from DIR [--force] (with the portal stopped)", services);
        }
        try
        {
            var summary = await backup.RestoreAsync(folder, force: options.ContainsKey("force"));
            // A backup of an older version gets this version's schema.
            await services.MigrateAsync();
            await stdout.WriteLineAsync($"restored from {summary.Folder}; start the portal with the same credential store key");
            await stdout.WriteAsync(summary.Reconciliation.Format());
            return summary.Reconciliation.ExitCode;
        }
        catch (BackupException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return 1;
        }
    }

    private static bool TryGetFolder(IReadOnlyDictionary<string, string?> options, string name, string[] allowed, out string folder)
    {
        folder = options.GetValueOrDefault(name) ?? "";
        return folder.Length > 0 && options.Keys.All(allowed.Contains);
    }

    private static EmbeddedBackup? Embedded(IServiceProvider services) =>
        !CoreServiceCollectionExtensions.UsesPostgres(services.GetRequiredService<IConfiguration>()) &&
        services.GetRequiredService<ICredentialStore>() is LocalCredentialStore store
            ? new EmbeddedBackup(services.GetRequiredService<PortalDbContext>(), store)
            : null;

    private static async Task<int> UsageAsync(TextWriter stderr, string usage, IServiceProvider services)
    {
        await stderr.WriteLineAsync(Embedded(services) is null
            ? "backup and restore cover the embedded default (Database:Provider Sqlite, CredentialStore:Provider Local); " +
              "with PostgreSQL or SSM use their own backups."
            : usage);
        return 2;
    }
}
