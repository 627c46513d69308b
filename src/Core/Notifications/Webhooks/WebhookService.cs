using System.Security.Cryptography;
using Dataraven.Core.Audit;
using Dataraven.Core.Common;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dataraven.Core.Notifications.Webhooks;

/// <summary>The body of <c>POST /webhooks</c>.</summary>
public sealed class CreateWebhookRequest
{
    public string? Url { get; set; }
    public List<string>? Events { get; set; }
    public string? Description { get; set; }
}

/// <summary>The only place the signing secret exists in clear: the answer to the webhook's creation.</summary>
public sealed record WebhookCreated(Webhook Webhook, string Secret);

/// <summary>The rules of a webhook's settings, for the API and the page alike.</summary>
public static class WebhookRules
{
    public const int UrlMaxLength = 2000;
    public const int DescriptionMaxLength = 2000;
    public const int MaxPerTeam = 20;

    public static Dictionary<string, string[]> Validate(CreateWebhookRequest body, bool allowPrivateNetworks)
    {
        var errors = new Dictionary<string, string[]>();
        var url = body.Url?.Trim();
        if (string.IsNullOrEmpty(url))
        {
            errors["url"] = ["A URL is required."];
        }
        else if (url.Length > UrlMaxLength)
        {
            errors["url"] = [$"URL must be at most {UrlMaxLength} characters."];
        }
        else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host)
                 || (uri.Scheme != Uri.UriSchemeHttps && !(allowPrivateNetworks && uri.Scheme == Uri.UriSchemeHttp)))
        {
            errors["url"] = [allowPrivateNetworks ? "Must be an absolute http or https URL." : "Must be an absolute https URL."];
        }
        else if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            errors["url"] = ["Must not contain a user name or password."];
        }
        if (body.Events is null || body.Events.Count == 0)
        {
            errors["events"] = [$"Name at least one event, or [\"*\"] for all: {string.Join(", ", NotificationEventTypes.Known)}."];
        }
        else if (body.Events.Any(e => e is null || (e != NotificationEventTypes.All && !NotificationEventTypes.IsKnown(e))))
        {
            errors["events"] = [$"Unknown event. Known events: {string.Join(", ", NotificationEventTypes.Known)}, or \"*\"."];
        }
        if (body.Description is { Length: > DescriptionMaxLength })
        {
            errors["description"] = [$"Description must be at most {DescriptionMaxLength} characters."];
        }
        return errors;
    }
}

