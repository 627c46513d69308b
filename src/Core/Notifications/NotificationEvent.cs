using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dataraven.Core.Notifications;

/// <summary>The event types a team is told about (DESIGN.md, "Notifications"). The one list.</summary>
public static class NotificationEventTypes
{
    public const string SecretCheckFailed = "secret.check_failed";
    public const string SecretRecovered = "secret.recovered";
    public const string SecretExpiring = "secret.expiring";
    public const string SecretExpired = "secret.expired";
    public const string VaultConnectionFailing = "vault_connection.failing";
    public const string VaultConnectionRecovered = "vault_connection.recovered";
    public const string CredentialRequestFulfilled = "credential_request.fulfilled";
    public const string WebhookTest = "webhook.test";

    /// <summary>Subscribes to every event type.</summary>
    public const string All = "*";

    public static readonly IReadOnlyList<string> Known =
    [
        SecretCheckFailed, SecretRecovered, SecretExpiring, SecretExpired, VaultConnectionFailing, VaultConnectionRecovered,
        CredentialRequestFulfilled, WebhookTest,
    ];

    public static bool IsKnown(string type) => Known.Contains(type);
}

/// <summary>What an event is about: never a value.</summary>
public sealed record NotificationTarget(string Type, Guid Id, string Name);

/// <summary>The <c>data</c> of an event's body.</summary>
public sealed record NotificationData(
    Guid TeamId, NotificationTarget Target, string? Status, string? ErrorClass, DateTime? ExpiresAt, string? Message, string? Url);

/// <summary>An event's body as webhooks receive it: <c>{type, timestamp, data}</c>.</summary>
public sealed record NotificationBody(string Type, DateTime Timestamp, NotificationData Data)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>
/// The outbox: one row per event of a team, written in the same transaction (the same SaveChanges) as the change that
/// caused it. Webhook deliveries are made from these rows by <see cref="Webhooks.WebhookDispatcher"/>; other channels
/// (email to owners) can read the same rows.
/// </summary>
public sealed class NotificationEvent
{
    /// <summary>Increasing: the order events are delivered in, per webhook.</summary>
    public long Id { get; set; }
    public Guid EventId { get; set; }
    public Guid TeamId { get; set; }
    public required string Type { get; set; }
    public required string TargetType { get; set; }
    public Guid TargetId { get; set; }

    /// <summary>Set for events meant for one webhook only (<c>webhook.test</c>).</summary>
    public Guid? WebhookId { get; set; }

    /// <summary>The body, as <see cref="NotificationBody.ToJson"/> wrote it.</summary>
    public required string Body { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// That a once-only notice was given (an expiry threshold for one expiry date), so a later pass does not repeat it.
/// Unique per (team, target, kind, expiry): two instances racing to give it write one row.
/// </summary>
public sealed class NotificationMark
{
    public Guid Id { get; set; }
    public Guid TeamId { get; set; }
    public Guid TargetId { get; set; }
    public required string Kind { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime CreatedAt { get; set; }
}
