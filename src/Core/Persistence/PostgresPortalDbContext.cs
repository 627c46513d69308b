using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

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

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
    }
}
