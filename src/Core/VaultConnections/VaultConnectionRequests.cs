using F = Dataraven.Core.VaultConnections.VaultConnectionFields;

namespace Dataraven.Core.VaultConnections;

// Request shapes shared by the /v1 API (serialized snake_case: AccessToken <-> access_token) and the
// Blazor wizard, which binds to the same classes. Everything is nullable so that "not given" can be
// told apart from "given but empty"; the validators decide what is required.

public sealed class CreateVaultConnectionRequest
{
    public string? Name { get; set; }
    public string? VaultType { get; set; }
    public string? Description { get; set; }

    // 1Password and Doppler
    public string? AccessToken { get; set; }

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

    /// <summary>A provider-specific value by its wire name, for the rules and forms that the catalog drives.</summary>
    public string? Value(string field) => field switch
    {
        F.AccessToken => AccessToken,
        F.Project => Project,
        F.Config => Config,
        F.ClientId => ClientId,
        F.ClientSecret => ClientSecret,
        F.ProjectId => ProjectId,
        F.Environment => Environment,
        F.SecretPath => SecretPath,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a provider-specific field."),
    };

    public void SetValue(string field, string? value)
    {
        switch (field)
        {
            case F.AccessToken: AccessToken = value; break;
            case F.Project: Project = value; break;
            case F.Config: Config = value; break;
            case F.ClientId: ClientId = value; break;
            case F.ClientSecret: ClientSecret = value; break;
            case F.ProjectId: ProjectId = value; break;
            case F.Environment: Environment = value; break;
            case F.SecretPath: SecretPath = value; break;
            default: throw new ArgumentOutOfRangeException(nameof(field), field, "Not a provider-specific field.");
        }
    }
}

public sealed class UpdateVaultConnectionRequest
{
    public string? Name { get; set; }
    public string? Description { get; set; }
}

/// <summary>New credentials for an existing connection; which fields apply depends on its vault type.</summary>
public sealed class RotateVaultConnectionRequest
{
    public string? AccessToken { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>A credential by its wire name.</summary>
    public string? Value(string field) => field switch
    {
        F.AccessToken => AccessToken,
        F.ClientId => ClientId,
        F.ClientSecret => ClientSecret,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a credential field."),
    };

    public void SetValue(string field, string? value)
    {
        switch (field)
        {
            case F.AccessToken: AccessToken = value; break;
            case F.ClientId: ClientId = value; break;
            case F.ClientSecret: ClientSecret = value; break;
            default: throw new ArgumentOutOfRangeException(nameof(field), field, "Not a credential field.");
        }
    }
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
}
