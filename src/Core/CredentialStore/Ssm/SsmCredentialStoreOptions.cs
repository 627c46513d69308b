using Amazon;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;

namespace Dataraven.Core.CredentialStore.Ssm;

/// <summary>Settings of the SSM Parameter Store credential store (configuration section <c>CredentialStore:Ssm</c>).</summary>
public sealed class SsmCredentialStoreOptions
{
    public const string SectionName = "CredentialStore:Ssm";

    /// <summary>AWS region (e.g. <c>eu-west-1</c>). When empty, the SDK's region chain (<c>AWS_REGION</c>, profile, instance metadata).</summary>
    public string? Region { get; set; }

    /// <summary>A local endpoint (e.g. moto at <c>http://127.0.0.1:5000</c>); when empty, the region's AWS endpoint.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>KMS key (id, ARN or alias) for SecureString values; when empty, the account's default key (<c>alias/aws/ssm</c>).</summary>
    public string? KmsKeyId { get; set; }

    /// <summary>Every parameter name starts with this path.</summary>
    public string PathPrefix { get; set; } = "/dataraven";

    /// <summary>How long one HTTP attempt may take (the SDK's <see cref="ClientConfig.Timeout"/>).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after throttling, 5xx, timeouts and connection failures (the SDK's <see cref="ClientConfig.MaxErrorRetry"/>).</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The SDK's retry strategy: Standard, or Adaptive (client-side rate limiting under throttling).</summary>
    public RequestRetryMode RetryMode { get; set; } = RequestRetryMode.Standard;

    /// <summary>The SDK client configuration these settings describe.</summary>
    public AmazonSimpleSystemsManagementConfig ToClientConfig()
    {
        var config = new AmazonSimpleSystemsManagementConfig
        {
            RetryMode = RetryMode,
            MaxErrorRetry = Math.Max(0, MaxRetryAttempts),
            Timeout = RequestTimeout,
        };
        var region = Region?.Trim();
        if (!string.IsNullOrWhiteSpace(ServiceUrl))
        {
            if (!Uri.TryCreate(ServiceUrl.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new InvalidOperationException("CredentialStore:Ssm:ServiceUrl must be an absolute http(s) URL.");
            }
            config.ServiceURL = uri.ToString();
            // A local endpoint's host names no region: sign for the configured one.
            if (!string.IsNullOrEmpty(region))
            {
                config.AuthenticationRegion = region;
            }
        }
        else if (!string.IsNullOrEmpty(region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        return config;
    }

    /// <summary><see cref="PathPrefix"/> as <c>/a/b</c> (leading slash, no trailing slash), or empty for the root.</summary>
    public string NormalizedPathPrefix()
    {
        var trimmed = (PathPrefix ?? "").Trim().Trim('/');
        return trimmed.Length == 0 ? "" : "/" + trimmed;
    }
}
