using Dataraven.Core.Audit;
using Dataraven.Core.Common;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Persistence;
using Dataraven.Core.Secrets;
using Dataraven.Core.Teams;
using Dataraven.Core.Tiers;
using Dataraven.Core.VaultConnections;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Dataraven.Core.Trash;

/// <summary>One entry of the team's trash.</summary>
/// <param name="Type"><see cref="SecretType"/> or <see cref="VaultConnectionType"/>.</param>
public sealed record TrashItem(string Type, Guid Id, string Name, DateTime DeletedAt, Guid? DeletedBy, DateTime PurgeAt)
{
    public const string SecretType = "secret";
    public const string VaultConnectionType = "vault_connection";
}

/// <summary>The optional body of a restore: a new name when the old one is taken now.</summary>
public sealed class RestoreRequest
{
    public string? Name { get; set; }
}

public sealed class RestoreRequestValidator : AbstractValidator<RestoreRequest>
{
    public RestoreRequestValidator()
    {
        RuleFor(x => x.Name).Cascade(CascadeMode.Stop)
            .Must(n => n is null || !string.IsNullOrWhiteSpace(n)).WithMessage("Name cannot be empty.")
            .MaximumLength(SecretRules.NameMaxLength)
            .WithMessage($"Name must be at most {SecretRules.NameMaxLength} characters.")
            .OverridePropertyName("name");
    }
}

/// <summary>What one purge pass did.</summary>
public sealed record PurgePass(int Secrets, int VaultConnections, int Errors);

