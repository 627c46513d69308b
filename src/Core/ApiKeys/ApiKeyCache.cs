using System.Collections.Concurrent;
using Dataraven.Core.Teams;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace Dataraven.Core.ApiKeys;

/// <summary>
/// What authenticating a key needs from the database (its row and its creator's role), kept for
/// <see cref="Lifetime"/> so a /v1 request does not query for it. Holds the SHA-256 of the key's secret, as the
/// database does, never the key. This instance forgets a key the moment it is deleted and a team's keys the moment a
/// member's role changes; other instances notice within <see cref="Lifetime"/>, which is the bound on revocation
/// across a PostgreSQL deployment of several portals.
/// </summary>
public sealed class ApiKeyCache(IMemoryCache cache)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _teams = new();
    private long _generation;

    /// <summary>
    /// Read before loading an entry and handed to <see cref="Set"/>: an entry loaded while a key was being forgotten
    /// may hold what was just revoked, and is not kept.
    /// </summary>
    public long Generation => Interlocked.Read(ref _generation);

    public sealed record Entry(Guid Id, Guid TeamId, Guid CreatedBy, TeamRole Role, byte[] SecretHash, TeamRole CreatorRole, string Name)
    {
        /// <summary>Written back at most once a minute; shared by the requests that use this entry.</summary>
        public DateTime? LastUsedAt { get; set; }
    }

    public bool TryGet(string keyId, out Entry? entry) => cache.TryGetValue(CacheKey(keyId), out entry);

    public void Set(string keyId, Entry entry, long loadedAt)
    {
        if (loadedAt != Generation)
        {
            return;
        }
        var team = _teams.GetOrAdd(entry.TeamId, _ => new CancellationTokenSource());
        using var created = cache.CreateEntry(CacheKey(keyId));
        created.Value = entry;
        created.AbsoluteExpirationRelativeToNow = Lifetime;
        created.AddExpirationToken(new CancellationChangeToken(team.Token));
    }

    public void Forget(string keyId)
    {
        Interlocked.Increment(ref _generation);
        cache.Remove(CacheKey(keyId));
    }

    /// <summary>Every key of the team, e.g. after a member's role changed (a key acts with at most its creator's role).</summary>
    public void ForgetTeam(Guid teamId)
    {
        Interlocked.Increment(ref _generation);
        if (_teams.TryRemove(teamId, out var team))
        {
            team.Cancel();
            team.Dispose();
        }
    }

    private static string CacheKey(string keyId) => "api-key:" + keyId;
}
