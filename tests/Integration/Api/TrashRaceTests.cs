using System.Net;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Persistence;
using Dataraven.Tests.Infrastructure;
using Dataraven.Tests.Unit.Validation;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Dataraven.Tests.Api;

/// <summary>Checks of S3 secrets go to a closed local port: a quick "unreachable" instead of a call to AWS.</summary>
public sealed class TrashRacePortalSqlite : ApiPortalFixture
{
    protected override Task ConfigureAsync(TestPortalOptions options)
    {
        options.Settings["Storage:S3:ServiceUrl"] = "http://127.0.0.1:9";
        return Task.CompletedTask;
    }
}

public sealed class TrashRacePortalPostgres : ApiPortalFixture
{
    protected override async Task ConfigureAsync(TestPortalOptions options)
    {
        options.Settings["Storage:S3:ServiceUrl"] = "http://127.0.0.1:9";
        await PostgresRun.ConfigureAsync(options);
    }
}

public sealed class TrashRaceTestsSqlite(TrashRacePortalSqlite portal, ITestOutputHelper output)
    : TrashRaceTests(portal, output), IClassFixture<TrashRacePortalSqlite>;

public sealed class TrashRaceTestsPostgres(TrashRacePortalPostgres portal, ITestOutputHelper output)
    : TrashRaceTests(portal, output), IClassFixture<TrashRacePortalPostgres>;

/// <summary>
/// The trash's races (DESIGN.md, soft delete): restore vs a create of the same name, two restores at a tier limit, purge
/// vs restore, delete vs check. Never a 500; afterwards every record, live or trashed, has its credential and no
/// credential is left without its record.
/// </summary>
public abstract class TrashRaceTests(ApiPortalFixture portal, ITestOutputHelper output) : ApiTestBase(portal)
{
    private const int Rounds = 15;

    private static Dictionary<string, object?> DirectSecret(string name) => new()
    {
        ["name"] = name,
        ["secret_type"] = "s3",
        ["auth_method"] = "s3_access_key",
        ["credentials"] = ValidationSamples.ValidCredentials("s3", "s3_access_key"),
    };

    private async Task<string> CreateAsync(TeamFixture team, string name) =>
        (string)(await (await Owner(team).PostJsonAsync(Url(team, "/secrets"), DirectSecret(name))).AssertStatusAsync(HttpStatusCode.Created))["id"]!;

    private async Task TrashAsync(TeamFixture team, string id) =>
        await (await Owner(team).DeleteAsync(Url(team, $"/secrets/{id}"))).AssertStatusAsync(HttpStatusCode.NoContent);

    /// <summary>No credential without its record, no record (live or trashed) without its credential.</summary>
    private async Task AssertConsistentAsync()
    {
        var report = await Portal.WithAsync<CredentialReconciler, CredentialReconciliationReport>(r => r.ReconcileAsync(false));
        var ours = new HashSet<Guid> { Acme.TeamId, Globex.TeamId };
        Assert.DoesNotContain(report.Missing, k => ours.Contains(k.TeamId));
        Assert.DoesNotContain(report.Orphans, k => ours.Contains(k.TeamId));
    }

    private void Report(string race, params RaceTally[] tallies) =>
        output.WriteLine($"{GetType().Name} {race}: " + string.Join(" | ", tallies.Select(t => t.Summary())));

    [Fact]
    public async Task RestoreRacingCreateOfTheSameName_ExactlyOneHasTheName()
    {
        var restores = new RaceTally("200", "409 name_conflict");
        var creates = new RaceTally("201", "409 name_conflict");
        var client = Owner();
        for (var round = 0; round < Rounds; round++)
        {
            var name = $"contested {round}";
            var id = await CreateAsync(Acme, name);
            await TrashAsync(Acme, id);
            var results = await Task.WhenAll(
                restores.RaceAsync(() => client.PostAsync(Url(Acme, $"/secrets/{id}/restore"), null)),
                creates.RaceAsync(() => client.PostJsonAsync(Url(Acme, "/secrets"), DirectSecret(name))));
            var (restored, created) = (results[0].Single().ToString(), results[1].Single().ToString());
            Assert.True((restored == "200") != (created == "201"), $"restore {restored}, create {created}");
            var live = (await (await client.GetAsync(Url(Acme, "/secrets"))).ReadJsonAsync()).AsArray()
                .Where(s => (string)s!["name"]! == name).ToList();
            Assert.Single(live);
        }
        restores.AssertOnlyExpected();
        creates.AssertOnlyExpected();
        Report("restore vs create", restores, creates);
        await AssertConsistentAsync();
    }

