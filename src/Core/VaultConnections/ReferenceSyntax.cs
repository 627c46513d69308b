using System.Text.RegularExpressions;
using Dataraven.Core.Secrets.Catalog;

namespace Dataraven.Core.VaultConnections;

/// <summary>What a field mapping's <c>reference</c> looks like in each vault.</summary>
public static partial class ReferenceSyntax
{
    public const int MaxLength = 1000;

    // A name segment: letters, digits, '-', '_', '.', spaces; not starting or ending with a space
    // (a stray space around a '/' is almost always a typo, and op would not find the item).
    private const string OnePasswordName = @"[\p{L}\p{Nd}_.\-](?:[\p{L}\p{Nd}_.\- ]*[\p{L}\p{Nd}_.\-])?";

    [GeneratedRegex($@"^op://{OnePasswordName}/{OnePasswordName}/(?:{OnePasswordName}/)?{OnePasswordName}(?:\?attribute=[A-Za-z0-9_\-]+)?\z")]
    private static partial Regex OnePasswordPattern();

    [GeneratedRegex(@"^[A-Z_][A-Z0-9_]*\z")]
    private static partial Regex DopplerPattern();

    [GeneratedRegex(@"^[^\s:/]+\z")]
    private static partial Regex InfisicalPattern();

    public static bool IsValid(VaultType vaultType, string? reference)
    {
        if (string.IsNullOrEmpty(reference) || reference.Length > MaxLength)
        {
            return false;
        }
        return vaultType switch
        {
            VaultType.OnePassword => OnePasswordPattern().IsMatch(reference),
            VaultType.Doppler => DopplerPattern().IsMatch(reference),
            VaultType.Infisical => InfisicalPattern().IsMatch(reference),
            _ => throw new ArgumentOutOfRangeException(nameof(vaultType)),
        };
    }

    /// <summary>
    /// Placeholder text for a mapping input, e.g. <c>op://DevOps/AWS-Prod/access_key_id</c> or
    /// <c>AWS_ACCESS_KEY_ID</c>. Pass the secret type for a provider-specific stem.
    /// </summary>
    public static string Example(VaultType vaultType, string fieldName, string? secretType = null)
    {
        var stem = SecretCatalog.Find(secretType)?.ReferenceHint ?? "STORAGE";
        var key = $"{stem}_{fieldName}".ToUpperInvariant();
        return vaultType switch
        {
            VaultType.OnePassword => $"op://DevOps/{stem.Replace('_', '-')}-Prod/{fieldName}",
            VaultType.Doppler => key,
            VaultType.Infisical => key,
            _ => throw new ArgumentOutOfRangeException(nameof(vaultType)),
        };
    }

    /// <summary>The rule in one sentence, for help text and error messages.</summary>
    public static string Describe(VaultType vaultType) => vaultType switch
    {
        VaultType.OnePassword =>
            "A 1Password reference looks like op://<vault>/<item>/[<section>/]<field>, with names of letters, digits, " +
            "-, _, . and spaces, optionally followed by ?attribute=... (e.g. ?attribute=otp).",
        VaultType.Doppler =>
            "A Doppler reference is a secret name of upper-case letters, digits and underscores, not starting with a digit (e.g. AWS_ACCESS_KEY_ID).",
        VaultType.Infisical =>
            "An Infisical reference is a secret key without spaces, ':' or '/' (e.g. AWS_ACCESS_KEY_ID); the folder comes from the connection's secret path.",
        _ => throw new ArgumentOutOfRangeException(nameof(vaultType)),
    };
}
