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

public static class VaultTypes
{
    public static readonly IReadOnlyList<VaultType> All = [VaultType.OnePassword, VaultType.Doppler, VaultType.Infisical];

    public static string ToWire(this VaultType type) => type switch
    {
        VaultType.OnePassword => "onepassword",
        VaultType.Doppler => "doppler",
        VaultType.Infisical => "infisical",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static string DisplayName(this VaultType type) => type switch
    {
        VaultType.OnePassword => "1Password",
        VaultType.Doppler => "Doppler",
        VaultType.Infisical => "Infisical",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static bool TryParse(string? value, out VaultType type)
    {
        foreach (var t in All)
        {
            if (t.ToWire() == value) { type = t; return true; }
        }
        type = default;
        return false;
    }

    public static string ToWire(this VaultConnectionStatus status) => status.ToString().ToLowerInvariant();
}
