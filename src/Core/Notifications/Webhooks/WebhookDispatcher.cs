using Dataraven.Core.Common;
using Dataraven.Core.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dataraven.Core.Notifications.Webhooks;

/// <summary>
/// Delivers the outbox (<see cref="NotificationEvent"/>) to the team's webhooks: at least once, in order per webhook.
/// A webhook is worked on by one instance at a time: it takes the webhook's lease with a conditional update (works the
/// same on SQLite and PostgreSQL, across instances, and expires by itself after a crash), then sends that webhook's oldest
/// pending delivery, or turns its next events into deliveries. A delivery that has to wait for a retry blocks the later
/// ones of its webhook, so they arrive in order. Retries after <see cref="WebhooksOptions.Backoff"/>, then <c>failed</c>.
/// </summary>
public sealed class WebhookDispatcher(
    IServiceScopeFactory scopes,
    WebhookSender sender,
    NotificationSignal signal,
    IDataProtectionProvider protection,
    IOptions<WebhooksOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private const int EventsPerStep = 50;
    private const int StepsPerWebhookAndPass = 200;

    /// <summary>This instance's name on the leases it holds.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    private TimeSpan Lease => TimeSpan.FromSeconds(Math.Max(1, options.Value.TimeoutSeconds) + 30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DispatcherEnabled)
        {
            return;
        }
        var poll = TimeSpan.FromMilliseconds(Math.Clamp(options.Value.PollIntervalMilliseconds, 10, 60_000));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
                await signal.WaitAsync(poll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "A webhook dispatch pass failed; the next one runs in {Poll}", poll);
                await Task.Delay(poll, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>One pass: every webhook with due work, at most <c>Webhooks:Concurrency</c> at a time. Returns the attempts made.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var now = Clock.UtcNow(time);
            due = await db.Webhooks.AsNoTracking()
                .Where(w => w.LeaseUntil == null || w.LeaseUntil < now)
                .Where(w => db.WebhookDeliveries.Any(d => d.WebhookId == w.Id && d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now)
                            || (!db.WebhookDeliveries.Any(d => d.WebhookId == w.Id && d.Status == WebhookDeliveryStatus.Pending)
                                && db.NotificationEvents.Any(e => e.TeamId == w.TeamId && e.Id > w.Cursor && (e.WebhookId == null || e.WebhookId == w.Id))))
                .Select(w => w.Id)
                .ToListAsync(ct);
        }
        var attempts = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(options.Value.Concurrency, 1, 32), CancellationToken = ct },
            async (id, token) =>
            {
                try
                {
                    Interlocked.Add(ref attempts, await WorkOnAsync(id, token));
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    logger.LogError(e, "Delivering to webhook {WebhookId} failed; it is retried on a later pass", id);
                }
            });
        return attempts;
    }

    private async Task<int> WorkOnAsync(Guid webhookId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        if (!await TakeLeaseAsync(db, webhookId, ct))
        {
            return 0;
        }
        try
        {
            var attempts = await DeliverAsync(db, webhookId, ct);
            await PruneAsync(db, webhookId, ct);
            return attempts;
        }
        finally
        {
            await db.Webhooks.Where(w => w.Id == webhookId && w.LeaseOwner == InstanceId)
                .ExecuteUpdateAsync(u => u.SetProperty(w => w.LeaseOwner, (string?)null).SetProperty(w => w.LeaseUntil, (DateTime?)null),
                    CancellationToken.None);
        }
    }

    /// <summary>Under the lease: the webhook's pending deliveries in order, and its next events turned into deliveries.</summary>
    private async Task<int> DeliverAsync(PortalDbContext db, Guid webhookId, CancellationToken ct)
    {
        var attempts = 0;
        for (var step = 0; step < StepsPerWebhookAndPass; step++)
        {
            db.ChangeTracker.Clear();
            var webhook = await db.Webhooks.AsNoTracking().SingleOrDefaultAsync(w => w.Id == webhookId, ct);
            if (webhook is null)
            {
                return attempts;
            }
            var delivery = await db.WebhookDeliveries
                .Where(d => d.WebhookId == webhookId && d.Status == WebhookDeliveryStatus.Pending)
                .OrderBy(d => d.EventSequence).FirstOrDefaultAsync(ct);
            if (delivery is null)
            {
                if (!await TakeNextEventsAsync(db, webhook, ct))
                {
                    return attempts;
                }
                continue;
            }
            var now = Clock.UtcNow(time);
            if (delivery.NextAttemptAt > now || !await RenewLeaseAsync(db, webhookId, ct))
            {
                return attempts;
            }
            var attempt = await sender.SendAsync(webhook.Url, delivery, WebhookService.UnprotectSecret(protection, webhook), ct);
            attempts++;
            Record(delivery, attempt, Clock.UtcNow(time));
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Webhook {WebhookId} delivery {DeliveryId} ({Event}) attempt {Attempt}: {Status}",
                webhookId, delivery.Id, delivery.Event, delivery.Attempt, delivery.Status.ToString().ToLowerInvariant());
        }
        return attempts;
    }

    /// <summary>
    /// Retention (<c>Webhooks:KeepDeliveries</c>): keeps the newest finished deliveries of the webhook and deletes the older
    /// finished ones. A pending delivery is never deleted, whatever its age.
    /// </summary>
    private async Task PruneAsync(PortalDbContext db, Guid webhookId, CancellationToken ct)
    {
        var keep = Math.Max(1, options.Value.KeepDeliveries);
        var oldestKept = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.WebhookId == webhookId && d.Status != WebhookDeliveryStatus.Pending)
            .OrderByDescending(d => d.EventSequence).Skip(keep - 1).Select(d => (long?)d.EventSequence).FirstOrDefaultAsync(ct);
        if (oldestKept is not { } cutoff)
        {
            return;
        }
        var pruned = await db.WebhookDeliveries
            .Where(d => d.WebhookId == webhookId && d.Status != WebhookDeliveryStatus.Pending && d.EventSequence < cutoff)
            .ExecuteDeleteAsync(ct);
        if (pruned > 0)
        {
            logger.LogInformation("Webhook {WebhookId}: {Pruned} old deliveries deleted (keeping the last {Keep})", webhookId, pruned, keep);
        }
    }

    /// <summary>The attempt's outcome: delivered, retried after the next backoff step, or failed for good.</summary>
    public static void Record(WebhookDelivery delivery, WebhookAttempt attempt, DateTime now)
    {
        delivery.Attempt++;
        delivery.StatusCode = attempt.StatusCode;
        delivery.Error = attempt.Error;
        if (attempt.Delivered)
        {
            delivery.Status = WebhookDeliveryStatus.Delivered;
            delivery.DeliveredAt = now;
        }
        else if (attempt.Retry && delivery.Attempt < WebhooksOptions.MaxAttempts)
        {
            delivery.NextAttemptAt = now + WebhooksOptions.Backoff[delivery.Attempt - 1];
        }
        else
        {
            delivery.Status = WebhookDeliveryStatus.Failed;
        }
    }

    /// <summary>Turns the webhook's next events into deliveries and moves its cursor past them, in one transaction under the lease.</summary>
    private async Task<bool> TakeNextEventsAsync(PortalDbContext db, Webhook webhook, CancellationToken ct)
    {
        var events = await db.NotificationEvents.AsNoTracking()
            .Where(e => e.TeamId == webhook.TeamId && e.Id > webhook.Cursor && (e.WebhookId == null || e.WebhookId == webhook.Id))
            .OrderBy(e => e.Id).Take(EventsPerStep).ToListAsync(ct);
        if (events.Count == 0)
        {
            return false;
        }
        DateTime? until = Clock.UtcNow(time) + Lease;
        var now = Clock.UtcNow(time);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var moved = await db.Webhooks.Where(w => w.Id == webhook.Id && w.LeaseOwner == InstanceId && w.Cursor == webhook.Cursor)
            .ExecuteUpdateAsync(u => u.SetProperty(w => w.Cursor, events[^1].Id).SetProperty(w => w.LeaseUntil, until), ct);
        if (moved == 0)
        {
            return false;
        }
        foreach (var e in events.Where(e => webhook.Wants(e.Type)))
        {
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                Id = Guid.NewGuid(), WebhookId = webhook.Id, TeamId = webhook.TeamId, EventSequence = e.Id, Event = e.Type, Body = e.Body,
                Status = WebhookDeliveryStatus.Pending, CreatedAt = e.CreatedAt, NextAttemptAt = now,
            });
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    private async Task<bool> TakeLeaseAsync(PortalDbContext db, Guid webhookId, CancellationToken ct)
    {
        var now = Clock.UtcNow(time);
        DateTime? until = now + Lease;
        var owner = InstanceId;
        return await db.Webhooks.Where(w => w.Id == webhookId && (w.LeaseUntil == null || w.LeaseUntil < now))
            .ExecuteUpdateAsync(u => u.SetProperty(w => w.LeaseOwner, owner).SetProperty(w => w.LeaseUntil, until), ct) == 1;
    }

    private async Task<bool> RenewLeaseAsync(PortalDbContext db, Guid webhookId, CancellationToken ct)
    {
        DateTime? until = Clock.UtcNow(time) + Lease;
        var owner = InstanceId;
        return await db.Webhooks.Where(w => w.Id == webhookId && w.LeaseOwner == owner)
            .ExecuteUpdateAsync(u => u.SetProperty(w => w.LeaseUntil, until), ct) == 1;
    }
}
