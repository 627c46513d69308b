using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Dataraven.Core.CredentialStore.Ssm;

/// <summary>
/// An error answered by SSM. The message holds only the operation, the error code and the HTTP
/// status: SSM's own message is dropped because validation errors can echo the request value.
/// </summary>
public sealed class SsmApiException(string operation, string errorCode, HttpStatusCode statusCode)
    : Exception($"SSM {operation} failed with {errorCode} (HTTP {(int)statusCode}).")
{
    public string Operation { get; } = operation;
    public string ErrorCode { get; } = errorCode;
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>Throttling and server-side failures: worth retrying.</summary>
    public bool IsTransient =>
        StatusCode == HttpStatusCode.TooManyRequests
        || (int)StatusCode >= 500
        || ErrorCode is "ThrottlingException" or "Throttling" or "ThrottledException" or "TooManyRequestsException"
            or "RequestLimitExceeded" or "TooManyUpdates" or "InternalServerError" or "ServiceUnavailable";

    /// <summary>Access or KMS key problems: the deployment is misconfigured, retrying will not help.</summary>
    public bool IsConfigurationError =>
        StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
        || ErrorCode.StartsWith("KMS", StringComparison.OrdinalIgnoreCase)
        || ErrorCode is "AccessDeniedException" or "AccessDenied" or "UnrecognizedClientException" or "InvalidKeyId"
            or "InvalidSignatureException" or "IncompleteSignature" or "MissingAuthenticationToken" or "ExpiredTokenException"
            or "InvalidClientTokenId" or "SignatureDoesNotMatch" or "NotAuthorized" or "InvalidAccessKeyId";
}

/// <summary>The AWS credentials could not be resolved (nothing configured in the standard chain, or its source failed).</summary>
public sealed class AwsCredentialsUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Where AWS credentials come from: a given <see cref="AWSCredentials"/>, or the SDK's standard chain.</summary>
public sealed class AwsCredentialSource
{
    private readonly AWSCredentials? _fixed;
    private AWSCredentials? _resolved;

    private AwsCredentialSource(AWSCredentials? credentials) => _fixed = credentials;

    /// <summary>Environment, shared profile, container and instance metadata (<see cref="DefaultAWSCredentialsIdentityResolver"/>).</summary>
    public static AwsCredentialSource DefaultChain() => new(null);

    public static AwsCredentialSource From(AWSCredentials credentials) => new(credentials ?? throw new ArgumentNullException(nameof(credentials)));

    public async Task<ImmutableCredentials> GetAsync(CancellationToken ct)
    {
        try
        {
            var source = _fixed ?? _resolved;
            if (source is null)
            {
                // The resolver walks the chain once and caches; a failure is not cached, so a fixed
                // environment is picked up on the next call.
                source = await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(null).WaitAsync(ct);
                _resolved = source;
            }
            return await source.GetCredentialsAsync().WaitAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // The SDK's messages name the sources it tried, never key material; keep only the type.
            throw new AwsCredentialsUnavailableException(
                $"No AWS credentials could be resolved from the standard chain ({e.GetType().Name}).");
        }
    }
}

/// <summary>
/// A thin client of the SSM JSON 1.1 protocol: POST / with <c>X-Amz-Target: AmazonSSM.{Operation}</c>,
/// SigV4-signed, with retries (Polly) on throttling, 5xx, timeouts and connection failures.
/// </summary>
public sealed class SsmClient
{
    public const string ContentType = "application/x-amz-json-1.1";
    private const string Service = "ssm";

    private readonly HttpClient _http;
    private readonly AwsCredentialSource _credentials;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _pipeline;

