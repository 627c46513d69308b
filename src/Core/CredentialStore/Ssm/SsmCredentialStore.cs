using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dataraven.Core.CredentialStore.Ssm;

/// <summary>
/// Credentials in AWS SSM Parameter Store: one SecureString parameter per vault connection or direct
/// secret, named <c>{PathPrefix}/teams/{team_id}/vault-connections/{id}</c> or
/// <c>{PathPrefix}/teams/{team_id}/secrets/{id}</c>, whose value is the credential fields as a JSON
/// object. KMS encrypts (the configured key, else the account's default key). The AWS SDK signs, retries
/// and times out; this class decides names, tags and tiers, and turns failures into
/// <see cref="CredentialStoreUnavailableException"/> without ever putting a value in a log or a message.
/// </summary>
public sealed class SsmCredentialStore : ICredentialStore
{
    /// <summary>Above this many bytes a value needs the Advanced tier (Standard holds 4 KB).</summary>
    public const int StandardTierMaxBytes = 4096;

    /// <summary>The Advanced tier holds 8 KB.</summary>
    public const int AdvancedTierMaxBytes = 8192;

    public const string TeamTag = "dataraven:team-id";
    public const string KindTag = "dataraven:kind";
    public const string ObjectTag = "dataraven:object-id";

    private readonly IAmazonSimpleSystemsManagement _ssm;
    private readonly SsmCredentialStoreOptions _options;
    private readonly ILogger _logger;
    private readonly string _prefix;

    public SsmCredentialStore(IAmazonSimpleSystemsManagement ssm, IOptions<SsmCredentialStoreOptions> options, ILogger<SsmCredentialStore> logger)
    {
        _ssm = ssm;
        _options = options.Value;
        _logger = logger;
        _prefix = _options.NormalizedPathPrefix();
    }

    /// <summary>The parameter name of <paramref name="key"/>: <c>{PathPrefix}/{key.RelativePath}</c>.</summary>
    public string ParameterName(CredentialKey key) => _prefix + "/" + key.RelativePath;

    public async Task PutAsync(CredentialKey key, IReadOnlyDictionary<string, string> fields, CancellationToken ct = default)
    {
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
        var create = PutRequest(key, value);
        create.Overwrite = false;
        create.Tier = advanced ? ParameterTier.Advanced : ParameterTier.Standard;
        create.Tags =
        [
            new Tag { Key = TeamTag, Value = key.TeamId.ToString("D") },
            new Tag { Key = KindTag, Value = key.Kind == CredentialOwnerKind.VaultConnection ? "vault-connection" : "secret" },
            new Tag { Key = ObjectTag, Value = key.ObjectId.ToString("D") },
        ];
        try
        {
            await CallAsync("PutParameter", key, () => _ssm.PutParameterAsync(create, ct));
            return;
        }
        catch (ParameterAlreadyExistsException)
        {
        }

        // A small value leaves Tier out: SSM cannot move an Advanced parameter back to Standard,
        // and without Tier it keeps the parameter's tier.
        var overwrite = PutRequest(key, value);
        overwrite.Overwrite = true;
        if (advanced)
        {
            overwrite.Tier = ParameterTier.Advanced;
        }
        await CallAsync("PutParameter", key, () => _ssm.PutParameterAsync(overwrite, ct));
    }

