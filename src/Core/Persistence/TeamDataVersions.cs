using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Dataraven.Core.Common;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Core.VaultConnections;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Dataraven.Core.Persistence;

/// <summary>
/// Gives <see cref="Team.DataVersion"/> a new value in the same save (and so the same transaction) that adds, changes
/// or deletes one of the team's secrets or vault connections: a reader that finds the version unchanged knows the
/// team's lists are too. The one place this happens, for every save of every <see cref="PortalDbContext"/>.
/// It also counts, per team, the bumps this process committed (<see cref="LocalCommits"/>), so a reader in this
/// process can tell that nothing changed here without asking the database.
/// </summary>
public sealed class TeamDataVersions : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public static readonly TeamDataVersions Instance = new();

    private readonly ConcurrentDictionary<Guid, long> _commits = new();
    private readonly ConditionalWeakTable<DbContext, HashSet<Guid>> _saving = new();
    private readonly ConditionalWeakTable<DbContext, HashSet<Guid>> _uncommitted = new();

    private TeamDataVersions()
    {
    }

    /// <summary>How many saves of this process that changed the team's data have committed; read it before the version.</summary>
    public long LocalCommits(Guid teamId) => _commits.GetValueOrDefault(teamId);

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Bump(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Bump(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => RolledBack(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        RolledBack(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>Inside a caller's transaction the bump is not committed yet: it counts when that transaction commits.</summary>
    private void Saved(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        ForgetStubs(context);
        HashSet<Guid>? teams;
        lock (_uncommitted)
        {
            if (!_saving.TryGetValue(context, out teams) || !_saving.Remove(context))
            {
                return;
            }
            if (context.Database.CurrentTransaction is not null)
            {
                _uncommitted.GetOrCreateValue(context).UnionWith(teams);
                return;
            }
        }
        Count(teams);
    }

    private void SaveFailed(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        ForgetStubs(context);
        lock (_uncommitted)
        {
            _saving.Remove(context);
        }
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && Take(context) is { } teams)
        {
            Count(teams);
        }
    }

    private void RolledBack(DbContext? context)
    {
        if (context is not null)
        {
            Take(context);
        }
    }

    private HashSet<Guid>? Take(DbContext context)
    {
        lock (_uncommitted)
        {
            return _uncommitted.TryGetValue(context, out var teams) && _uncommitted.Remove(context) ? teams : null;
        }
    }

    private void Count(IEnumerable<Guid> teams)
    {
        foreach (var team in teams)
        {
            _commits.AddOrUpdate(team, 1, (_, n) => n + 1);
        }
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => SaveFailed(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveFailed(eventData.Context);
        return Task.CompletedTask;
    }

    private void Bump(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        // Owned field mappings never change alone: every write that replaces them also sets the secret's UpdatedAt.
        // An owner change shows in both lists (owners, ?owner_id=), so it changes the version too.
        var teams = context.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted &&
                        e.Entity is Secret or VaultConnection or Owners.ObjectOwner)
            .Select(e => e.Entity is Owners.ObjectOwner owner ? owner.TeamId : ((INamedTeamRecord)e.Entity).TeamId)
            .ToHashSet();
        if (teams.Count == 0)
        {
            return;
        }
        foreach (var teamId in teams)
        {
            var entry = context.ChangeTracker.Entries<Team>().FirstOrDefault(e => e.Entity.Id == teamId);
            if (entry is { State: EntityState.Deleted })
            {
                continue;
            }
            // Not loaded: a stand-in that updates the one column (and is detached after the save).
            entry ??= context.Attach(new Team { Id = teamId, Name = StubName, Tier = StubName });
            entry.Entity.DataVersion = Guid.NewGuid();
            if (entry.State == EntityState.Unchanged)
            {
                entry.Property(t => t.DataVersion).IsModified = true;
            }
        }
        lock (_uncommitted)
        {
            _saving.AddOrUpdate(context, teams);
        }
    }

    private static void ForgetStubs(DbContext context)
    {
        foreach (var stub in context.ChangeTracker.Entries<Team>().Where(e => ReferenceEquals(e.Entity.Name, StubName)).ToList())
        {
            stub.State = EntityState.Detached;
        }
    }

    private const string StubName = "\0stand-in";
}
