using System.Net;
using System.Security.Cryptography;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Persistence;
using Dataraven.Portal.Commands;
using Dataraven.Tests.Infrastructure;
using Dataraven.Tests.Unit.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Dataraven.Tests.Commands;

/// <summary><c>backup</c> while the portal takes creates, then <c>restore</c> into a new place, reconciled.</summary>
public sealed class BackupCommandTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Teams = 6;
    private const int WorkersPerTeam = 8;
    private static readonly int MaxSecretsPerTeam = Dataraven.Core.Tiers.TierPlans.Pro.MaxSecrets;
    private readonly string _key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly string _work = Path.Combine(Path.GetTempPath(), "dr-backup-" + Guid.NewGuid().ToString("N")[..12]);
    private TestPortal _portal = null!;

    public async Task InitializeAsync()
    {
        var options = new TestPortalOptions();
        options.Settings["CredentialStore:Local:Key"] = _key;
        _portal = await TestPortal.StartAsync(options);
    }

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Backup_WhileCreatesCommit_RestoredCopyReconcilesWithZeroOrphansAndZeroMissing()
    {
        var teams = new List<TeamFixture>();
        for (var t = 0; t < Teams; t++) teams.Add(await _portal.CreateTeamAsync($"Team {t}", "pro"));
        // Each key's first use records it (a write of its own); a burst of first uses is not what is under test here.
        foreach (var team in teams) (await _portal.CreateClient(team.OwnerKey).GetAsync($"/v1/teams/{team.TeamId}/usage")).EnsureSuccessStatusCode();
        // Each team's workers keep creating until the backup has ended (up to the tier's 100 per team), so the backup
        // always runs while creates commit, however long it takes on a loaded machine.
        var completed = 0;
        var backupEnded = false;
        var started = new int[Teams];
        var creates = teams.SelectMany((team, t) => Enumerable.Range(0, WorkersPerTeam).Select(async _ =>
        {
            using var client = _portal.CreateClient(team.OwnerKey);
            var answered = new List<HttpStatusCode>();
            while (!Volatile.Read(ref backupEnded))
            {
                var i = Interlocked.Increment(ref started[t]);
                if (i > MaxSecretsPerTeam) break;
                var response = await client.PostJsonAsync($"/v1/teams/{team.TeamId}/secrets", new Dictionary<string, object?>
                {
                    ["name"] = $"secret {i}", ["secret_type"] = "s3", ["auth_method"] = "s3_access_key",
                    ["credentials"] = ValidationSamples.ValidCredentials("s3", "s3_access_key"),
                });
                Interlocked.Increment(ref completed);
                answered.Add(response.StatusCode);
            }
            return answered;
        })).ToList();
        while (Volatile.Read(ref completed) < 20) await Task.Delay(5);

        var backupDir = Path.Combine(_work, "backup");
        var doneBeforeBackup = Volatile.Read(ref completed);
        var inFlightAtBackup = started.Sum(n => Math.Min(n, MaxSecretsPerTeam)) - doneBeforeBackup;
        var backup = await RunAsync(LiveSettings(), "backup", "--to", backupDir);
        var doneAfterBackup = Volatile.Read(ref completed);
        var startedWhenBackupEnded = started.Sum(n => Math.Min(n, MaxSecretsPerTeam));
        Volatile.Write(ref backupEnded, true);
        var statuses = (await Task.WhenAll(creates)).SelectMany(s => s).ToList();

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));
        Assert.True(backup.Code == 0, backup.Out + backup.Err);
        // The backup holds the write lock every create commits under, so creates in flight when it starts commit before
        // it takes the lock or wait for it (whether one is answered while it runs is a matter of timing: once none was).
        Assert.True(inFlightAtBackup > 0, "no create was in flight when the backup started");
        Assert.True(statuses.Count > doneBeforeBackup, "no create finished once the backup had started");
        Assert.True(startedWhenBackupEnded < Teams * MaxSecretsPerTeam, "every team reached its limit before the backup ended");
        Assert.False(File.Exists(Path.Combine(backupDir, "credential-store.key")));
        Assert.Empty(Directory.EnumerateFiles(backupDir, "*.key", SearchOption.AllDirectories));

        var restored = Path.Combine(_work, "restored");
        var settings = RestoredSettings(restored);
        var restore = await RunAsync(settings, "restore", "--from", backupDir);
        Assert.True(restore.Code == 0, restore.Out + restore.Err);
        var reconcile = await RunAsync(settings, "reconcile-credentials");
        Assert.True(reconcile.Code == 0, reconcile.Out + reconcile.Err);
        Assert.Contains("orphans (stored, no record): 0", reconcile.Out);
        Assert.Contains("missing (record, nothing stored): 0", reconcile.Out);

        var options = new TestPortalOptions();
        foreach (var (k, v) in settings) options.Settings[k] = v;
        await using var copy = await TestPortal.StartAsync(options);
        var secrets = await copy.WithAsync<PortalDbContext, List<(Guid TeamId, Guid Id)>>(async db =>
            (await db.Secrets.Select(s => new { s.TeamId, s.Id }).ToListAsync()).Select(s => (s.TeamId, s.Id)).ToList());
        var store = copy.Services.GetRequiredService<ICredentialStore>();
        foreach (var (teamId, id) in secrets)
        {
            var credential = await store.GetAsync(CredentialKey.ForSecret(teamId, id));
            Assert.Equal(ValidationSamples.ValidCredentials("s3", "s3_access_key").OrderBy(p => p.Key), credential!.OrderBy(p => p.Key));
        }
        output.WriteLine($"creates answered: {doneBeforeBackup} when the backup started, {doneAfterBackup} when it ended, " +
            $"{statuses.Count} in all; secrets in the backup: {secrets.Count}, each read back from the restored store\n{backup.Out}");
        Assert.InRange(secrets.Count, doneBeforeBackup, doneAfterBackup + Teams);

        // Once it holds data, restore refuses to overwrite it without --force.
        var again = await RunAsync(settings, "restore", "--from", backupDir);
        Assert.Equal(1, again.Code);
        Assert.Contains("--force", again.Err);
        Assert.Equal(0, (await RunAsync(settings, "restore", "--from", backupDir, "--force")).Code);
    }

    private Dictionary<string, string?> LiveSettings()
    {
        var config = _portal.Services.GetRequiredService<IConfiguration>();
        return new[] { "ConnectionStrings:Portal", "CredentialStore:Provider", "CredentialStore:Local:Key", "CredentialStore:Local:Path", "DataProtection:KeysPath" }
            .ToDictionary(k => k, k => config[k]);
    }

    private Dictionary<string, string?> RestoredSettings(string folder) => new()
    {
        ["ConnectionStrings:Portal"] = $"Data Source={Path.Combine(folder, "portal.db")}",
        ["CredentialStore:Provider"] = "Local",
        ["CredentialStore:Local:Key"] = _key,
        ["CredentialStore:Local:Path"] = Path.Combine(folder, "credentials"),
        ["DataProtection:KeysPath"] = Path.Combine(folder, "keys"),
    };

    private static async Task<(int Code, string Out, string Err)> RunAsync(Dictionary<string, string?> settings, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await PortalCommands.RunAsync(args, stdout, stderr, builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
        });
        return (code, stdout.ToString(), stderr.ToString());
    }
}