    public async Task<IReadOnlyDictionary<string, string>?> GetAsync(CredentialKey key, CancellationToken ct = default)
    {
        GetParameterResponse response;
        try
        {
            response = await CallAsync("GetParameter", key,
                () => _ssm.GetParameterAsync(new GetParameterRequest { Name = ParameterName(key), WithDecryption = true }, ct));
        }
        catch (ParameterNotFoundException)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(response.Parameter?.Value ?? "")
                ?? throw new JsonException();
        }
        catch (JsonException)
        {
            // No inner exception: a parser message could quote part of the value.
            throw new CredentialStoreUnavailableException($"The stored credential {key} is not a JSON object of fields.");
        }
    }

    public async Task DeleteAsync(CredentialKey key, CancellationToken ct = default)
    {
        try
        {
            await CallAsync("DeleteParameter", key,
                () => _ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = ParameterName(key) }, ct));
        }
        catch (ParameterNotFoundException)
        {
            // Already gone: deleting is done.
        }
    }

    public async IAsyncEnumerable<CredentialKey> ListAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        var request = new GetParametersByPathRequest
        {
            Path = _prefix.Length == 0 ? "/" : _prefix,
            Recursive = true,
            WithDecryption = false,
            MaxResults = 10,
        };
        do
        {
            var page = await CallAsync("GetParametersByPath", null, () => _ssm.GetParametersByPathAsync(request, ct));
            foreach (var parameter in page.Parameters ?? [])
            {
                if (parameter.Name is { } name
                    && name.StartsWith(_prefix + "/", StringComparison.Ordinal)
                    && CredentialKey.TryParse(name[(_prefix.Length + 1)..], out var key)
                    && ParameterName(key) == name)
                {
                    yield return key;
                }
            }
            request.NextToken = string.IsNullOrEmpty(page.NextToken) ? null : page.NextToken;
        }
        while (request.NextToken is not null);
    }

    /// <summary>
    /// One GetParameter of a name the portal never writes, without decryption: "not found" is SSM answering with the
    /// caller's credentials accepted; unreachable, throttled or refused becomes <see cref="CredentialStoreUnavailableException"/>.
    /// </summary>
    public async Task ProbeAsync(CancellationToken ct = default)
    {
        try
        {
            await CallAsync("GetParameter", null,
                () => _ssm.GetParameterAsync(new GetParameterRequest { Name = _prefix + "/readiness-probe", WithDecryption = false }, ct));
        }
        catch (ParameterNotFoundException)
        {
        }
    }

    private PutParameterRequest PutRequest(CredentialKey key, string value) => new()
    {
        Name = ParameterName(key),
        Value = value,
        Type = ParameterType.SecureString,
        KeyId = string.IsNullOrWhiteSpace(_options.KmsKeyId) ? null : _options.KmsKeyId.Trim(),
    };

    /// <summary>
    /// One SDK call (signed, retried and timed out by the SDK). ParameterNotFound and ParameterAlreadyExists
    /// reach the caller, which knows what they mean; every other failure becomes
    /// <see cref="CredentialStoreUnavailableException"/>. SDK exceptions are never kept as inner exceptions:
    /// their messages are SSM's, and a validation message can echo the value sent.
    /// </summary>
    private async Task<T> CallAsync<T>(string operation, CredentialKey? key, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (AmazonServiceException e) when (e is ParameterNotFoundException or ParameterAlreadyExistsException)
        {
            throw;
        }
        catch (AmazonServiceException e) when (SsmErrors.IsConfigurationError(e))
        {
            _logger.LogError(
                "SSM credential store configuration error: {Operation} on {Target} was refused with {Reason}. "
                + "Check the AWS credentials, the IAM permissions on the parameter path and the KMS key (CredentialStore:Ssm:KmsKeyId).",
                operation, Target(key), SsmErrors.Describe(e));
            throw new CredentialStoreUnavailableException(
                $"The SSM credential store refused {operation} for {Target(key)} ({SsmErrors.Describe(e)}): check the AWS credentials, IAM permissions and KMS key.");
        }
        catch (Exception e) when (SsmErrors.IsUnreachable(e) && e is not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
        {
            _logger.LogWarning("SSM {Operation} on {Target} failed after the SDK's retries: {Reason}.", operation, Target(key), SsmErrors.Describe(e));
            throw new CredentialStoreUnavailableException(
                $"The SSM credential store could not be reached for {operation} ({SsmErrors.Describe(e)}).");
        }
        catch (AmazonServiceException e)
        {
            _logger.LogWarning("SSM {Operation} on {Target} failed: {Reason}.", operation, Target(key), SsmErrors.Describe(e));
            throw new CredentialStoreUnavailableException($"The SSM credential store failed {operation} for {Target(key)} ({SsmErrors.Describe(e)}).");
        }
        catch (AmazonClientException e)
        {
            // Raised before any request, e.g. no credentials in the SDK's default chain; its message names
            // the sources it tried, never key material.
            _logger.LogError("SSM credential store configuration error: {Operation} could not be sent: {Reason}", operation, e.Message);
            throw new CredentialStoreUnavailableException($"The SSM credential store could not send {operation}: {e.Message}");
        }
    }

    private string Target(CredentialKey? key) => key is { } k ? ParameterName(k) : (_prefix.Length == 0 ? "/" : _prefix);
}
