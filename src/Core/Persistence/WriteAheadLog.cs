using Microsoft.EntityFrameworkCore;

namespace Dataraven.Core.Persistence;

public static class WriteAheadLog
{
    /// <summary>
    /// SQLite: switches the database file to write-ahead logging (it stays so; the mode is kept in the file). A commit
    /// then syncs the log once instead of the rollback journal and the database, and readers do not wait for a writer.
    /// PostgreSQL and in-memory databases are left as they are.
    /// </summary>
    public static async Task UseWriteAheadLogAsync(this PortalDbContext db, CancellationToken ct = default)
    {
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }
}
