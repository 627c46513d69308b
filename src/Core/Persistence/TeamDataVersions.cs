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
/// </summary>
public sealed class TeamDataVersions : SaveChangesInterceptor
{
    public static readonly TeamDataVersions Instance = new();

    private TeamDataVersions()
    {
    }

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
        ForgetStubs(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ForgetStubs(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => ForgetStubs(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetStubs(eventData.Context);
        return Task.CompletedTask;
    }

    private static void Bump(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        // Owned field mappings never change alone: every write that replaces them also sets the secret's UpdatedAt.
        var teams = context.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted &&
                        e.Entity is Secret or VaultConnection)
            .Select(e => ((INamedTeamRecord)e.Entity).TeamId)
            .Distinct()
            .ToList();
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
    }

    private static void ForgetStubs(DbContext? context)
    {
        foreach (var stub in context?.ChangeTracker.Entries<Team>().Where(e => ReferenceEquals(e.Entity.Name, StubName)).ToList() ?? [])
        {
            stub.State = EntityState.Detached;
        }
    }

    private const string StubName = "\0stand-in";
}
