using Dataraven.Core.Email;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;

namespace Dataraven.Core.Notifications;

/// <summary>The kinds of notification email a user can turn off, each covering a pair of event types.</summary>
public static class NotificationEmailKinds
{
    public const string Checks = "checks";
    public const string Expiry = "expiry";
    public const string Connections = "connections";
    public const string Requests = "requests";

    public static readonly IReadOnlyList<(string Kind, string Label)> All =
    [
        (Checks, "A secret's check fails or recovers"),
        (Expiry, "A secret's credentials are about to expire or have expired"),
        (Connections, "A vault connection starts or stops failing"),
        (Requests, "A credential request is fulfilled"),
    ];

    /// <summary>The kind an event type belongs to; null for events no one is emailed about (<c>webhook.test</c>).</summary>
    public static string? Of(string eventType) => eventType switch
    {
        NotificationEventTypes.SecretCheckFailed or NotificationEventTypes.SecretRecovered => Checks,
        NotificationEventTypes.SecretExpiring or NotificationEventTypes.SecretExpired => Expiry,
        NotificationEventTypes.VaultConnectionFailing or NotificationEventTypes.VaultConnectionRecovered => Connections,
        NotificationEventTypes.CredentialRequestFulfilled => Requests,
        _ => null,
    };

    public static bool IsKnown(string kind) => All.Any(k => k.Kind == kind);
}

/// <summary>A user's "no email of this kind".</summary>
public sealed class NotificationEmailOptOut
{
    public Guid UserId { get; set; }
    public required string Kind { get; set; }
}

/// <summary>
/// Email to the owners of what an event is about (the team's Owners and Admins when it has none), staged with the event
/// in the caller's unit of work, so a change sends its email once or not at all. Users who turned the kind off are
/// skipped. The message names the object and its state: never a value, token or code.
/// </summary>
public sealed class NotificationEmails(PortalDbContext db, EmailOutbox outbox)
{
    /// <summary>
    /// Synchronous because <see cref="INotificationEvents.Raise"/> is: the reads are small indexed queries on the caller's
    /// connection (inside its transaction when it has one).
    /// </summary>
    public int Stage(Guid teamId, string type, NotificationTarget target, string? message)
    {
        if (!outbox.Enabled || NotificationEmailKinds.Of(type) is not { } kind)
        {
            return 0;
        }
        // One query: the owners' addresses, or the team's Owners' and Admins' when it has no owner, less those opted out.
        var owners = db.ObjectOwners.Where(o => o.TeamId == teamId && o.ObjectId == target.Id).Select(o => o.UserId);
        var admins = db.TeamMembers.Where(m => m.TeamId == teamId && (m.Role == TeamRole.Owner || m.Role == TeamRole.Admin)).Select(m => m.UserId);
        var addresses = db.Users
            .Where(u => owners.Any() ? owners.Contains(u.Id) : admins.Contains(u.Id))
            .Where(u => u.Email != null && !db.NotificationEmailOptOuts.Any(o => o.UserId == u.Id && o.Kind == kind))
            .Select(u => u.Email!).ToList();
        var subject = $"DataRaven: {message ?? Describe(type, target)}";
        var body = $"""
            {message ?? Describe(type, target)}

            {TargetLabel(target)}: {target.Name}
            Open DataRaven to see its status: {NotificationEvents.UrlOf(target) ?? "/"}

            You get this email because you own it, or as an Owner or Admin of the team when it has no owner.
            Turn these emails off under Account > Notifications.
            """;
        foreach (var to in addresses.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            outbox.Add(to, subject.Length > 255 ? subject[..255] : subject, body, EmailKinds.Notification);
        }
        return addresses.Count;
    }

    private static string TargetLabel(NotificationTarget target) => target.Type switch
    {
        "secret" => "Secret",
        "vault_connection" => "Vault connection",
        "credential_request" => "Credential request",
        _ => "Object",
    };

    private static string Describe(string type, NotificationTarget target) => $"{type} for {target.Name}";
}

/// <summary>Which kinds of notification email a user gets (all unless turned off).</summary>
public sealed class NotificationEmailPreferences(PortalDbContext db)
{
    public async Task<IReadOnlySet<string>> OptedOutAsync(Guid userId, CancellationToken ct = default) =>
        (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.NotificationEmailOptOuts.Where(o => o.UserId == userId).Select(o => o.Kind), ct)).ToHashSet();

    /// <summary>Turns one kind on or off; an unknown kind is a validation problem on <c>kind</c>.</summary>
    public async Task<Common.Result<Common.Done>> SetAsync(Guid userId, string kind, bool enabled, CancellationToken ct = default)
    {
        if (!NotificationEmailKinds.IsKnown(kind))
        {
            return Common.ValidationProblem.For("kind", "Unknown kind of notification email.");
        }
        var existing = await db.NotificationEmailOptOuts.FindAsync([userId, kind], ct);
        if (enabled && existing is not null)
        {
            db.NotificationEmailOptOuts.Remove(existing);
        }
        else if (!enabled && existing is null)
        {
            db.NotificationEmailOptOuts.Add(new NotificationEmailOptOut { UserId = userId, Kind = kind });
        }
        await db.SaveChangesAsync(ct);
        return Common.Done.Instance;
    }
}
