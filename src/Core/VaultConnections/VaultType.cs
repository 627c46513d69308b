using Dataraven.Core.VaultConnections.Catalog;

namespace Dataraven.Core.VaultConnections;

public enum VaultType
{
    OnePassword,
    Doppler,
    Infisical,
}

public enum VaultConnectionStatus
{
    Verified,
    Unverified,
    Failing,
}

/// <summary>The catalog's answers for the enum stored on a connection.</summary>
public static class VaultTypes
{
    public static readonly IReadOnlyList<VaultType> All = VaultProviderCatalog.All.Select(p => p.Type).ToArray();

    public static string ToWire(this VaultType type) => VaultProviderCatalog.Get(type).WireName;

    public static string DisplayName(this VaultType type) => VaultProviderCatalog.Get(type).DisplayName;

    public static bool TryParse(string? value, out VaultType type)
    {
        var provider = VaultProviderCatalog.Find(value);
        type = provider?.Type ?? default;
        return provider is not null;
    }

    public static string ToWire(this VaultConnectionStatus status) => status.ToString().ToLowerInvariant();
}
