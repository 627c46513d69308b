using Dataraven.Core.Audit;
using Dataraven.Core.Common;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Persistence;
using Dataraven.Core.Secrets.Catalog;
using Dataraven.Core.Teams;
using Dataraven.Core.Tiers;
using Dataraven.Core.VaultConnections;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using S = Dataraven.Core.Secrets.SecretFields;

namespace Dataraven.Core.Secrets;

/// <summary>A secret with the name and type of the vault connection it references (null for direct secrets).</summary>
public sealed record SecretDetails(Secret Secret, string? VaultConnectionName, VaultType? VaultType)
{
    public IReadOnlyList<Owners.OwnerRef> Owners { get; init; } = [];
}

/// <summary>
/// Storage credentials. Direct secrets keep their values in the credential store (one value per secret);
/// vault secrets keep only their mappings. Create, update and delete keep store and database consistent
/// through <see cref="CredentialRecords"/>.
/// </summary>
public sealed class SecretService(
    PortalDbContext db,
    CredentialRecords records,
    TimeProvider time,
    AuditTrail audit,
    TeamAccess access,
    Trash.TrashStamps trash,
    ILogger<SecretService> logger,
    Owners.ObjectOwners owners)
{
    private static readonly TeamRecordKind<Secret> SecretRecord = new("secret", s => AuditTarget.Secret(s.Id, s.Name));

    /// <param name="ownerId">Only the secrets this user owns (null: all).</param>
    public async Task<IReadOnlyList<SecretDetails>> ListAsync(TeamActor actor, CancellationToken ct = default, Guid? ownerId = null)
    {
        var secrets = await db.Secrets.AsNoTracking().Where(s => s.TeamId == actor.TeamId).ToListAsync(ct);
        var connections = await db.VaultConnections.AsNoTracking().Where(v => v.TeamId == actor.TeamId)
            .ToDictionaryAsync(v => v.Id, ct);
        var ownersOf = await owners.OfTeamAsync(actor.TeamId, Owners.OwnedObjectTypes.Secret, ct);
        return secrets.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase)
            .Select(s => Details(s, s.VaultConnectionId is { } id ? connections.GetValueOrDefault(id) : null)
                with { Owners = ownersOf.GetValueOrDefault(s.Id) ?? [] })
            .Where(d => ownerId is not { } o || d.Owners.Any(x => x.Id == o))
            .ToList();
    }

    public async Task<Result<SecretDetails>> GetAsync(TeamActor actor, Guid id, CancellationToken ct = default)
    {
        var secret = await db.Secrets.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.TeamId == actor.TeamId, ct);
        return secret is null ? new NotFoundProblem("secret") : await DetailsAsync(secret, ct) with { Owners = await owners.OfAsync(id, ct) };
    }

    public async Task<Result<SecretDetails>> CreateAsync(TeamActor actor, CreateSecretRequest request, CancellationToken ct = default)
    {
        if (await access.CheckAsync(actor, TeamOperations.CreateSecret, AuditTarget.Secret(null, request.Name?.Trim()), ct) is { } forbidden)
        {
            return forbidden;
        }
        return await CreatePermittedAsync(actor, request, null, ct);
    }

    /// <summary>
    /// The create after the permission check. A credential request's fulfilment passes <paramref name="claim"/>: its guard
    /// outranks the name check (under the write lock too), and a lost race on the request's row answers its problem.
    /// </summary>
    internal async Task<Result<SecretDetails>> CreatePermittedAsync(TeamActor actor, CreateSecretRequest request, SecretWriteClaim? claim,
        CancellationToken ct)
    {
        VaultConnection? connection = null;
        if (Guid.TryParse(request.VaultConnectionId, out var connectionId))
        {
            connection = await db.VaultConnections.AsNoTracking().SingleOrDefaultAsync(v => v.Id == connectionId && v.TeamId == actor.TeamId, ct);
            if (connection is null)
            {
                return new NotFoundProblem("vault connection");
            }
        }
        var memberIds = request.OwnerIds is null ? null : await owners.MemberIdsAsync(actor.TeamId, ct);
        var validation = new SecretValidator(connection?.VaultType, connection?.Vault, memberIds).Validate(request);
        if (!validation.IsValid)
        {
            return validation.ToValidationProblem();
        }
        // The name is checked by the create (the guard below): before a credential is stored and again under the write lock.
        var name = request.Name!.Trim();
        var authMethod = SecretCatalog.FindAuthMethod(request.SecretType, request.AuthMethod)!;
        var now = Clock.UtcNow(time);
        var secret = new Secret
        {
            Id = Guid.NewGuid(),
            TeamId = actor.TeamId,
            Name = name,
            NameNormalized = Names.Normalize(name),
            Description = Names.Description(request.Description),
            SecretType = request.SecretType!,
            AuthMethod = authMethod.Id,
            VaultConnectionId = connection?.Id,
            FieldMappings = connection is null ? [] : MappingsOf(authMethod, request.FieldMappings!),
            CredentialFields = connection is null ? authMethod.FieldNames.ToList() : [],
            CreatedBy = actor.UserId,
            CreatedAt = now,
            UpdatedBy = actor.UserId,
            UpdatedAt = now,
            CredentialExpirationDays = request.CredentialExpirationDays,
            CredentialsUpdatedAt = now,
        };
        claim?.Staging(secret.Id);
        var ownerIds = Owners.ObjectOwners.ForCreate(actor, request.OwnerIds);
        owners.AddNew(actor.TeamId, Owners.OwnedObjectTypes.Secret, secret.Id, ownerIds);
        audit.Add(actor, AuditActions.SecretCreated, AuditTarget.Secret(secret.Id, name), details: new
        {
            secret_type = secret.SecretType,
            auth_method = secret.AuthMethod,
            source = connection is null ? "direct" : "vault",
            credential_fields = connection is null ? secret.CredentialFields : null,
            field_mappings = connection is null ? null : secret.FieldMappings.Select(m => m.FieldName).ToList(),
            owners = ownerIds,
        });
        var problem = await records.CreateAsync(actor.TeamId, LimitedResource.Secrets, secret,
            CredentialKey.ForSecret(actor.TeamId, secret.Id),
            connection is null ? CredentialsOf(authMethod, request.Credentials!) : null,
            async c =>
            {
                // The name is read before the claim's guard, which still takes precedence: the winner of a fulfilment race
                // commits its secret and the request's close together, so once the name read sees that secret the guard's
                // later read sees the close (the precheck runs outside the lock, one snapshot per statement) and a loser
                // answers 410, never 409.
                var nameTaken = await db.Secrets.NameTakenAsync(actor.TeamId, name, null, c);
                return claim is not null && await claim.Guard(c) is { } closed ? closed
                    : nameTaken ? new NameConflictProblem(name)
                    // Under the write lock a connection delete takes too: a connection moved to the trash meanwhile is gone.
                    : connection is not null && !await db.VaultConnections.AnyAsync(v => v.Id == connection.Id, c) ? new NotFoundProblem("vault connection")
                    : null;
            },
            claim is null ? Conflicts(secret) : Conflicts(secret) with { Missing = claim.LostRace }, ct);
        if (problem is not null)
        {
            return await audit.RefusedAsync(actor, AuditActions.SecretCreated, AuditTarget.Secret(null, name), problem, ct);
        }
        logger.LogInformation("Secret {SecretId} ({SecretType}, {Source}) created in team {TeamId}",
            secret.Id, secret.SecretType, connection is null ? "direct" : "vault", actor.TeamId);
        return Details(secret, connection) with { Owners = await owners.OfAsync(secret.Id, ct) };
    }

    public async Task<Result<SecretDetails>> UpdateAsync(TeamActor actor, Guid id, UpdateSecretRequest request, CancellationToken ct = default)
    {
        var found = await access.FindAsync(actor, SecretRecord, id, TeamOperations.UpdateSecret, ct);
        if (found.Problem is { } refused)
        {
            return refused;
        }
        var secret = found.Value!;
        var connection = secret.VaultConnectionId is { } cid
            ? await db.VaultConnections.AsNoTracking().SingleOrDefaultAsync(v => v.Id == cid, ct)
            : null;
        var memberIds = request.OwnerIds is null ? null : await owners.MemberIdsAsync(actor.TeamId, ct);
        var validation = new UpdateSecretValidator(secret, connection?.VaultType, connection?.Vault, memberIds).Validate(request);
        if (!validation.IsValid)
        {
            return validation.ToValidationProblem();
        }
        var before = (secret.Name, secret.Description, secret.AuthMethod, secret.CredentialExpirationDays);
        if (await db.Secrets.ApplyNameAndDescriptionAsync(secret, request.Name, request.Description, ct) is { } conflict)
        {
            return conflict;
        }
        var authMethod = SecretCatalog.FindAuthMethod(secret.SecretType, request.AuthMethod ?? secret.AuthMethod)!;
        secret.AuthMethod = authMethod.Id;
        Dictionary<string, string>? newCredentials = null;
        if (secret.IsDirect && request.Credentials is not null)
        {
            newCredentials = CredentialsOf(authMethod, request.Credentials);
            secret.CredentialFields = authMethod.FieldNames.ToList();
        }
        var mappingsChanged = false;
        if (!secret.IsDirect && request.FieldMappings is not null)
        {
            var mappings = MappingsOf(authMethod, request.FieldMappings);
            mappingsChanged = !mappings.Select(m => (m.FieldName, m.Reference)).SequenceEqual(secret.FieldMappings.Select(m => (m.FieldName, m.Reference)));
            secret.FieldMappings = mappings;
        }
        if (request.CredentialExpirationDaysGiven)
        {
            secret.CredentialExpirationDays = request.CredentialExpirationDays;
        }
        var ownerChange = request.OwnerIds is null ? null
            : await owners.ReplaceAsync(actor.TeamId, Owners.OwnedObjectTypes.Secret, id, Owners.OwnerRules.Parse(request.OwnerIds), ct);
        secret.UpdatedBy = actor.UserId;
        secret.UpdatedAt = Clock.UtcNow(time);
        if (newCredentials is not null || mappingsChanged)
        {
            // New credentials (or new places to read them from) start the expiry policy's clock again.
            secret.CredentialsUpdatedAt = secret.UpdatedAt;
        }
        audit.Add(actor, AuditActions.SecretUpdated, AuditTarget.Secret(id, secret.Name), details: new
        {
            fields = AuditDetails.Changed(("name", before.Name != secret.Name), ("description", before.Description != secret.Description),
                ("auth_method", before.AuthMethod != secret.AuthMethod), ("credentials", newCredentials is not null),
                ("field_mappings", !secret.IsDirect && request.FieldMappings is not null), ("owners", ownerChange?.Any == true),
                (S.CredentialExpirationDays, before.CredentialExpirationDays != secret.CredentialExpirationDays)),
            credential_fields = newCredentials?.Keys.ToArray(),
            owners_added = ownerChange?.Any == true ? ownerChange.Added : null,
            owners_removed = ownerChange?.Any == true ? ownerChange.Removed : null,
        });

        if (await records.SaveAsync(CredentialKey.ForSecret(actor.TeamId, id), newCredentials, secret.UpdatedAt, Conflicts(secret), ct) is { } lostRace)
        {
            return lostRace;
        }
        return Details(secret, connection) with { Owners = await owners.OfAsync(id, ct) };
    }

    /// <summary>
    /// Replaces a direct secret's credentials as a credentials PATCH does (same validation, same write), for a credential
    /// request's fulfilment: no permission check (the link is the permission); a lost race answers the claim's problem.
    /// </summary>
    internal async Task<Result<SecretDetails>> ReplaceCredentialsAsync(TeamActor actor, Guid id, Dictionary<string, string>? credentials,
        SecretWriteClaim claim, CancellationToken ct)
    {
        var secret = await db.Secrets.SingleOrDefaultAsync(s => s.Id == id && s.TeamId == actor.TeamId && s.VaultConnectionId == null, ct);
        if (secret is null)
        {
            return claim.LostRace;
        }
        var request = new UpdateSecretRequest { Credentials = credentials ?? [] };
        var validation = new UpdateSecretValidator(secret).Validate(request);
        if (!validation.IsValid)
        {
            db.Entry(secret).State = EntityState.Detached;
            return validation.ToValidationProblem();
        }
        var authMethod = SecretCatalog.FindAuthMethod(secret.SecretType, secret.AuthMethod)!;
        var newCredentials = CredentialsOf(authMethod, request.Credentials);
        secret.CredentialFields = authMethod.FieldNames.ToList();
        secret.UpdatedBy = actor.UserId;
        secret.UpdatedAt = Clock.UtcNow(time);
        secret.CredentialsUpdatedAt = secret.UpdatedAt;
        claim.Staging(id);
        audit.Add(actor, AuditActions.SecretUpdated, AuditTarget.Secret(id, secret.Name), details: new
        {
            fields = AuditDetails.Changed(("credentials", true)),
            credential_fields = newCredentials.Keys.ToArray(),
        });
        if (await records.SaveAsync(CredentialKey.ForSecret(actor.TeamId, id), newCredentials, secret.UpdatedAt,
                Conflicts(secret) with { Missing = claim.LostRace }, ct) is { } lostRace)
        {
            return lostRace;
        }
        return Details(secret, null);
    }

    public async Task<Result<Done>> DeleteAsync(TeamActor actor, Guid id, CancellationToken ct = default)
    {
        var found = await access.FindAsync(actor, SecretRecord, id, TeamOperations.DeleteSecret, ct);
        if (found.Problem is { } refused)
        {
            return refused;
        }
        var secret = found.Value!;
        // Into the trash: the record and its credential stay until a restore or the purge (Trash.TrashService).
        audit.Add(actor, AuditActions.SecretDeleted, AuditTarget.Secret(id, secret.Name), details: new { secret_type = secret.SecretType, trash = true });
        trash.MoveToTrash(secret, actor);
        if (await db.SaveChangesOrConflictAsync(Conflicts(secret), ct) is { } lostRace)
        {
            return lostRace;
        }
        logger.LogInformation("Secret {SecretId} moved to the trash of team {TeamId}", id, actor.TeamId);
        return Done.Instance;
    }

    /// <summary>The team's connections, for the editor's "External vault" choice.</summary>
    public async Task<IReadOnlyList<VaultConnection>> ConnectionsAsync(TeamActor actor, CancellationToken ct = default) =>
        (await db.VaultConnections.AsNoTracking().Where(v => v.TeamId == actor.TeamId).ToListAsync(ct))
        .OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase).ToList();

    private static Dictionary<string, string> CredentialsOf(AuthMethod method, Dictionary<string, string> given) =>
        method.Fields.ToDictionary(f => f.Name, f => given[f.Name].Trim());

    /// <summary>In the catalog's field order, whatever order the request used.</summary>
    private static List<FieldMapping> MappingsOf(AuthMethod method, List<FieldMappingRequest> given) =>
        method.Fields.Select(f => given.First(m => m.FieldName == f.Name))
            .Select(m => new FieldMapping { FieldName = m.FieldName!, Reference = m.Reference!.Trim() }).ToList();

    private async Task<SecretDetails> DetailsAsync(Secret secret, CancellationToken ct)
    {
        var connection = secret.VaultConnectionId is { } cid
            ? await db.VaultConnections.AsNoTracking().SingleOrDefaultAsync(v => v.Id == cid, ct)
            : null;
        return Details(secret, connection);
    }

    /// <summary>A concurrent request deleted the secret or its vault connection, or took its name.</summary>
    private static WriteConflicts Conflicts(Secret secret) => WriteConflicts.ForNamedRecord("secret", secret.Name, "vault connection");

    private static SecretDetails Details(Secret secret, VaultConnection? connection) =>
        new(secret, connection?.Name, connection?.VaultType);

}

/// <summary>
/// How a credential request claims the write it causes: <see cref="Guard"/> refuses a closed request, <see cref="LostRace"/>
/// answers a concurrent close, <see cref="Staging"/> stages the claim's own changes (with the secret's id) for the same save.
/// </summary>
internal sealed record SecretWriteClaim(Func<CancellationToken, Task<Problem?>> Guard, Problem LostRace, Action<Guid> Staging);
