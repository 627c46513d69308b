namespace Dataraven.Core.VaultProviders;

/// <summary>The kinds of entry a vault browse answers with.</summary>
public static class BrowseKinds
{
    public const string Vault = "vault";
    public const string Item = "item";
    public const string Field = "field";
    public const string Secret = "secret";
    public const string Folder = "folder";
}

/// <summary>
/// One thing a reference can point at, or a container to browse into: its name, kind, the browse path that names it and,
/// for what a field mapping can use, its <paramref name="Reference"/> (null for containers). Never a value.
/// </summary>
public sealed record BrowseEntry(string Name, string Kind, string Path, string? Reference);

/// <summary>What a browse of one path would do before it runs: why the path is refused (400 on <c>path</c>), or the reads it costs.</summary>
public sealed record BrowsePlan(string? PathError, int Reads)
{
    public static BrowsePlan Refused(string message) => new(message, 0);
}

/// <summary>A provider's answer to a browse: <see cref="Check"/> says whether it worked; entries only when it did.</summary>
public sealed record BrowseResult(ProviderCheck Check, IReadOnlyList<BrowseEntry> Entries)
{
    public static BrowseResult Ok(IReadOnlyList<BrowseEntry> entries) => new(ProviderCheck.Success, entries);

    public static BrowseResult Failed(ProviderCheck check) => new(check, []);

    public static BrowseResult Failed(ProviderOutcome outcome, string message) => new(new ProviderCheck(outcome, message), []);
}
