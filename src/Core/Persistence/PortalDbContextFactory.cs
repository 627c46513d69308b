using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Dataraven.Core.Persistence;

/// <summary>
/// For <c>dotnet ef</c> only: builds the context without starting the portal. The connection string
/// is never opened by <c>migrations add</c>; the model and the migrations come from this assembly.
/// </summary>
public sealed class PortalDbContextFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite(CoreServiceCollectionExtensions.DefaultConnectionString).Options);
}

/// <summary>For <c>dotnet ef ... --context PostgresPortalDbContext</c>: the PostgreSQL migrations.</summary>
public sealed class PostgresPortalDbContextFactory : IDesignTimeDbContextFactory<PostgresPortalDbContext>
{
    public PostgresPortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresPortalDbContext>().UseNpgsql("Host=localhost;Database=portal").Options);
}
