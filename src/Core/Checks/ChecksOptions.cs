namespace Dataraven.Core.Checks;

/// <summary>The section <c>Checks</c>: scheduling, the 1Password read budget and the bound on one storage probe.</summary>
public sealed class ChecksOptions
{
    public const string SectionName = "Checks";

    /// <summary><c>Checks:IntervalMinutes</c>: a check older than this is due again (default 360).</summary>
    public int IntervalMinutes { get; set; } = 360;

    /// <summary><c>Checks:SchedulerEnabled</c>: whether the background service runs scheduled passes (default true; tests turn it off and drive passes themselves).</summary>
    public bool SchedulerEnabled { get; set; } = true;

    /// <summary><c>Checks:Concurrency</c>: scheduled checks running at once (default 4).</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary><c>Checks:OnePasswordReadsPerHour</c>: <c>op read</c> calls per 1Password connection per clock hour (default 1000).</summary>
    public int OnePasswordReadsPerHour { get; set; } = 1000;

    /// <summary><c>Checks:ProbeTimeoutSeconds</c>: one storage probe, all its calls together (default 10).</summary>
    public double ProbeTimeoutSeconds { get; set; } = 10;

    internal TimeSpan ProbeTimeout => TimeSpan.FromSeconds(double.IsFinite(ProbeTimeoutSeconds) ? Math.Clamp(ProbeTimeoutSeconds, 0.1, 300) : 10);
}

/// <summary>
/// The section <c>Storage</c>: endpoints for tests and private clouds (<c>Storage:S3:ServiceUrl</c>,
/// <c>Storage:Azure:ServiceUrl</c>, <c>Storage:B2:BaseUrl</c>); empty means the public service.
/// </summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    public S3StorageOptions S3 { get; set; } = new();

    public AzureStorageOptions Azure { get; set; } = new();

    public B2StorageOptions B2 { get; set; } = new();
}

public sealed class S3StorageOptions
{
    /// <summary>Where <c>s3</c> secrets are checked when the check target gives no endpoint (default: AWS itself).</summary>
    public string? ServiceUrl { get; set; }
}

public sealed class AzureStorageOptions
{
    /// <summary>
    /// The blob endpoint of the account, used instead of <c>https://{account}.blob.core.windows.net</c> (e.g. Azurite's
    /// <c>http://127.0.0.1:10000/devstoreaccount1</c>); a SAS URL keeps its path and query and is sent there.
    /// </summary>
    public string? ServiceUrl { get; set; }
}

public sealed class B2StorageOptions
{
    public const string DefaultBaseUrl = "https://api.backblazeb2.com";

    public string BaseUrl { get; set; } = DefaultBaseUrl;
}
