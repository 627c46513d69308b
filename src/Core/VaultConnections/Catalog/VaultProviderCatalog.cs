using System.Text.RegularExpressions;
using F = Dataraven.Core.VaultConnections.VaultConnectionFields;

namespace Dataraven.Core.VaultConnections.Catalog;

/// <summary>
/// The one list of vault providers. The validator, the request-to-settings mapping, the wizard, the rotate
/// dialog, the list and the API docs all read it; a new provider is one entry here plus its client.
/// </summary>
public static partial class VaultProviderCatalog
{
    private const string OnePasswordPrefix = "ops_";
    private const string DopplerPrefix = "dp.st.";

    public static readonly IReadOnlyList<VaultProviderDefinition> All =
    [
        new(VaultType.OnePassword, "onepassword", "1Password",
            Tagline: "A service account token, read through the 1Password CLI.",
            LogoColor: "#0572ec", LogoText: "1P",
            TokenPrefix: OnePasswordPrefix,
            Credentials:
            [
                AccessToken("Service account token", OnePasswordPrefix,
                    "At [my.1password.com](https://my.1password.com): Developer Tools → Service Accounts → create one with read " +
                    $"access to the vaults DataRaven should use. The token starts with `{OnePasswordPrefix}`.",
                    $"my.1password.com → Developer Tools → Service Accounts. Starts with `{OnePasswordPrefix}`"),
            ],
            Settings:
            [
                new(F.Vault, "Vault",
                    "Optional: the one vault (its name or ID) this connection may read. The token is checked against it, and " +
                    "every secret's references must point into it. Leave empty for every vault the token can reach.",
                    IsSecret: false, MaxLength: 255, Required: false, Placeholder: "DevOps", NotEmptyWhenGiven: true)
                {
                    Access = VaultFieldAccess.Setting(r => r.Vault, (r, v) => r.Vault = v),
                },
            ],
            References: new(OnePasswordReference(),
                "A 1Password reference looks like op://<vault>/<item>/[<section>/]<field>, with names of letters, digits, " +
                "-, _, . and spaces, optionally followed by ?attribute=... (e.g. ?attribute=otp).",
                (stem, field) => $"op://DevOps/{stem.Replace('_', '-')}-Prod/{field}",
                ScopeOf: OnePasswordVaultOf),
            DocumentationUrl: "https://developer.1password.com/docs/service-accounts/",
            ReadBudget: new(o => o.OnePasswordReadsPerHour),
            SettingsSummary: s => s.Vault is null ? "every vault the token reaches" : $"vault {s.Vault}"),

        new(VaultType.Doppler, "doppler", "Doppler",
            Tagline: "A service token for one project config.",
            LogoColor: "#3391ff", LogoText: "D",
            TokenPrefix: DopplerPrefix,
            Credentials:
            [
                AccessToken("Service token", DopplerPrefix,
                    "In Doppler: your project → the config → Access → Service Tokens → Generate (read access). " +
                    $"The token starts with `{DopplerPrefix}`.",
                    $"Project → Config → Access → Service Tokens. Starts with `{DopplerPrefix}`"),
            ],
            Settings:
            [
                new(F.Project, "Project", "The project's name as shown in Doppler's project list.",
                    IsSecret: false, MaxLength: 255, Placeholder: "backend", HalfWidth: true)
                {
                    Access = VaultFieldAccess.Setting(r => r.Project, (r, v) => r.Project = v),
                },
                new(F.Config, "Config", "The config the token belongs to, e.g. `dev`, `stg` or `prd`.",
                    IsSecret: false, MaxLength: 255, Placeholder: "prd", HalfWidth: true)
                {
                    Access = VaultFieldAccess.Setting(r => r.Config, (r, v) => r.Config = v),
                },
            ],
            References: new(DopplerReference(),
                "A Doppler reference is a secret name of upper-case letters, digits and underscores, not starting with a digit (e.g. AWS_ACCESS_KEY_ID).",
                SecretKeyExample),
            DocumentationUrl: "https://docs.doppler.com/docs/service-tokens",
            SettingsSummary: s => $"{s.Project} / {s.Config}"),

        new(VaultType.Infisical, "infisical", "Infisical",
            Tagline: "A machine identity with Universal Auth; cloud or self-hosted.",
            LogoColor: "#e0b100", LogoText: "I",
            TokenPrefix: null,
            Credentials:
            [
                new(F.ClientId, "Client ID",
                    "Project Settings → Access Control → Machine Identities → your identity → Universal Auth: the client ID.",
                    IsSecret: false, MaxLength: 36, VaultFieldFormat.Uuid,
                    "Client ID must be the Universal Auth client ID, a UUID like 6f1c2a9e-3b7d-4c55-9a0e-2d4b8f1e7c30.",
                    Placeholder: "6f1c2a9e-3b7d-…",
                    RotateHint: "Project Settings → Access Control → Machine Identities → Universal Auth.",
                    HalfWidth: true)
                {
                    Access = VaultFieldAccess.Credential(r => r.ClientId, (r, v) => r.ClientId = v),
                },
                new(F.ClientSecret, "Client secret",
                    "Created on the same Universal Auth page (Create client secret); Infisical shows it once.",
                    IsSecret: true, MaxLength: 1000,
                    RotateHint: "Create a new client secret there, rotate here, then revoke the old one in Infisical.",
                    HalfWidth: true, Verbatim: true)
                {
                    Access = VaultFieldAccess.Credential(r => r.ClientSecret, (r, v) => r.ClientSecret = v),
                },
            ],
            Settings:
            [
                new(F.ProjectId, "Project ID",
                    "Project Settings → Project ID (a UUID). The machine identity must be a member of this project.",
                    IsSecret: false, MaxLength: 36, VaultFieldFormat.Uuid,
                    "Project ID must be the Infisical project ID, a UUID (Project settings → Project ID).",
                    Placeholder: "0f9e8d7c-6b5a-4321-8fed-cba987654321")
                {
                    Access = VaultFieldAccess.Setting(r => r.ProjectId, (r, v) => r.ProjectId = v),
                },
                new(F.Environment, "Environment",
                    "The environment's slug (Project Settings → Environments), e.g. `dev` or `prod`.",
                    IsSecret: false, MaxLength: 100, VaultFieldFormat.Slug,
                    "Environment must be the environment's slug (lower-case letters, digits, - and _), like dev or prod.",
                    Placeholder: "prod", HalfWidth: true)
                {
                    Access = VaultFieldAccess.Setting(r => r.Environment, (r, v) => r.Environment = v),
                },
                new(F.SecretPath, "Secret path",
                    "The folder to read from; `/` is the root. Starts with `/`.",
                    IsSecret: false, MaxLength: 500, VaultFieldFormat.AbsolutePath,
                    "Secret path must start with /, like / or /storage/prod.",
                    Required: false, Placeholder: "/", Default: "/", HalfWidth: true)
                {
                    Access = VaultFieldAccess.Setting(r => r.SecretPath, (r, v) => r.SecretPath = v),
                },
            ],
            References: new(InfisicalReference(),
                "An Infisical reference is a secret key without spaces, ':' or '/' (e.g. AWS_ACCESS_KEY_ID); the folder comes from the connection's secret path.",
                SecretKeyExample),
            DocumentationUrl: "https://infisical.com/docs/documentation/platform/identities/universal-auth",
            SettingsSummary: s => $"environment {s.Environment}, path {s.SecretPath ?? "/"}"),
    ];

