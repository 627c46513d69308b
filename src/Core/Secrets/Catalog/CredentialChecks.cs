using System.Text.Json;

namespace Dataraven.Core.Secrets.Catalog;

/// <summary>Shape checks for credential values. Messages never echo the value: it is a credential.</summary>
public static class CredentialChecks
{
    /// <summary>Null when <paramref name="value"/> is acceptable for <paramref name="field"/>, else a message for the user.</summary>
    public static string? Check(CredentialField field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return $"{field.Label} is required.";
        }
        if (value.Length > field.MaxLength)
        {
            return $"{field.Label} must be at most {field.MaxLength} characters.";
        }
        return field.Check switch
        {
            CredentialCheck.NonEmpty => null,
            CredentialCheck.HttpsUrlWithSig => CheckSasUrl(field, value),
            CredentialCheck.ServiceAccountJson => CheckServiceAccountJson(field, value),
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
    }

    private static string? CheckSasUrl(CredentialField field, string value)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.Host.Length == 0)
        {
            return $"{field.Label} must be an https:// URL.";
        }
        var hasSignature = uri.Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Any(kv => kv.Length == 2 && kv[0].Equals("sig", StringComparison.OrdinalIgnoreCase) && kv[1].Length > 0);
        return hasSignature
            ? null
            : $"{field.Label} has no signature (sig=...). Copy the full SAS URL, including its query string.";
    }

    private static string? CheckServiceAccountJson(CredentialField field, string value)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(value);
        }
        catch (JsonException)
        {
            return $"{field.Label} is not valid JSON. Paste the whole key file downloaded from Google Cloud.";
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return $"{field.Label} must be a JSON object (the whole key file, starting with {{).";
            }
            if (StringProperty(root, "type") != "service_account")
            {
                return $"{field.Label} must have \"type\": \"service_account\". Create a service account key, not an OAuth client.";
            }
            if (string.IsNullOrWhiteSpace(StringProperty(root, "client_email")))
            {
                return $"{field.Label} has no \"client_email\". Paste the whole key file.";
            }
            if (string.IsNullOrWhiteSpace(StringProperty(root, "private_key")))
            {
                return $"{field.Label} has no \"private_key\". Paste the whole key file.";
            }
            return null;
        }
    }

    private static string? StringProperty(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}
