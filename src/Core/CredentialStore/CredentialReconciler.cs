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
    /// <summary>Nothing orphaned (or all orphans deleted) and nothing missing.</summary>
    public bool IsConsistent => Missing.Count == 0 && Orphans.All(DeletedOrphans.Contains);

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
        if (Orphans.Count > DeletedOrphans.Count)
        {
            sb.AppendLine("run with --fix to delete the orphans; missing credentials must be re-entered (rotate or edit the object).");
        }
        return sb.ToString();
    }

    public override string ToString() => Format();
}

/// <summary>
/// Compares the credential store with the database, whatever the store: every vault connection has a
/// credential at <see cref="CredentialKey.ForVaultConnection"/>, every direct secret (no vault
/// connection) at <see cref="CredentialKey.ForSecret"/>. Reports orphans (stored, no record) and
/// missing credentials (record, nothing stored); with fix, deletes the orphans.
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
        var expected = await ExpectedKeysAsync(ct);

        var stored = new HashSet<CredentialKey>();
        await foreach (var key in store.ListAsync(ct))
        {
            stored.Add(key);
        }

        var orphans = stored.Where(k => !expected.Contains(k)).OrderBy(k => k.RelativePath, StringComparer.Ordinal).ToList();

        var missing = new List<CredentialKey>();
        foreach (var key in expected.Where(k => !stored.Contains(k)).OrderBy(k => k.RelativePath, StringComparer.Ordinal))
        {
            // A listing can lag behind writes (SSM is eventually consistent): confirm before reporting.
            if (await store.GetAsync(key, ct) is null)
            {
                missing.Add(key);
            }
        }

        var deleted = new List<CredentialKey>();
        if (fix)
        {
            foreach (var key in orphans)
            {
                // A create in flight stores the credential before it commits its record: look again
                // right before deleting, so a record that appeared since the first query is kept.
                if (await RecordExistsAsync(key, ct))
                {
                    continue;
                }
                await store.DeleteAsync(key, ct);
                deleted.Add(key);
                _logger.LogInformation("Deleted orphaned credential {Key}.", key);
            }
        }

        foreach (var key in missing)
        {
            _logger.LogWarning("Credential missing for {Key}.", key);
        }

        return new CredentialReconciliationReport(expected.Count, stored.Count, orphans, missing, deleted);
    }

    private async Task<HashSet<CredentialKey>> ExpectedKeysAsync(CancellationToken ct)
    {
        var connections = await db.VaultConnections.AsNoTracking()
            .Select(v => new { v.TeamId, v.Id })
            .ToListAsync(ct);
        var directSecrets = await db.Secrets.AsNoTracking()
            .Where(s => s.VaultConnectionId == null)
            .Select(s => new { s.TeamId, s.Id })
            .ToListAsync(ct);
        var keys = new HashSet<CredentialKey>();
        keys.UnionWith(connections.Select(c => CredentialKey.ForVaultConnection(c.TeamId, c.Id)));
        keys.UnionWith(directSecrets.Select(s => CredentialKey.ForSecret(s.TeamId, s.Id)));
        return keys;
    }

    private Task<bool> RecordExistsAsync(CredentialKey key, CancellationToken ct) => key.Kind switch
    {
        CredentialOwnerKind.VaultConnection => db.VaultConnections.AsNoTracking().AnyAsync(v => v.Id == key.ObjectId && v.TeamId == key.TeamId, ct),
        _ => db.Secrets.AsNoTracking().AnyAsync(s => s.Id == key.ObjectId && s.TeamId == key.TeamId && s.VaultConnectionId == null, ct),
    };
}
