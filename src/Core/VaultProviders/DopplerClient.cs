using System.Net;
using System.Net.Http.Headers;
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
