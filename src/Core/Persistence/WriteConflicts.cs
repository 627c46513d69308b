using System.Data.Common;
using Dataraven.Core.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Core.Persistence;

/// <summary>Why the database refused a write that passed the service's own checks: a concurrent request got there first.</summary>
public enum WriteConflict
{
    /// <summary>Not a conflict: a defect or an outage, left to the caller's exception handling.</summary>
    None,

    /// <summary>The row to update or delete is gone (deleted by a concurrent request).</summary>
    Missing,

    /// <summary>A unique index refused the row (a concurrent request took the name).</summary>
    Duplicate,

    /// <summary>A foreign key refused the row (a concurrent request deleted what it points at).</summary>
    MissingReference,
}

/// <summary>
/// The problems a record's write conflicts stand for: the same ones its services report when they see the
/// conflict in their own checks, so a request that loses a race answers 404 or 409, never 500.
/// </summary>
public sealed record WriteConflicts(Problem Missing, Problem? Duplicate = null, Problem? MissingReference = null)
{
    // SQLite extended result codes (sqlite.org/rescode.html) and SQLSTATE classes (PostgreSQL and others).
    private const int SqliteConstraintForeignKey = 787;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;
    private const string SqlStateUniqueViolation = "23505";
    private const string SqlStateForeignKeyViolation = "23503";

    /// <summary>A team record whose name is unique in the team (vault connections, secrets), pointing at <paramref name="reference"/> if given.</summary>
    public static WriteConflicts ForNamedRecord(string what, string name, string? reference = null) =>
        new(new NotFoundProblem(what), new NameConflictProblem(name), reference is null ? null : new NotFoundProblem(reference));

    public static WriteConflict Classify(DbUpdateException e) => e switch
    {
        DbUpdateConcurrencyException => WriteConflict.Missing,
        { InnerException: SqliteException { SqliteExtendedErrorCode: SqliteConstraintUnique or SqliteConstraintPrimaryKey } } => WriteConflict.Duplicate,
        { InnerException: SqliteException { SqliteExtendedErrorCode: SqliteConstraintForeignKey } } => WriteConflict.MissingReference,
        { InnerException: DbException { SqlState: SqlStateUniqueViolation } } => WriteConflict.Duplicate,
        { InnerException: DbException { SqlState: SqlStateForeignKeyViolation } } => WriteConflict.MissingReference,
        _ => WriteConflict.None,
    };

    public Problem? ProblemFor(DbUpdateException e) => Classify(e) switch
    {
        WriteConflict.Missing => Missing,
        WriteConflict.Duplicate => Duplicate,
        WriteConflict.MissingReference => MissingReference,
        _ => null,
    };
}

public static class WriteConflictExtensions
{
    /// <summary>
    /// Saves the pending changes, or returns the problem a lost race stands for (nothing is saved then, and
    /// the tracked changes are dropped). Other database errors are thrown as before. Outside a transaction it
    /// opens one: on SQLite an explicit transaction takes the write lock at once (BEGIN IMMEDIATE) and waits
    /// for other writers, where a bare save can fail at once with "database is locked".
    /// </summary>
    public static async Task<Problem?> SaveChangesOrConflictAsync(this DbContext db, WriteConflicts conflicts, CancellationToken ct)
    {
        try
        {
            if (db.Database.CurrentTransaction is not null)
            {
                await db.SaveChangesAsync(ct);
                return null;
            }
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return null;
        }
        catch (DbUpdateException e) when (conflicts.ProblemFor(e) is not null)
        {
            db.ChangeTracker.Clear();
            return conflicts.ProblemFor(e);
        }
    }
}
