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

    /// <summary>Never stored: shown once the credentials are past their <see cref="Common.CredentialExpiry"/> (see <see cref="VaultConnectionStatuses.Of"/>).</summary>
    Expired,
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

/// <summary>A connection's status as shown at a moment: the stored one, or expired past its credentials' expiry.</summary>
public static class VaultConnectionStatuses
{
    public static VaultConnectionStatus Of(VaultConnection connection, DateTime now) =>
        Common.CredentialExpiry.IsExpired(Common.CredentialExpiry.Of(connection), now) ? VaultConnectionStatus.Expired : connection.Status;
}
