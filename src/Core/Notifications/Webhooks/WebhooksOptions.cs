namespace Dataraven.Core.Notifications.Webhooks;

/// <summary><c>Webhooks:*</c> configuration.</summary>
public sealed class WebhooksOptions
{
    public const string Section = "Webhooks";

    /// <summary>Allows http and private, loopback and link-local addresses (tests, private installs).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Runs the background dispatcher in this instance.</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>How often the dispatcher looks for work when nothing wakes it.</summary>
    public int PollIntervalMilliseconds { get; set; } = 2000;

    /// <summary>The time one delivery attempt may take (connect, send, answer).</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Webhooks worked on at the same time by one instance.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>
    /// Finished (delivered or failed) deliveries kept per webhook, newest first; older ones are deleted by the dispatcher
    /// after it worked on the webhook. Pending deliveries are never deleted.
    /// </summary>
    public int KeepDeliveries { get; set; } = WebhookService.DeliveriesShown;

    /// <summary>The waits before the 2nd, 3rd... attempt; after the last one the delivery is <c>failed</c>.</summary>
    public static readonly IReadOnlyList<TimeSpan> Backoff =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1),
    ];

    public const int MaxAttempts = 6;
}
