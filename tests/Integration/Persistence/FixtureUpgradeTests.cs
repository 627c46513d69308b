using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Dataraven.Core.Common;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Core.VaultConnections;
using Dataraven.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Tests.Persistence;

/// <summary>
/// portal-v1.db was made by the portal while its migration was still hand-written (filled through the API:
/// two teams, five users, members of every role, API keys, a connection of each vault type, direct and
/// vault secrets). Databases like it must open with the current code and keep every row.
/// </summary>
public sealed class FixtureUpgradeTests : IDisposable
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Persistence", "Fixtures", "portal-v1.db");
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"dr-upgrade-{Guid.NewGuid():N}.db");

    public FixtureUpgradeTests() => File.Copy(Fixture, _file);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    [Fact]
    public async Task V1Database_HasTheSchemaOfTheMigrations()
    {
        await using var fixture = new SqliteConnection($"Data Source={_file}");
        await fixture.OpenAsync();
        await using var fresh = new SqliteConnection("Data Source=:memory:");
        await fresh.OpenAsync();
        await using (var db = MigrationsTests.Open(fresh))
        {
            // The fixture was made when the initial schema was the only migration.
            await db.GetService<IMigrator>().MigrateAsync("20261122080000_InitialSchema");
        }
        Assert.Equal(await MigrationsTests.SchemaAsync(fresh), await MigrationsTests.SchemaAsync(fixture));
    }

    [Fact]
    public async Task V1Database_Migrates_KeepsEveryRowReadable()
    {
        await using (var db = MigrationsTests.Open(_file))
        {
            Assert.Equal(["20261122080000_InitialSchema"], await db.Database.GetAppliedMigrationsAsync());
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }

        await using var read = MigrationsTests.Open(_file);
        var teams = await read.Teams.OrderBy(t => t.Name).ToListAsync();
        Assert.Equal([("Acme Storage", "pro"), ("Globex", "free")], teams.Select(t => (t.Name, t.Tier)));
        Assert.All(teams, t => Assert.Equal(DateTimeKind.Utc, t.CreatedAt.Kind));
        var acme = teams[0].Id;

        var users = await read.Users.OrderBy(u => u.Email).ToListAsync();
        Assert.Equal(
            ["admin@acme.example", "operator@acme.example", "owner@acme.example", "owner@globex.example", "viewer@acme.example"],
            users.Select(u => u.Email));
        var hasher = new PasswordHasher<PortalUser>();
        Assert.All(users, u => Assert.NotEqual(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(u, u.PasswordHash!, TestPortal.Password)));
        Assert.Equal(acme, users.Single(u => u.Email == "viewer@acme.example").CurrentTeamId);

        var acmeRoles = await read.TeamMembers.Where(m => m.TeamId == acme).Include(m => m.User)
            .ToDictionaryAsync(m => m.User!.Email!, m => m.Role);
        Assert.Equal(new Dictionary<string, TeamRole>
        {
            ["owner@acme.example"] = TeamRole.Owner, ["admin@acme.example"] = TeamRole.Admin,
            ["operator@acme.example"] = TeamRole.Operator, ["viewer@acme.example"] = TeamRole.Viewer,
        }, acmeRoles);
        Assert.Equal(5, await read.TeamMembers.CountAsync());

        var keys = await read.ApiKeys.ToListAsync();
        Assert.Equal(6, keys.Count);
        var deployKey = keys.Single(k => k.Name == "ci deploy");
        Assert.Equal((acme, TeamRole.Admin, 24, 32), (deployKey.TeamId, deployKey.Role, deployKey.KeyId.Length, deployKey.SecretHash.Length));
        Assert.Equal(DateTimeKind.Utc, keys.First(k => k.LastUsedAt is not null).LastUsedAt!.Value.Kind);

        var connections = await read.VaultConnections.OrderBy(v => v.Name).ToListAsync();
        Assert.Equal(
            [("doppler production", VaultType.Doppler, VaultConnectionStatus.Verified), ("doppler staging", VaultType.Doppler, VaultConnectionStatus.Unverified),
             ("infisical production", VaultType.Infisical, VaultConnectionStatus.Verified), ("onepassword production", VaultType.OnePassword, VaultConnectionStatus.Verified)],
            connections.Select(v => (v.Name, v.VaultType, v.Status)));
        var doppler = connections[0];
        Assert.Equal(("backend", "prd", "The doppler vault of the platform team"), (doppler.Project, doppler.Config, doppler.Description));
        Assert.Equal(DateTimeKind.Utc, doppler.LastVerifiedAt!.Value.Kind);
        var infisical = connections[2];
        Assert.Equal(("0f9e8d7c-6b5a-4321-8fed-cba987654321", "prod", "/"), (infisical.ProjectId, infisical.Environment, infisical.SecretPath));

        var secrets = await read.Secrets.OrderBy(s => s.Name).ToListAsync();
        Assert.Equal(7, secrets.Count);
        var aws = secrets.Single(s => s.Name == "AWS prod bucket");
        Assert.Equal(("s3", "s3_access_key", true), (aws.SecretType, aws.AuthMethod, aws.IsDirect));
        Assert.Equal(["access_key_id", "secret_access_key"], aws.CredentialFields);
        Assert.Empty(aws.FieldMappings);
        var viaOnePassword = secrets.Single(s => s.Name == "R2 via onepassword");
        Assert.Equal(connections[3].Id, viaOnePassword.VaultConnectionId);
        Assert.Equal(
            [("access_key_id", "op://DevOps/R2-Prod/access_key_id"), ("secret_access_key", "op://DevOps/R2-Prod/secret_access_key")],
            viaOnePassword.FieldMappings.Select(m => (m.FieldName, m.Reference)));
        Assert.Equal(3, secrets.Count(s => !s.IsDirect && s.FieldMappings.Count == 2));
        Assert.All(secrets, s => Assert.Equal(DateTimeKind.Utc, s.UpdatedAt.Kind));
    }

    [Fact]
    public async Task V1Database_AfterMigrate_TakesWrites()
    {
        Guid acme, dopplerId;
        await using (var db = MigrationsTests.Open(_file))
        {
            await db.Database.MigrateAsync();
            acme = (await db.Teams.SingleAsync(t => t.Name == "Acme Storage")).Id;
            var doppler = await db.VaultConnections.SingleAsync(v => v.Name == "doppler production");
            dopplerId = doppler.Id;
            doppler.Description = "renamed after the upgrade";
            db.Secrets.Add(new Secret
            {
                Id = Guid.NewGuid(), TeamId = acme, Name = "Wasabi via doppler", NameNormalized = Names.Normalize("Wasabi via doppler"),
                SecretType = "wasabi", AuthMethod = "wasabi_access_key", VaultConnectionId = doppler.Id,
                FieldMappings = [new() { FieldName = "access_key_id", Reference = "WASABI_ID" }, new() { FieldName = "secret_access_key", Reference = "WASABI_SECRET" }],
                CreatedAt = new DateTime(2026, 11, 28, 9, 30, 0, DateTimeKind.Utc), UpdatedAt = new DateTime(2026, 11, 28, 9, 30, 0, DateTimeKind.Utc),
            });
            await db.SaveChangesAsync();
        }

        await using var read = MigrationsTests.Open(_file);
        Assert.Equal("renamed after the upgrade", (await read.VaultConnections.SingleAsync(v => v.Id == dopplerId)).Description);
        var added = await read.Secrets.SingleAsync(s => s.Name == "Wasabi via doppler");
        Assert.Equal(["WASABI_ID", "WASABI_SECRET"], added.FieldMappings.Select(m => m.Reference));
        Assert.Equal(new DateTime(2026, 11, 28, 9, 30, 0, DateTimeKind.Utc), added.CreatedAt);
        Assert.Equal(8, await read.Secrets.CountAsync());
        // The unique name index of the old schema still holds.
        read.Secrets.Add(new Secret
        {
            Id = Guid.NewGuid(), TeamId = acme, Name = "AWS PROD BUCKET", NameNormalized = Names.Normalize("AWS PROD BUCKET"), SecretType = "s3", AuthMethod = "s3_access_key",
        });
        await Assert.ThrowsAsync<DbUpdateException>(() => read.SaveChangesAsync());
    }
}
