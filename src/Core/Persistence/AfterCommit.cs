using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Dataraven.Core.Persistence;

/// <summary>
/// Runs an action once what a context saved is visible to other connections: at once outside a transaction, when the
/// context's transaction commits inside one (dropped when it rolls back). For wake-ups of background senders, which
/// would otherwise look before the commit, find nothing and wait for their next poll.
/// </summary>
public sealed class AfterCommit : DbTransactionInterceptor
{
    public static readonly AfterCommit Instance = new();

    private readonly ConditionalWeakTable<DbContext, List<Action>> _pending = new();

    private AfterCommit()
    {
    }

    /// <summary>Call after a save of <paramref name="db"/> (e.g. from <see cref="DbContext.SavedChanges"/>).</summary>
    public static void Run(DbContext db, Action action)
    {
        if (db.Database.CurrentTransaction is null)
        {
            action();
            return;
        }
        lock (Instance._pending)
        {
            Instance._pending.GetOrCreateValue(db).Add(action);
        }
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => RunPending(eventData.Context);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        RunPending(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Take(eventData.Context);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Take(eventData.Context);
        return Task.CompletedTask;
    }

    private void RunPending(DbContext? context)
    {
        foreach (var action in Take(context))
        {
            action();
        }
    }

    private List<Action> Take(DbContext? context)
    {
        if (context is null)
        {
            return [];
        }
        lock (_pending)
        {
            if (!_pending.TryGetValue(context, out var actions))
            {
                return [];
            }
            _pending.Remove(context);
            return actions;
        }
    }
}