    public SsmClient(HttpClient http, SsmCredentialStoreOptions options, AwsCredentialSource credentials, ILogger logger, TimeProvider? time = null)
    {
        _http = http;
        _credentials = credentials;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        Endpoint = options.ResolveEndpoint();
        Region = options.ResolveRegion();
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<SsmApiException>(e => e.IsTransient)
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>(),
                MaxRetryAttempts = Math.Max(0, options.MaxRetryAttempts),
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    _logger.LogWarning("SSM call failed ({Reason}); retry {Attempt} in {Delay} ms.",
                        Describe(args.Outcome.Exception), args.AttemptNumber + 1, (int)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            })
            .AddTimeout(options.RequestTimeout)
            .Build();
    }

    public Uri Endpoint { get; }
    public string Region { get; }

    /// <summary>
    /// Calls <c>AmazonSSM.{operation}</c> with <paramref name="payload"/> and returns the response body.
    /// Throws <see cref="SsmApiException"/> for errors SSM answers (after retries for transient ones),
    /// <see cref="HttpRequestException"/> / <see cref="TimeoutRejectedException"/> when SSM cannot be
    /// reached, and <see cref="AwsCredentialsUnavailableException"/> when there are no AWS credentials.
    /// </summary>
    public async Task<JsonElement> SendAsync(string operation, JsonObject payload, CancellationToken ct = default)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(payload);
        var credentials = await _credentials.GetAsync(ct);
        return await _pipeline.ExecuteAsync(
            async token => await SendOnceAsync(operation, body, credentials, token),
            ct);
    }

    private async Task<JsonElement> SendOnceAsync(string operation, byte[] body, ImmutableCredentials credentials, CancellationToken ct)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var target = "AmazonSSM." + operation;
        var headers = new List<KeyValuePair<string, string>>
        {
            new("content-type", ContentType),
            new("host", Endpoint.Authority),
            new("x-amz-date", SigV4Signer.FormatAmzDate(now)),
            new("x-amz-target", target),
        };
        if (credentials.UseToken)
        {
            headers.Add(new("x-amz-security-token", credentials.Token));
        }
        var signature = SigV4Signer.Sign("POST", Endpoint, headers, body, credentials.AccessKey, credentials.SecretKey, Region, Service, now);

        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        foreach (var (name, value) in headers)
        {
            if (name is "content-type" or "host")
            {
                continue; // content-type is on the content; HttpClient sends Host from the URI (Endpoint.Authority).
            }
            request.Headers.TryAddWithoutValidation(name, value);
        }
        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        if (response.IsSuccessStatusCode)
        {
            if (bytes.Length == 0)
            {
                using var empty = JsonDocument.Parse("{}");
                return empty.RootElement.Clone();
            }
            using var doc = JsonDocument.Parse(bytes);
            return doc.RootElement.Clone();
        }
        throw new SsmApiException(operation, ErrorCodeOf(response, bytes), response.StatusCode);
    }

    /// <summary>The error code from <c>__type</c> (<c>com.amazonaws.ssm#ParameterNotFound</c>) or <c>x-amzn-ErrorType</c>.</summary>
    private static string ErrorCodeOf(HttpResponseMessage response, byte[] body)
    {
        string? code = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && (doc.RootElement.TryGetProperty("__type", out var type) || doc.RootElement.TryGetProperty("code", out type))
                && type.ValueKind == JsonValueKind.String)
            {
                code = type.GetString();
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, an empty 5xx): fall back to the header or the status.
        }
        if (string.IsNullOrEmpty(code) && response.Headers.TryGetValues("x-amzn-ErrorType", out var values))
        {
            code = values.FirstOrDefault();
        }
        if (string.IsNullOrEmpty(code))
        {
            return "Http" + (int)response.StatusCode;
        }
        code = code.Split(':')[0];
        var hash = code.LastIndexOf('#');
        return hash >= 0 ? code[(hash + 1)..] : code;
    }

    internal static string Describe(Exception? e) => e switch
    {
        null => "no exception",
        SsmApiException api => $"{api.ErrorCode}, HTTP {(int)api.StatusCode}",
        TimeoutRejectedException => "timeout",
        HttpRequestException http => $"connection failure: {http.HttpRequestError}",
        _ => e.GetType().Name,
    };
}
