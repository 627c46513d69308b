using Dataraven.Core.Common;
using Dataraven.Core.Secrets;
using Dataraven.Core.Secrets.Catalog;
using Dataraven.Core.VaultConnections;
using FluentValidation.Results;

namespace Dataraven.Tests.Unit.Validation;

/// <summary>Valid requests and values built from the catalog, so a new catalog entry is covered by every table.</summary>
internal static class ValidationSamples
{
    public const string Uuid1 = "6f1c2a9e-3b7d-4c55-9a0e-2d4b8f1e7c30";
    public const string Uuid2 = "0b6a1f3e-9c2d-4e8f-a7b5-3d1c9e2f4a60";

    public const string SasUrl = "https://acme.blob.core.windows.net/backups?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&sig=AbC%2Bd3F%3D";

    public const string ServiceAccountJson = """
        {
          "type": "service_account",
          "project_id": "acme-data",
          "private_key_id": "0123456789abcdef",
          "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n",
          "client_email": "dataraven@acme-data.iam.gserviceaccount.com",
          "client_id": "123456789012345678901"
        }
        """;

    public static string ValidValue(CredentialField field) => field.Check switch
    {
        CredentialCheck.NonEmpty => $"value-of-{field.Name}",
        CredentialCheck.HttpsUrlWithSig => SasUrl,
        CredentialCheck.ServiceAccountJson => ServiceAccountJson,
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    public static AuthMethod Method(string secretType, string authMethod) =>
        SecretCatalog.FindAuthMethod(secretType, authMethod) ?? throw new InvalidOperationException($"{secretType}/{authMethod} not in catalog");

    public static Dictionary<string, string> ValidCredentials(string secretType, string authMethod) =>
        Method(secretType, authMethod).Fields.ToDictionary(f => f.Name, ValidValue);

    public static List<FieldMappingRequest> ValidMappings(VaultType vaultType, string secretType, string authMethod) =>
        Method(secretType, authMethod).Fields
            .Select(f => new FieldMappingRequest { FieldName = f.Name, Reference = ReferenceSyntax.Example(vaultType, f.Name, secretType) })
            .ToList();

    public static CreateSecretRequest DirectSecret(string secretType, string authMethod) => new()
    {
        Name = "Backups bucket",
        Description = "Nightly backups",
        SecretType = secretType,
        AuthMethod = authMethod,
        Credentials = ValidCredentials(secretType, authMethod),
    };

    public static CreateSecretRequest VaultSecret(VaultType vaultType, string secretType, string authMethod) => new()
    {
        Name = "Backups bucket",
        SecretType = secretType,
        AuthMethod = authMethod,
        VaultConnectionId = Uuid1,
        FieldMappings = ValidMappings(vaultType, secretType, authMethod),
    };

    public static CreateVaultConnectionRequest ValidConnection(VaultType type) => type switch
    {
        VaultType.OnePassword => new()
        {
            Name = "DevOps 1Password",
            VaultType = "onepassword",
            Description = "Service account for storage credentials",
            AccessToken = "ops_eyJzaWduSW5BZGRyZXNzIjoibXkuMXBhc3N3b3JkLmNvbSJ9",
        },
        VaultType.Doppler => new()
        {
            Name = "Doppler prod",
            VaultType = "doppler",
            AccessToken = "dp.st.prd.0123456789abcdefABCDEF",
            Project = "storage",
            Config = "prd",
        },
        VaultType.Infisical => new()
        {
            Name = "Infisical",
            VaultType = "infisical",
            ClientId = Uuid1,
            ClientSecret = "a1b2c3d4e5f6",
            ProjectId = Uuid2,
            Environment = "prod",
            SecretPath = "/storage",
        },
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static IReadOnlyDictionary<string, string[]> Errors(this ValidationResult result) =>
        result.ToValidationProblem().Errors;

    /// <summary>For assertion messages: every key and message.</summary>
    public static string Describe(this ValidationResult result) =>
        string.Join("; ", result.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}"));

    public static IEnumerable<(string SecretType, AuthMethod Method)> AllAuthMethods() =>
        SecretCatalog.All.SelectMany(t => t.AuthMethods.Select(m => (t.Id, m)));
}
