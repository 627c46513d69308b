using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dataraven.Core.Checks;
using Dataraven.Core.VaultConnections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dataraven.Core.VaultProviders;

/// <summary>
/// Verifies an Infisical machine identity (universal auth) against a project/environment/path:
/// <c>POST /api/v1/auth/universal-auth/login</c>, then <c>GET /api/v3/secrets/raw?workspaceId=&amp;environment=&amp;secretPath=</c>.
/// </summary>
public sealed class InfisicalClient : IVaultProviderClient
{
    public const string HttpClientName = "Dataraven.Vaults.Infisical";
    public const string ClientIdField = "client_id";
    public const string ClientSecretField = "client_secret";

    private static readonly Dictionary<HttpStatusCode, string> Rejections = new()
    {
        [HttpStatusCode.Unauthorized] = "refused the access token",
        [HttpStatusCode.Forbidden] = "project or environment not found, or no access to it",
        [HttpStatusCode.NotFound] = "project or environment not found, or no access to it",
    };

    // A 404 is also the answer for an unknown environment or folder: only "Secret with name ... not found" is a missing secret.
    private static readonly SecretAnswer Secret = new(
        root => root.TryGetProperty("secret", out var secret) && secret.ValueKind == JsonValueKind.Object
            && secret.TryGetProperty("secretValue", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null,
        raw => raw.StartsWith("Secret", StringComparison.OrdinalIgnoreCase),
        name => $"Infisical has no secret named {name} at this environment and path");

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly VaultProviderOptions _options;
    private readonly ILogger<InfisicalClient> _logger;
    private readonly HttpProviderReader _reader;

    public InfisicalClient(IHttpClientFactory httpClientFactory, IOptions<VaultProviderOptions> options, ILogger<InfisicalClient> logger)
    {
        _httpClientFactory = httpClientFactory;
        _options = options.Value;
        _logger = logger;
        _reader = new HttpProviderReader("Infisical", HttpProviderReader.InfisicalErrorBody, logger);
    }

    public VaultType VaultType => VaultType.Infisical;

    public async Task<ProviderCheck> VerifyAsync(VaultConnectionSettings settings, IReadOnlyDictionary<string, string> credentials,
        CancellationToken ct = default)
    {
        if (!credentials.TryGetValue(ClientIdField, out var clientId) || string.IsNullOrWhiteSpace(clientId)
            || !credentials.TryGetValue(ClientSecretField, out var clientSecret) || string.IsNullOrWhiteSpace(clientSecret))
        {
            return new ProviderCheck(ProviderOutcome.Rejected, "Infisical needs a client_id and a client_secret (universal auth).");
        }
        if (string.IsNullOrWhiteSpace(settings.ProjectId) || string.IsNullOrWhiteSpace(settings.Environment))
        {
            return new ProviderCheck(ProviderOutcome.Rejected, "Infisical needs a project id and an environment.");
        }

        List<string?> secrets = [.. credentials.Values];
        var client = _httpClientFactory.CreateClient(HttpClientName);

        // 1. Login.
        var (accessToken, failure, _) = await LoginAsync(client, clientId, clientSecret, secrets, ct).ConfigureAwait(false);
        if (failure is not null) return failure;
        secrets.Add(accessToken);

        // 2. Read the secrets of the project/environment/path (proves access).
        var path = string.IsNullOrWhiteSpace(settings.SecretPath) ? "/" : settings.SecretPath;
        var secretsUrl = ProviderHttp.BuildUrl(_options.Infisical.BaseUrl,
            $"/api/v3/secrets/raw?workspaceId={Uri.EscapeDataString(settings.ProjectId)}" +
            $"&environment={Uri.EscapeDataString(settings.Environment)}&secretPath={Uri.EscapeDataString(path)}");
        using var read = await ProviderHttp.SendAsync(client, HttpProviderReader.BearerGet(secretsUrl, accessToken!), secrets, ct).ConfigureAwait(false);
        return Log(await _reader.VerificationAsync(read, secrets, Rejections, ct).ConfigureAwait(false), "secrets", read);
    }

    private async Task<(string? AccessToken, ProviderCheck? Failure, HttpStatusCode? Status)> LoginAsync(HttpClient client, string clientId, string clientSecret,
        List<string?> secrets, CancellationToken ct)
    {
        var loginUrl = ProviderHttp.BuildUrl(_options.Infisical.BaseUrl, "/api/v1/auth/universal-auth/login");
        using var login = await ProviderHttp.SendAsync(client, () => new HttpRequestMessage(HttpMethod.Post, loginUrl)
        {
            Content = JsonContent.Create(new LoginRequest(clientId, clientSecret)),
        }, secrets, ct).ConfigureAwait(false);
        if (login.Response is not { IsSuccessStatusCode: true } loginResponse)
        {
            return (null, Log(await ClassifyLoginAsync(login, secrets, ct).ConfigureAwait(false), "login", login), login.Response?.StatusCode);
        }

        var accessToken = await ReadAccessTokenAsync(loginResponse, ct).ConfigureAwait(false);
        return string.IsNullOrEmpty(accessToken)
            ? (null, Log(new ProviderCheck(ProviderOutcome.Unreachable, "Infisical login answered without an access token."), "login", login), null)
            : (accessToken, null, null);
    }

    /// <summary>Logs in once, then reads each secret key with <c>GET /api/v3/secrets/raw/{name}?workspaceId=&amp;environment=&amp;secretPath=</c>.</summary>
    public async Task<IReadOnlyList<ReferenceRead>> ReadAsync(VaultConnectionSettings settings, IReadOnlyDictionary<string, string> credentials,
        IReadOnlyList<string> references, CancellationToken ct = default)
    {
        if (!credentials.TryGetValue(ClientIdField, out var clientId) || string.IsNullOrWhiteSpace(clientId)
            || !credentials.TryGetValue(ClientSecretField, out var clientSecret) || string.IsNullOrWhiteSpace(clientSecret))
        {
            return ReferenceRead.FailAll(references, CheckStatus.Rejected, "The Infisical connection has no client id/secret stored: rotate its credentials.");
        }
        if (string.IsNullOrWhiteSpace(settings.ProjectId) || string.IsNullOrWhiteSpace(settings.Environment))
        {
            return ReferenceRead.FailAll(references, CheckStatus.Rejected, "The Infisical connection has no project id or environment.");
        }

        List<string?> secrets = [.. credentials.Values];
        var client = _httpClientFactory.CreateClient(HttpClientName);
        var (accessToken, failure, loginStatus) = await LoginAsync(client, clientId, clientSecret, secrets, ct).ConfigureAwait(false);
        if (failure is not null)
        {
            // Verification calls a 429 unreachable (try later); a check says rate_limited.
            var status = loginStatus == HttpStatusCode.TooManyRequests ? CheckStatus.RateLimited
                : failure.Outcome == ProviderOutcome.Rejected ? CheckStatus.Rejected : CheckStatus.Unreachable;
            return ReferenceRead.FailAll(references, status, failure.Message ?? "Infisical login failed.");
        }
        secrets.Add(accessToken);

        var path = string.IsNullOrWhiteSpace(settings.SecretPath) ? "/" : settings.SecretPath;
        return await _reader.ReadEachAsync(client, references, name => HttpProviderReader.BearerGet(ProviderHttp.BuildUrl(_options.Infisical.BaseUrl,
                $"/api/v3/secrets/raw/{Uri.EscapeDataString(name)}?workspaceId={Uri.EscapeDataString(settings.ProjectId)}" +
                $"&environment={Uri.EscapeDataString(settings.Environment)}&secretPath={Uri.EscapeDataString(path)}"), accessToken!),
            Secret, secrets, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// References are keys in the connection's secret path (they cannot name a folder), so only <c>""</c> is browsed: the keys
    /// there and the folders below it.
    /// </summary>
    public BrowsePlan PlanBrowse(VaultConnectionSettings settings, string path) => path.Length == 0
        ? new BrowsePlan(null, 1)
        : BrowsePlan.Refused($"An Infisical connection reads the keys at its secret path ({settings.SecretPath ?? "/"}): browse it with an empty path.");

    /// <summary>
    /// Logs in, lists <c>GET /api/v3/secrets/raw?workspaceId=&amp;environment=&amp;secretPath=</c> (its values are skipped by the
    /// parser: the DTO has only the key) and the folders below (<c>GET /api/v1/folders</c>; left out when that call fails).
    /// </summary>
    public async Task<BrowseResult> BrowseAsync(VaultConnectionSettings settings, IReadOnlyDictionary<string, string> credentials, string path,
        CancellationToken ct = default)
    {
        if (!credentials.TryGetValue(ClientIdField, out var clientId) || string.IsNullOrWhiteSpace(clientId)
            || !credentials.TryGetValue(ClientSecretField, out var clientSecret) || string.IsNullOrWhiteSpace(clientSecret))
        {
            return BrowseResult.Failed(ProviderOutcome.Rejected, "The Infisical connection has no client id/secret stored: rotate its credentials.");
        }
        if (string.IsNullOrWhiteSpace(settings.ProjectId) || string.IsNullOrWhiteSpace(settings.Environment))
        {
            return BrowseResult.Failed(ProviderOutcome.Rejected, "The Infisical connection has no project id or environment.");
        }
        List<string?> secrets = [.. credentials.Values];
        var client = _httpClientFactory.CreateClient(HttpClientName);
        var (accessToken, failure, _) = await LoginAsync(client, clientId, clientSecret, secrets, ct).ConfigureAwait(false);
        if (failure is not null) return BrowseResult.Failed(failure);
        secrets.Add(accessToken);

        var folder = string.IsNullOrWhiteSpace(settings.SecretPath) ? "/" : settings.SecretPath;
        var query = $"workspaceId={Uri.EscapeDataString(settings.ProjectId)}&environment={Uri.EscapeDataString(settings.Environment)}";
        using var list = await ProviderHttp.SendAsync(client, HttpProviderReader.BearerGet(ProviderHttp.BuildUrl(_options.Infisical.BaseUrl,
            $"/api/v3/secrets/raw?{query}&secretPath={Uri.EscapeDataString(folder)}"), accessToken!), secrets, ct).ConfigureAwait(false);
        var check = await _reader.VerificationAsync(list, secrets, Rejections, ct).ConfigureAwait(false);
        if (!check.Ok)
        {
            _logger.LogWarning("Infisical browse: {Outcome}: {Message}", check.Outcome, check.Message);
            return BrowseResult.Failed(check);
        }
        List<BrowseEntry> entries;
        try
        {
            var answer = await list.Response!.Content.ReadFromJsonAsync<SecretKeysAnswer>(ct).ConfigureAwait(false);
            entries = (answer?.Secrets ?? []).Select(k => k.SecretKey).Where(k => !string.IsNullOrEmpty(k)).Distinct().Order(StringComparer.Ordinal)
                .Select(k => new BrowseEntry(k!, BrowseKinds.Secret, k!, k)).ToList();
        }
        catch (JsonException)
        {
            return BrowseResult.Failed(ProviderOutcome.Unreachable, "Infisical answered with unexpected output (expected a secret list).");
        }

        using var folders = await ProviderHttp.SendAsync(client, HttpProviderReader.BearerGet(ProviderHttp.BuildUrl(_options.Infisical.BaseUrl,
            $"/api/v1/folders?{query}&path={Uri.EscapeDataString(folder)}"), accessToken!), secrets, ct).ConfigureAwait(false);
        if (folders.Response is { IsSuccessStatusCode: true } found)
        {
            try
            {
                var answer = await found.Content.ReadFromJsonAsync<FoldersAnswer>(ct).ConfigureAwait(false);
                entries.AddRange((answer?.Folders ?? []).Select(f => f.Name).Where(n => !string.IsNullOrEmpty(n)).Order(StringComparer.Ordinal)
                    .Select(n => new BrowseEntry(n!, BrowseKinds.Folder, n!, null)));
            }
            catch (JsonException)
            {
                // Folders are a hint only; the keys are the answer.
            }
        }
        _logger.LogInformation("Infisical browse: {Count} entries", entries.Count);
        return BrowseResult.Ok(entries);
    }

    /// <summary>A secret as listed, by its key only: <c>secretValue</c> has no property here, so it is never kept.</summary>
    private sealed record ListedSecret([property: JsonPropertyName("secretKey")] string? SecretKey);

    private sealed record SecretKeysAnswer([property: JsonPropertyName("secrets")] List<ListedSecret>? Secrets);

    private sealed record FolderName([property: JsonPropertyName("name")] string? Name);

    private sealed record FoldersAnswer([property: JsonPropertyName("folders")] List<FolderName>? Folders);

    private ProviderCheck Log(ProviderCheck check, string step, ProviderHttpResult result)
    {
        _logger.Log(check.Ok ? LogLevel.Information : LogLevel.Warning,
            "Infisical verification ({Step}): {Outcome} (HTTP {Status}): {Message}",
            step, check.Outcome, result.Response is { } r ? (int)r.StatusCode : 0, check.Message ?? "ok");
        return check;
    }

    private static async Task<string?> ReadAccessTokenAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var login = await response.Content.ReadFromJsonAsync<LoginResponse>(ct).ConfigureAwait(false);
            return login?.AccessToken;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<ProviderCheck> ClassifyLoginAsync(ProviderHttpResult result, List<string?> secrets, CancellationToken ct)
    {
        if (result.Response is not { } response)
        {
            return new ProviderCheck(ProviderOutcome.Unreachable, $"Infisical {result.Failure}.");
        }
        var status = (int)response.StatusCode;
        var suffix = (await _reader.ReadErrorAsync(response, secrets, ct).ConfigureAwait(false)).Suffix;
        return response.StatusCode switch
        {
            HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                new ProviderCheck(ProviderOutcome.Rejected, $"Infisical rejected the client id/secret (HTTP {status}){suffix}"),
            _ when ProviderHttp.IsTransient(response.StatusCode) =>
                new ProviderCheck(ProviderOutcome.Unreachable,
                    $"Infisical is unavailable (HTTP {status}){suffix}"),
            // A 404 at login means the base URL does not point at Infisical: an operator problem, not the user's.
            _ => new ProviderCheck(ProviderOutcome.Unreachable,
                $"Infisical login answered unexpectedly (HTTP {status}); check Vaults:Infisical:BaseUrl{suffix}"),
        };
    }

    private sealed record LoginRequest(
        [property: JsonPropertyName("clientId")] string ClientId,
        [property: JsonPropertyName("clientSecret")] string ClientSecret)
    {
        // Never print the secret, even by accident.
        public override string ToString() => nameof(LoginRequest);
    }

    private sealed record LoginResponse(
        [property: JsonPropertyName("accessToken")] string? AccessToken,
        [property: JsonPropertyName("expiresIn")] long? ExpiresIn,
        [property: JsonPropertyName("tokenType")] string? TokenType)
    {
        public override string ToString() => nameof(LoginResponse);
    }
}
