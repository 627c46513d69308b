using Dataraven.Core.Audit;
using Dataraven.Core.Common;
using Dataraven.Core.CredentialStore;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Dataraven.Core.Tiers;
using Dataraven.Core.VaultConnections.Catalog;
using Dataraven.Core.VaultProviders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using F = Dataraven.Core.VaultConnections.VaultConnectionFields;

namespace Dataraven.Core.VaultConnections;

public sealed record VaultConnectionDetails(VaultConnection Connection, int SecretsCount)
{
    public IReadOnlyList<Owners.OwnerRef> Owners { get; init; } = [];
}

/// <param name="Outcome">What the provider did: the status alone cannot tell a refusal from a timeout.</param>
public sealed record VerificationOutcome(bool Verified, string? Error, DateTime CheckedAt, ProviderOutcome Outcome);

/// <summary>
/// Vault connections: settings in the database, the connection's own credentials in the credential store.
/// Create, rotate and delete keep the two consistent through <see cref="CredentialRecords"/>.
/// </summary>
public sealed class VaultConnectionService(
    PortalDbContext db,
    ICredentialStore store,
    CredentialRecords records,
    VaultProviderClients providers,
    RecentProviderChecks recentChecks,
    TierLimits limits,
    TimeProvider time,
    AuditTrail audit,
    TeamAccess access,
    Trash.TrashStamps trash,
    Notifications.INotificationEvents notifications,
    ILogger<VaultConnectionService> logger,
    Owners.ObjectOwners owners)
{
    private static readonly TeamRecordKind<VaultConnection> Connection = new("vault connection", c => AuditTarget.VaultConnection(c.Id, c.Name));

    /// <param name="ownerId">Only the connections this user owns (null: all).</param>
    public async Task<IReadOnlyList<VaultConnectionDetails>> ListAsync(TeamActor actor, CancellationToken ct = default, Guid? ownerId = null)
    {
        var connections = await db.VaultConnections.AsNoTracking().Where(v => v.TeamId == actor.TeamId).ToListAsync(ct);
        var counts = await SecretCountsAsync(actor.TeamId, ct);
        var ownersOf = await owners.OfTeamAsync(actor.TeamId, Owners.OwnedObjectTypes.VaultConnection, ct);
        return connections.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .Select(c => new VaultConnectionDetails(c, counts.GetValueOrDefault(c.Id)) { Owners = ownersOf.GetValueOrDefault(c.Id) ?? [] })
            .Where(d => ownerId is not { } o || d.Owners.Any(x => x.Id == o))
            .ToList();
    }

    public async Task<Result<VaultConnectionDetails>> GetAsync(TeamActor actor, Guid id, CancellationToken ct = default)
    {
        var connection = await db.VaultConnections.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id && v.TeamId == actor.TeamId, ct);
        return connection is null
            ? new NotFoundProblem("vault connection")
            : new VaultConnectionDetails(connection, await db.Secrets.CountAsync(s => s.VaultConnectionId == id, ct))
            {
                Owners = await owners.OfAsync(id, ct),
            };
    }

    /// <summary>The wizard's "test the connection": validates and asks the provider, stores nothing.</summary>
    public async Task<Result<ProviderCheck>> TestAsync(TeamActor actor, CreateVaultConnectionRequest request, CancellationToken ct = default)
    {
        if (TeamOperations.TestVaultConnection.RefusalFor(actor) is { } refused)
        {
            return refused;
        }
        var validation = new VaultConnectionValidator().Validate(request);
        if (!validation.IsValid)
        {
            return validation.ToValidationProblem();
        }
        VaultTypes.TryParse(request.VaultType, out var type);
        var settings = SettingsOf(type, request);
        var credentials = CredentialsOf(type, request.Value);
        var check = await providers.VerifyAsync(type, settings, credentials, ct);
        if (check.Ok)
        {
            recentChecks.RememberSuccess(actor.TeamId, type, settings, credentials);
        }
        return BusyProblemOf(check) is { } busy ? busy : check;
    }

    public async Task<Result<VaultConnectionDetails>> CreateAsync(TeamActor actor, CreateVaultConnectionRequest request, CancellationToken ct = default)
    {
        if (await access.CheckAsync(actor, TeamOperations.CreateVaultConnection, AuditTarget.VaultConnection(null, request.Name?.Trim()), ct) is { } forbidden)
        {
            return forbidden;
        }
        var memberIds = request.OwnerIds is null ? null : await owners.MemberIdsAsync(actor.TeamId, ct);
        var validation = new VaultConnectionValidator(memberIds).Validate(request);
        if (!validation.IsValid)
        {
            return validation.ToValidationProblem();
        }
        VaultTypes.TryParse(request.VaultType, out var type);
        var name = request.Name!.Trim();

        // Cheap checks first, so a duplicate or a full plan is reported without calling the provider;
        // both are checked again atomically below.
        if (await db.VaultConnections.NameTakenAsync(actor.TeamId, name, null, ct))
        {
            return new NameConflictProblem(name);
        }
        var refused = AuditTarget.VaultConnection(null, name);
        var status = await limits.CheckAsync(actor.TeamId, LimitedResource.VaultConnections, ct);
        if (!status.CanCreateOne)
        {
            return await audit.RefusedAsync(actor, AuditActions.VaultConnectionCreated, refused, status.ToProblem(), ct);
        }

        var settings = SettingsOf(type, request);
        var credentials = CredentialsOf(type, request.Value);
        var verify = request.Verify ?? true;
        // A wizard's successful test of these exact inputs a moment ago counts as the check.
        if (verify && !recentChecks.SucceededRecently(actor.TeamId, type, settings, credentials))
        {
            var check = await providers.VerifyAsync(type, settings, credentials, ct);
            if (ProblemOf(check) is { } providerProblem)
            {
                return await audit.RefusedAsync(actor, AuditActions.VaultConnectionCreated, refused, providerProblem, ct);
            }
        }

        var now = Clock.UtcNow(time);
        var connection = new VaultConnection
        {
            Id = Guid.NewGuid(),
            TeamId = actor.TeamId,
            Name = name,
            NameNormalized = Names.Normalize(name),
            Description = Names.Description(request.Description),
            VaultType = type,
            Project = settings.Project,
            Config = settings.Config,
            ProjectId = settings.ProjectId,
            Environment = settings.Environment,
            SecretPath = settings.SecretPath,
            Vault = settings.Vault,
            Status = verify ? VaultConnectionStatus.Verified : VaultConnectionStatus.Unverified,
            LastVerifiedAt = verify ? now : null,
            CreatedBy = actor.UserId,
            CreatedAt = now,
            UpdatedAt = now,
            CredentialExpirationDays = request.CredentialExpirationDays,
            CredentialsUpdatedAt = now,
        };
        var ownerIds = Owners.ObjectOwners.ForCreate(actor, request.OwnerIds);
        owners.AddNew(actor.TeamId, Owners.OwnedObjectTypes.VaultConnection, connection.Id, ownerIds);
        audit.Add(actor, AuditActions.VaultConnectionCreated, AuditTarget.VaultConnection(connection.Id, name),
            details: new { vault_type = type.ToWire(), status = connection.Status.ToWire(), owners = ownerIds });
        var problem = await records.CreateAsync(actor.TeamId, LimitedResource.VaultConnections, connection,
            CredentialKey.ForVaultConnection(actor.TeamId, connection.Id), credentials,
            async c => await db.VaultConnections.NameTakenAsync(actor.TeamId, name, null, c) ? new NameConflictProblem(name) : null,
            Conflicts(connection), ct);
        if (problem is not null)
        {
            return await audit.RefusedAsync(actor, AuditActions.VaultConnectionCreated, refused, problem, ct);
        }
        logger.LogInformation("Vault connection {ConnectionId} ({VaultType}) created in team {TeamId}", connection.Id, type.ToWire(), actor.TeamId);
        return new VaultConnectionDetails(connection, 0) { Owners = await owners.OfAsync(connection.Id, ct) };
    }

    public async Task<Result<VaultConnectionDetails>> UpdateAsync(TeamActor actor, Guid id, UpdateVaultConnectionRequest request, CancellationToken ct = default)
    {
        var found = await access.FindAsync(actor, Connection, id, TeamOperations.UpdateVaultConnection, ct);
        if (found.Problem is { } refused)
        {
            return refused;
        }
        var connection = found.Value!;
        var memberIds = request.OwnerIds is null ? null : await owners.MemberIdsAsync(actor.TeamId, ct);
        var validation = new UpdateVaultConnectionValidator(memberIds).Validate(request);
        if (!validation.IsValid)
        {
            return validation.ToValidationProblem();
        }
        var newVault = ScopeChange(connection, request.Vault, out var vaultProblem);
        if (vaultProblem is not null)
        {
            return vaultProblem;
        }
        if (newVault is not null)
        {
            // A new scope is only kept once the stored token is shown to reach it.
            var credentials = await store.GetAsync(CredentialKey.ForVaultConnection(actor.TeamId, id), ct);
            var check = credentials is null
                ? new ProviderCheck(ProviderOutcome.Rejected, "The stored credentials are missing. Rotate the credentials to repair this connection.")
                : await providers.VerifyAsync(connection.VaultType, SettingsOf(connection) with { Vault = newVault }, credentials, ct);
            if (ProblemOf(check) is { } providerProblem)
            {
                return await audit.RefusedAsync(actor, AuditActions.VaultConnectionUpdated, AuditTarget.VaultConnection(id, connection.Name), providerProblem, ct);
            }
        }
        var before = (connection.Name, connection.Description, connection.Vault, connection.CredentialExpirationDays);
        if (await db.VaultConnections.ApplyNameAndDescriptionAsync(connection, request.Name, request.Description, ct) is { } conflict)
        {
            return conflict;
        }
        if (newVault is not null)
        {
            connection.Vault = newVault;
            connection.Status = VaultConnectionStatus.Verified;
            connection.LastVerifiedAt = Clock.UtcNow(time);
            connection.LastVerificationError = null;
            connection.FailureClass = null;
        }
        if (request.CredentialExpirationDaysGiven)
        {
            connection.CredentialExpirationDays = request.CredentialExpirationDays;
        }
        var ownerChange = request.OwnerIds is null ? null
            : await owners.ReplaceAsync(actor.TeamId, Owners.OwnedObjectTypes.VaultConnection, id, Owners.OwnerRules.Parse(request.OwnerIds), ct);
        connection.UpdatedAt = Clock.UtcNow(time);
        var outOfScope = newVault is null ? [] : await OutOfScopeSecrets.FlagAsync(db, connection, connection.UpdatedAt, ct);
        audit.Add(actor, AuditActions.VaultConnectionUpdated, AuditTarget.VaultConnection(id, connection.Name), details: new
        {
            fields = AuditDetails.Changed(("name", before.Name != connection.Name), ("description", before.Description != connection.Description),
                (F.Vault, before.Vault != connection.Vault), ("owners", ownerChange?.Any == true),
                (F.CredentialExpirationDays, before.CredentialExpirationDays != connection.CredentialExpirationDays)),
            secrets_out_of_scope = outOfScope.Count == 0 ? null : outOfScope,
            owners_added = ownerChange?.Any == true ? ownerChange.Added : null,
            owners_removed = ownerChange?.Any == true ? ownerChange.Removed : null,
        });
        if (await db.SaveChangesOrConflictAsync(Conflicts(connection), ct) is { } lostRace)
        {
            return lostRace;
        }
        return new VaultConnectionDetails(connection, await db.Secrets.CountAsync(s => s.VaultConnectionId == id, ct))
        {
            Owners = await owners.OfAsync(id, ct),
        };
    }

    /// <summary>Checks the stored credentials against the provider and records the answer as the status.</summary>
    public async Task<Result<VerificationOutcome>> VerifyAsync(TeamActor actor, Guid id, CancellationToken ct = default)
    {
        var found = await access.FindAsync(actor, Connection, id, TeamOperations.VerifyVaultConnection, ct);
        if (found.Problem is { } refused)
        {
            return refused;
        }
        var connection = found.Value!;
        var credentials = await store.GetAsync(CredentialKey.ForVaultConnection(actor.TeamId, id), ct);
        var check = credentials is null
            ? new ProviderCheck(ProviderOutcome.Rejected, "The stored credentials are missing. Rotate the credentials to repair this connection.")
            : await providers.VerifyAsync(connection.VaultType, SettingsOf(connection), credentials, ct);
        if (BusyProblemOf(check) is { } busy)
        {
            // The provider was not asked: the connection's recorded status stays as it was.
            return busy;
        }
        var now = Clock.UtcNow(time);
        var wasFailing = connection.Status == VaultConnectionStatus.Failing;
        connection.Status = check.Ok ? VaultConnectionStatus.Verified : VaultConnectionStatus.Failing;
        connection.LastVerifiedAt = now;
        connection.LastVerificationError = check.Ok ? null : check.Message ?? DefaultMessage(check.Outcome);
        connection.FailureClass = check.Ok ? null : check.Outcome;
        // The check is recorded either way: a failing one as a failed verification, with the provider's outcome as its code.
        audit.Add(actor, AuditActions.VaultConnectionVerified, AuditTarget.VaultConnection(id, connection.Name),
            check.Ok ? AuditOutcome.Succeeded : AuditOutcome.Failed,
            new { status = connection.Status.ToWire(), code = ProblemOf(check)?.Code });
        RaiseIfStateChanged(actor, connection, wasFailing, check);
        if (await db.SaveChangesOrConflictAsync(Conflicts(connection), ct) is { } lostRace)
        {
            return lostRace;
        }
        return new VerificationOutcome(check.Ok, connection.LastVerificationError, now, check.Outcome);
    }

    /// <summary>Replaces the credentials after the provider accepted the new ones; on any failure the old ones stay.</summary>
    public async Task<Result<VaultConnectionDetails>> RotateAsync(TeamActor actor, Guid id, RotateVaultConnectionRequest request, CancellationToken ct = default)
    {
        var found = await access.FindAsync(actor, Connection, id, TeamOperations.RotateVaultConnection, ct);
        if (found.Problem is { } refused)
        {
            return refused;
        }
        var connection = found.Value!;
        var rotated = AuditTarget.VaultConnection(id, connection.Name);
        var validation = new RotateVaultConnectionValidator(connection.VaultType).Validate(request);
        if (!validation.IsValid)
        {
            return validation.ToValidationProblem();
        }
        var credentials = CredentialsOf(connection.VaultType, request.Value);
        var check = await providers.VerifyAsync(connection.VaultType, SettingsOf(connection), credentials, ct);
        if (ProblemOf(check) is { } problem)
        {
            return await audit.RefusedAsync(actor, AuditActions.VaultConnectionRotated, rotated, problem, ct);
        }
        var now = Clock.UtcNow(time);
        var wasFailing = connection.Status == VaultConnectionStatus.Failing;
        connection.Status = VaultConnectionStatus.Verified;
        connection.LastVerifiedAt = now;
        connection.LastVerificationError = null;
        connection.FailureClass = null;
        connection.UpdatedAt = now;
        connection.CredentialsUpdatedAt = now;
        audit.Add(actor, AuditActions.VaultConnectionRotated, rotated, details: new { credential_fields = credentials.Keys.ToArray() });
        // New credentials the provider accepted make a failing connection work again: that is news like a verify's.
        RaiseIfStateChanged(actor, connection, wasFailing, check);
        if (await records.SaveAsync(CredentialKey.ForVaultConnection(actor.TeamId, id), credentials, connection.UpdatedAt, Conflicts(connection), ct) is { } lostRace)
        {
            return lostRace;
        }
        logger.LogInformation("Vault connection {ConnectionId} credentials rotated in team {TeamId}", id, actor.TeamId);
        return new VaultConnectionDetails(connection, await db.Secrets.CountAsync(s => s.VaultConnectionId == id, ct))
        {
            Owners = await owners.OfAsync(id, ct),
        };
    }

    /// <summary>
    /// Moves the connection to the trash (record and stored credentials kept until a restore or the purge); refused while
    /// live secrets use it. Secrets are created under the same write lock and check their connection under it, so none can
    /// start using it between this check and the save.
    /// </summary>
    public async Task<Result<Done>> DeleteAsync(TeamActor actor, Guid id, CancellationToken ct = default)
    {
        var found = await access.FindAsync(actor, Connection, id, TeamOperations.DeleteVaultConnection, ct);
        if (found.Problem is { } refused)
        {
            return refused;
        }
        var connection = found.Value!;
        var deleted = AuditTarget.VaultConnection(id, connection.Name);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            try
            {
                await db.LockTeamForWriteAsync(actor.TeamId, ct);
                var usedBy = await db.Secrets.Where(s => s.VaultConnectionId == id).OrderBy(s => s.Name)
                    .Select(s => new InUseItem(s.Id, s.Name)).ToListAsync(ct);
                if (usedBy.Count > 0)
                {
                    db.ChangeTracker.Clear();
                    return new InUseProblem(usedBy);
                }
                audit.Add(actor, AuditActions.VaultConnectionDeleted, deleted, details: new { vault_type = connection.VaultType.ToWire(), trash = true });
                trash.MoveToTrash(connection, actor);
                if (await db.SaveChangesOrConflictAsync(Conflicts(connection), ct) is { } lostRace)
                {
                    return lostRace;
                }
                await tx.CommitAsync(ct);
            }
            catch
            {
                db.ChangeTracker.Clear();
                throw;
            }
        }
        logger.LogInformation("Vault connection {ConnectionId} moved to the trash of team {TeamId}", id, actor.TeamId);
        return Done.Instance;
    }

    /// <summary>
    /// The notification for a check's outcome, staged in the caller's save: only a change of state is news, so a connection
    /// that fails again, or works again, tells nobody.
    /// </summary>
    private void RaiseIfStateChanged(TeamActor actor, VaultConnection connection, bool wasFailing, ProviderCheck check)
    {
        if (check.Ok != wasFailing)
        {
            return;
        }
        var target = new Notifications.NotificationTarget("vault_connection", connection.Id, connection.Name);
        var errorClass = check.Ok ? null : check.Outcome.ToString().ToLowerInvariant();
        notifications.Raise(actor.TeamId,
            check.Ok ? Notifications.NotificationEventTypes.VaultConnectionRecovered : Notifications.NotificationEventTypes.VaultConnectionFailing,
            target, connection.Status.ToWire(), errorClass,
            message: check.Ok
                ? $"The vault connection {connection.Name} works again."
                : $"The vault connection {connection.Name} is failing ({errorClass}).");
    }

    public static VaultConnectionSettings SettingsOf(VaultConnection c) =>
        new(c.Project, c.Config, c.ProjectId, c.Environment, c.SecretPath, c.Vault);

    private static VaultConnectionSettings SettingsOf(VaultType type, CreateVaultConnectionRequest r)
    {
        var values = VaultProviderCatalog.Get(type).Settings.ToDictionary(f => f.WireName, f => f.Normalize(r.Value(f.WireName)));
        return new VaultConnectionSettings(values.GetValueOrDefault(F.Project), values.GetValueOrDefault(F.Config),
            values.GetValueOrDefault(F.ProjectId), values.GetValueOrDefault(F.Environment), values.GetValueOrDefault(F.SecretPath),
            values.GetValueOrDefault(F.Vault));
    }

    /// <summary>
    /// The vault scope a PATCH asks for: null when it leaves the scope as it is; a 400 on <c>vault</c> for a provider without one
    /// or a value its catalog field refuses.
    /// </summary>
    private static string? ScopeChange(VaultConnection connection, string? requested, out Problem? problem)
    {
        problem = null;
        if (requested is null)
        {
            return null;
        }
        var provider = VaultProviderCatalog.Get(connection.VaultType);
        var field = VaultProviderCatalog.Field(F.Vault);
        var message = provider.Has(F.Vault) ? VaultFieldChecks.Check(provider, field, requested) : VaultFieldChecks.DoesNotApply(provider, field);
        if (message is not null)
        {
            problem = ValidationProblem.For(F.Vault, message);
            return null;
        }
        var normalized = field.Normalize(requested);
        return normalized == connection.Vault ? null : normalized;
    }

    /// <summary>The provider's credential fields as the credential store keeps them (validated, so none is null).</summary>
    private static Dictionary<string, string> CredentialsOf(VaultType type, Func<string, string?> valueOf) =>
        VaultProviderCatalog.Get(type).Credentials.ToDictionary(f => f.WireName, f => f.Normalize(valueOf(f.WireName))!);

    /// <summary>A concurrent request deleted the connection or took its name.</summary>
    private static WriteConflicts Conflicts(VaultConnection connection) => WriteConflicts.ForNamedRecord("vault connection", connection.Name);

    internal static Problem? ProblemOf(ProviderCheck check) => check.Outcome switch
    {
        ProviderOutcome.Ok => null,
        ProviderOutcome.Rejected => new ProviderRejectedProblem(check.Message ?? DefaultMessage(check.Outcome)),
        ProviderOutcome.Busy => BusyProblemOf(check),
        _ => new ProviderUnreachableProblem(check.Message ?? DefaultMessage(check.Outcome)),
    };

    internal static ProviderBusyProblem? BusyProblemOf(ProviderCheck check) => check.Outcome == ProviderOutcome.Busy
        ? new ProviderBusyProblem(check.Message ?? "The provider is busy.", check.RetryAfter ?? TimeSpan.FromSeconds(1))
        : null;

    private static string DefaultMessage(ProviderOutcome outcome) => outcome == ProviderOutcome.Rejected
        ? "The provider refused these credentials."
        : "The provider could not be reached.";


    private async Task<Dictionary<Guid, int>> SecretCountsAsync(Guid teamId, CancellationToken ct) =>
        await db.Secrets.Where(s => s.TeamId == teamId && s.VaultConnectionId != null)
            .GroupBy(s => s.VaultConnectionId!.Value)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
}
