using Dataraven.Core.Common;
using Dataraven.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Dataraven.Core.Notifications;

/// <summary>
/// The scheduled pass's expiry notices: <c>secret.expiring</c> when a secret's <c>credentials_expire_at</c> (the earlier of
/// its own expiry, what its last check found, and the team's expiry policy; <see cref="CredentialExpiry"/>) comes within
/// 30, 7 and 1 days, once each, then <c>secret.expired</c> once. A credential first seen 5 days before its expiry gets
/// the 7-day notice only. Each notice is marked (<see cref="NotificationMark"/>, unique) in the transaction
/// that writes its event, so a later pass or another instance does not repeat it; a new expiry date (a rotation, a new
/// policy) starts over.
/// </summary>
public sealed class ExpiryNotices(PortalDbContext db, INotificationEvents events, TimeProvider time, ILogger<ExpiryNotices> logger)
{
    public static readonly IReadOnlyList<int> ThresholdDays = [30, 7, 1];

    /// <summary>The notice due for an expiry date now: "expired", "expiring:1", "expiring:7", "expiring:30" or null.</summary>
    public static string? KindAt(DateTime expiresAt, DateTime now)
    {
        var left = expiresAt - now;
        if (left <= TimeSpan.Zero)
        {
            return "expired";
        }
        foreach (var days in ThresholdDays.OrderBy(d => d))
        {
            if (left <= TimeSpan.FromDays(days))
            {
                return $"expiring:{days}";
            }
        }
        return null;
    }

    /// <summary>Gives every notice due now that was not given yet. Returns how many events it raised.</summary>
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var now = Clock.UtcNow(time);
        var horizon = now.AddDays(ThresholdDays.Max());
        // The expiry is computed in memory (CredentialExpiry, the one place): a secret with a policy may be due whatever its own expiry.
        var secrets = (await db.Secrets.AsNoTracking()
                .Where(s => (s.Health.ExpiresAt != null && s.Health.ExpiresAt <= horizon) || s.CredentialExpirationDays != null)
                .Select(s => new { s.Id, s.TeamId, s.Name, s.Health.ExpiresAt, s.CredentialsUpdatedAt, s.CredentialExpirationDays })
                .ToListAsync(ct))
            .Select(s => new { s.Id, s.TeamId, s.Name, ExpiresAt = CredentialExpiry.ExpireAt(s.CredentialsUpdatedAt, s.CredentialExpirationDays, s.ExpiresAt) })
            .Where(s => s.ExpiresAt <= horizon)
            .ToList();
        // The notices already given to these secrets, in one read rather than one per secret (expired ones stay in the list).
        var ids = secrets.Select(s => s.Id).ToList();
        var given = (await db.NotificationMarks.AsNoTracking()
                .Where(m => ids.Contains(m.TargetId))
                .Select(m => new { m.TeamId, m.TargetId, m.Kind, m.ExpiresAt })
                .ToListAsync(ct))
            .Select(m => (m.TeamId, m.TargetId, m.Kind, m.ExpiresAt))
            .ToHashSet();
        var raised = 0;
        foreach (var s in secrets)
        {
            var expiresAt = s.ExpiresAt!.Value;
            if (KindAt(expiresAt, now) is not { } kind || given.Contains((s.TeamId, s.Id, kind, expiresAt)))
            {
                continue;
            }
            db.NotificationMarks.Add(new NotificationMark
            {
                Id = Guid.NewGuid(), TeamId = s.TeamId, TargetId = s.Id, Kind = kind, ExpiresAt = expiresAt, CreatedAt = now,
            });
            var expired = kind == "expired";
            var days = expired ? 0 : int.Parse(kind["expiring:".Length..], System.Globalization.CultureInfo.InvariantCulture);
            events.Raise(s.TeamId, expired ? NotificationEventTypes.SecretExpired : NotificationEventTypes.SecretExpiring,
                new NotificationTarget("secret", s.Id, s.Name), expired ? "expired" : "expiring", null, expiresAt,
                expired
                    ? $"The credential of secret {s.Name} expired."
                    : $"The credential of secret {s.Name} expires within {days} day{(days == 1 ? "" : "s")}.");
            try
            {
                await db.SaveChangesAsync(ct);
                raised++;
            }
            catch (DbUpdateException)
            {
                // Another instance gave this notice first (the mark is unique).
                logger.LogDebug("Expiry notice {Kind} for secret {SecretId} was given by another instance", kind, s.Id);
            }
            db.ChangeTracker.Clear();
        }
        return raised;
    }
}
