using Dataraven.Core.VaultConnections.Catalog;

namespace Dataraven.Core.VaultConnections;

// Request shapes shared by the /v1 API (serialized snake_case: AccessToken <-> access_token) and the
// Blazor wizard, which binds to the same classes. Everything is nullable so that "not given" can be
// told apart from "given but empty"; the validators decide what is required.

public sealed class CreateVaultConnectionRequest : IVaultCredentialValues
{
    public string? Name { get; set; }
    public string? VaultType { get; set; }
    public string? Description { get; set; }

    // 1Password and Doppler
    public string? AccessToken { get; set; }

    /// <summary>1Password only: the vault (name or ID) the connection is scoped to; null for every vault the token reaches.</summary>
    public string? Vault { get; set; }

    // Doppler
    public string? Project { get; set; }
    public string? Config { get; set; }

    // Infisical
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string? ProjectId { get; set; }
    public string? Environment { get; set; }

    /// <summary>Infisical only; null means the catalog's default, <c>/</c>.</summary>
    public string? SecretPath { get; set; }

    /// <summary>Check the credentials against the provider before storing. Null counts as true.</summary>
    public bool? Verify { get; set; } = true;

    /// <summary>Days the credentials may live before they must be rotated (1-3650); null for no policy.</summary>
    public int? CredentialExpirationDays { get; set; }
    /// <summary>Team members' user ids (UUID strings). Create: null means the creating member. Update: replaces the set ([] clears).</summary>
    public List<string>? OwnerIds { get; set; }

    /// <summary>A provider-specific value by its wire name, for the rules and forms that the catalog drives.</summary>
    public string? Value(string field) => VaultProviderCatalog.Field(field).Access.Get(this);

    public void SetValue(string field, string? value) => VaultProviderCatalog.Field(field).Access.Set(this, value);
}

public sealed class UpdateVaultConnectionRequest : Common.ExpiryPolicyPatch
{
    public string? Name { get; set; }
    public string? Description { get; set; }

    /// <summary>1Password only: a new vault scope; a change is verified with the stored token before it is kept.</summary>
    public string? Vault { get; set; }

    /// <summary>Team members' user ids (UUID strings). Create: null means the creating member. Update: replaces the set ([] clears).</summary>
    public List<string>? OwnerIds { get; set; }
}

/// <summary>New credentials for an existing connection; which fields apply depends on its vault type.</summary>
public sealed class RotateVaultConnectionRequest : IVaultCredentialValues
{
    public string? AccessToken { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>A credential by its wire name.</summary>
    public string? Value(string field) => VaultProviderCatalog.Credential(field).Access.Get(this);

    public void SetValue(string field, string? value) => VaultProviderCatalog.Credential(field).Access.Set(this, value);
}

/// <summary>The credentials a request carries: both the create and the rotate request take them.</summary>
public interface IVaultCredentialValues
{
    string? AccessToken { get; set; }
    string? ClientId { get; set; }
    string? ClientSecret { get; set; }
}

/// <summary>The wire (snake_case) names used as validation error keys, for the UI to place messages.</summary>
public static class VaultConnectionFields
{
    public const string Name = "name";
    public const string VaultType = "vault_type";
    public const string Description = "description";
    public const string AccessToken = "access_token";
    public const string Project = "project";
    public const string Config = "config";
    public const string ClientId = "client_id";
    public const string ClientSecret = "client_secret";
    public const string ProjectId = "project_id";
    public const string Environment = "environment";
    public const string SecretPath = "secret_path";
    public const string Verify = "verify";
    public const string Vault = "vault";
    public const string CredentialExpirationDays = Common.CredentialExpiry.DaysField;
    public const string OwnerIds = Owners.OwnerRules.Field;
}
