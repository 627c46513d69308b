using System.Text.RegularExpressions;
using Dataraven.Core.Common;

namespace Dataraven.Core.VaultConnections.Catalog;

/// <summary>The rules of a catalog field. Messages never echo the value: it may be a credential.</summary>
public static partial class VaultFieldChecks
{
    // Infisical environment slugs: the lenient form (lower-case letters, digits, '-' and '_'), not the
    // strict kebab-case one. Infisical's own slugs ("dev", "prod", "staging-eu") pass either way, but
    // custom environments may carry '_' or a doubled '-'; a wrong-but-well-formed slug is caught by
    // verification against Infisical, while a rejected real slug would leave the user stuck.
    [GeneratedRegex(@"^[a-z0-9_-]+\z")]
    private static partial Regex EnvironmentSlug();

    /// <summary>Null when <paramref name="value"/> is acceptable for <paramref name="field"/> of <paramref name="provider"/>, else the message.</summary>
    public static string? Check(VaultProviderDefinition provider, VaultField field, string? value)
    {
        if (value is null ? field.Required : field.Required && string.IsNullOrWhiteSpace(value))
        {
            return $"{field.NameInMessages} is required.";
        }
        if (value is null)
        {
            return null;
        }
        if (field.NotEmptyWhenGiven && string.IsNullOrWhiteSpace(value))
        {
            return $"{field.NameInMessages} cannot be empty: leave it out instead.";
        }
        // A UUID's own check is stricter than its 36 characters and says more.
        var tooLong = field.Format != VaultFieldFormat.Uuid && value.Length > field.MaxLength
            ? $"{field.NameInMessages} must be at most {field.MaxLength} characters."
            : null;
        var malformed = Holds(provider, field, value) ? null : FormatMessage(provider, field);
        // Required text is measured before its shape is checked; an optional path's shape comes first.
        return field.Required ? tooLong ?? malformed : malformed ?? tooLong;
    }

    /// <summary>The message for a field that <paramref name="provider"/> does not take.</summary>
    public static string DoesNotApply(VaultProviderDefinition provider, VaultField field) =>
        $"{field.NameInMessages} does not apply to {provider.DisplayName} connections.";

    private static bool Holds(VaultProviderDefinition provider, VaultField field, string value) => field.Format switch
    {
        VaultFieldFormat.Text => true,
        VaultFieldFormat.TokenPrefix => value.StartsWith(provider.TokenPrefix!, StringComparison.Ordinal),
        VaultFieldFormat.Uuid => ValidationExtensions.IsUuid(value),
        VaultFieldFormat.Slug => EnvironmentSlug().IsMatch(value),
        VaultFieldFormat.AbsolutePath => value.StartsWith('/'),
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    private static string FormatMessage(VaultProviderDefinition provider, VaultField field) =>
        field.Format == VaultFieldFormat.TokenPrefix
            ? $"{field.NameInMessages} must be a {provider.DisplayName} {field.Label.ToLowerInvariant()}, which starts with {provider.TokenPrefix}."
            : field.FormatMessage!;
}
