using System.Text;
using Dataraven.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dataraven.Core.CredentialStore;

/// <summary>What <see cref="CredentialReconciler"/> found (keys only: never a value).</summary>
/// <param name="ExpectedCount">Records that need a stored credential (vault connections and direct secrets).</param>
/// <param name="StoredCount">Credentials listed by the store.</param>
/// <param name="Orphans">Stored credentials with no record.</param>
/// <param name="Missing">Records whose credential is absent from the store.</param>
/// <param name="DeletedOrphans">Orphans deleted by this run (only with fix).</param>
public sealed record CredentialReconciliationReport(
    int ExpectedCount,
    int StoredCount,
    IReadOnlyList<CredentialKey> Orphans,
    IReadOnlyList<CredentialKey> Missing,
    IReadOnlyList<CredentialKey> DeletedOrphans)
{
    /// <summary>Staged replacements whose record was committed before a crash: they must become current.</summary>
    public IReadOnlyList<CredentialKey> Unfinished { get; init; } = [];

    /// <summary>Unfinished replacements made current by this run (only with fix).</summary>
    public IReadOnlyList<CredentialKey> Finished { get; init; } = [];

    /// <summary>Leftovers of interrupted writes (e.g. <c>.tmp</c> files of the local store).</summary>
    public IReadOnlyList<string> IncompleteWrites { get; init; } = [];

    /// <summary>Incomplete writes deleted by this run (only with fix).</summary>
    public IReadOnlyList<string> DeletedIncompleteWrites { get; init; } = [];

    /// <summary>Nothing orphaned, unfinished or left over (or all of it fixed) and nothing missing.</summary>
    public bool IsConsistent => Missing.Count == 0 && Orphans.All(DeletedOrphans.Contains) && Unfinished.All(Finished.Contains)
        && IncompleteWrites.All(DeletedIncompleteWrites.Contains);

    /// <summary>Exit code for the CLI: 0 when consistent, 1 otherwise.</summary>
    public int ExitCode => IsConsistent ? 0 : 1;

    /// <summary>Human-readable lines for the <c>reconcile-credentials</c> command.</summary>
    public string Format()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"records needing a credential: {ExpectedCount}; credentials stored: {StoredCount}");
        sb.AppendLine($"orphans (stored, no record): {Orphans.Count}");
        foreach (var key in Orphans)
        {
            sb.AppendLine($"  orphan  {key}{(DeletedOrphans.Contains(key) ? "  (deleted)" : "")}");
        }
        sb.AppendLine($"missing (record, nothing stored): {Missing.Count}");
        foreach (var key in Missing)
        {
            sb.AppendLine($"  missing {key}");
        }
        sb.AppendLine($"unfinished updates (record committed, credential staged): {Unfinished.Count}");
        foreach (var key in Unfinished)
        {
            sb.AppendLine($"  staged  {key}{(Finished.Contains(key) ? "  (made current)" : "")}");
        }
        sb.AppendLine($"incomplete writes (interrupted by a crash): {IncompleteWrites.Count}");
        foreach (var name in IncompleteWrites)
        {
            sb.AppendLine($"  partial {name}{(DeletedIncompleteWrites.Contains(name) ? "  (deleted)" : "")}");
        }
        if (Orphans.Count > DeletedOrphans.Count || Unfinished.Count > Finished.Count || IncompleteWrites.Count > DeletedIncompleteWrites.Count)
        {
            sb.AppendLine("run with --fix to delete the orphans and incomplete writes and finish the staged updates; missing credentials must be re-entered (rotate or edit the object).");
        }
        return sb.ToString();
    }

    public override string ToString() => Format();
}

