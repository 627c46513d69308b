using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace Dataraven.Core.CredentialStore.Ssm;

/// <summary>
/// Credentials in AWS SSM Parameter Store: one SecureString parameter per vault connection or direct
/// secret, named <c>{PathPrefix}/teams/{team_id}/vault-connections/{id}</c> or
/// <c>{PathPrefix}/teams/{team_id}/secrets/{id}</c>, whose value is the credential fields as a JSON
/// object. KMS encrypts (the configured key, else the account's default key). Values never reach a
/// log line or an exception message; failures surface as <see cref="CredentialStoreUnavailableException"/>.
/// </summary>
public sealed class SsmCredentialStore : ICredentialStore, IDisposable
{
    /// <summary>Above this many bytes a value needs the Advanced tier (Standard holds 4 KB).</summary>
    public const int StandardTierMaxBytes = 4096;

    /// <summary>The Advanced tier holds 8 KB.</summary>
    public const int AdvancedTierMaxBytes = 8192;

    public const string TeamTag = "dataraven:team-id";
    public const string KindTag = "dataraven:kind";
    public const string ObjectTag = "dataraven:object-id";

    private readonly SsmClient _client;
    private readonly SsmCredentialStoreOptions _options;
    private readonly ILogger _logger;
    private readonly string _prefix;
    private readonly IDisposable? _ownedHttpClient;

    public SsmCredentialStore(SsmClient client, SsmCredentialStoreOptions options, ILogger<SsmCredentialStore> logger, IDisposable? ownedHttpClient = null)
    {
        _client = client;
        _options = options;
        _logger = logger;
        _prefix = options.NormalizedPathPrefix();
        _ownedHttpClient = ownedHttpClient;
    }

    /// <summary>A store with its own HttpClient (pooled connections recycled every few minutes, so DNS changes are seen).</summary>
    public static SsmCredentialStore Create(SsmCredentialStoreOptions options, AwsCredentialSource credentials, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            // Each attempt has its own timeout (RequestTimeout); this only bounds a whole call.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var logger = loggerFactory.CreateLogger<SsmCredentialStore>();
        var client = new SsmClient(http, options, credentials, logger, time);
        return new SsmCredentialStore(client, options, logger, http);
    }

    public SsmClient Client => _client;

    /// <summary>The parameter name of <paramref name="key"/>: <c>{PathPrefix}/{key.RelativePath}</c>.</summary>
    public string ParameterName(CredentialKey key) => _prefix + "/" + key.RelativePath;

    public async Task PutAsync(CredentialKey key, IReadOnlyDictionary<string, string> fields, CancellationToken ct = default)
    {
        var name = ParameterName(key);
        var value = JsonSerializer.Serialize(fields);
        var size = Encoding.UTF8.GetByteCount(value);
        if (size > AdvancedTierMaxBytes)
        {
            throw new CredentialStoreUnavailableException(
                $"The credential {key} is {size} bytes; SSM Parameter Store holds at most {AdvancedTierMaxBytes} bytes per parameter.");
        }
        var advanced = size > StandardTierMaxBytes;

        // SSM refuses Tags together with Overwrite=true: create with tags first, and when the
        // parameter already exists overwrite it without tags (its tags from creation stay).
        var create = BasePutPayload(name, value);
        create["Overwrite"] = false;
        create["Tier"] = advanced ? "Advanced" : "Standard";
        create["Tags"] = new JsonArray(
            Tag(TeamTag, key.TeamId.ToString("D")),
            Tag(KindTag, key.Kind == CredentialOwnerKind.VaultConnection ? "vault-connection" : "secret"),
            Tag(ObjectTag, key.ObjectId.ToString("D")));
        try
        {
            await CallAsync("PutParameter", create, key, ct);
            return;
        }
        catch (SsmApiException e) when (e.ErrorCode == "ParameterAlreadyExists")
        {
        }
        catch (SsmApiException e)
        {
            throw Unavailable("PutParameter", key, e);
        }

        var overwrite = BasePutPayload(name, value);
        overwrite["Overwrite"] = true;
        if (advanced)
        {
            overwrite["Tier"] = "Advanced";
        }
        // A small value leaves Tier out: SSM cannot move an Advanced parameter back to Standard,
        // and without Tier it keeps the parameter's tier.
        try
        {
            await CallAsync("PutParameter", overwrite, key, ct);
        }
        catch (SsmApiException e)
        {
            throw Unavailable("PutParameter", key, e);
        }
    }

    public async Task<IReadOnlyDictionary<string, string>?> GetAsync(CredentialKey key, CancellationToken ct = default)
    {
        JsonElement response;
        try
        {
            response = await CallAsync("GetParameter", new JsonObject { ["Name"] = ParameterName(key), ["WithDecryption"] = true }, key, ct);
        }
        catch (SsmApiException e) when (e.ErrorCode == "ParameterNotFound")
        {
            return null;
        }
        catch (SsmApiException e)
        {
            throw Unavailable("GetParameter", key, e);
        }

        try
        {
            var value = response.GetProperty("Parameter").GetProperty("Value").GetString();
            return JsonSerializer.Deserialize<Dictionary<string, string>>(value ?? "")
                ?? throw new JsonException();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // No inner exception: a parser message could quote part of the value.
            throw new CredentialStoreUnavailableException($"The stored credential {key} is not a JSON object of fields.");
        }
    }

