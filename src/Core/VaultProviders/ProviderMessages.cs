using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dataraven.Core.VaultProviders;

/// <summary>
/// Makes provider-supplied text safe to show and log: trimmed, control characters removed, whitespace
/// collapsed, every presented credential value (and anything shaped like a provider token) replaced by
/// <c>***</c>, truncated to <see cref="MaxLength"/> characters.
/// </summary>
public static partial class ProviderMessages
{
    public const int MaxLength = 300;
    public const string Redacted = "***";

    public static string Sanitize(string? message, IEnumerable<string?>? credentials = null)
    {
        if (string.IsNullOrEmpty(message)) return string.Empty;

        var secrets = (credentials ?? [])
            .Where(s => !string.IsNullOrEmpty(s))
            .Select(s => s!)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToList();

        var text = Redact(message, secrets);

        var sb = new StringBuilder(text.Length);
        var lastWasSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!lastWasSpace && sb.Length > 0) sb.Append(' ');
                lastWasSpace = true;
            }
            else if (!char.IsControl(c) && char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format)
            {
                sb.Append(c);
                lastWasSpace = false;
            }
        }

        // Removing control characters may have joined the pieces of a credential: redact again.
        text = Redact(sb.ToString().Trim(), secrets);
        text = TokenShape().Replace(text, Redacted);

        if (text.Length > MaxLength)
        {
            var cut = MaxLength - 1;
            if (char.IsHighSurrogate(text[cut - 1])) cut--;
            text = text[..cut] + "…";
        }
        return text;
    }

    private static string Redact(string text, List<string> secrets)
    {
        foreach (var secret in secrets)
        {
            text = text.Replace(secret, Redacted, StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>Doppler service/personal/CLI tokens, 1Password service account tokens, JWTs (Infisical access tokens).</summary>
    [GeneratedRegex(@"\bdp\.(?:st|pt|sa|ct|scim|audit)\.[A-Za-z0-9._\-]+|\bops_[A-Za-z0-9._\-]+|\beyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*", RegexOptions.CultureInvariant)]
    private static partial Regex TokenShape();

    /// <summary>
    /// The human message of a provider's JSON error body: Doppler's <c>messages</c> array or Infisical's
    /// <c>message</c> (string or array). Null when the body is not such JSON.
    /// </summary>
    public static string? ExtractErrorMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return null;
            foreach (var name in (string[])["messages", "message", "error"])
            {
                if (!doc.RootElement.TryGetProperty(name, out var value)) continue;
                var text = value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Array => string.Join("; ", value.EnumerateArray()
                        .Where(e => e.ValueKind == JsonValueKind.String)
                        .Select(e => e.GetString())),
                    _ => null,
                };
                if (!string.IsNullOrWhiteSpace(text)) return text;
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
