namespace Dataraven.Core.Secrets;

// Request shapes shared by the /v1 API (serialized snake_case) and the Blazor secret editor.
// A create carries either Credentials (direct) or VaultConnectionId + FieldMappings (vault).

public sealed class CreateSecretRequest
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? SecretType { get; set; }
    public string? AuthMethod { get; set; }

    /// <summary>Direct secrets: credential field name to value. Keys are catalog field names, not re-cased.</summary>
    public Dictionary<string, string>? Credentials { get; set; }

    /// <summary>Vault secrets: the id (UUID string) of a vault connection of the same team.</summary>
    public string? VaultConnectionId { get; set; }
    public List<FieldMappingRequest>? FieldMappings { get; set; }

    /// <summary>Days the credentials may live before they must be rotated (1-3650); null for no policy.</summary>
    public int? CredentialExpirationDays { get; set; }
    /// <summary>Team members' user ids (UUID strings). Create: null means the creating member. Update: replaces the set ([] clears).</summary>
    public List<string>? OwnerIds { get; set; }
}

/// <summary>
/// PATCH body. Null means "leave unchanged". Credentials and FieldMappings, when given, replace the
/// whole set and must cover every field of the (possibly new) auth method.
/// </summary>
public sealed class UpdateSecretRequest : Common.ExpiryPolicyPatch
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? AuthMethod { get; set; }
    public Dictionary<string, string>? Credentials { get; set; }
    public List<FieldMappingRequest>? FieldMappings { get; set; }

    /// <summary>Team members' user ids (UUID strings). Create: null means the creating member. Update: replaces the set ([] clears).</summary>
    public List<string>? OwnerIds { get; set; }
}

public sealed class FieldMappingRequest
{
    public string? FieldName { get; set; }
    public string? Reference { get; set; }
}

/// <summary>The wire (snake_case) names used as validation error keys, for the UI to place messages.</summary>
public static class SecretFields
{
    public const string Name = "name";
    public const string Description = "description";
    public const string SecretType = "secret_type";
    public const string AuthMethod = "auth_method";
    public const string Credentials = "credentials";
    public const string VaultConnectionId = "vault_connection_id";
    public const string FieldMappings = "field_mappings";
    public const string CredentialExpirationDays = Common.CredentialExpiry.DaysField;
    public const string OwnerIds = Owners.OwnerRules.Field;

    /// <summary><c>credentials.&lt;field&gt;</c></summary>
    public static string Credential(string field) => $"{Credentials}.{field}";

    /// <summary><c>field_mappings[i]</c></summary>
    public static string Mapping(int index) => $"{FieldMappings}[{index}]";

    /// <summary><c>field_mappings[i].field_name</c></summary>
    public static string MappingFieldName(int index) => $"{Mapping(index)}.field_name";

    /// <summary><c>field_mappings[i].reference</c></summary>
    public static string MappingReference(int index) => $"{Mapping(index)}.reference";
}
