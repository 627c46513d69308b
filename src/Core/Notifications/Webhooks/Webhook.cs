using Dataraven.Core.Common;

namespace Dataraven.Core.Notifications.Webhooks;

/// <summary>
/// A team's webhook endpoint. The signing secret is kept only encrypted (Data Protection, <see cref="ProtectedSecret"/>);
/// it is shown once, in the creation's answer. The lease columns let one dispatcher instance at a time work on it.
/// </summary>
public sealed class Webhook : ITeamRecord
{
    public Guid Id { get; set; }
    public Guid TeamId { get; set; }
    public required string Url { get; set; }
    public List<string> Events { get; set; } = [];
    public string? Description { get; set; }
    public required string ProtectedSecret { get; set; }
    public DateTime CreatedAt { get; set; }
    public Guid CreatedBy { get; set; }

    /// <summary>The last <see cref="NotificationEvent.Id"/> this webhook has taken (or skipped); later ones are new to it.</summary>
    public long Cursor { get; set; }

    public string? LeaseOwner { get; set; }
    public DateTime? LeaseUntil { get; set; }

    public bool Wants(string type) => Events.Contains(NotificationEventTypes.All) || Events.Contains(type);
}

public enum WebhookDeliveryStatus
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>One event sent (or being sent) to one webhook: its attempts so far and the last outcome.</summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }
    public Guid WebhookId { get; set; }
    public Guid TeamId { get; set; }
    public long EventSequence { get; set; }
    public required string Event { get; set; }
    public required string Body { get; set; }
    public WebhookDeliveryStatus Status { get; set; }
    public int Attempt { get; set; }
    public int? StatusCode { get; set; }
    public string? Error { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? DeliveredAt { get; set; }

    /// <summary>The <c>webhook-id</c> header: the same on every attempt.</summary>
    public string MessageId => $"msg_{Id:N}";
}
