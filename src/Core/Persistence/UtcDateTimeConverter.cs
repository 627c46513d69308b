using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Dataraven.Core.Persistence;

/// <summary>
/// SQLite stores a DateTime as text without its kind, so values read back would be Unspecified and
/// serialize without the <c>Z</c>. Every time the portal keeps is UTC: written as UTC, read back as UTC.
/// </summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => ToUtc(value),
    stored => DateTime.SpecifyKind(stored, DateTimeKind.Utc))
{
    // Unspecified values come from the portal's own clock (Clock.UtcNow) or from the database: already UTC.
    private static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => value.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => value,
    };
}
