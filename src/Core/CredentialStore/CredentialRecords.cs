using Dataraven.Core.Common;
using Dataraven.Core.Persistence;
using Dataraven.Core.Tiers;
using Microsoft.Extensions.Logging;

namespace Dataraven.Core.CredentialStore;

/// <summary>
/// Writes a database record and its stored credential together, so neither exists without the other:
/// the store write happens inside the database transaction, and a create that fails after the store
/// write removes what it wrote. Whatever a crash still leaves behind, reconcile-credentials finds.
/// </summary>
public sealed class CredentialRecords(PortalDbContext db, ICredentialStore store, TierLimits limits, ILogger<CredentialRecords> logger)
{
    /// <summary>
    /// Within the team's tier limit: runs <paramref name="guard"/> (e.g. the name check), stores
    /// <paramref name="credential"/> when given, adds <paramref name="record"/> and saves. Returns the problem, if any,
    /// including the one <paramref name="conflicts"/> gives when a concurrent request wins a race for the name or
    /// deletes what the record points at.
    /// </summary>
    public async Task<Problem?> CreateAsync(Guid teamId, LimitedResource resource, object record, CredentialKey key,
        IReadOnlyDictionary<string, string>? credential, Func<CancellationToken, Task<Problem?>> guard,
        WriteConflicts conflicts, CancellationToken ct)
    {
        var stored = false;
        Result<Done> result;
        try
        {
            result = await limits.CreateWithinLimitAsync(teamId, resource, async c =>
            {
                if (await guard(c) is { } problem)
                {
                    return (Result<Done>)problem;
                }
                if (credential is not null)
                {
                    // Set first: a store that wrote and then failed is cleaned up too.
                    stored = true;
                    await store.PutAsync(key, credential, c);
                }
                db.Add(record);
                return await db.SaveChangesOrConflictAsync(conflicts, c) is { } conflict ? conflict : Done.Instance;
            }, ct);
        }
        catch
        {
            db.ChangeTracker.Clear();
            if (stored)
            {
                await DeleteQuietlyAsync(key);
            }
            throw;
        }
        if (!result.IsSuccess && stored)
        {
            await DeleteQuietlyAsync(key);
        }
        return result.Problem;
    }

    /// <summary>
    /// Saves the pending record changes and, when given, replaces the credential; a store failure undoes both.
    /// A lost race (the record deleted, its new name taken meanwhile) changes nothing and returns its problem.
    /// </summary>
    public async Task<Problem?> SaveAsync(CredentialKey key, IReadOnlyDictionary<string, string>? credential,
        WriteConflicts conflicts, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.SaveChangesOrConflictAsync(conflicts, ct) is { } conflict)
        {
            return conflict;
        }
        if (credential is not null)
        {
            await store.PutAsync(key, credential, ct);
        }
        await tx.CommitAsync(ct);
        return null;
    }

    /// <summary>
    /// Removes <paramref name="record"/> and, when <paramref name="key"/> is given, its credential; if the
    /// store fails, the record stays with its credential. <paramref name="guard"/> runs inside the transaction.
    /// A record already deleted by a concurrent request gives <paramref name="conflicts"/>' problem (404).
    /// </summary>
    public async Task<Problem?> DeleteAsync(object record, CredentialKey? key, Func<CancellationToken, Task<Problem?>>? guard,
        WriteConflicts conflicts, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (guard is not null && await guard(ct) is { } problem)
        {
            return problem;
        }
        db.Remove(record);
        if (await db.SaveChangesOrConflictAsync(conflicts, ct) is { } conflict)
        {
            return conflict;
        }
        if (key is { } k)
        {
            await store.DeleteAsync(k, ct);
        }
        await tx.CommitAsync(ct);
        return null;
    }

    private async Task DeleteQuietlyAsync(CredentialKey key)
    {
        try
        {
            await store.DeleteAsync(key, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not remove the credential {CredentialKey} after a failed create", key);
        }
    }
}
