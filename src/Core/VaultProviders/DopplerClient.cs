using System.Net;
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

    private static readonly Dictionary<HttpStatusCode, string> Rejections = new()
    {
        [HttpStatusCode.Unauthorized] = "rejected the access token",
        [HttpStatusCode.Forbidden] = "rejected the access token",
        [HttpStatusCode.NotFound] = "project or config not found",
    };

    // Doppler answers 404 both for an unknown secret and for an unknown project/config; only its message tells them apart.
    private static readonly SecretAnswer Secret = new(ValueOf,
        raw => raw.Contains("secret", StringComparison.OrdinalIgnoreCase),
        name => $"Doppler has no secret named {name} in this config");

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly VaultProviderOptions _options;
    private readonly ILogger<DopplerClient> _logger;
    private readonly HttpProviderReader _reader;

    public DopplerClient(IHttpClientFactory httpClientFactory, IOptions<VaultProviderOptions> options, ILogger<DopplerClient> logger)
    {
        _httpClientFactory = httpClientFactory;
        _options = options.Value;
        _logger = logger;
        _reader = new HttpProviderReader("Doppler", HttpProviderReader.DopplerErrorBody, logger);
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

        using var result = await ProviderHttp.SendAsync(client, HttpProviderReader.BearerGet(url, token, acceptJson: true), secrets, ct)
            .ConfigureAwait(false);

        var check = await _reader.VerificationAsync(result, secrets, Rejections, ct).ConfigureAwait(false);
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

        var client = _httpClientFactory.CreateClient(HttpClientName);
        return await _reader.ReadEachAsync(client, references, name => HttpProviderReader.BearerGet(ProviderHttp.BuildUrl(_options.Doppler.BaseUrl,
                $"/v3/configs/config/secret?project={Uri.EscapeDataString(settings.Project)}" +
                $"&config={Uri.EscapeDataString(settings.Config)}&name={Uri.EscapeDataString(name)}"), token, acceptJson: true),
            Secret, [.. credentials.Values], ct).ConfigureAwait(false);
    }

    /// <summary><c>{"value": {"computed": ..., "raw": ...}}</c>: the computed value (references resolved), else the raw one.</summary>
    private static string? ValueOf(JsonElement root)
    {
        if (!root.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object) return null;
        foreach (var name in (string[])["computed", "raw"])
        {
            if (value.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String) return text.GetString();
        }
        return null;
    }
}
