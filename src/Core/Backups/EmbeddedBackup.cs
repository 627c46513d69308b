using Dataraven.Core.Common;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Core.Backups;

/// <summary>What a backup or restore holds: record and credential counts, and what the copy's reconciliation found.</summary>
public sealed record BackupSummary(string Folder, CredentialReconciliationReport Reconciliation);

/// <summary>
/// Backup and restore of the embedded default: the SQLite database and the local credential store's entry files,
/// never the store's key. A backup holds SQLite's write lock (the one every create takes, BEGIN IMMEDIATE) while it
/// copies the entries and then the database, so no create can land between the two copies; a delete or rotation
/// finishes its store step after its commit, so the copy may hold a credential whose record is already gone, and
/// reconciling the copy drops exactly those. The result: zero orphans and zero missing.
/// </summary>
public sealed class EmbeddedBackup(PortalDbContext db, LocalCredentialStore store)
{
    public const string DatabaseFile = "portal.db";
    public const string CredentialsFolder = "credentials";

    public async Task<BackupSummary> BackupAsync(string folder, CancellationToken ct = default)
    {
        folder = Path.GetFullPath(folder);
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            throw new BackupException($"{folder} is not empty; back up into a new folder.");
        }
        OwnerOnly.Folder(folder);
        var credentials = Path.Combine(folder, CredentialsFolder);

        var liveDatabase = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ToString();
        await using (var writeLockHolder = new SqliteConnection(liveDatabase))
        {
            await writeLockHolder.OpenAsync(ct);
            // Writers (creates hold this lock while they write their credential and commit) wait until both copies are done;
            // readers go on, the backup's own among them.
            using var writeLock = writeLockHolder.BeginTransaction(deferred: false);
            CopyEntries(store.Root, credentials);
            await using var live = new SqliteConnection(liveDatabase);
            await using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, DatabaseFile), Pooling = false }.ToString());
            await live.OpenAsync(ct);
            await copy.OpenAsync(ct);
            live.BackupDatabase(copy);
            writeLock.Rollback();
        }
        return new BackupSummary(folder, await ReconcileAsync(Path.Combine(folder, DatabaseFile), store.At(credentials), ct));
    }

    /// <summary>Puts a backup in place of the live database and entries. The portal must be stopped.</summary>
    public async Task<BackupSummary> RestoreAsync(string folder, bool force, CancellationToken ct = default)
    {
        folder = Path.GetFullPath(folder);
        var source = Path.Combine(folder, DatabaseFile);
        if (!File.Exists(source))
        {
            throw new BackupException($"{source} does not exist: not a backup folder.");
        }
        if (!force && (await db.Users.AnyAsync(ct) ||
            (Directory.Exists(store.Root) && Directory.EnumerateFiles(store.Root, "*", SearchOption.AllDirectories).Any())))
        {
            throw new BackupException("The portal already holds data; restoring would overwrite it. Stop the portal and run restore again with --force.");
        }

        var target = db.Database.GetConnectionString();
        SqliteConnection.ClearAllPools();
        await using (var backup = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        await using (var live = new SqliteConnection(new SqliteConnectionStringBuilder(target) { Pooling = false }.ToString()))
        {
            await backup.OpenAsync(ct);
            await live.OpenAsync(ct);
            backup.BackupDatabase(live);
        }
        if (Directory.Exists(store.Root))
        {
            Directory.Delete(store.Root, recursive: true);
        }
        CopyEntries(Path.Combine(folder, CredentialsFolder), store.Root);
        return new BackupSummary(folder, await ReconcileAsync(new SqliteConnectionStringBuilder(target).DataSource, store, ct));
    }

    private static void CopyEntries(string from, string to)
    {
        OwnerOnly.Folder(to);
        if (!Directory.Exists(from))
        {
            return;
        }
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories).Where(LocalCredentialStore.IsEntryFile))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            OwnerOnly.Folder(Path.GetDirectoryName(target)!);
            try
            {
                File.Copy(file, target);
            }
            catch (FileNotFoundException)
            {
                // Deleted after its record was (a delete finishing its store step): nothing to keep.
            }
        }
    }

    /// <summary>Reconciles a database file with a store, fixing what a copy can hold: entries whose records are gone, staged rotations.</summary>
    private static async Task<CredentialReconciliationReport> ReconcileAsync(string databaseFile, ICredentialStore entries, CancellationToken ct)
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>()
            .UseSqlite(new SqliteConnectionStringBuilder { DataSource = databaseFile, Pooling = false }.ToString()).Options;
        await using var copy = new PortalDbContext(options);
        return await new CredentialReconciler(copy, entries).ReconcileAsync(fix: true, ct);
    }
}

/// <summary>A backup or restore that cannot go ahead; the message says why and what to do.</summary>
public sealed class BackupException(string message) : Exception(message);
