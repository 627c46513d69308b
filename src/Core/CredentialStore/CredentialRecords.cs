using System.Runtime.ExceptionServices;
using Dataraven.Core.Common;
using Dataraven.Core.Persistence;
using Dataraven.Core.Tiers;
using Microsoft.Extensions.Logging;

namespace Dataraven.Core.CredentialStore;

/// <summary>
/// Writes a database record and its stored credential together, so no record points at a missing or mismatched
/// credential: credentials are written before the commit that needs them and deleted after the commit that drops
/// them. A failure cleans up at once; whatever a crash leaves behind is an orphan or a staged replacement that
/// reconcile-credentials resolves. Whatever the caller staged for the write (its audit event among them) commits with
/// it or not at all: a write that does not commit drops every tracked change.
/// </summary>
public sealed class CredentialRecords(PortalDbContext db, ICredentialStore store, TierLimits limits, ILogger<CredentialRecords> logger)
{
    /// <summary>
    /// Within the team's tier limit: runs <paramref name="guard"/> (e.g. the name check), stores
    /// <paramref name="credential"/> when given, adds <paramref name="record"/> and saves. Returns the problem, if any,
    /// including the one <paramref name="conflicts"/> gives when a concurrent request wins a race for the name or
    /// deletes what the record points at. The credential is written before the write transaction opens, so a slow
    /// store (an SSM call) never holds the database's write lock: the limit and the guard are checked first so that
    /// a refused create writes nothing, and again under the lock; a create that does not commit deletes the credential
    /// again, and one a crash interrupts leaves an orphan under the record's fresh key for reconcile-credentials.
    /// </summary>
    public async Task<Problem?> CreateAsync(Guid teamId, LimitedResource resource, object record, CredentialKey key,
        IReadOnlyDictionary<string, string>? credential, Func<CancellationToken, Task<Problem?>> guard,
        WriteConflicts conflicts, CancellationToken ct)
    {
        var stored = false;
        Result<Done> result;
        try
        {
            if (credential is not null)
            {
                if (await PrecheckAsync(teamId, resource, guard, ct) is { } refused)
                {
                    db.ChangeTracker.Clear();
                    return refused;
                }
                // Set first: a store that wrote and then failed is cleaned up too.
                stored = true;
                await store.PutAsync(key, credential, ct);
            }
            result = await limits.CreateWithinLimitAsync(teamId, resource, async c =>
            {
                if (await guard(c) is { } problem)
                {
                    return (Result<Done>)problem;
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
        if (!result.IsSuccess)
        {
            db.ChangeTracker.Clear();
            if (stored)
            {
                await DeleteQuietlyAsync(key);
            }
        }
        return result.Problem;
    }

    /// <summary>The checks <see cref="TierLimits.CreateWithinLimitAsync{T}"/> makes under the lock, in its order, without it.</summary>
    private async Task<Problem?> PrecheckAsync(Guid teamId, LimitedResource resource, Func<CancellationToken, Task<Problem?>> guard,
        CancellationToken ct)
    {
        var status = await limits.CheckAsync(teamId, resource, ct);
        return status.CanCreateOne ? await guard(ct) : status.ToProblem();
    }

    /// <summary>
    /// Saves the pending record changes (which set the record's <c>UpdatedAt</c> to <paramref name="updatedAt"/>) and,
    /// when given, replaces the credential. The new credential is staged under a key versioned by
    /// <paramref name="updatedAt"/> before the commit and made current after it, so a crash at any point leaves
    /// the old record with the old credential (plus a staged orphan) or the new record with its staged credential,
    /// which reconcile-credentials deletes or makes current. A failure before the commit changes nothing; so does a
    /// lost race (the record deleted, its new name taken meanwhile), which returns its problem.
    /// </summary>
    public async Task<Problem?> SaveAsync(CredentialKey key, IReadOnlyDictionary<string, string>? credential, DateTime updatedAt,
        WriteConflicts conflicts, CancellationToken ct)
    {
        var staged = credential is null ? (CredentialKey?)null : key.StagedFor(updatedAt);
        if (staged is { } s)
        {
            try
            {
                await store.PutAsync(s, credential!, ct);
            }
            catch
            {
                db.ChangeTracker.Clear();
                throw;
            }
        }
        Problem? conflict;
        try
        {
            conflict = await db.SaveChangesOrConflictAsync(conflicts, ct);
        }
        catch
        {
            db.ChangeTracker.Clear();
            if (staged is { } orphan)
            {
                await DeleteQuietlyAsync(orphan);
            }
            throw;
        }
        if (staged is not { } committed)
        {
            return conflict;
        }
        if (conflict is not null)
        {
            await DeleteQuietlyAsync(committed);
            return conflict;
        }
        await store.PutAsync(key, credential!, ct);
        await store.DeleteAsync(committed, ct);
        return null;
    }

    /// <summary>
    /// Removes <paramref name="record"/> and then, when <paramref name="key"/> is given, its credential. The record goes
    /// first: a crash or store failure after the commit leaves an orphan (reported and deleted by reconcile-credentials),
    /// never a record without its credential. An unreachable store is noticed before anything changes, and before the
    /// write transaction opens, so the store's network call never holds the database's write lock.
    /// <paramref name="guard"/> runs inside the transaction. A record already deleted by a concurrent request gives
    /// <paramref name="conflicts"/>' problem (404).
    /// </summary>
    public async Task<Problem?> DeleteAsync(object record, CredentialKey? key, Func<CancellationToken, Task<Problem?>>? guard,
        WriteConflicts conflicts, CancellationToken ct)
    {
        // Fails (502) while the store is unreachable, so the delete is refused whole rather than leaving an orphan;
        // the guard's own problem (a connection still in use) still comes first.
        ExceptionDispatchInfo? unreachable = null;
        if (key is { } k)
        {
            try
            {
                await store.GetAsync(k, ct);
            }
            catch (CredentialStoreUnavailableException e)
            {
                unreachable = ExceptionDispatchInfo.Capture(e);
            }
        }
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            try
            {
                if (guard is not null && await guard(ct) is { } problem)
                {
                    db.ChangeTracker.Clear();
                    return problem;
                }
                unreachable?.Throw();
                db.Remove(record);
                if (await db.SaveChangesOrConflictAsync(conflicts, ct) is { } conflict)
                {
                    return conflict;
                }
                await tx.CommitAsync(ct);
            }
            catch
            {
                db.ChangeTracker.Clear();
                throw;
            }
        }
        if (key is { } committed)
        {
            try
            {
                await store.DeleteAsync(committed, ct);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Deleted the record of {CredentialKey} but not its credential; reconcile-credentials --fix removes it", committed);
            }
        }
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
            logger.LogError(e, "Could not remove the credential {CredentialKey} after a failed write", key);
        }
    }
}