    [Fact]
    public async Task TwoRestoresAtTheLastFreeSlot_OneRestored_OtherIsTierLimit()
    {
        var team = await Portal.CreateTeamAsync("Free race", "free");
        var client = Owner(team);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await CreateAsync(team, $"slot {i}"));
        }
        await TrashAsync(team, ids[0]);
        await TrashAsync(team, ids[1]);
        await CreateAsync(team, "filler");
        // Four live of five: one slot, two trashed secrets want it.
        var tally = new RaceTally("200", "403 tier_limit_reached");
        for (var round = 0; round < Rounds; round++)
        {
            var outcomes = await tally.RaceAsync(
                () => client.PostAsync(Url(team, $"/secrets/{ids[0]}/restore"), null),
                () => client.PostAsync(Url(team, $"/secrets/{ids[1]}/restore"), null));
            Assert.Single(outcomes, o => o.ToString() == "200");
            var usage = await (await client.GetAsync(Url(team, "/usage"))).ReadJsonAsync();
            Assert.Equal(5, (int)usage["usage"]!["secrets"]!);
            var winner = outcomes[0].ToString() == "200" ? ids[0] : ids[1];
            await TrashAsync(team, winner);
        }
        tally.AssertOnlyExpected();
        Assert.Equal(Rounds, tally.Count("200"));
        Report("two restores at the limit", tally);
    }

    [Fact]
    public async Task PurgeRacingRestore_ExactlyOneWins_RecordAndCredentialAgree()
    {
        var purges = new RaceTally("204", "404 not_found");
        var restores = new RaceTally("200", "404 not_found");
        var client = Owner();
        for (var round = 0; round < Rounds; round++)
        {
            var id = await CreateAsync(Acme, $"fate {round}");
            await TrashAsync(Acme, id);
            var results = await Task.WhenAll(
                purges.RaceAsync(() => client.DeleteAsync(Url(Acme, $"/trash/{id}"))),
                restores.RaceAsync(() => client.PostAsync(Url(Acme, $"/secrets/{id}/restore"), null)));
            var (purged, restored) = (results[0].Single().ToString(), results[1].Single().ToString());
            Assert.True((purged == "204") != (restored == "200"), $"purge {purged}, restore {restored}");
            var live = (await client.GetAsync(Url(Acme, $"/secrets/{id}"))).StatusCode == HttpStatusCode.OK;
            var stored = await Store.GetAsync(CredentialKey.ForSecret(Acme.TeamId, Guid.Parse(id))) is not null;
            Assert.Equal(restored == "200", live);
            Assert.Equal(live, stored);
        }
        purges.AssertOnlyExpected();
        restores.AssertOnlyExpected();
        Report("purge vs restore", purges, restores);
        await AssertConsistentAsync();
    }

    [Fact]
    public async Task DeleteRacingCheck_CheckIsOkOrNotFound_DeleteSucceeds_TrashedKeepsItsCredential()
    {
        var checks = new RaceTally("200", "404 not_found");
        var deletes = new RaceTally("204");
        var client = Owner();
        for (var round = 0; round < Rounds; round++)
        {
            var id = await CreateAsync(Acme, $"checked {round}");
            await Task.WhenAll(
                checks.RaceAsync(2, _ => client.PostAsync(Url(Acme, $"/secrets/{id}/check"), null)),
                deletes.RaceAsync(() => client.DeleteAsync(Url(Acme, $"/secrets/{id}"))));
            await (await client.GetAsync(Url(Acme, $"/secrets/{id}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        }
        checks.AssertOnlyExpected();
        deletes.AssertOnlyExpected();
        Report("delete vs check", checks, deletes);
        Assert.Equal(Rounds, (await (await client.GetAsync(Url(Acme, "/trash"))).ReadJsonAsync())["items"]!.AsArray().Count);
        Assert.Equal(Rounds, (await StoredKeysAsync()).Count);
        await AssertConsistentAsync();
        // Trashed rows never reach the lists, whatever the checks wrote.
        Assert.Equal(Rounds, await Portal.WithAsync<PortalDbContext, int>(db =>
            db.Secrets.IgnoreQueryFilters().CountAsync(s => s.TeamId == Acme.TeamId && s.DeletedAt != null)));
    }
}
