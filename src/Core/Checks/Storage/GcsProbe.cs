using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;

namespace Dataraven.Core.Checks.Storage;

/// <summary>
/// A service account key: its JSON fields and private key are checked locally, then an access token is requested from its
/// <c>token_uri</c> with a signed JWT assertion (Google.Apis.Auth), which proves the key is known and enabled.
/// </summary>
public sealed class GcsProbe : IStorageProbe
{
    public const string DefaultTokenUri = "https://oauth2.googleapis.com/token";
    private const string Scope = "https://www.googleapis.com/auth/devstorage.read_only";

    public IReadOnlySet<string> Fields { get; } = new HashSet<string> { "service_account_json" };

    /// <summary>
    /// The key file is mostly public (type, emails, URLs): redacting every piece of it would erase words like "private_key" from
    /// messages. Its secrets are the private key and its id; a file that does not parse is redacted whole.
    /// </summary>
    public IEnumerable<string> SecretsOf(IReadOnlyDictionary<string, string> values)
    {
        var json = values["service_account_json"];
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                var secrets = new List<string>();
                foreach (var name in (string[])["private_key", "private_key_id"])
                {
                    if (doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } text)
                    {
                        // The base64 body line by line (not the BEGIN/END lines, whose words are in every message about keys).
                        if (!text.Contains("-----", StringComparison.Ordinal)) secrets.Add(text);
                        secrets.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));
                    }
                }
                return secrets;
            }
        }
        catch (JsonException)
        {
        }
        return [json];
    }

    public async Task<StorageCheck> ProbeAsync(string secretType, IReadOnlyDictionary<string, string> values, CheckTarget target, CancellationToken ct)
    {
        if (Parse(values["service_account_json"]) is not { } key)
        {
            return Fail(CheckStatus.Rejected, "This is not a service account key: expected the JSON file with type \"service_account\", client_email and private_key.");
        }
        if (key.Problem is { } problem) return Fail(CheckStatus.Rejected, problem);

        var credential = new ServiceAccountCredential(new ServiceAccountCredential.Initializer(key.ClientEmail, key.TokenUri)
        {
            Scopes = [Scope],
        }.FromPrivateKey(key.PrivateKey));
        try
        {
            var ok = await credential.RequestAccessTokenAsync(ct).ConfigureAwait(false);
            return ok
                ? new StorageCheck(CheckStatus.Ok, StorageCapabilities.Unknown, "Google issued an access token for this key.")
                : Fail(CheckStatus.Rejected, "Google issued no access token for this key.");
        }
        catch (TokenResponseException ex)
        {
            var said = $"({ex.Error?.Error}): {ex.Error?.ErrorDescription}";
            return ex.StatusCode switch
            {
                HttpStatusCode.TooManyRequests => Fail(CheckStatus.RateLimited, $"Google asks to slow down {said}"),
                >= HttpStatusCode.InternalServerError => Fail(CheckStatus.Unreachable, $"Google's token service failed {said}"),
                _ => Fail(CheckStatus.Rejected, $"Google refused the key: it was deleted or disabled, or the service account no longer exists {said}"),
            };
        }
        catch (HttpRequestException ex)
        {
            return Fail(CheckStatus.Unreachable, $"Google's token service could not be reached: {ex.Message}");
        }
    }

    private sealed class KeyParts
    {
        public string ClientEmail { get; init; } = "";
        public string PrivateKey { get; init; } = "";
        public string TokenUri { get; init; } = DefaultTokenUri;
        public string? Problem { get; init; }

        public override string ToString() => nameof(KeyParts);
    }

    private static KeyParts? Parse(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

            if (Text("type") != "service_account") return new KeyParts { Problem = "The key's type must be \"service_account\"." };
            var missing = new[] { "client_email", "private_key" }.Where(n => string.IsNullOrWhiteSpace(Text(n))).ToList();
            if (missing.Count > 0) return new KeyParts { Problem = $"The key lacks {string.Join(" and ", missing)}." };

            var privateKey = Text("private_key")!;
            try
            {
                using var rsa = RSA.Create();
                rsa.ImportFromPem(privateKey);
            }
            catch (Exception ex) when (ex is ArgumentException or CryptographicException)
            {
                return new KeyParts { Problem = "The key's private_key is not a PEM RSA private key." };
            }

            var tokenUri = Text("token_uri") ?? DefaultTokenUri;
            // The signed assertion goes to token_uri: only https, or http to this machine (a test token endpoint).
            if (!Uri.TryCreate(tokenUri, UriKind.Absolute, out var uri) || !(uri.Scheme == "https" || uri.Scheme == "http" && uri.IsLoopback))
            {
                return new KeyParts { Problem = "The key's token_uri must be an https:// URL." };
            }
            return new KeyParts { ClientEmail = Text("client_email")!, PrivateKey = privateKey, TokenUri = tokenUri };
        }
    }

    private static StorageCheck Fail(CheckStatus status, string message) => new(status, StorageCapabilities.Unknown, message);
}
