using System.Reflection;
using System.Text.Json.Nodes;
using Dataraven.Core.Secrets;
using Dataraven.Core.VaultConnections;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Dataraven.Portal.Api.OpenApi;

/// <summary>String fields whose values come from a catalog or table get those values as their enum.</summary>
internal sealed class CatalogEnumTransformer : IOpenApiSchemaTransformer
{
    private static readonly Dictionary<(Type Type, string Property), Func<IEnumerable<string>>> ValuesOf = new()
    {
        [(typeof(CreateVaultConnectionRequest), nameof(CreateVaultConnectionRequest.VaultType))] = ApiEnumValues.VaultTypes,
        [(typeof(VaultConnectionResponse), nameof(VaultConnectionResponse.VaultType))] = ApiEnumValues.VaultTypes,
        [(typeof(VaultConnectionResponse), nameof(VaultConnectionResponse.Status))] = ApiEnumValues.ConnectionStatuses,
        [(typeof(CreateSecretRequest), nameof(CreateSecretRequest.SecretType))] = ApiEnumValues.SecretTypes,
        [(typeof(CreateSecretRequest), nameof(CreateSecretRequest.AuthMethod))] = ApiEnumValues.AuthMethods,
        [(typeof(UpdateSecretRequest), nameof(UpdateSecretRequest.AuthMethod))] = ApiEnumValues.AuthMethods,
        [(typeof(SecretResponse), nameof(SecretResponse.SecretType))] = ApiEnumValues.SecretTypes,
        [(typeof(SecretResponse), nameof(SecretResponse.AuthMethod))] = ApiEnumValues.AuthMethods,
        [(typeof(SecretResponse), nameof(SecretResponse.Source))] = ApiEnumValues.SecretSources,
        [(typeof(SecretResponse), nameof(SecretResponse.VaultType))] = ApiEnumValues.VaultTypes,
        [(typeof(SecretHealthResponse), nameof(SecretHealthResponse.Status))] = ApiEnumValues.CheckStatuses,
        [(typeof(SecretCheckResponse), nameof(SecretCheckResponse.Status))] = ApiEnumValues.CheckStatuses,
        [(typeof(SecretCheckResponse), nameof(SecretCheckResponse.ErrorClass))] = ApiEnumValues.CheckStatuses,
        [(typeof(FieldCheckResponse), nameof(FieldCheckResponse.Status))] = ApiEnumValues.CheckStatuses,
        [(typeof(StorageCheckResponse), nameof(StorageCheckResponse.Status))] = ApiEnumValues.CheckStatuses,
        [(typeof(CreateApiKeyRequest), nameof(CreateApiKeyRequest.Role))] = ApiEnumValues.Roles,
        [(typeof(ApiKeyResponse), nameof(ApiKeyResponse.Role))] = ApiEnumValues.Roles,
        [(typeof(ApiKeyCreatedResponse), nameof(ApiKeyCreatedResponse.Role))] = ApiEnumValues.Roles,
        [(typeof(ChangeTierRequest), nameof(ChangeTierRequest.Tier))] = ApiEnumValues.Tiers,
        [(typeof(UsageResponse), nameof(UsageResponse.Tier))] = ApiEnumValues.Tiers,
    };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is { AttributeProvider: MemberInfo member } property &&
            ValuesOf.TryGetValue((property.DeclaringType, member.Name), out var values))
        {
            var allowed = values().Select(v => (JsonNode?)JsonValue.Create(v));
            // A nullable field (e.g. vault_type of a direct secret) may also be null.
            schema.Enum = (schema.Type?.HasFlag(JsonSchemaType.Null) == true ? allowed.Append(null) : allowed).ToList()!;
        }
        return Task.CompletedTask;
    }
}
