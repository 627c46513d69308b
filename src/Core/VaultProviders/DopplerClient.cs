using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dataraven.Core.Checks;
using Dataraven.Core.VaultConnections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dataraven.Core.VaultProviders;

/// <summary>
/// Verifies a Doppler service token against a project/config:
/// <c>GET {BaseUrl}/v3/configs/config?project=&amp;config=</c> with <c>Authorization: Bearer dp.st...</c>.
/// </summary>
public sealed class DopplerClient : IVaultProviderClient
{
    public const string HttpClientName = "Dataraven.Vaults.Doppler";
    public const string AccessTokenField = "access_token";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly VaultProviderOptions _options;
    private readonly ILogger<DopplerClient> _logger;

    public DopplerClient(IHttpClientFactory httpClientFactory, IOptions<VaultProviderOptions> options, ILogger<DopplerClient> logger)
    {
        _httpClientFactory = httpClientFactory;
        _options = options.Value;
        _logger = logger;
    }

    public VaultType VaultType => VaultType.Doppler;

    public async Task<ProviderCheck> VerifyAsync(VaultConnectionSettings settings, IReadOnlyDictionary<string, string> credentials,
        CancellationToken ct = default)
    {
        if (!credentials.TryGetValue(AccessTokenField, out var token) || string.IsNullOrWhiteSpace(token))
        {
            return new ProviderCheck(ProviderOutcome.Rejected, "Doppler needs an access_token (a service token, dp.st...).");
        }
        if (string.IsNullOrWhiteSpace(settings.Project) || string.IsNullOrWhiteSpace(settings.Config))
        {
            return new ProviderCheck(ProviderOutcome.Rejected, "Doppler needs a project and a config.");
        }

        string?[] secrets = [.. credentials.Values];
        var url = ProviderHttp.BuildUrl(_options.Doppler.BaseUrl,
            $"/v3/configs/config?project={Uri.EscapeDataString(settings.Project)}&config={Uri.EscapeDataString(settings.Config)}");
        var client = _httpClientFactory.CreateClient(HttpClientName);

        using var result = await ProviderHttp.SendAsync(client, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            return request;
        }, secrets, ct).ConfigureAwait(false);

