using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Dataraven.Core.Common;

namespace Dataraven.Core.Audit;

/// <summary>
/// Which events to read: the filters of <c>GET .../audit-events</c> (and the Activity page's free text search),
/// a page size and where the previous page ended.
/// </summary>
public sealed record AuditQuery
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public string? Action { get; init; }
    public Guid? TargetId { get; init; }
    public Guid? ActorId { get; init; }

    /// <summary>Inclusive.</summary>
    public DateTime? From { get; init; }

    /// <summary>Inclusive.</summary>
    public DateTime? To { get; init; }

    /// <summary>Case-insensitive text in the actor's name, the target's name or the action.</summary>
    public string? Search { get; init; }

    /// <summary>The last event of the previous page; the next page starts after it.</summary>
    public AuditCursor? After { get; init; }
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>
    /// Reads the query-string form (<c>action, target_id, actor_id, from, to, cursor, limit</c>, and <c>q</c> when
    /// <paramref name="withSearch"/>); a value that cannot be read is a validation problem naming its parameter.
    /// </summary>
    public static Result<AuditQuery> Parse(Func<string, string?> value, bool withSearch = false)
    {
        var errors = new Dictionary<string, string[]>();
        var query = new AuditQuery
        {
            Action = Blank(value("action")),
            TargetId = ParseId("target_id"),
            ActorId = ParseId("actor_id"),
            From = ParseTime("from"),
            To = ParseTime("to"),
            Search = withSearch ? Blank(value("q")) : null,
            After = ParseCursor(),
            Limit = ParseLimit(),
        };
        if (query.From > query.To)
        {
            errors["to"] = ["Must not be before from."];
        }
        return errors.Count == 0 ? query : new ValidationProblem(errors);

        Guid? ParseId(string name)
        {
            if (Blank(value(name)) is not { } text)
            {
                return null;
            }
            if (Guid.TryParse(text, out var id))
            {
                return id;
            }
            errors[name] = ["Must be a UUID."];
            return null;
        }

        DateTime? ParseTime(string name)
        {
            if (Blank(value(name)) is not { } text)
            {
                return null;
            }
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return at.UtcDateTime;
            }
            errors[name] = ["Must be an ISO 8601 date or time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z."];
            return null;
        }

        AuditCursor? ParseCursor()
        {
            if (Blank(value("cursor")) is not { } text)
            {
                return null;
            }
            if (AuditCursor.TryDecode(text, out var cursor))
            {
                return cursor;
            }
            errors["cursor"] = ["Is not a cursor this API returned; use next_cursor from a previous page."];
            return null;
        }

        int ParseLimit()
        {
            if (Blank(value("limit")) is not { } text)
            {
                return DefaultLimit;
            }
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxLimit)
            {
                return limit;
            }
            errors["limit"] = [$"Must be a whole number from 1 to {MaxLimit}."];
            return DefaultLimit;
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>Where a page ended: the (at, id) of its last event, opaque to clients.</summary>
public readonly record struct AuditCursor(DateTime At, Guid Id)
{
    public static AuditCursor Of(AuditEvent e) => new(e.At, e.Id);

    public string Encode() => Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{At.Ticks}.{Id:N}"));

    public static bool TryDecode(string text, out AuditCursor cursor)
    {
        cursor = default;
        if (text.Length > 128 || !Base64Url.IsValid(text))
        {
            return false;
        }
        var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text)).Split('.');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTime.MaxValue.Ticks
            || !Guid.TryParseExact(parts[1], "N", out var id))
        {
            return false;
        }
        cursor = new AuditCursor(new DateTime(ticks, DateTimeKind.Utc), id);
        return true;
    }
}