    /// <summary>The <c>vault_type</c> values, in catalog order (for the OpenAPI enum and messages).</summary>
    public static IEnumerable<string> WireNames => All.Select(p => p.WireName);

    public static VaultProviderDefinition Get(VaultType type) =>
        All.FirstOrDefault(p => p.Type == type) ?? throw new ArgumentOutOfRangeException(nameof(type), type, "Not in the vault provider catalog.");

    public static VaultProviderDefinition? Find(string? wireName) => All.FirstOrDefault(p => p.WireName == wireName);

    /// <summary>Every provider-specific field of any provider, once per wire name, in catalog order.</summary>
    public static IEnumerable<VaultField> AllFields => All.SelectMany(p => p.Fields).DistinctBy(f => f.WireName);

    public static IEnumerable<VaultField> AllCredentials => All.SelectMany(p => p.Credentials).DistinctBy(f => f.WireName);

    /// <summary>A provider-specific field by its wire name (its value's accessors are the same for every provider that takes it).</summary>
    public static VaultField Field(string wireName) =>
        AllFields.FirstOrDefault(f => f.WireName == wireName)
        ?? throw new ArgumentOutOfRangeException(nameof(wireName), wireName, "Not a provider-specific field.");

    public static VaultField Credential(string wireName) =>
        AllCredentials.FirstOrDefault(f => f.WireName == wireName)
        ?? throw new ArgumentOutOfRangeException(nameof(wireName), wireName, "Not a credential field.");

    private static VaultField AccessToken(string label, string prefix, string hint, string rotateHint) =>
        new(F.AccessToken, label, hint, IsSecret: true, MaxLength: 4096, VaultFieldFormat.TokenPrefix,
            Placeholder: $"{prefix}…", RotateHint: rotateHint, ErrorLabel: "Access token")
        {
            Access = VaultFieldAccess.Credential(r => r.AccessToken, (r, v) => r.AccessToken = v),
        };

    private static string SecretKeyExample(string stem, string field) => $"{stem}_{field}".ToUpperInvariant();

    // A name segment: letters, digits, '-', '_', '.', spaces; not starting or ending with a space
    // (a stray space around a '/' is almost always a typo, and op would not find the item).
    private const string OnePasswordName = @"[\p{L}\p{Nd}_.\-](?:[\p{L}\p{Nd}_.\- ]*[\p{L}\p{Nd}_.\-])?";

    [GeneratedRegex($@"^op://{OnePasswordName}/{OnePasswordName}/(?:{OnePasswordName}/)?{OnePasswordName}(?:\?attribute=[A-Za-z0-9_\-]+)?\z")]
    private static partial Regex OnePasswordReference();

    /// <summary>The vault segment of <c>op://&lt;vault&gt;/...</c>; null when the reference has none.</summary>
    private static string? OnePasswordVaultOf(string reference)
    {
        const string scheme = "op://";
        if (!reference.StartsWith(scheme, StringComparison.Ordinal)) return null;
        var end = reference.IndexOf('/', scheme.Length);
        return end < 0 ? null : reference[scheme.Length..end];
    }

    [GeneratedRegex(@"^[A-Z_][A-Z0-9_]*\z")]
    private static partial Regex DopplerReference();

    [GeneratedRegex(@"^[^\s:/]+\z")]
    private static partial Regex InfisicalReference();
}
