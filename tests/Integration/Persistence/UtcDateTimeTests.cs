using Dataraven.Core.Teams;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Tests.Persistence;

public sealed class UtcDateTimeTests
{
    private static readonly DateTime Utc = new(2026, 11, 28, 9, 30, 15, 123, DateTimeKind.Utc);

    public static TheoryData<DateTime> SameInstantOfEveryKind => new()
    {
        Utc,
        Utc.ToLocalTime(),
        DateTime.SpecifyKind(Utc, DateTimeKind.Unspecified),
    };

    [Theory]
    [MemberData(nameof(SameInstantOfEveryKind))]
    public async Task DateTime_ReadBack_IsUtcAndTheSameInstant(DateTime written)
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        var id = Guid.NewGuid();
        await using (var db = MigrationsTests.Open(connection))
        {
            await db.Database.MigrateAsync();
            db.Teams.Add(new Team { Id = id, Name = "Acme", Tier = "free", CreatedAt = written });
            await db.SaveChangesAsync();
        }

        await using var read = MigrationsTests.Open(connection);
        var createdAt = (await read.Teams.SingleAsync(t => t.Id == id)).CreatedAt;
        Assert.Equal(DateTimeKind.Utc, createdAt.Kind);
        Assert.Equal(Utc, createdAt);
        // Stored as UTC text, so SQL comparisons and ordering agree with the values.
        Assert.Equal(1, await read.Teams.CountAsync(t => t.CreatedAt == Utc));
    }
}