/// <summary>
/// The team's trash: what a delete moved there (records with <c>DeletedAt</c>, their credentials still in the store),
/// restoring it (within the tier limit, under a free name) and purging it (the record first, then the credential, as a
/// hard delete always did). Every other query of the portal sees trashed records not at all (the global query filter);
/// the queries here ask for them with <c>IgnoreQueryFilters</c>. <c>DeletedAt</c> is a concurrency token: a restore and
/// a purge of one record, or two of either, cannot both succeed; the loser answers 404.
/// </summary>
public sealed class TrashService(
    PortalDbContext db,
    CredentialRecords records,
    TierLimits limits,
    TimeProvider time,
    AuditTrail audit,
    TeamAccess access,
    ILogger<TrashService> logger,
    Owners.ObjectOwners owners)
{
    public async Task<IReadOnlyList<TrashItem>> ListAsync(TeamActor actor, CancellationToken ct = default)
    {
        var secrets = await TrashedSecrets(actor.TeamId)
            .Select(s => new TrashItem(TrashItem.SecretType, s.Id, s.Name, s.DeletedAt!.Value, s.DeletedBy, s.PurgeAt!.Value))
            .ToListAsync(ct);
        var connections = await TrashedConnections(actor.TeamId)
            .Select(v => new TrashItem(TrashItem.VaultConnectionType, v.Id, v.Name, v.DeletedAt!.Value, v.DeletedBy, v.PurgeAt!.Value))
            .ToListAsync(ct);
        return secrets.Concat(connections).OrderByDescending(i => i.DeletedAt).ThenBy(i => i.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<Result<SecretDetails>> RestoreSecretAsync(TeamActor actor, Guid id, RestoreRequest? request, CancellationToken ct = default)
    {
        var secret = await TrashedSecrets(actor.TeamId).AsTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (secret is null)
        {
            return new NotFoundProblem("secret");
        }
        if (await access.CheckAsync(actor, TeamOperations.RestoreSecret, AuditTarget.Secret(id, secret.Name), ct) is { } forbidden)
        {
            db.Entry(secret).State = EntityState.Detached;
            return forbidden;
        }
        if (Validate(request) is { } invalid)
        {
            db.Entry(secret).State = EntityState.Detached;
            return invalid;
        }
        var name = request?.Name?.Trim() ?? secret.Name;
        VaultConnection? connection = null;
        var result = await limits.CreateWithinLimitAsync(actor.TeamId, LimitedResource.Secrets, async c =>
        {
            if (await db.Secrets.NameTakenAsync(actor.TeamId, name, id, c))
            {
                return (Result<Done>)new NameConflictProblem(name);
            }
            if (secret.VaultConnectionId is { } cid)
            {
                connection = await db.VaultConnections.AsNoTracking().SingleOrDefaultAsync(v => v.Id == cid, c);
                if (connection is null)
                {
                    var trashed = await db.VaultConnections.IgnoreQueryFilters().AsNoTracking()
                        .Where(v => v.Id == cid).Select(v => v.Name).SingleOrDefaultAsync(c);
                    return trashed is null ? new NotFoundProblem("vault connection") : new ConnectionInTrashProblem(trashed);
                }
            }
            var before = secret.Name;
            secret.Rename(name);
            TrashStamps.TakeOutOfTrash(secret);
            audit.Add(actor, AuditActions.SecretRestored, AuditTarget.Secret(id, secret.Name),
                details: new { renamed_from = before == secret.Name ? null : before });
            return await db.SaveChangesOrConflictAsync(Conflicts(TrashItem.SecretType, name), c) is { } conflict ? conflict : Done.Instance;
        }, ct);
        if (!result.IsSuccess)
        {
            db.ChangeTracker.Clear();
            return await audit.RefusedAsync(actor, AuditActions.SecretRestored, AuditTarget.Secret(id, name), result.Problem!, ct);
        }
        logger.LogInformation("Secret {SecretId} restored from the trash of team {TeamId}", id, actor.TeamId);
        return new SecretDetails(secret, connection?.Name, connection?.VaultType) { Owners = await owners.OfAsync(id, ct) };
    }

    public async Task<Result<VaultConnectionDetails>> RestoreVaultConnectionAsync(TeamActor actor, Guid id, RestoreRequest? request,
        CancellationToken ct = default)
    {
        var connection = await TrashedConnections(actor.TeamId).AsTracking().SingleOrDefaultAsync(v => v.Id == id, ct);
        if (connection is null)
        {
            return new NotFoundProblem("vault connection");
        }
        if (await access.CheckAsync(actor, TeamOperations.RestoreVaultConnection, AuditTarget.VaultConnection(id, connection.Name), ct) is { } forbidden)
        {
            db.Entry(connection).State = EntityState.Detached;
            return forbidden;
        }
        if (Validate(request) is { } invalid)
        {
            db.Entry(connection).State = EntityState.Detached;
            return invalid;
        }
        var name = request?.Name?.Trim() ?? connection.Name;
        var result = await limits.CreateWithinLimitAsync(actor.TeamId, LimitedResource.VaultConnections, async c =>
        {
            if (await db.VaultConnections.NameTakenAsync(actor.TeamId, name, id, c))
            {
                return (Result<Done>)new NameConflictProblem(name);
            }
            var before = connection.Name;
            connection.Rename(name);
            TrashStamps.TakeOutOfTrash(connection);
            audit.Add(actor, AuditActions.VaultConnectionRestored, AuditTarget.VaultConnection(id, connection.Name),
                details: new { renamed_from = before == connection.Name ? null : before });
            return await db.SaveChangesOrConflictAsync(Conflicts(TrashItem.VaultConnectionType, name), c) is { } conflict ? conflict : Done.Instance;
        }, ct);
        if (!result.IsSuccess)
        {
            db.ChangeTracker.Clear();
            return await audit.RefusedAsync(actor, AuditActions.VaultConnectionRestored, AuditTarget.VaultConnection(id, name), result.Problem!, ct);
        }
        logger.LogInformation("Vault connection {ConnectionId} restored from the trash of team {TeamId}", id, actor.TeamId);
        return new VaultConnectionDetails(connection, await db.Secrets.CountAsync(s => s.VaultConnectionId == id, ct))
        {
            Owners = await owners.OfAsync(id, ct),
        };
    }

    /// <summary>Deletes one trashed object for good, at once (Owner): the record, then its credential.</summary>
    public async Task<Result<Done>> PurgeAsync(TeamActor actor, Guid id, CancellationToken ct = default)
    {
        var secret = await TrashedSecrets(actor.TeamId).AsTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        var connection = secret is null ? await TrashedConnections(actor.TeamId).AsTracking().SingleOrDefaultAsync(v => v.Id == id, ct) : null;
        if (secret is null && connection is null)
        {
            return new NotFoundProblem("trashed object");
        }
        if (TeamOperations.PurgeTrash.RefusalFor(actor) is { } forbidden)
        {
            db.ChangeTracker.Clear();
            return forbidden;
        }
        var problem = secret is not null ? await PurgeSecretAsync(actor, secret, ct) : await PurgeConnectionAsync(actor, connection!, ct);
        return problem is null ? Done.Instance : problem;
    }

    /// <summary>
    /// The background pass: purges everything whose <c>purge_at</c> has passed, as the system actor. Secrets first, so a
    /// connection's trashed secrets are mostly gone before it is. A failure is logged and the pass goes on.
    /// </summary>
    public async Task<PurgePass> PurgeDueAsync(CancellationToken ct = default)
    {
        var now = Clock.UtcNow(time);
        var dueSecrets = await db.Secrets.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.DeletedAt != null && s.PurgeAt <= now).Select(s => new { s.TeamId, s.Id }).ToListAsync(ct);
        var dueConnections = await db.VaultConnections.IgnoreQueryFilters().AsNoTracking()
            .Where(v => v.DeletedAt != null && v.PurgeAt <= now).Select(v => new { v.TeamId, v.Id }).ToListAsync(ct);
        int secrets = 0, connections = 0, errors = 0;
        foreach (var due in dueSecrets)
        {
            try
            {
                var secret = await TrashedSecrets(due.TeamId).AsTracking().SingleOrDefaultAsync(s => s.Id == due.Id && s.PurgeAt <= now, ct);
                if (secret is not null && await PurgeSecretAsync(TeamActor.System(due.TeamId), secret, ct) is null)
                {
                    secrets++;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors++;
                db.ChangeTracker.Clear();
                logger.LogError(e, "Could not purge secret {SecretId} of team {TeamId}; the next pass tries again", due.Id, due.TeamId);
            }
        }
        foreach (var due in dueConnections)
        {
            try
            {
                var connection = await TrashedConnections(due.TeamId).AsTracking().SingleOrDefaultAsync(v => v.Id == due.Id && v.PurgeAt <= now, ct);
                if (connection is not null && await PurgeConnectionAsync(TeamActor.System(due.TeamId), connection, ct) is null)
                {
                    connections++;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors++;
                db.ChangeTracker.Clear();
                logger.LogError(e, "Could not purge vault connection {ConnectionId} of team {TeamId}; the next pass tries again", due.Id, due.TeamId);
            }
        }
        return new PurgePass(secrets, connections, errors);
    }

    private async Task<Problem?> PurgeSecretAsync(TeamActor actor, Secret secret, CancellationToken ct)
    {
        audit.Add(actor, AuditActions.SecretPurged, AuditTarget.Secret(secret.Id, secret.Name), details: new { secret_type = secret.SecretType });
        var problem = await records.DeleteAsync(secret, secret.IsDirect ? CredentialKey.ForSecret(secret.TeamId, secret.Id) : null,
            async c =>
            {
                await db.LockTeamForWriteAsync(secret.TeamId, c);
                await owners.RemoveObjectsAsync([secret.Id], c);
                return null;
            }, Conflicts(TrashItem.SecretType, secret.Name), ct);
        if (problem is null)
        {
            logger.LogInformation("Secret {SecretId} purged from the trash of team {TeamId} by {ActorType}", secret.Id, secret.TeamId, actor.ActorType);
        }
        return problem;
    }

    /// <summary>Its trashed vault secrets go with it (they have no credential of their own); a live one would refuse it (409 in_use).</summary>
    private async Task<Problem?> PurgeConnectionAsync(TeamActor actor, VaultConnection connection, CancellationToken ct)
    {
        audit.Add(actor, AuditActions.VaultConnectionPurged, AuditTarget.VaultConnection(connection.Id, connection.Name),
            details: new { vault_type = connection.VaultType.ToWire() });
        var problem = await records.DeleteAsync(connection, CredentialKey.ForVaultConnection(connection.TeamId, connection.Id), async c =>
        {
            await db.LockTeamForWriteAsync(connection.TeamId, c);
            var users = await db.Secrets.IgnoreQueryFilters().Where(s => s.VaultConnectionId == connection.Id).OrderBy(s => s.Name).ToListAsync(c);
            var live = users.Where(s => s.DeletedAt is null).Select(s => new InUseItem(s.Id, s.Name)).ToList();
            if (live.Count > 0)
            {
                return new InUseProblem(live);
            }
            foreach (var s in users)
            {
                audit.Add(actor, AuditActions.SecretPurged, AuditTarget.Secret(s.Id, s.Name), details: new { secret_type = s.SecretType });
                db.Remove(s);
            }
            await owners.RemoveObjectsAsync([connection.Id, .. users.Select(s => s.Id)], c);
            return null;
        }, Conflicts(TrashItem.VaultConnectionType, connection.Name), ct);
        if (problem is null)
        {
            logger.LogInformation("Vault connection {ConnectionId} purged from the trash of team {TeamId} by {ActorType}",
                connection.Id, connection.TeamId, actor.ActorType);
        }
        return problem;
    }

    private IQueryable<Secret> TrashedSecrets(Guid teamId) =>
        db.Secrets.IgnoreQueryFilters().AsNoTracking().Where(s => s.TeamId == teamId && s.DeletedAt != null);

    private IQueryable<VaultConnection> TrashedConnections(Guid teamId) =>
        db.VaultConnections.IgnoreQueryFilters().AsNoTracking().Where(v => v.TeamId == teamId && v.DeletedAt != null);

    private static ValidationProblem? Validate(RestoreRequest? request)
    {
        if (request is null)
        {
            return null;
        }
        var validation = new RestoreRequestValidator().Validate(request);
        return validation.IsValid ? null : validation.ToValidationProblem();
    }

    /// <summary>A concurrent restore or purge got there first (404), or a create took the name meanwhile (409).</summary>
    private static WriteConflicts Conflicts(string type, string name) =>
        WriteConflicts.ForNamedRecord(type == TrashItem.SecretType ? "secret" : "vault connection", name, "vault connection");
}