/// <summary>Webhooks of a team (DESIGN.md, "Notifications"): Owners and Admins add, list, delete and test them.</summary>
public sealed class WebhookService(PortalDbContext db, AuditTrail audit, TeamAccess access, INotificationEvents events,
    IDataProtectionProvider protection, IOptions<WebhooksOptions> options, TimeProvider time)
{
    public const int DeliveriesShown = 100;
    private const string Purpose = "Dataraven.Webhooks.SigningSecret";
    private static readonly TeamRecordKind<Webhook> Record = new("webhook", w => Target(w));

    public static AuditTarget Target(Webhook w) => new("webhook", w.Id, w.Url);

    public async Task<Result<WebhookCreated>> CreateAsync(TeamActor actor, CreateWebhookRequest body, CancellationToken ct = default)
    {
        if (await access.CheckAsync(actor, TeamOperations.CreateWebhook, new AuditTarget("webhook", null, body.Url?.Trim()), ct) is { } forbidden)
        {
            return forbidden;
        }
        var errors = WebhookRules.Validate(body, options.Value.AllowPrivateNetworks);
        if (errors.Count > 0)
        {
            return new ValidationProblem(errors);
        }
        if (await db.Webhooks.CountAsync(w => w.TeamId == actor.TeamId, ct) >= WebhookRules.MaxPerTeam)
        {
            return new ValidationProblem(new Dictionary<string, string[]> { ["url"] = [$"A team has at most {WebhookRules.MaxPerTeam} webhooks."] });
        }
        var key = RandomNumberGenerator.GetBytes(32);
        var secret = WebhookSignature.SecretPrefix + Convert.ToBase64String(key);
        var now = Clock.UtcNow(time);
        var webhook = new Webhook
        {
            Id = Guid.NewGuid(),
            TeamId = actor.TeamId,
            Url = body.Url!.Trim(),
            Events = body.Events!.Contains(NotificationEventTypes.All) ? [NotificationEventTypes.All] : body.Events.Distinct().ToList(),
            Description = Names.Description(body.Description),
            ProtectedSecret = Protector.Protect(secret),
            CreatedAt = now,
            CreatedBy = actor.UserId,
            // Events from before the webhook existed are not its to deliver.
            Cursor = await db.NotificationEvents.MaxAsync(e => (long?)e.Id, ct) ?? 0,
        };
        db.Webhooks.Add(webhook);
        audit.Add(actor, AuditActions.WebhookCreated, Target(webhook), details: new { events = webhook.Events });
        await db.SaveChangesOrConflictAsync(new WriteConflicts(new NotFoundProblem("team")), ct);
        return new WebhookCreated(webhook, secret);
    }

    public async Task<Result<IReadOnlyList<Webhook>>> ListAsync(TeamActor actor, CancellationToken ct = default)
    {
        if (TeamOperations.ListWebhooks.RefusalFor(actor) is { } forbidden)
        {
            return forbidden;
        }
        var list = await db.Webhooks.AsNoTracking().Where(w => w.TeamId == actor.TeamId).ToListAsync(ct);
        return list.OrderBy(w => w.CreatedAt).ToList();
    }

    public async Task<Result<Done>> DeleteAsync(TeamActor actor, Guid id, CancellationToken ct = default)
    {
        var found = await access.FindAsync(actor, Record, id, TeamOperations.DeleteWebhook, ct);
        if (found.Problem is { } problem)
        {
            return problem;
        }
        db.Webhooks.Remove(found.Value!);
        audit.Add(actor, AuditActions.WebhookDeleted, Target(found.Value!));
        await db.SaveChangesOrConflictAsync(new WriteConflicts(new NotFoundProblem("webhook")), ct);
        return Done.Instance;
    }

    /// <summary>Queues a <c>webhook.test</c> event for this webhook only.</summary>
    public async Task<Result<NotificationEvent>> TestAsync(TeamActor actor, Guid id, CancellationToken ct = default)
    {
        var found = await access.FindAsync(actor, Record, id, TeamOperations.TestWebhook, ct);
        if (found.Problem is { } problem)
        {
            return problem;
        }
        var webhook = found.Value!;
        var raised = events.Raise(actor.TeamId, NotificationEventTypes.WebhookTest, new NotificationTarget("webhook", webhook.Id, webhook.Url),
            status: "test", message: "A test event sent from the DataRaven Portal.", webhookId: webhook.Id);
        await db.SaveChangesOrConflictAsync(new WriteConflicts(new NotFoundProblem("webhook")), ct);
        return raised;
    }

    public async Task<Result<IReadOnlyList<WebhookDelivery>>> DeliveriesAsync(TeamActor actor, Guid id, CancellationToken ct = default)
    {
        var webhook = await db.Webhooks.AsNoTracking().SingleOrDefaultAsync(w => w.Id == id && w.TeamId == actor.TeamId, ct);
        if (webhook is null)
        {
            return new NotFoundProblem("webhook");
        }
        if (TeamOperations.ListWebhooks.RefusalFor(actor) is { } forbidden)
        {
            return forbidden;
        }
        return await db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == id)
            .OrderByDescending(d => d.EventSequence).Take(DeliveriesShown).ToListAsync(ct);
    }

    /// <summary>The signing secret, for the dispatcher only.</summary>
    public static string UnprotectSecret(IDataProtectionProvider protection, Webhook webhook) =>
        protection.CreateProtector(Purpose).Unprotect(webhook.ProtectedSecret);

    private IDataProtector Protector => protection.CreateProtector(Purpose);
}
