using System.Data.Common;
using System.Diagnostics;
using Dataraven.Core.Audit;
using Dataraven.Core.Persistence;
using Dataraven.Tests.Api;
using Dataraven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Dataraven.Tests.Audit;

/// <summary>The query service below the API: search, the latest change and check per target, what still exists, and the index.</summary>
public sealed class AuditLogTests(LocalApiPortal fixture, ITestOutputHelper output) : IClassFixture<LocalApiPortal>
{
    private TestPortal Portal => fixture.Portal;

    [Fact]
    public async Task Search_MatchesActorTargetOrAction_IgnoringCase()
    {
        var team = await Portal.CreateTeamAsync();
        var seeded = await AuditSeed.AddAsync(Portal.Services,
        [
            (AuditSeed.Actor(team, "Bob@Example.com"), AuditActions.SecretCreated, AuditTarget.Secret(Guid.NewGuid(), "Prod backups")),
            (AuditSeed.Actor(team, "carol@example.com"), AuditActions.VaultConnectionRotated, AuditTarget.VaultConnection(Guid.NewGuid(), "Doppler PROD")),
            (AuditSeed.Actor(team, "dave@example.com"), AuditActions.ApiKeyCreated, AuditTarget.ApiKey(Guid.NewGuid(), "ci")),
        ]);

        Assert.Equal([seeded[0].Id], await SearchAsync(team, "bob@"));
        Assert.Equal([seeded[1].Id, seeded[0].Id], await SearchAsync(team, "prod"));
        Assert.Equal([seeded[1].Id], await SearchAsync(team, "ROTATED"));
        Assert.Empty(await SearchAsync(team, "nobody"));
    }

    [Fact]
    public async Task LatestByTarget_NewestSucceededChange_AndNewestCheckEvenIfFailed()
    {
        var team = await Portal.CreateTeamAsync();
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        var alice = AuditSeed.Actor(team, "alice@example.com");
        var bob = AuditSeed.Actor(team, "bob@example.com");
        var seeded = await AuditSeed.AddAsync(Portal.Services,
        [
            (alice, AuditActions.VaultConnectionCreated, AuditTarget.VaultConnection(a, "A")),
            (bob, AuditActions.VaultConnectionRotated, AuditTarget.VaultConnection(a, "A")),
            (alice, AuditActions.VaultConnectionVerified, AuditTarget.VaultConnection(a, "A")),
            (alice, AuditActions.VaultConnectionVerified, AuditTarget.VaultConnection(b, "B")),
            (alice, AuditActions.SecretUpdated, AuditTarget.Secret(b, "not a connection")),
        ]);
        await using (var scope = Portal.Services.CreateAsyncScope())
        {
            // A refused change is no change: it does not make bob the last to change A.
            var failed = scope.ServiceProvider.GetRequiredService<AuditTrail>()
                .Add(bob, AuditActions.VaultConnectionRotated, AuditTarget.VaultConnection(a, "A"), AuditOutcome.Failed);
            failed.At = AuditSeed.Start.AddHours(1);
            var failedCheck = scope.ServiceProvider.GetRequiredService<AuditTrail>()
                .Add(bob, AuditActions.VaultConnectionVerified, AuditTarget.VaultConnection(b, "B"), AuditOutcome.Failed);
            failedCheck.At = AuditSeed.Start.AddHours(1);
            await scope.ServiceProvider.GetRequiredService<PortalDbContext>().SaveChangesAsync();
        }

        var latest = await Portal.WithAsync<AuditLog, IReadOnlyDictionary<Guid, TargetActivity>>(l =>
            l.LatestByTargetAsync(AuditSeed.Actor(team), "vault_connection"));

        Assert.Equal(new[] { a, b }.Order(), latest.Keys.Order());
        Assert.Equal(seeded[1].Id, latest[a].LastChange!.Id);
        Assert.Equal("bob@example.com", latest[a].LastChange!.ActorName);
        Assert.Equal(seeded[2].Id, latest[a].LastCheck!.Id);
        Assert.Null(latest[b].LastChange);
        Assert.Equal("failed", latest[b].LastCheck!.Outcome);
    }

