using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dataraven.Core.VaultProviders;

/// <summary>
/// Makes provider-supplied text safe to show, store and log: control characters removed, whitespace collapsed, every
/// piece of 6 or more characters of any submitted credential removed whatever its case (a provider may echo a token
/// upper-cased, without its prefix, truncated or inside a longer word), anything shaped like a provider token removed,
/// truncated to <see cref="MaxLength"/> characters. Each removed run becomes <c>***</c>.
/// </summary>
public static partial class ProviderMessages
{
    public const int MaxLength = 300;
    public const string Redacted = "***";

    /// <summary>The shortest piece of a credential that is removed; shorter ones are too common to tell from ordinary words.</summary>
    public const int FragmentLength = 6;

    public static string Sanitize(string? message, IEnumerable<string?>? credentials = null)
    {
        if (string.IsNullOrEmpty(message)) return string.Empty;

        var secrets = (credentials ?? []).Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToList();
        // Cleaning can join the pieces of a credential split by control characters, so redact the cleaned text,
        // looking for the credentials both as submitted and as cleaning would leave them.
        secrets.AddRange(secrets.Select(Clean).ToList());

        var text = Redact(Clean(message), secrets);
        text = TokenShape().Replace(text, Redacted);

        if (text.Length > MaxLength)
        {
            var cut = MaxLength - 1;
            if (char.IsHighSurrogate(text[cut - 1])) cut--;
            text = text[..cut] + "…";
        }
        return text;
    }

    private static string Clean(string text)
    {
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
        return sb.ToString().Trim();
    }

    /// <summary>
    /// Marks every character covered by a <see cref="FragmentLength"/>-character window of a credential (ignoring case):
    /// a run of such windows is any longer piece of it too. Credentials shorter than a window are matched whole.
    /// </summary>
    private static string Redact(string text, List<string> secrets)
    {
        if (secrets.Count == 0) return text;

        var windows = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var hidden = new bool[text.Length];
        foreach (var secret in secrets)
        {
            if (secret.Length >= FragmentLength)
            {
                for (var i = 0; i + FragmentLength <= secret.Length; i++) windows.Add(secret.Substring(i, FragmentLength));
                continue;
            }
            if (secret.Length == 0) continue;
            for (var at = text.IndexOf(secret, StringComparison.OrdinalIgnoreCase); at >= 0;
                 at = text.IndexOf(secret, at + 1, StringComparison.OrdinalIgnoreCase))
            {
                Array.Fill(hidden, true, at, secret.Length);
            }
        }

        var lookup = windows.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var i = 0; i + FragmentLength <= text.Length; i++)
        {
            if (lookup.Contains(text.AsSpan(i, FragmentLength))) Array.Fill(hidden, true, i, FragmentLength);
        }

        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (!hidden[i]) sb.Append(text[i]);
            else if (i == 0 || !hidden[i - 1]) sb.Append(Redacted);
        }
        return sb.ToString();
    }

    /// <summary>Doppler service/personal/CLI tokens, 1Password service account tokens, JWTs (Infisical access tokens).</summary>
    [GeneratedRegex(@"\bdp\.(?:st|pt|sa|ct|scim|audit)\.[A-Za-z0-9._\-]+|\bops_[A-Za-z0-9._\-]+|\beyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*", RegexOptions.CultureInvariant)]
    private static partial Regex TokenShape();

    /// <summary>
    /// The human message of a provider's JSON error body: Doppler's <c>messages</c> array or Infisical's
    /// <c>message</c> (string or array). Null when the body is not such JSON.
    /// </summary>
    public static string? ExtractErrorMessage(string? body) => ExtractErrorMessage(body, ["messages", "message", "error"]);

    /// <summary>The first of <paramref name="properties"/> of a JSON error body that holds text (a string, or an array of strings joined).</summary>
    public static string? ExtractErrorMessage(string? body, IReadOnlyList<string> properties)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return null;
            foreach (var name in properties)
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
