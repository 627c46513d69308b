using Dataraven.Core.Checks;
using Dataraven.Core.Secrets.Catalog;
using Dataraven.Core.Teams;
using Dataraven.Core.Tiers;
using Dataraven.Core.VaultConnections;
using Dataraven.Core.VaultConnections.Catalog;

namespace Dataraven.Portal.Api;

/// <summary>The allowed values of the API's string fields, read from the same tables the validators read.</summary>
public static class ApiEnumValues
{
    public static IEnumerable<string> VaultTypes() => VaultProviderCatalog.WireNames;

    public static IEnumerable<string> SecretTypes() => SecretCatalog.All.Select(t => t.Id);

    public static IEnumerable<string> AuthMethods() => SecretCatalog.All.SelectMany(t => t.AuthMethods).Select(m => m.Id).Distinct();

    public static IEnumerable<string> Roles() => TeamRoles.All.Select(r => r.ToWire());

    public static IEnumerable<string> Tiers() => TierPlans.All.Select(t => t.Id);

    public static IEnumerable<string> LimitedResources() => Enum.GetValues<LimitedResource>().Select(r => r.WireName());

    public static IEnumerable<string> ConnectionStatuses() => Enum.GetValues<VaultConnectionStatus>().Select(s => s.ToWire());

    public static IEnumerable<string> CheckStatuses() => Core.Checks.CheckStatuses.All.Select(s => s.ToWire());

    public static IEnumerable<string> SecretSources() => [SecretResponse.DirectSource, SecretResponse.VaultSource];
}
