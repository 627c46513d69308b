using System.Text.RegularExpressions;
using Dataraven.Core.Checks;
using Dataraven.Core.VaultProviders;

namespace Dataraven.Core.VaultConnections.Catalog;

/// <summary>What a vault connection field's value must look like beyond its length.</summary>
public enum VaultFieldFormat
{
    /// <summary>Any text.</summary>
    Text,

    /// <summary>Starts with the provider's <see cref="VaultProviderDefinition.TokenPrefix"/>.</summary>
    TokenPrefix,

    /// <summary>A UUID in its 8-4-4-4-12 form.</summary>
    Uuid,

    /// <summary>An environment slug: lower-case letters, digits, <c>-</c> and <c>_</c>.</summary>
    Slug,

    /// <summary>A folder path starting with <c>/</c>.</summary>
    AbsolutePath,
}

/// <param name="WireName">The request's field name and the key of its validation errors.</param>
/// <param name="Label">Form label.</param>
/// <param name="Hint">Where to find the value, as inline Markdown (code spans, links).</param>
/// <param name="IsSecret">Masked in forms (with a show/hide toggle). An identifier such as a client ID is not.</param>
/// <param name="FormatMessage">The error when <paramref name="Format"/> fails (token prefixes phrase their own).</param>
/// <param name="Default">Stored when the optional field is left out.</param>
/// <param name="RotateHint">The hint in the rotate dialog, when it differs from the wizard's.</param>
/// <param name="HalfWidth">Short enough to share a form row with the next half-width field.</param>
/// <param name="Verbatim">Stored exactly as typed; other values are trimmed.</param>
/// <param name="ErrorLabel">How error messages name the field, when not by its label.</param>
/// <param name="NotEmptyWhenGiven">An optional field that, when given, must not be empty (leave it out instead).</param>
public sealed record VaultField(
    string WireName,
    string Label,
    string Hint,
    bool IsSecret,
    int MaxLength,
    VaultFieldFormat Format = VaultFieldFormat.Text,
    string? FormatMessage = null,
    bool Required = true,
    string? Placeholder = null,
    string? Default = null,
    string? RotateHint = null,
    bool HalfWidth = false,
    bool Verbatim = false,
    string? ErrorLabel = null,
    bool NotEmptyWhenGiven = false)
{
    /// <summary>Where the value lives on the requests that carry it.</summary>
    public required VaultFieldAccess Access { get; init; }

    public string NameInMessages => ErrorLabel ?? Label;

    /// <summary>The value to store for what the request carried (already validated).</summary>
    public string? Normalize(string? value) =>
        string.IsNullOrEmpty(value) ? Default : Verbatim ? value : value.Trim();
}

/// <summary>
/// Reads and writes one field's value on the requests: a credential on both requests that carry credentials (create and
/// rotate), a setting on the create request only.
/// </summary>
public abstract class VaultFieldAccess
{
    public abstract string? Get(CreateVaultConnectionRequest request);

    public abstract void Set(CreateVaultConnectionRequest request, string? value);

    public virtual string? Get(RotateVaultConnectionRequest request) => throw NotACredential();

    public virtual void Set(RotateVaultConnectionRequest request, string? value) => throw NotACredential();

    public static VaultFieldAccess Credential(Func<IVaultCredentialValues, string?> get, Action<IVaultCredentialValues, string?> set) =>
        new CredentialAccess(get, set);

    public static VaultFieldAccess Setting(Func<CreateVaultConnectionRequest, string?> get, Action<CreateVaultConnectionRequest, string?> set) =>
        new SettingAccess(get, set);

    private static InvalidOperationException NotACredential() => new("A setting is not carried by the rotate request.");

    private sealed class CredentialAccess(Func<IVaultCredentialValues, string?> get, Action<IVaultCredentialValues, string?> set) : VaultFieldAccess
    {
        public override string? Get(CreateVaultConnectionRequest request) => get(request);

        public override void Set(CreateVaultConnectionRequest request, string? value) => set(request, value);

        public override string? Get(RotateVaultConnectionRequest request) => get(request);

        public override void Set(RotateVaultConnectionRequest request, string? value) => set(request, value);
    }

    private sealed class SettingAccess(Func<CreateVaultConnectionRequest, string?> get, Action<CreateVaultConnectionRequest, string?> set) : VaultFieldAccess
    {
        public override string? Get(CreateVaultConnectionRequest request) => get(request);

        public override void Set(CreateVaultConnectionRequest request, string? value) => set(request, value);
    }
}

/// <summary>What a field mapping's <c>reference</c> looks like in one vault.</summary>
/// <param name="Description">The rule in one sentence, for help text and error messages.</param>
/// <param name="Example">An example reference from a secret type's stem (<c>AWS</c>) and a credential field name.</param>
/// <param name="ScopeOf">The vault a reference points into, for providers whose connections can be scoped to one vault.</param>
public sealed record VaultReferenceSyntax(Regex Pattern, string Description, Func<string, string, string> Example,
    Func<string, string?>? ScopeOf = null);

/// <summary>A provider whose reads are rationed per connection and clock hour (1Password rate-limits service accounts per hour).</summary>
/// <param name="PerHour">The reads one connection may make per hour, from the options.</param>
public sealed record VaultReadBudget(Func<ChecksOptions, int> PerHour);

/// <param name="WireName">The <c>vault_type</c> on the wire.</param>
/// <param name="Tagline">One line under the provider's name on the wizard's provider card.</param>
/// <param name="TokenPrefix">How the provider's access tokens start, for providers that use one.</param>
/// <param name="SettingsSummary">The settings in a few characters, for the list; null when there are none.</param>
/// <param name="ReadBudget">The hourly budget checks spend reading references; null when reads are not rationed.</param>
public sealed record VaultProviderDefinition(
    VaultType Type,
    string WireName,
    string DisplayName,
    string Tagline,
    string LogoColor,
    string LogoText,
    string? TokenPrefix,
    IReadOnlyList<VaultField> Credentials,
    IReadOnlyList<VaultField> Settings,
    VaultReferenceSyntax References,
    string DocumentationUrl,
    Func<VaultConnectionSettings, string>? SettingsSummary = null,
    VaultReadBudget? ReadBudget = null)
{
    /// <summary>Credentials first, then settings: the order of the form and of validation errors.</summary>
    public IEnumerable<VaultField> Fields => Credentials.Concat(Settings);

    /// <summary>"Service token", "Client ID and client secret".</summary>
    public string CredentialSummary =>
        string.Join(" and ", Credentials.Select((f, i) => i == 0 ? f.Label : char.ToLowerInvariant(f.Label[0]) + f.Label[1..]));

    public bool Has(string wireName) => Fields.Any(f => f.WireName == wireName);
}
