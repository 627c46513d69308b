using Dataraven.Core.Common;
using Dataraven.Core.Persistence;

namespace Dataraven.Core.Notifications;

/// <summary>
/// The one seam every state change raises its notifications through. <see cref="Raise"/> only adds the outbox row to
/// the caller's unit of work: the caller's SaveChanges commits it together with the change (or neither). Channels
/// (webhooks today, email to owners later) subscribe by reading <see cref="NotificationEvent"/> rows.
/// </summary>
public interface INotificationEvents
{
    NotificationEvent Raise(Guid teamId, string type, NotificationTarget target, string? status = null, string? errorClass = null,
        DateTime? expiresAt = null, string? message = null, Guid? webhookId = null);
}

/// <summary>Wakes the dispatcher when events are committed, so delivery does not wait for the next poll.</summary>
public sealed class NotificationSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}

public sealed class NotificationEvents(PortalDbContext db, TimeProvider time, NotificationSignal signal, NotificationEmails emails,
    Email.EmailOutboxSignal emailSignal) : INotificationEvents
{
    private bool _subscribed;
    private bool _emailSubscribed;

    public NotificationEvent Raise(Guid teamId, string type, NotificationTarget target, string? status = null, string? errorClass = null,
        DateTime? expiresAt = null, string? message = null, Guid? webhookId = null)
    {
        if (!NotificationEventTypes.IsKnown(type))
        {
            throw new ArgumentException($"Unknown notification event type '{type}'.", nameof(type));
        }
        var now = Clock.UtcNow(time);
        var body = new NotificationBody(type, now,
            new NotificationData(teamId, target, status, errorClass, expiresAt, message, UrlOf(target)));
        var row = new NotificationEvent
        {
            EventId = Guid.NewGuid(), TeamId = teamId, Type = type, TargetType = target.Type, TargetId = target.Id, WebhookId = webhookId,
            Body = body.ToJson(), CreatedAt = now,
        };
        db.NotificationEvents.Add(row);
        // A webhook test is for its webhook alone; every other event also emails the target's owners.
        var emailed = webhookId is null && emails.Stage(teamId, type, target, message) > 0;
        // Wake the senders once the rows are visible to them: at the commit of the caller's transaction, if it has one.
        if (!_subscribed)
        {
            _subscribed = true;
            db.SavedChanges += (_, _) => AfterCommit.Run(db, signal.Notify);
        }
        if (emailed && !_emailSubscribed)
        {
            _emailSubscribed = true;
            db.SavedChanges += (_, _) => AfterCommit.Run(db, emailSignal.Pulse);
        }
        return row;
    }

    /// <summary>The portal page of the target, relative to the portal's address.</summary>
    public static string? UrlOf(NotificationTarget target) => target.Type switch
    {
        "secret" => $"/secrets/{target.Id:D}/edit",
        "vault_connection" => $"/vault-connections/{target.Id:D}",
        "webhook" => "/notifications",
        _ => null,
    };
}