/// <summary>
/// Compares the credential store with the database, whatever the store: every vault connection has a
/// credential at <see cref="CredentialKey.ForVaultConnection"/>, every direct secret (no vault
/// connection) at <see cref="CredentialKey.ForSecret"/>. Reports orphans (stored, no record, or staged
/// for an update that never committed), unfinished updates (staged for the record's current version),
/// incomplete writes and missing credentials (record, nothing stored); with fix, deletes the orphans and
/// incomplete writes and makes the unfinished updates current.
/// </summary>
/// <example>
/// <code>
/// var report = await new CredentialReconciler(db, store).ReconcileAsync(fix: args.Contains("--fix"));
/// Console.Write(report.Format());
/// return report.ExitCode;
/// </code>
/// </example>
public sealed class CredentialReconciler(PortalDbContext db, ICredentialStore store, ILogger<CredentialReconciler>? logger = null)
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>Reports and deletes the orphans.</summary>
    public Task<CredentialReconciliationReport> FixAsync(CancellationToken ct = default) => ReconcileAsync(fix: true, ct);

    public async Task<CredentialReconciliationReport> ReconcileAsync(bool fix = false, CancellationToken ct = default)
    {
        var versions = await RecordVersionsAsync(ct);

        var stored = new List<CredentialKey>();
        // Installation-wide entries (the empty team id, e.g. the check fingerprint key) belong to no record.
        await foreach (var key in store.ListAsync(ct))
        {
            if (key.TeamId == Guid.Empty) continue;
            stored.Add(key);
        }
        var unfinished = Sorted(stored.Where(k => k.IsStaged && IsCommitted(k, versions.GetValueOrDefault(k.Current))));
        var orphans = Sorted(stored.Where(k => k.IsStaged ? !unfinished.Contains(k) : !versions.ContainsKey(k)));

        var missing = new List<CredentialKey>();
        foreach (var key in Sorted(versions.Keys.Where(k => !stored.Contains(k))))
        {
            // A listing can lag behind writes (SSM is eventually consistent): confirm before reporting.
            if (await store.GetAsync(key, ct) is null)
            {
                missing.Add(key);
            }
        }

        var incomplete = new List<string>();
        await foreach (var name in store.ListIncompleteWritesAsync(ct))
        {
            incomplete.Add(name);
        }

        var deleted = new List<CredentialKey>();
        var finished = new List<CredentialKey>();
        var deletedIncomplete = new List<string>();
        if (fix)
        {
            foreach (var key in unfinished)
            {
                if (await store.GetAsync(key, ct) is { } credential)
                {
                    await store.PutAsync(key.Current, credential, ct);
                }
                await store.DeleteAsync(key, ct);
                finished.Add(key);
                _logger.LogInformation("Made the staged credential {Key} current.", key);
            }
            foreach (var key in orphans)
            {
                // A create or update in flight stores the credential before it commits its record: look again
                // right before deleting, so a record (or version) that appeared since the first query is kept.
                if (!await IsOrphanAsync(key, ct))
                {
                    continue;
                }
                await store.DeleteAsync(key, ct);
                deleted.Add(key);
                _logger.LogInformation("Deleted orphaned credential {Key}.", key);
            }
            foreach (var name in incomplete)
            {
                await store.DeleteIncompleteWriteAsync(name, ct);
                deletedIncomplete.Add(name);
                _logger.LogInformation("Deleted the incomplete write {Name}.", name);
            }
        }

        foreach (var key in missing)
        {
            _logger.LogWarning("Credential missing for {Key}.", key);
        }

        return new CredentialReconciliationReport(versions.Count, stored.Count, orphans, missing, deleted)
        {
            Unfinished = unfinished,
            Finished = finished,
            IncompleteWrites = incomplete,
            DeletedIncompleteWrites = deletedIncomplete,
        };
    }

    private static List<CredentialKey> Sorted(IEnumerable<CredentialKey> keys) => keys.OrderBy(k => k.RelativePath, StringComparer.Ordinal).ToList();

    /// <summary>A staged credential is committed when its record was saved with the version it was staged for.</summary>
    private static bool IsCommitted(CredentialKey staged, DateTime? recordUpdatedAt) =>
        recordUpdatedAt is { } at && CredentialKey.VersionOf(at) == staged.StagedVersion;

    /// <summary>The <c>UpdatedAt</c> of every record that needs a credential, by its credential key; trashed records too (their credential waits for the purge).</summary>
    private async Task<Dictionary<CredentialKey, DateTime?>> RecordVersionsAsync(CancellationToken ct)
    {
        var connections = await db.VaultConnections.IgnoreQueryFilters().AsNoTracking()
            .Select(v => new { v.TeamId, v.Id, v.UpdatedAt })
            .ToListAsync(ct);
        var directSecrets = await db.Secrets.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.VaultConnectionId == null)
            .Select(s => new { s.TeamId, s.Id, s.UpdatedAt })
            .ToListAsync(ct);
        var versions = new Dictionary<CredentialKey, DateTime?>();
        foreach (var c in connections)
        {
            versions[CredentialKey.ForVaultConnection(c.TeamId, c.Id)] = c.UpdatedAt;
        }
        foreach (var s in directSecrets)
        {
            versions[CredentialKey.ForSecret(s.TeamId, s.Id)] = s.UpdatedAt;
        }
        return versions;
    }

    private async Task<bool> IsOrphanAsync(CredentialKey key, CancellationToken ct)
    {
        var updatedAt = key.Kind switch
        {
            CredentialOwnerKind.VaultConnection => await db.VaultConnections.IgnoreQueryFilters().AsNoTracking()
                .Where(v => v.Id == key.ObjectId && v.TeamId == key.TeamId).Select(v => (DateTime?)v.UpdatedAt).SingleOrDefaultAsync(ct),
            _ => await db.Secrets.IgnoreQueryFilters().AsNoTracking()
                .Where(s => s.Id == key.ObjectId && s.TeamId == key.TeamId && s.VaultConnectionId == null).Select(s => (DateTime?)s.UpdatedAt).SingleOrDefaultAsync(ct),
        };
        return key.IsStaged ? !IsCommitted(key, updatedAt) : updatedAt is null;
    }
}
