using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Dataraven.Core.Persistence;

/// <summary>
/// The portal's model on PostgreSQL, where several portal instances share one database. It also keeps the
/// ASP.NET Core data-protection keys, so a cookie issued by one instance is accepted by the others.
/// </summary>
public sealed class PostgresPortalDbContext(DbContextOptions<PostgresPortalDbContext> options)
    : PortalDbContext(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>A row lock on the team: other instances' limit-checked creates for the team wait for this transaction.</summary>
    public override async Task LockTeamForWriteAsync(Guid teamId, CancellationToken ct) =>
        await Teams.FromSql($"SELECT * FROM teams WHERE \"Id\" = {teamId} FOR UPDATE").Select(t => t.Id).SingleAsync(ct);

    /// <summary>
    /// EF Core's own migration lock on PostgreSQL lasts one transaction, and each migration has its own: two instances
    /// starting together could both apply the second of two pending migrations. A session-level advisory lock held
    /// across the whole run makes the second instance wait, then find nothing to do.
    /// </summary>
    public override async Task MigrateAsync(CancellationToken ct = default)
    {
        if (!await Database.GetService<Microsoft.EntityFrameworkCore.Storage.IRelationalDatabaseCreator>().ExistsAsync(ct))
        {
            await Database.MigrateAsync(ct);
            return;
        }
        // Migrations only ever add, so "nothing pending" read without the lock stays true (see the base class).
        if (!(await Database.GetPendingMigrationsAsync(ct)).Any())
        {
            return;
        }
        await Database.OpenConnectionAsync(ct);
        try
        {
            await Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({MigrationLockKey})", ct);
            try
            {
                await Database.MigrateAsync(ct);
            }
            finally
            {
                await Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await Database.CloseConnectionAsync();
        }
    }

    // Any fixed 64-bit number the portal alone uses: "DRMIGRAT" in ASCII.
    private const long MigrationLockKey = 0x44524D4947524154;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
    }
}
