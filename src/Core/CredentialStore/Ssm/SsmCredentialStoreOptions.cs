namespace Dataraven.Core.CredentialStore.Ssm;

/// <summary>Settings of the SSM Parameter Store credential store (configuration section <c>CredentialStore:Ssm</c>).</summary>
public sealed class SsmCredentialStoreOptions
{
    public const string SectionName = "CredentialStore:Ssm";

    /// <summary>AWS region (e.g. <c>eu-west-1</c>). When empty, <c>AWS_REGION</c> / <c>AWS_DEFAULT_REGION</c> are used.</summary>
    public string? Region { get; set; }

    /// <summary>A local endpoint (e.g. moto at <c>http://127.0.0.1:5000</c>); when empty, <c>https://ssm.{Region}.amazonaws.com</c>.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>KMS key (id, ARN or alias) for SecureString values; when empty, the account's default key (<c>alias/aws/ssm</c>).</summary>
    public string? KmsKeyId { get; set; }

    /// <summary>Every parameter name starts with this path.</summary>
    public string PathPrefix { get; set; } = "/dataraven";

    /// <summary>How long one HTTP attempt may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after throttling, 5xx, timeouts and connection failures.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First retry delay; it doubles on each retry (with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The region to sign for, from the options or the standard AWS environment variables.</summary>
    public string ResolveRegion()
    {
        var region = FirstNonEmpty(Region, Environment.GetEnvironmentVariable("AWS_REGION"), Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION"));
        return region ?? throw new InvalidOperationException(
            "CredentialStore:Ssm:Region is required (or set AWS_REGION) when CredentialStore:Provider is Ssm.");
    }

    /// <summary>The SSM endpoint: <see cref="ServiceUrl"/> or the regional AWS endpoint.</summary>
    public Uri ResolveEndpoint()
    {
        if (!string.IsNullOrWhiteSpace(ServiceUrl))
        {
            if (!Uri.TryCreate(ServiceUrl.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new InvalidOperationException("CredentialStore:Ssm:ServiceUrl must be an absolute http(s) URL.");
            }
            return uri;
        }
        return new Uri($"https://ssm.{ResolveRegion()}.amazonaws.com/");
    }

    /// <summary><see cref="PathPrefix"/> as <c>/a/b</c> (leading slash, no trailing slash), or empty for the root.</summary>
    public string NormalizedPathPrefix()
    {
        var trimmed = (PathPrefix ?? "").Trim().Trim('/');
        return trimmed.Length == 0 ? "" : "/" + trimmed;
    }

    private static string? FirstNonEmpty(params string?[] values) =>
        values.Select(v => v?.Trim()).FirstOrDefault(v => !string.IsNullOrEmpty(v));
}
