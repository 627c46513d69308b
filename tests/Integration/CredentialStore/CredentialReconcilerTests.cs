using System.Security.Cryptography;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Persistence;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Core.VaultConnections;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dataraven.Tests.Unit.CredentialStore;

/// <summary>
/// The same reconciliation cases against each store: SQLite in memory (one open connection, migrated)
/// for the records, and the store under test for the credentials.
/// </summary>
public abstract class CredentialReconcilerTestsBase : IAsyncLifetime
{
    private SqliteConnection _connection = null!;
    protected PortalDbContext Db { get; private set; } = null!;
    protected abstract ICredentialStore Store { get; }

    private static readonly Dictionary<string, string> SomeFields = new() { ["access_token"] = "dp.st.reconcile-example" };

    public async Task InitializeAsync()
    {
        _connection = new SqliteConnection("DataSource=:memory:");
        await _connection.OpenAsync();
        Db = new PortalDbContext(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite(_connection).Options);
        await Db.Database.MigrateAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await Db.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private async Task<Guid> AddTeamAsync()
    {
        var team = new Team { Id = Guid.NewGuid(), Name = "team-" + Guid.NewGuid().ToString("N")[..6], Tier = "pro", CreatedAt = DateTime.UtcNow };
        Db.Teams.Add(team);
        await Db.SaveChangesAsync();
        return team.Id;
    }

    private async Task<VaultConnection> AddConnectionAsync(Guid teamId, bool withCredential)
    {
        var name = "conn-" + Guid.NewGuid().ToString("N")[..8];
        var connection = new VaultConnection
        {
            Id = Guid.NewGuid(), TeamId = teamId, Name = name, NameNormalized = name, VaultType = VaultType.Doppler,
            Project = "p", Config = "c", Status = VaultConnectionStatus.Verified, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
        };
        Db.VaultConnections.Add(connection);
        await Db.SaveChangesAsync();
        if (withCredential)
        {
            await Store.PutAsync(CredentialKey.ForVaultConnection(teamId, connection.Id), SomeFields);
        }
        return connection;
    }

    private async Task<Secret> AddSecretAsync(Guid teamId, Guid? vaultConnectionId, bool withCredential)
    {
        var name = "secret-" + Guid.NewGuid().ToString("N")[..8];
        var secret = new Secret
        {
            Id = Guid.NewGuid(), TeamId = teamId, Name = name, NameNormalized = name, SecretType = "s3", AuthMethod = "s3_access_key",
            VaultConnectionId = vaultConnectionId, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
        };
        if (vaultConnectionId is null)
        {
            secret.CredentialFields = ["access_key_id", "secret_access_key"];
        }
        else
        {
            secret.FieldMappings = [new FieldMapping { FieldName = "access_key_id", Reference = "AWS_ACCESS_KEY_ID" }, new FieldMapping { FieldName = "secret_access_key", Reference = "AWS_SECRET_ACCESS_KEY" }];
        }
        Db.Secrets.Add(secret);
        await Db.SaveChangesAsync();
        if (withCredential)
        {
            await Store.PutAsync(CredentialKey.ForSecret(teamId, secret.Id), SomeFields);
        }
        return secret;
    }

    private async Task<List<CredentialKey>> ListedAsync()
    {
        var keys = new List<CredentialKey>();
        await foreach (var key in Store.ListAsync())
        {
            keys.Add(key);
        }
        return keys;
    }

    [Fact]
    public async Task ReconcileAsync_EverythingStored_ReportsConsistent()
    {
        var team = await AddTeamAsync();
        var connection = await AddConnectionAsync(team, withCredential: true);
        await AddSecretAsync(team, null, withCredential: true);
        await AddSecretAsync(team, connection.Id, withCredential: false); // vault secret: nothing stored, nothing expected

        var report = await new CredentialReconciler(Db, Store).ReconcileAsync();

        Assert.True(report.IsConsistent, report.Format());
        Assert.Equal(0, report.ExitCode);
        Assert.Equal(2, report.ExpectedCount);
        Assert.Equal(2, report.StoredCount);
        Assert.Empty(report.Orphans);
        Assert.Empty(report.Missing);
    }

    [Fact]
    public async Task ReconcileAsync_OrphansAndMissing_ReportsBothAndDeletesNothing()
    {
        var team = await AddTeamAsync();
        var kept = await AddConnectionAsync(team, withCredential: true);
        var connectionWithout = await AddConnectionAsync(team, withCredential: false);
        var secretWithout = await AddSecretAsync(team, null, withCredential: false);
        var orphanSecret = CredentialKey.ForSecret(team, Guid.NewGuid());
        var orphanConnection = CredentialKey.ForVaultConnection(Guid.NewGuid(), Guid.NewGuid());
        await Store.PutAsync(orphanSecret, SomeFields);
        await Store.PutAsync(orphanConnection, SomeFields);

        var report = await new CredentialReconciler(Db, Store).ReconcileAsync();

        Assert.False(report.IsConsistent);
        Assert.Equal(1, report.ExitCode);
        Assert.Equal(new[] { orphanSecret, orphanConnection }.OrderBy(k => k.RelativePath), report.Orphans);
        Assert.Equal(new[] { CredentialKey.ForVaultConnection(team, connectionWithout.Id), CredentialKey.ForSecret(team, secretWithout.Id) }.OrderBy(k => k.RelativePath),
            report.Missing);
        Assert.Empty(report.DeletedOrphans);
        Assert.NotNull(await Store.GetAsync(orphanSecret));
        Assert.NotNull(await Store.GetAsync(CredentialKey.ForVaultConnection(team, kept.Id)));
        var text = report.Format();
        Assert.Contains($"orphan  {orphanSecret}", text);
        Assert.Contains($"missing {CredentialKey.ForSecret(team, secretWithout.Id)}", text);
        Assert.DoesNotContain("reconcile-example", text);
    }

    [Fact]
    public async Task FixAsync_Orphans_DeletesOnlyOrphans()
    {
        var team = await AddTeamAsync();
        var connection = await AddConnectionAsync(team, withCredential: true);
        var secret = await AddSecretAsync(team, null, withCredential: true);
        var orphan = CredentialKey.ForSecret(team, Guid.NewGuid());
        // A credential stored under a vault secret's id is an orphan too: vault secrets store nothing.
        var vaultSecret = await AddSecretAsync(team, connection.Id, withCredential: false);
        var vaultSecretOrphan = CredentialKey.ForSecret(team, vaultSecret.Id);
        await Store.PutAsync(orphan, SomeFields);
        await Store.PutAsync(vaultSecretOrphan, SomeFields);

        var report = await new CredentialReconciler(Db, Store).FixAsync();

        Assert.Equal(new[] { orphan, vaultSecretOrphan }.OrderBy(k => k.RelativePath), report.DeletedOrphans);
        Assert.True(report.IsConsistent, report.Format());
        Assert.Null(await Store.GetAsync(orphan));
        Assert.Null(await Store.GetAsync(vaultSecretOrphan));
        Assert.NotNull(await Store.GetAsync(CredentialKey.ForVaultConnection(team, connection.Id)));
        Assert.NotNull(await Store.GetAsync(CredentialKey.ForSecret(team, secret.Id)));
        Assert.Equal(
            new[] { CredentialKey.ForVaultConnection(team, connection.Id), CredentialKey.ForSecret(team, secret.Id) }.OrderBy(k => k.RelativePath),
            (await ListedAsync()).OrderBy(k => k.RelativePath));
        Assert.Contains("(deleted)", report.Format());
    }

    [Fact]
    public async Task ReconcileAsync_FixWithMissing_StillReportsMissing()
    {
        var team = await AddTeamAsync();
        var connection = await AddConnectionAsync(team, withCredential: false);

        var report = await new CredentialReconciler(Db, Store).ReconcileAsync(fix: true);

        Assert.Equal([CredentialKey.ForVaultConnection(team, connection.Id)], report.Missing);
        Assert.False(report.IsConsistent);
    }
}

public sealed class LocalCredentialReconcilerTests : CredentialReconcilerTestsBase
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "dr-reconcile-" + Guid.NewGuid().ToString("N"));
    private readonly LocalCredentialStore _store;

    public LocalCredentialReconcilerTests()
    {
        _store = new LocalCredentialStore(Options.Create(new LocalCredentialStoreOptions
        {
            Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            Path = "credentials",
        }), _root);
    }

    protected override ICredentialStore Store => _store;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task FixAsync_TempFileLeftByACrash_IsReportedThenDeleted()
    {
        var key = CredentialKey.ForSecret(Guid.NewGuid(), Guid.NewGuid());
        var file = Path.Combine(_root, "credentials", key.RelativePath + ".json");
        Directory.CreateDirectory(file);
        await Assert.ThrowsAnyAsync<Exception>(() => _store.PutAsync(key, new Dictionary<string, string> { ["a"] = "b" }));
        Directory.Delete(file);

        var report = await new CredentialReconciler(Db, Store).ReconcileAsync();
        var leftover = Assert.Single(report.IncompleteWrites);
        Assert.EndsWith(".tmp", leftover);
        Assert.False(report.IsConsistent);
        Assert.Contains(leftover, report.Format());

        var fixedReport = await new CredentialReconciler(Db, Store).FixAsync();
        Assert.True(fixedReport.IsConsistent);
        Assert.Empty(Directory.GetFiles(_root, "*.tmp", SearchOption.AllDirectories));
        Assert.Empty((await new CredentialReconciler(Db, Store).ReconcileAsync()).IncompleteWrites);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}

public sealed class SsmCredentialReconcilerTests : CredentialReconcilerTestsBase, IClassFixture<MotoServerFixture>
{
    private readonly Dataraven.Core.CredentialStore.Ssm.SsmCredentialStore _store;

    public SsmCredentialReconcilerTests(MotoServerFixture moto)
    {
        // A prefix per test: the emulator is shared by the class.
        _store = moto.CreateStore("/reconcile-" + Guid.NewGuid().ToString("N")[..12]);
    }

    protected override ICredentialStore Store => _store;
}
