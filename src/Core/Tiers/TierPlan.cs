namespace Dataraven.Core.Tiers;

public enum LimitedResource
{
    VaultConnections,
    Secrets,
}

/// <summary>A plan and its limits. Limits are data: adding a tier or a limit is one entry here.</summary>
public sealed record TierPlan(string Id, string DisplayName, int MaxVaultConnections, int MaxSecrets, string Summary)
{
    public int LimitOf(LimitedResource resource) => resource switch
    {
        LimitedResource.VaultConnections => MaxVaultConnections,
        LimitedResource.Secrets => MaxSecrets,
        _ => throw new ArgumentOutOfRangeException(nameof(resource)),
    };
}

public static class TierPlans
{
    public static readonly TierPlan Free = new("free", "Free", MaxVaultConnections: 1, MaxSecrets: 5,
        "For trying DataRaven with one vault.");
    public static readonly TierPlan Pro = new("pro", "Pro", MaxVaultConnections: 10, MaxSecrets: 100,
        "For teams with several vaults and many transfers.");

    public static readonly IReadOnlyList<TierPlan> All = [Free, Pro];

    public static TierPlan? Find(string? id) => All.FirstOrDefault(t => t.Id == id);

    public static TierPlan Get(string id) => Find(id) ?? throw new InvalidOperationException($"Unknown tier '{id}'.");

    public static string WireName(this LimitedResource resource) => resource switch
    {
        LimitedResource.VaultConnections => "vault_connections",
        LimitedResource.Secrets => "secrets",
        _ => throw new ArgumentOutOfRangeException(nameof(resource)),
    };
}
