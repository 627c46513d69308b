namespace Dataraven.Core.VaultProviders;

/// <summary>
/// Provider settings, bound from the configuration section <c>Vaults</c>
/// (e.g. <c>Vaults:Doppler:BaseUrl</c>, <c>Vaults:TimeoutSeconds</c>).
/// </summary>
public sealed class VaultProviderOptions
{
    public const string SectionName = "Vaults";

    public DopplerProviderOptions Doppler { get; set; } = new();

    public InfisicalProviderOptions Infisical { get; set; } = new();

    public OnePasswordProviderOptions OnePassword { get; set; } = new();

    public const double DefaultTimeoutSeconds = 15;

    /// <summary>The whole provider call including every retry and backoff (<c>Vaults:TimeoutSeconds</c>, default 15).</summary>
    public double TimeoutSeconds { get; set; } = DefaultTimeoutSeconds;

    /// <summary>Timeout of one HTTP attempt (<c>Vaults:AttemptTimeoutSeconds</c>, default 10; never more than the whole call).</summary>
    public double AttemptTimeoutSeconds { get; set; } = 10;

    /// <summary>Retries after the first attempt on 408, 429, 5xx, connection errors and attempt timeouts (<c>Vaults:MaxRetries</c>, default 3; 0 disables).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Base delay of the exponential backoff, with jitter (<c>Vaults:RetryBaseDelaySeconds</c>, default 1).</summary>
    public double RetryBaseDelaySeconds { get; set; } = 1;

    /// <summary>Upper bound for a provider's <c>Retry-After</c> and for any backoff delay (<c>Vaults:MaxRetryAfterSeconds</c>, default 30).</summary>
    public double MaxRetryAfterSeconds { get; set; } = 30;

    public const int DefaultMaxConcurrentPerProvider = 8;

    /// <summary>Provider operations in flight at once per vault type (<c>Vaults:MaxConcurrentPerProvider</c>, default 8); others queue.</summary>
    public int MaxConcurrentPerProvider { get; set; } = DefaultMaxConcurrentPerProvider;

    /// <summary>How long an operation waits for a free slot before 503 provider_busy (<c>Vaults:QueueSeconds</c>, default 2).</summary>
    public double QueueSeconds { get; set; } = 2;

    internal int MaxConcurrent => Math.Clamp(MaxConcurrentPerProvider, 1, 10_000);

    internal TimeSpan QueueWait => Clamp(QueueSeconds, 0.001, 3_600);

    /// <summary>The <c>Retry-After</c> of provider_busy: about one whole operation, when a slot has surely come free.</summary>
    internal TimeSpan BusyRetryAfter => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(TotalTimeout.TotalSeconds)));

    internal TimeSpan TotalTimeout => Clamp(TimeoutSeconds, 0.01, 86_400);

    internal TimeSpan AttemptTimeout => TimeSpan.FromTicks(Math.Min(Clamp(AttemptTimeoutSeconds, 0.01, 86_400).Ticks, TotalTimeout.Ticks));

    internal TimeSpan RetryBaseDelay => Clamp(RetryBaseDelaySeconds, 0, 86_400);

    internal TimeSpan MaxRetryAfter => Clamp(MaxRetryAfterSeconds, 0, 86_400);

    internal static TimeSpan Clamp(double seconds, double min, double max) =>
        TimeSpan.FromSeconds(double.IsFinite(seconds) ? Math.Clamp(seconds, min, max) : min);
}

public sealed class DopplerProviderOptions
{
    public const string DefaultBaseUrl = "https://api.doppler.com";

    /// <summary><c>Vaults:Doppler:BaseUrl</c>.</summary>
    public string BaseUrl { get; set; } = DefaultBaseUrl;
}

public sealed class InfisicalProviderOptions
{
    public const string DefaultBaseUrl = "https://app.infisical.com";

    /// <summary><c>Vaults:Infisical:BaseUrl</c>.</summary>
    public string BaseUrl { get; set; } = DefaultBaseUrl;
}

public sealed class OnePasswordProviderOptions
{
    public const string DefaultCliPath = "op";

    /// <summary><c>Vaults:OnePassword:CliPath</c>: the <c>op</c> executable (a name on PATH or a full path).</summary>
    public string CliPath { get; set; } = DefaultCliPath;

    /// <summary>How long one <c>op</c> run may take before its process tree is killed (<c>Vaults:OnePassword:TimeoutSeconds</c>, default 30).</summary>
    public double TimeoutSeconds { get; set; } = 30;

    internal TimeSpan Timeout => VaultProviderOptions.Clamp(TimeoutSeconds, 0.01, 86_400);
}
