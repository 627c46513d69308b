using Dataraven.Core.Secrets;
using Dataraven.Core.Secrets.Catalog;
using Dataraven.Core.Teams;
using Dataraven.Core.Tiers;
using Dataraven.Core.VaultConnections;

namespace Dataraven.Portal.Api;

/// <summary>Enum values in the OpenAPI document come from the same tables the validators read.</summary>
public static class OpenApiEnums
{
    public static void Register()
    {
        var e = OpenApiDocument.EnumValues;
        e[(typeof(CreateVaultConnectionRequest), nameof(CreateVaultConnectionRequest.VaultType))] = () => VaultTypes.All.Select(t => t.ToWire());
        e[(typeof(CreateSecretRequest), nameof(CreateSecretRequest.SecretType))] = () => SecretCatalog.All.Select(t => t.Id);
        e[(typeof(CreateSecretRequest), nameof(CreateSecretRequest.AuthMethod))] = () => SecretCatalog.All.SelectMany(t => t.AuthMethods).Select(m => m.Id).Distinct();
        e[(typeof(UpdateSecretRequest), nameof(UpdateSecretRequest.AuthMethod))] = () => SecretCatalog.All.SelectMany(t => t.AuthMethods).Select(m => m.Id).Distinct();
        e[(typeof(CreateApiKeyRequest), nameof(CreateApiKeyRequest.Role))] = () => TeamRoles.All.Select(r => r.ToWire());
        e[(typeof(ChangeTierRequest), nameof(ChangeTierRequest.Tier))] = () => TierPlans.All.Select(t => t.Id);
        e[(typeof(VaultConnectionResponse), nameof(VaultConnectionResponse.Status))] = () => Enum.GetValues<VaultConnectionStatus>().Select(s => s.ToWire());
        e[(typeof(SecretResponse), nameof(SecretResponse.Source))] = () => ["direct", "vault"];
    }
}