        var check = await ClassifyAsync(result, secrets, ct).ConfigureAwait(false);
        _logger.Log(check.Ok ? LogLevel.Information : LogLevel.Warning,
            "Doppler verification: {Outcome} (HTTP {Status}): {Message}",
            check.Outcome, result.Response is { } r ? (int)r.StatusCode : 0, check.Message ?? "ok");
        return check;
    }

    /// <summary>Reads each secret name with <c>GET /v3/configs/config/secret?project=&amp;config=&amp;name=</c>.</summary>
    public async Task<IReadOnlyList<ReferenceRead>> ReadAsync(VaultConnectionSettings settings, IReadOnlyDictionary<string, string> credentials,
        IReadOnlyList<string> references, CancellationToken ct = default)
    {
        if (!credentials.TryGetValue(AccessTokenField, out var token) || string.IsNullOrWhiteSpace(token))
        {
            return ReferenceRead.FailAll(references, CheckStatus.Rejected, "The Doppler connection has no access token stored: rotate its credentials.");
        }
        if (string.IsNullOrWhiteSpace(settings.Project) || string.IsNullOrWhiteSpace(settings.Config))
        {
            return ReferenceRead.FailAll(references, CheckStatus.Rejected, "The Doppler connection has no project or config.");
        }

        List<string?> secrets = [.. credentials.Values];
        var client = _httpClientFactory.CreateClient(HttpClientName);
        var reads = new List<ReferenceRead>(references.Count);
        foreach (var name in references)
        {
            var url = ProviderHttp.BuildUrl(_options.Doppler.BaseUrl,
                $"/v3/configs/config/secret?project={Uri.EscapeDataString(settings.Project)}" +
                $"&config={Uri.EscapeDataString(settings.Config)}&name={Uri.EscapeDataString(name)}");
            using var result = await ProviderHttp.SendAsync(client, () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                return request;
            }, secrets, ct).ConfigureAwait(false);
            var read = await ReadSecretAsync(result, name, secrets, ct).ConfigureAwait(false);
            if (read.Value is not null) secrets.Add(read.Value);
            _logger.Log(read.Status == CheckStatus.Ok ? LogLevel.Information : LogLevel.Warning,
                "Doppler read of {Reference}: {Status} (HTTP {HttpStatus}): {Message}",
                name, read.Status.ToWire(), result.Response is { } r ? (int)r.StatusCode : 0, read.Message ?? "ok");
            reads.Add(read);
        }
        return reads;
    }

    private static async Task<ReferenceRead> ReadSecretAsync(ProviderHttpResult result, string name, List<string?> secrets, CancellationToken ct)
    {
        if (result.Response is not { } response)
        {
            return ReferenceRead.Failed(CheckStatus.Unreachable, $"Doppler {result.Failure}.");
        }
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            var value = await ReadValueAsync(response, ct).ConfigureAwait(false);
            return value is null
                ? ReferenceRead.Failed(CheckStatus.Unreachable, "Doppler answered without a secret value.")
                : ReferenceRead.Found(value);
        }

        // Classified on the provider's own words: the sanitized text may have lost them (a credential can contain "secret").
        var raw = await ProviderHttp.ReadRawErrorMessageAsync(response, ct).ConfigureAwait(false);
        var detail = raw is null ? null : ProviderMessages.Sanitize(raw, secrets);
        var suffix = string.IsNullOrEmpty(detail) ? "" : $": {detail}";
        // Doppler answers 404 both for an unknown secret and for an unknown project/config; only its message tells them apart.
        var secretNotFound = raw?.Contains("secret", StringComparison.OrdinalIgnoreCase) == true;
        var readStatus = ProviderHttp.ReadFailureStatus(response.StatusCode, secretNotFound);
        var message = readStatus switch
        {
            CheckStatus.Missing => $"Doppler has no secret named {name} in this config (HTTP {status}){suffix}",
            CheckStatus.RateLimited => $"Doppler rate limit reached (HTTP {status}){suffix}",
            CheckStatus.Unreachable => $"Doppler is unavailable (HTTP {status}){suffix}",
            _ => $"Doppler refused the read (HTTP {status}){suffix}",
        };
        return ReferenceRead.Failed(readStatus, message);
    }

    private static async Task<string?> ReadValueAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), cancellationToken: ct)
                .ConfigureAwait(false);
            if (!doc.RootElement.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object) return null;
            foreach (var name in (string[])["computed", "raw"])
            {
                if (value.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String) return text.GetString();
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<ProviderCheck> ClassifyAsync(ProviderHttpResult result, string?[] secrets, CancellationToken ct)
    {
        if (result.Response is not { } response)
        {
            return new ProviderCheck(ProviderOutcome.Unreachable, $"Doppler {result.Failure}.");
        }

        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode) return ProviderCheck.Success;

        var detail = await ProviderHttp.ReadErrorMessageAsync(response, secrets, ct).ConfigureAwait(false);
        var suffix = string.IsNullOrEmpty(detail) ? "" : $": {detail}";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                new ProviderCheck(ProviderOutcome.Rejected, $"Doppler rejected the access token (HTTP {status}){suffix}"),
            HttpStatusCode.NotFound =>
                new ProviderCheck(ProviderOutcome.Rejected, $"Doppler project or config not found (HTTP {status}){suffix}"),
            _ when ProviderHttp.IsTransient(response.StatusCode) =>
                new ProviderCheck(ProviderOutcome.Unreachable,
                    $"Doppler is unavailable (HTTP {status}){suffix}"),
            _ when status is >= 400 and < 500 =>
                new ProviderCheck(ProviderOutcome.Rejected, $"Doppler refused the request (HTTP {status}){suffix}"),
            _ => new ProviderCheck(ProviderOutcome.Unreachable, $"Doppler answered unexpectedly (HTTP {status}){suffix}"),
        };
    }
}
