using Dataraven.Core.Audit;
using Dataraven.Core.Common;
using Dataraven.Core.Persistence;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Dataraven.Core.Checks.Health;

/// <summary>
/// Checks saved secrets and drafts for members and for the scheduler: who may, which target, and recording the outcome
/// as the secret's health together with its <c>secret.checked</c> audit event (one save).
/// </summary>
public sealed class SecretHealthService(
    PortalDbContext db,
    ISecretChecker checker,
    AuditTrail audit,
    TimeProvider time,
    Notifications.INotificationEvents notifications,
    ILogger<SecretHealthService> logger)
{
    /// <param name="target">The body's target, remembered for later checks; null reuses the remembered one.</param>
    public async Task<Result<SecretCheck>> CheckAsync(TeamActor actor, Guid secretId, CheckSecretRequest? target, CancellationToken ct = default)
    {
        var secret = await db.Secrets.SingleOrDefaultAsync(s => s.Id == secretId && s.TeamId == actor.TeamId, ct);
        if (secret is null)
        {
            return new NotFoundProblem("secret");
        }
        if (TeamOperations.CheckSecret.RefusalFor(actor) is { } forbidden)
        {
            return forbidden;
        }
        if (target is not null)
        {
            var validation = new CheckSecretRequestValidator().Validate(target);
            if (!validation.IsValid)
            {
                return validation.ToValidationProblem();
            }
            secret.Health.Remember(target.ToTarget());
        }

        var check = await checker.CheckAsync(secret, secret.Health.Target(), ct);
        // Milliseconds, as every time the portal keeps, so the answer and a later GET agree.
        check = check with { CheckedAt = new DateTime(check.CheckedAt.Ticks - check.CheckedAt.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc) };
        var previous = secret.Health.Status;
        secret.Health.Record(check);
        RaiseChange(actor.TeamId, secret, previous, check);
        audit.Add(actor, AuditActions.SecretChecked, AuditTarget.Secret(secret.Id, secret.Name),
            HealthView.IsFailure(check.Status) ? AuditOutcome.Failed : AuditOutcome.Succeeded, AuditDetails(check));
        if (await db.SaveChangesOrConflictAsync(WriteConflicts.ForNamedRecord("secret", secret.Name, "vault connection"), ct) is { } lostRace)
        {
            return lostRace;
        }
        logger.LogInformation("Secret {SecretId} in team {TeamId} checked by {ActorType}: {Status}",
            secret.Id, actor.TeamId, actor.ActorType, check.Status.ToWire());
        return check;
    }

    /// <summary>
    /// A check that ends not ok after an ok (or as the first check) is <c>secret.check_failed</c>; an ok after a failure
    /// is <c>secret.recovered</c>. The same state again tells nobody. Statuses only, never a value or a provider's text.
    /// </summary>
    private void RaiseChange(Guid teamId, Secret secret, CheckStatus previous, SecretCheck check)
    {
        var failed = HealthView.IsFailure(check.Status);
        var wasFailing = HealthView.IsFailure(previous);
        if (failed == wasFailing || (!failed && previous == CheckStatus.Unchecked))
        {
            return;
        }
        var target = new Notifications.NotificationTarget("secret", secret.Id, secret.Name);
        var errorClass = (check.ErrorClass ?? (failed ? check.Status : null))?.ToWire();
        notifications.Raise(teamId,
            failed ? Notifications.NotificationEventTypes.SecretCheckFailed : Notifications.NotificationEventTypes.SecretRecovered,
            target, check.Status.ToWire(), failed ? errorClass : null, check.ExpiresAt,
            failed ? $"The check of secret {secret.Name} failed: {check.Status.ToWire()}." : $"The secret {secret.Name} checks ok again.");
    }

    /// <summary>The editor's "Check" before saving: nothing is stored or recorded, the values stay in memory.</summary>
    public async Task<Result<SecretCheck>> CheckDraftAsync(TeamActor actor, SecretDraft draft, CheckSecretRequest? target, CancellationToken ct = default)
    {
        if (TeamOperations.CheckDraftSecret.RefusalFor(actor) is { } forbidden)
        {
            return forbidden;
        }
        if (draft.TeamId != actor.TeamId)
        {
            return new NotFoundProblem("vault connection");
        }
        target ??= new CheckSecretRequest();
        var validation = new CheckSecretRequestValidator().Validate(target);
        if (!validation.IsValid)
        {
            return validation.ToValidationProblem();
        }
        return await checker.CheckDraftAsync(draft, target.ToTarget(), ct);
    }

    /// <summary>The team's secrets' health now, by secret id (for lists and the overview).</summary>
    public async Task<IReadOnlyDictionary<Guid, HealthView>> TeamHealthAsync(Guid teamId, CancellationToken ct = default)
    {
        var now = Clock.UtcNow(time);
        var rows = await db.Secrets.AsNoTracking().Where(s => s.TeamId == teamId)
            .Select(s => new { s.Id, s.Health, s.CredentialsUpdatedAt, s.CredentialExpirationDays }).ToListAsync(ct);
        return rows.ToDictionary(r => r.Id,
            r => HealthView.Of(r.Health, now, CredentialExpiry.ExpireAt(r.CredentialsUpdatedAt, r.CredentialExpirationDays, r.Health.ExpiresAt)));
    }

    public HealthView ViewOf(Secret secret) => HealthView.Of(secret, Clock.UtcNow(time));

    /// <summary>Names and statuses only: an audit event never holds a value, a length or a fingerprint.</summary>
    private static object AuditDetails(SecretCheck check) => new
    {
        Status = check.Status.ToWire(),
        ErrorClass = check.ErrorClass?.ToWire(),
        Fields = check.Fields.Select(f => new { f.FieldName, Status = f.Status.ToWire() }).ToList(),
    };
}
