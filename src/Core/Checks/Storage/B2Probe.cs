using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dataraven.Core.VaultProviders;
using Microsoft.Extensions.Options;

namespace Dataraven.Core.Checks.Storage;

/// <summary>
/// Backblaze B2: one <c>b2_authorize_account</c> call (<c>Storage:B2:BaseUrl</c>, default https://api.backblazeb2.com) with
/// HTTP Basic auth. Its answer lists the key's capabilities and, for a key that expires, when.
/// </summary>
public sealed class B2Probe(IHttpClientFactory httpClientFactory, IOptions<StorageOptions> storage, TimeProvider clock) : IStorageProbe
{
    public const string HttpClientName = "Dataraven.Storage.B2";

    public IReadOnlySet<string> Fields { get; } = new HashSet<string> { "application_key_id", "application_key" };

    public async Task<StorageCheck> ProbeAsync(string secretType, IReadOnlyDictionary<string, string> values, CheckTarget target, CancellationToken ct)
    {
        var baseUrl = string.IsNullOrWhiteSpace(storage.Value.B2.BaseUrl) ? B2StorageOptions.DefaultBaseUrl : storage.Value.B2.BaseUrl;
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{values["application_key_id"].Trim()}:{values["application_key"].Trim()}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, ProviderHttp.BuildUrl(baseUrl, "/b2api/v3/b2_authorize_account"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);

        using var response = await httpClientFactory.CreateClient(HttpClientName).SendAsync(request, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) return Classify(response.StatusCode, body);

        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var allowed = root.TryGetProperty("apiInfo", out var apiInfo) && apiInfo.TryGetProperty("storageApi", out var storageApi)
            && storageApi.TryGetProperty("allowed", out var a) ? a
            : root.TryGetProperty("allowed", out var v2) ? v2 : default;
        var capabilities = allowed.ValueKind == JsonValueKind.Object && allowed.TryGetProperty("capabilities", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(c => c.GetString()).ToHashSet()
            : null;
        DateTime? expiresAt = root.TryGetProperty("applicationKeyExpirationTimestamp", out var expiry) && expiry.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds(expiry.GetInt64()).UtcDateTime
            : null;

        var found = capabilities is null ? StorageCapabilities.Unknown
            : new StorageCapabilities(capabilities.Contains("listFiles"), capabilities.Contains("readFiles"), capabilities.Contains("writeFiles"));
        return expiresAt is { } at && at <= clock.GetUtcNow().UtcDateTime
            ? new StorageCheck(CheckStatus.Expired, found, $"The application key expired at {at:yyyy-MM-dd HH:mm} UTC.", expiresAt)
            : new StorageCheck(CheckStatus.Ok, found, null, expiresAt);
    }

    /// <summary>B2's documented errors: <c>{"status", "code", "message"}</c>.</summary>
    private static StorageCheck Classify(HttpStatusCode status, string body)
    {
        var code = "";
        var message = "";
        try
        {
            using var doc = JsonDocument.Parse(body);
            code = doc.RootElement.TryGetProperty("code", out var c) ? c.GetString() ?? "" : "";
            message = doc.RootElement.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
        }
        var said = $"(HTTP {(int)status} {code}): {message}";
        StorageCheck Fail(CheckStatus s, string text) => new(s, StorageCapabilities.Unknown, text);
        return (status, code) switch
        {
            (HttpStatusCode.Unauthorized, "expired" or "expired_auth_token") => Fail(CheckStatus.Expired, $"The application key has expired {said}"),
            (HttpStatusCode.Unauthorized, _) => Fail(CheckStatus.Rejected, $"Backblaze refused the application key id or key {said}"),
            (HttpStatusCode.Forbidden, "transaction_cap_exceeded") or (HttpStatusCode.TooManyRequests, _) =>
                Fail(CheckStatus.RateLimited, $"Backblaze refuses more calls for now {said}"),
            (HttpStatusCode.Forbidden, _) => Fail(CheckStatus.Rejected, $"Backblaze refused the key {said}"),
            ( >= HttpStatusCode.InternalServerError, _) => Fail(CheckStatus.Unreachable, $"Backblaze failed {said}"),
            _ => Fail(CheckStatus.Misconfigured, $"Backblaze refused the request: check Storage:B2:BaseUrl {said}"),
        };
    }
}