    [Fact]
    public async Task ExistingTargets_OnlyWhatIsStillInTheTeam()
    {
        var team = await Portal.CreateTeamAsync();
        var other = await Portal.CreateTeamAsync("Globex");
        var gone = Guid.NewGuid();
        var seeded = await AuditSeed.AddAsync(Portal.Services,
        [
            (AuditSeed.Actor(team), AuditActions.SecretDeleted, AuditTarget.Secret(gone, "Old")),
            (AuditSeed.Actor(team), AuditActions.MemberRoleChanged, AuditTarget.Member(team.OwnerId, team.OwnerEmail)),
            (AuditSeed.Actor(team), AuditActions.MemberRoleChanged, AuditTarget.Member(other.OwnerId, other.OwnerEmail)),
            (AuditSeed.Actor(team), AuditActions.TierChanged, AuditTarget.Team(team.TeamId, "Acme")),
        ]);

        var existing = await Portal.WithAsync<AuditLog, IReadOnlySet<Guid>>(l => l.ExistingTargetsAsync(AuditSeed.Actor(team), seeded));

        Assert.Equal(new[] { team.TeamId, team.OwnerId }.Order(), existing.Order());
    }

    /// <summary>
    /// Every page, the first or one 9,900 events deep, is a search of the (team_id, at, id) index in its order: no
    /// scan of the team's events and no sort. Timings flake on a shared machine; the plan does not.
    /// </summary>
    [Fact]
    public async Task Pages_UseTheTeamTimeIndex_FirstAndDeep_WithoutSorting()
    {
        var team = await Portal.CreateTeamAsync();
        var seeded = await AuditSeed.SecretUpdatesAsync(Portal.Services, team, 10_000, step: TimeSpan.FromMilliseconds(10));
        var deep = AuditCursor.Of(seeded[100]);
        await using var scope = Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var log = scope.ServiceProvider.GetRequiredService<AuditLog>();

        foreach (var query in new[] { new AuditQuery(), new AuditQuery { After = deep }, new AuditQuery { After = deep, Action = AuditActions.SecretUpdated } })
        {
            var plan = await ExplainAsync(db, log.PageQuery(team.TeamId, query));
            output.WriteLine(plan);
            Assert.Contains("USING INDEX IX_audit_events_TeamId_At_Id (TeamId=?", plan);
            Assert.DoesNotContain("TEMP B-TREE", plan);
            Assert.DoesNotContain("SCAN", plan);
        }
        var page = await log.ListAsync(AuditSeed.Actor(team), new AuditQuery { After = deep, Limit = 50 });
        Assert.Equal(seeded.Take(100).Reverse().Take(50).Select(e => e.Id), page.Items.Select(e => e.Id));
    }

    /// <summary>The figures for the note: median time of the first page and of a deep page with 100 and with 10,000 events.</summary>
    [Fact]
    public async Task Latency_FirstAndDeepPage_100vs10000Events()
    {
        foreach (var count in new[] { 100, 10_000 })
        {
            var team = await Portal.CreateTeamAsync();
            var seeded = await AuditSeed.SecretUpdatesAsync(Portal.Services, team, count, step: TimeSpan.FromMilliseconds(10));
            using var client = Portal.CreateClient(team.OwnerKey);
            var k = count / 10;
            var deep = AuditCursor.Of(seeded[k]).Encode();
            foreach (var (name, query, firstId, size) in new[]
                     {
                         // The seeded updates only: creating the team recorded events of its own.
                         ("first", "limit=50&action=secret.updated", seeded[^1].Id, Math.Min(50, count)),
                         ("deep", $"limit=50&action=secret.updated&cursor={deep}", seeded[k - 1].Id, Math.Min(50, k)),
                     })
            {
                var times = new List<double>();
                for (var i = 0; i < 30; i++)
                {
                    var clock = Stopwatch.StartNew();
                    using var response = await client.GetAsync($"/v1/teams/{team.TeamId}/audit-events?{query}");
                    var items = (await response.AssertStatusAsync(System.Net.HttpStatusCode.OK))["items"]!.AsArray();
                    times.Add(clock.Elapsed.TotalMilliseconds);
                    Assert.Equal(size, items.Count);
                    Assert.Equal(firstId.ToString(), (string?)items[0]!["id"]);
                }
                times.Sort();
                output.WriteLine($"{count} events, {name} page: p50 {times[times.Count / 2]:F2} ms, p90 {times[times.Count * 9 / 10]:F2} ms");
            }
        }
    }

    private static async Task<string> ExplainAsync(PortalDbContext db, IQueryable<AuditEvent> query)
    {
        await using var command = query.CreateDbCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        await db.Database.OpenConnectionAsync();
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(3));
        }
        return string.Join("\n", lines);
    }

    private async Task<List<Guid>> SearchAsync(TeamFixture team, string text) =>
        (await Portal.WithAsync<AuditLog, AuditPage>(l => l.ListAsync(AuditSeed.Actor(team), new AuditQuery { Search = text })))
            .Items.Select(e => e.Id).ToList();
}
