namespace Dataraven.Core.Secrets.Catalog;

/// <summary>
/// The one list of storage providers a secret can be for. The editor's fields, the validator and the
/// docs all read it; adding a provider is one entry in <see cref="All"/>.
/// </summary>
public static class SecretCatalog
{
    public static readonly IReadOnlyList<SecretTypeDefinition> All =
    [
        new("s3", "Amazon S3", "cloud", "AWS",
        [
            new("s3_access_key", "Access key",
            [
                AccessKeyId("AWS console → IAM → Users → your user → Security credentials → Access keys."),
                SecretAccessKey("Shown once, when the access key is created in the AWS IAM console."),
            ]),
        ]),
        new("azure_blob", "Azure Blob Storage", "cloud_queue", "AZURE",
        [
            new("azure_account_key", "Storage account key",
            [
                new("account_name", "Storage account name",
                    "Azure portal → Storage accounts: the name of the account that holds the container.",
                    IsSecret: false),
                new("account_key", "Account key",
                    "Azure portal → your storage account → Security + networking → Access keys → key1 or key2."),
            ]),
            new("azure_sas_url", "SAS URL",
            [
                new("sas_url", "SAS URL",
                    "Azure portal → your storage account → Shared access signature (or the container's " +
                    "Shared access tokens) → Generate SAS → Blob SAS URL. It starts with https:// and contains sig=.",
                    Check: CredentialCheck.HttpsUrlWithSig),
            ]),
        ]),
        new("gcs", "Google Cloud Storage", "cloud_circle", "GCS",
        [
            new("gcs_service_account", "Service account key",
            [
                new("service_account_json", "Service account key (JSON)",
                    "Google Cloud console → IAM & Admin → Service accounts → your account → Keys → " +
                    "Add key → Create new key → JSON. Paste the whole file.",
                    Multiline: true, Check: CredentialCheck.ServiceAccountJson, MaxLength: 16384),
            ]),
        ]),
        new("r2", "Cloudflare R2", "cloud_sync", "R2",
        [
            new("r2_access_key", "R2 API token",
            [
                AccessKeyId("Cloudflare dashboard → R2 → Manage R2 API Tokens → Create API token → Access Key ID."),
                SecretAccessKey("Shown once after creating the R2 API token, as Secret Access Key."),
            ]),
        ]),
        new("b2", "Backblaze B2", "cloud_done", "B2",
        [
            new("b2_application_key", "Application key",
            [
                new("application_key_id", "Application key ID",
                    "Backblaze web console → Application Keys → Add a New Application Key → keyID.",
                    IsSecret: false),
                new("application_key", "Application key",
                    "Shown once after adding the application key in the Backblaze console, as applicationKey."),
            ]),
        ]),
        S3Compatible("wasabi", "Wasabi", "WASABI", "Wasabi console → Access Keys → Create new access key"),
        S3Compatible("railway", "Railway Buckets", "RAILWAY", "Railway dashboard → your project → the bucket service → Credentials"),
        S3Compatible("oracle_object_storage_s3", "Oracle Object Storage (S3 compatible)", "OCI",
            "OCI console → Profile → User settings → Customer secret keys → Generate secret key"),
        S3Compatible("s3_compatible", "Other S3-compatible storage", "S3", "your storage provider's console, under its S3 or API keys section"),
        S3Compatible("tigris", "Tigris", "TIGRIS", "Tigris console → Access Keys → Create new access key"),
        S3Compatible("digitalocean_spaces", "DigitalOcean Spaces", "DO_SPACES",
            "DigitalOcean control panel → Spaces Object Storage → Access Keys → Create Access Key"),
        S3Compatible("hetzner", "Hetzner Object Storage", "HETZNER",
            "Hetzner Cloud console → your project → Security → S3 credentials → Generate credentials"),
        S3Compatible("rabata", "Rabata", "RABATA", "Rabata console → Access Keys → Create access key"),
    ];

    public static SecretTypeDefinition? Find(string? secretType) => All.FirstOrDefault(t => t.Id == secretType);

    public static AuthMethod? FindAuthMethod(string? secretType, string? authMethod) =>
        Find(secretType)?.FindAuthMethod(authMethod);

    /// <summary>The many providers that speak the S3 API with an access key pair: one auth method, <c>&lt;id&gt;_access_key</c>.</summary>
    private static SecretTypeDefinition S3Compatible(string id, string displayName, string referenceHint, string whereToFind) =>
        new(id, displayName, "cloud", referenceHint,
        [
            new($"{id}_access_key", "Access key",
            [
                AccessKeyId($"{Capitalize(whereToFind)}: Access key ID."),
                SecretAccessKey($"Shown once when the key is created ({whereToFind})."),
            ]),
        ]);

    private static CredentialField AccessKeyId(string help) =>
        new("access_key_id", "Access key ID", help, IsSecret: false);

    private static CredentialField SecretAccessKey(string help) =>
        new("secret_access_key", "Secret access key", help);

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
