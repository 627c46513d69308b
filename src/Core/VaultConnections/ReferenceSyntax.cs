using Dataraven.Core.Secrets.Catalog;
using Dataraven.Core.VaultConnections.Catalog;

namespace Dataraven.Core.VaultConnections;

/// <summary>What a field mapping's <c>reference</c> looks like in each vault (the syntaxes are in the catalog).</summary>
public static class ReferenceSyntax
{
    public const int MaxLength = 1000;

    public static bool IsValid(VaultType vaultType, string? reference) =>
        !string.IsNullOrEmpty(reference) && reference.Length <= MaxLength
        && VaultProviderCatalog.Get(vaultType).References.Pattern.IsMatch(reference);

    /// <summary>
    /// Placeholder text for a mapping input, e.g. <c>op://DevOps/AWS-Prod/access_key_id</c> or
    /// <c>AWS_ACCESS_KEY_ID</c>. Pass the secret type for a provider-specific stem.
    /// </summary>
    public static string Example(VaultType vaultType, string fieldName, string? secretType = null) =>
        VaultProviderCatalog.Get(vaultType).References.Example(SecretCatalog.Find(secretType)?.ReferenceHint ?? "STORAGE", fieldName);

    /// <summary>
    /// Whether <paramref name="reference"/> points into <paramref name="scope"/>, the vault a connection is scoped to (null: any).
    /// Vault names and IDs are compared ignoring case, as <c>op</c> does.
    /// </summary>
    public static bool InScope(VaultType vaultType, string? scope, string reference) =>
        scope is null || VaultProviderCatalog.Get(vaultType).References.ScopeOf is not { } scopeOf
        || string.Equals(scopeOf(reference), scope, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Why <paramref name="reference"/> cannot be read through a connection scoped to <paramref name="scope"/> (e.g. after
    /// the connection's vault changed); null when it can.
    /// </summary>
    public static string? OutOfScope(VaultType vaultType, string? scope, string reference) =>
        InScope(vaultType, scope, reference) || VaultProviderCatalog.Get(vaultType).References.ScopeOf is not { } scopeOf
            ? null
            : $"References vault '{scopeOf(reference)}', the connection now reads '{scope}': pick a reference in '{scope}'.";

    /// <summary>The rule in one sentence, for help text and error messages.</summary>
    public static string Describe(VaultType vaultType) => VaultProviderCatalog.Get(vaultType).References.Description;
}
