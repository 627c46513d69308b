namespace Dataraven.Core.Common;

public static class Names
{
    /// <summary>The form used for per-team case-insensitive uniqueness (a unique index holds it).</summary>
    public static string Normalize(string name) => name.Trim().ToUpperInvariant();
}
