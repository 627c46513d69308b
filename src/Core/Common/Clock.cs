namespace Dataraven.Core.Common;

public static class Clock
{
    /// <summary>UTC now truncated to milliseconds so values round-trip through SQLite and JSON unchanged.</summary>
    public static DateTime UtcNow(TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }
}
