using Dataraven.Core.Audit;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Dataraven.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dataraven.Tests.Audit;

/// <summary>
/// Writes events through the real <see cref="AuditTrail"/>, at chosen times (far from now, so that events the
/// services write themselves never mix into a test's window).
/// </summary>
internal static class AuditSeed
{
    public static readonly DateTime Start = new(2020, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    public static TeamActor Actor(TeamFixture team, string name = "alice@example.com") =>
        new(team.TeamId, team.OwnerId, TeamRole.Owner) { ActorName = name, Ip = "203.0.113.7" };

    /// <summary>One event per entry, the i-th at <paramref name="start"/> + i * <paramref name="step"/>.</summary>
    public static async Task<List<AuditEvent>> AddAsync(IServiceProvider services, IEnumerable<(TeamActor Actor, string Action, AuditTarget Target)> entries,
        DateTime? start = null, TimeSpan? step = null, object? details = null)
    {
        await using var scope = services.CreateAsyncScope();
        var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
        var added = new List<AuditEvent>();
        var at = start ?? Start;
        foreach (var (actor, action, target) in entries)
        {
            var e = trail.Add(actor, action, target, AuditOutcome.Succeeded, details);
            e.At = at;
            at += step ?? TimeSpan.FromSeconds(1);
            added.Add(e);
        }
        await scope.ServiceProvider.GetRequiredService<PortalDbContext>().SaveChangesAsync();
        return added;
    }

    /// <summary><paramref name="count"/> updates of one secret named <paramref name="name"/>.</summary>
    public static Task<List<AuditEvent>> SecretUpdatesAsync(IServiceProvider services, TeamFixture team, int count, Guid? secretId = null,
        string name = "Prod backups", DateTime? start = null, TimeSpan? step = null)
    {
        var target = AuditTarget.Secret(secretId ?? Guid.NewGuid(), name);
        return AddAsync(services, Enumerable.Range(0, count).Select(_ => (Actor(team), AuditActions.SecretUpdated, target)), start, step);
    }
}