    public async Task DeleteAsync(CredentialKey key, CancellationToken ct = default)
    {
        try
        {
            await CallAsync("DeleteParameter", new JsonObject { ["Name"] = ParameterName(key) }, key, ct);
        }
        catch (SsmApiException e) when (e.ErrorCode == "ParameterNotFound")
        {
            // Already gone: deleting is done.
        }
        catch (SsmApiException e)
        {
            throw Unavailable("DeleteParameter", key, e);
        }
    }

    public async IAsyncEnumerable<CredentialKey> ListAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        var path = _prefix.Length == 0 ? "/" : _prefix;
        string? nextToken = null;
        do
        {
            var request = new JsonObject
            {
                ["Path"] = path,
                ["Recursive"] = true,
                ["WithDecryption"] = false,
                ["MaxResults"] = 10,
            };
            if (nextToken is not null)
            {
                request["NextToken"] = nextToken;
            }
            JsonElement page;
            try
            {
                page = await CallAsync("GetParametersByPath", request, null, ct);
            }
            catch (SsmApiException e)
            {
                throw Unavailable("GetParametersByPath", null, e);
            }

            if (page.TryGetProperty("Parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Array)
            {
                foreach (var parameter in parameters.EnumerateArray())
                {
                    if (parameter.TryGetProperty("Name", out var n) && n.GetString() is { } name
                        && name.StartsWith(_prefix + "/", StringComparison.Ordinal)
                        && CredentialKey.TryParse(name[(_prefix.Length + 1)..], out var key)
                        && ParameterName(key) == name)
                    {
                        yield return key;
                    }
                }
            }
            nextToken = page.TryGetProperty("NextToken", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() is { Length: > 0 } s
                ? s
                : null;
        }
        while (nextToken is not null);
    }

    public void Dispose() => _ownedHttpClient?.Dispose();

    private JsonObject BasePutPayload(string name, string value)
    {
        var payload = new JsonObject
        {
            ["Name"] = name,
            ["Value"] = value,
            ["Type"] = "SecureString",
        };
        if (!string.IsNullOrWhiteSpace(_options.KmsKeyId))
        {
            payload["KeyId"] = _options.KmsKeyId.Trim();
        }
        return payload;
    }

    private static JsonObject Tag(string key, string value) => new() { ["Key"] = key, ["Value"] = value };

    /// <summary>
    /// One SSM call. Service errors come back as <see cref="SsmApiException"/> for the caller to
    /// interpret (ParameterNotFound...); configuration errors are logged here; transport failures and
    /// missing AWS credentials become <see cref="CredentialStoreUnavailableException"/>.
    /// </summary>
    private async Task<JsonElement> CallAsync(string operation, JsonObject payload, CredentialKey? key, CancellationToken ct)
    {
        try
        {
            return await _client.SendAsync(operation, payload, ct);
        }
        catch (SsmApiException e) when (e.IsConfigurationError)
        {
            _logger.LogError(
                "SSM credential store configuration error: {Operation} on {Target} was refused with {ErrorCode} (HTTP {Status}). "
                + "Check the AWS credentials, the IAM permissions on the parameter path and the KMS key (CredentialStore:Ssm:KmsKeyId).",
                operation, Target(key), e.ErrorCode, (int)e.StatusCode);
            throw new CredentialStoreUnavailableException(
                $"The SSM credential store refused {operation} for {Target(key)} ({e.ErrorCode}): check the AWS credentials, IAM permissions and KMS key.", e);
        }
        catch (AwsCredentialsUnavailableException e)
        {
            _logger.LogError("SSM credential store configuration error: {Reason}", e.Message);
            throw new CredentialStoreUnavailableException($"The SSM credential store has no AWS credentials: {e.Message}", e);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
        {
            _logger.LogWarning("SSM {Operation} on {Target} failed after retries: {Reason}.", operation, Target(key), SsmClient.Describe(e));
            throw new CredentialStoreUnavailableException(
                $"The SSM credential store at {_client.Endpoint.GetLeftPart(UriPartial.Authority)} could not be reached ({SsmClient.Describe(e)}).", e);
        }
    }

    private CredentialStoreUnavailableException Unavailable(string operation, CredentialKey? key, SsmApiException e)
    {
        _logger.LogWarning("SSM {Operation} on {Target} failed: {ErrorCode} (HTTP {Status}).", operation, Target(key), e.ErrorCode, (int)e.StatusCode);
        return new CredentialStoreUnavailableException($"The SSM credential store failed {operation} for {Target(key)} ({e.ErrorCode}).", e);
    }

    private string Target(CredentialKey? key) => key is { } k ? ParameterName(k) : (_prefix.Length == 0 ? "/" : _prefix);
}
