using Dataraven.Core.Secrets.Catalog;
using Dataraven.Core.VaultProviders;

namespace Dataraven.Core.VaultConnections;

/// <summary>One proposed mapping for "Fill from vault": a credential field and the browsed entry whose name matches its label.</summary>
public sealed record ReferenceSuggestion(string FieldName, string FieldLabel, string EntryName, string Reference);

/// <summary>
/// "Fill from vault": maps each credential field of an auth method to a browsed name by label. Names are compared as their
/// letters and digits only, ignoring case (<c>access_key_id</c> = <c>AWS_ACCESS_KEY_ID</c> after the prefix = "Access key ID");
/// without an exact match, the shortest name that ends with the field's name or label wins (<c>AWS_ACCESS_KEY_ID</c> for
/// <c>access_key_id</c>). Each field is matched once and each entry used once; the user confirms every suggestion.
/// </summary>
public static class ReferenceSuggestions
{
    /// <summary>Letters and digits of <paramref name="name"/>, lower-cased: "AWS_ACCESS_KEY_ID" → "awsaccesskeyid".</summary>
    public static string Normalize(string? name) =>
        new((name ?? "").Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>Whether <paramref name="entryName"/> (with <paramref name="prefix"/> removed) names the field.</summary>
    public static bool IsExactMatch(CredentialField field, string entryName, string? prefix = null)
    {
        var name = Normalize(StripPrefix(entryName, prefix));
        return name.Length > 0 && (name == Normalize(field.Name) || name == Normalize(field.Label));
    }

    public static IReadOnlyList<ReferenceSuggestion> Suggest(AuthMethod method, IEnumerable<BrowseEntry> entries, string? prefix = null)
    {
        var candidates = entries
            .Where(e => e.Reference is not null)
            .Where(e => string.IsNullOrEmpty(prefix) || e.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var used = new HashSet<BrowseEntry>();
        var suggestions = new List<ReferenceSuggestion>();
        foreach (var field in method.Fields)
        {
            var keys = new[] { Normalize(field.Name), Normalize(field.Label) }.Where(k => k.Length > 0).Distinct().ToArray();
            var free = candidates.Where(e => !used.Contains(e)).ToList();
            var match = free.FirstOrDefault(e => IsExactMatch(field, e.Name, prefix))
                ?? free.Where(e => keys.Any(k => Normalize(StripPrefix(e.Name, prefix)).EndsWith(k, StringComparison.Ordinal)))
                    .OrderBy(e => e.Name.Length).ThenBy(e => e.Name, StringComparer.Ordinal).FirstOrDefault();
            if (match is null) continue;
            used.Add(match);
            suggestions.Add(new ReferenceSuggestion(field.Name, field.Label, match.Name, match.Reference!));
        }
        return suggestions;
    }

    private static string StripPrefix(string name, string? prefix) =>
        !string.IsNullOrEmpty(prefix) && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? name[prefix.Length..] : name;
}
