using System.Security.Cryptography;
using Dataraven.Core.Audit;
using Dataraven.Core.Common;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Microsoft.EntityFrameworkCore;

namespace Dataraven.Core.ApiKeys;

public sealed record ApiKeyView(Guid Id, string Name, TeamRole Role, DateTime CreatedAt, Guid CreatedBy, DateTime? LastUsedAt);

/// <summary>The only place the plaintext key exists: the answer to its creation.</summary>
public sealed record ApiKeyCreated(ApiKeyView Key, string Plaintext);

public sealed class ApiKeyService(PortalDbContext db, TimeProvider time, AuditTrail audit, TeamAccess access, ApiKeyCache cache)
{
    private static readonly TeamRecordKind<ApiKey> Key = new("API key", k => AuditTarget.ApiKey(k.Id, k.Name));

    public const string Prefix = "dr_";

    public async Task<Result<ApiKeyCreated>> CreateAsync(TeamActor actor, string? name, string? role, CancellationToken ct = default)
    {
        if (await access.CheckAsync(actor, TeamOperations.CreateApiKey, AuditTarget.ApiKey(null, name?.Trim()), ct) is { } forbidden)
        {
            return forbidden;
        }
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 255)
        {
            errors["name"] = ["Must be 1 to 255 characters."];
        }
        if (!TeamRoles.TryParse(role, out var keyRole))
        {
            errors["role"] = [$"Must be one of: {string.Join(", ", TeamRoles.All.Select(r => r.ToWire()))}."];
        }
        if (errors.Count > 0)
        {
            return new ValidationProblem(errors);
        }
        if (!actor.Role.MayIssueKey(keyRole))
        {
            return await audit.RefusedAsync(actor, AuditActions.ApiKeyCreated, AuditTarget.ApiKey(null, name!.Trim()),
                new ForbiddenRoleProblem($"create a key with a role higher than your own ({actor.Role.ToWire()})"), ct);
        }

        return await IssueAsync(actor, name!.Trim(), keyRole, ct);
    }

    /// <summary>Stores a new key for <paramref name="actor"/> without the role checks (callers have done them).</summary>
    internal async Task<ApiKeyCreated> IssueAsync(TeamActor actor, string name, TeamRole role, CancellationToken ct = default)
    {
        var keyId = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var key = new ApiKey
        {
            Id = Guid.NewGuid(),
            TeamId = actor.TeamId,
            Name = name,
            Role = role,
            KeyId = keyId,
            SecretHash = ShownOnceTokens.Hash(secret),
            CreatedBy = actor.UserId,
            CreatedAt = Clock.UtcNow(time),
        };
        db.ApiKeys.Add(key);
        audit.Add(actor, AuditActions.ApiKeyCreated, AuditTarget.ApiKey(key.Id, key.Name), details: new { role = role.ToWire() });
        await db.SaveChangesAsync(ct);
        return new ApiKeyCreated(ToView(key), $"{Prefix}{keyId}_{secret}");
    }

    public async Task<IReadOnlyList<ApiKeyView>> ListAsync(TeamActor actor, CancellationToken ct = default) =>
        (await db.ApiKeys.Where(k => k.TeamId == actor.TeamId).ToListAsync(ct))
        .OrderBy(k => k.CreatedAt).Select(ToView).ToList();

    public async Task<Result<Done>> DeleteAsync(TeamActor actor, Guid id, CancellationToken ct = default)
    {
        var found = await access.FindAsync(actor, Key, id, TeamOperations.DeleteApiKey, ct);
        if (found.Problem is { } refused)
        {
            return refused;
        }
        var key = found.Value!;
        db.ApiKeys.Remove(key);
        audit.Add(actor, AuditActions.ApiKeyDeleted, AuditTarget.ApiKey(key.Id, key.Name));
        await db.SaveChangesAsync(ct);
        cache.Forget(key.KeyId);
        return Done.Instance;
    }

    /// <summary>
    /// The actor behind a presented key, or null. The key acts with its own role, capped by its
    /// creator's current role; a key whose creator has left the team no longer works.
    /// </summary>
    public async Task<TeamActor?> AuthenticateAsync(string? presented, CancellationToken ct = default)
    {
        if (presented is null || !presented.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var rest = presented[Prefix.Length..];
        var separator = rest.IndexOf('_');
        if (separator <= 0 || separator == rest.Length - 1 || rest.Length > 200)
        {
            return null;
        }
        var keyId = rest[..separator];
        var secret = rest[(separator + 1)..];
        if (!cache.TryGet(keyId, out var key))
        {
            var generation = cache.Generation;
            key = await LoadAsync(keyId, ct);
            if (key is null)
            {
                return null;
            }
            cache.Set(keyId, key, generation);
        }
        if (!CryptographicOperations.FixedTimeEquals(key!.SecretHash, ShownOnceTokens.Hash(secret)))
        {
            return null;
        }
        var now = Clock.UtcNow(time);
        if (key.LastUsedAt is null || now - key.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            key.LastUsedAt = now;
            await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(u => u.SetProperty(k => k.LastUsedAt, now), ct);
        }
        var role = TeamPermissions.KeyActsAs(key.Role, key.CreatorRole);
        return new TeamActor(key.TeamId, key.CreatedBy, role, key.Id) { ActorName = key.Name };
    }

    /// <summary>The key and its creator's role in one query; null when either is gone (a creator who left the team).</summary>
    private Task<ApiKeyCache.Entry?> LoadAsync(string keyId, CancellationToken ct) =>
        db.ApiKeys.AsNoTracking().Where(k => k.KeyId == keyId)
            .SelectMany(k => db.TeamMembers.Where(m => m.TeamId == k.TeamId && m.UserId == k.CreatedBy),
                (k, m) => new ApiKeyCache.Entry(k.Id, k.TeamId, k.CreatedBy, k.Role, k.SecretHash, m.Role, k.Name) { LastUsedAt = k.LastUsedAt })
            .SingleOrDefaultAsync(ct);


    private static ApiKeyView ToView(ApiKey k) => new(k.Id, k.Name, k.Role, k.CreatedAt, k.CreatedBy, k.LastUsedAt);
}
