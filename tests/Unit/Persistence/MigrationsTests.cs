using Dataraven.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Tests.Persistence;

/// <summary>
/// Migrations are hand-written (EF's design package is not available here), so this proves that applying
/// them yields exactly the schema the model would create: a model change without a migration fails here.
/// </summary>
public sealed class MigrationsTests
{
    private static async Task<List<string>> SchemaAsync(Func<PortalDbContext, Task> create)
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using (var db = new PortalDbContext(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite(connection).Options))
        {
            await create(db);
        }
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> '__EFMigrationsHistory' AND name NOT LIKE '%EFMigrationsLock%'";
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var sql = reader.IsDBNull(2) ? "" : string.Join(" ", reader.GetString(2).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            rows.Add($"{reader.GetString(0)} {reader.GetString(1)}: {sql}");
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    [Fact]
    public async Task Migrate_ProducesTheSchemaOfTheModel()
    {
        var migrated = await SchemaAsync(db => db.Database.MigrateAsync());
        var modelled = await SchemaAsync(db => db.Database.EnsureCreatedAsync());
        Assert.NotEmpty(modelled);
        Assert.Equal(modelled, migrated);
    }

    [Fact]
    public async Task Migrate_TwiceOnAFile_IsIdempotent()
    {
        var file = Path.Combine(Path.GetTempPath(), $"dr-migrate-{Guid.NewGuid():N}.db");
        try
        {
            for (var i = 0; i < 2; i++)
            {
                await using var db = new PortalDbContext(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite($"Data Source={file}").Options);
                await db.Database.MigrateAsync();
                Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }
}
