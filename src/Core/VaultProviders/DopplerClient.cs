using System.Net;
using System.Net.Http.Json;
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

    /// <summary>A Doppler connection is one config: only <c>""</c> (its secret names) can be browsed.</summary>
    public BrowsePlan PlanBrowse(VaultConnectionSettings settings, string path) => path.Length == 0
        ? new BrowsePlan(null, 1)
        : BrowsePlan.Refused("A Doppler connection reads one config: browse it with an empty path.");

    /// <summary>The config's secret names: <c>GET /v3/configs/config/secrets/names?project=&amp;config=</c> (no values asked for).</summary>
    public async Task<BrowseResult> BrowseAsync(VaultConnectionSettings settings, IReadOnlyDictionary<string, string> credentials, string path,
        CancellationToken ct = default)
    {
        if (!credentials.TryGetValue(AccessTokenField, out var token) || string.IsNullOrWhiteSpace(token))
        {
            return BrowseResult.Failed(ProviderOutcome.Rejected, "The Doppler connection has no access token stored: rotate its credentials.");
        }
        if (string.IsNullOrWhiteSpace(settings.Project) || string.IsNullOrWhiteSpace(settings.Config))
        {
            return BrowseResult.Failed(ProviderOutcome.Rejected, "The Doppler connection has no project or config.");
        }
        string?[] secrets = [.. credentials.Values];
        var url = ProviderHttp.BuildUrl(_options.Doppler.BaseUrl,
            $"/v3/configs/config/secrets/names?project={Uri.EscapeDataString(settings.Project)}&config={Uri.EscapeDataString(settings.Config)}");
        var client = _httpClientFactory.CreateClient(HttpClientName);
        using var result = await ProviderHttp.SendAsync(client, HttpProviderReader.BearerGet(url, token, acceptJson: true), secrets, ct)
            .ConfigureAwait(false);
        var check = await _reader.VerificationAsync(result, secrets, Rejections, ct).ConfigureAwait(false);
        if (!check.Ok)
        {
            _logger.LogWarning("Doppler browse: {Outcome}: {Message}", check.Outcome, check.Message);
            return BrowseResult.Failed(check);
        }
        try
        {
            var answer = await result.Response!.Content.ReadFromJsonAsync<NamesAnswer>(ct).ConfigureAwait(false);
            var entries = (answer?.Names ?? []).Where(n => !string.IsNullOrEmpty(n)).Order(StringComparer.Ordinal)
                .Select(n => new BrowseEntry(n, BrowseKinds.Secret, n, n)).ToList();
            _logger.LogInformation("Doppler browse: {Count} names", entries.Count);
            return BrowseResult.Ok(entries);
        }
        catch (JsonException)
        {
            return BrowseResult.Failed(ProviderOutcome.Unreachable, "Doppler answered with unexpected output (expected the secret names).");
        }
    }

    private sealed record NamesAnswer([property: System.Text.Json.Serialization.JsonPropertyName("names")] List<string>? Names);

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
