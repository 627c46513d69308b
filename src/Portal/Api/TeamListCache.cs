using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Dataraven.Core;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Dataraven.Portal.Auth;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Dataraven.Portal.Api;

/// <summary>
/// The serialized bytes of a team's list responses (secrets, vault connections), kept per team, list and
/// <see cref="Team.DataVersion"/>. A list shows no credential, so none is kept here. An entry whose content changes
/// with time alone (a credential's expiry turns its health to expired) is not served past that moment.
/// <para>
/// Which version is current: a version read less than a bound ago is used as long as no save of this process has
/// changed the team since (<see cref="TeamDataVersions.LocalCommits"/>), so a write here is in the next response.
/// On PostgreSQL, where several instances write, the bound is <see cref="PostgresVersionBound"/> and the version must
/// also still be current by <see cref="TeamDataSignals"/>: a trigger notifies every instance of every change, so a
/// write through another instance is in the responses here as soon as its notification arrives (milliseconds), and
/// while the notification channel is down every request reads the version (one indexed query), as it did before.
/// On SQLite the portal is one instance: the bound is <see cref="SqliteVersionBound"/>, so a write by another process
/// on the same file (a command) shows within it.
/// </para>
/// </summary>
public sealed class TeamListCache(IMemoryCache cache, TimeProvider time, IConfiguration configuration, TeamDataSignals signals)
{
    public const string Secrets = "secrets";
    public const string VaultConnections = "vault-connections";
    public static readonly TimeSpan SqliteVersionBound = TimeSpan.FromSeconds(1);

    /// <summary>A last bound should the channel fall silent without dropping (the listener's keepalive finds a dead peer first).</summary>
    public static readonly TimeSpan PostgresVersionBound = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Unused = TimeSpan.FromMinutes(5);

    private readonly bool _severalInstances = CoreServiceCollectionExtensions.UsesPostgres(configuration);
    private readonly ConcurrentDictionary<Guid, KnownVersion> _known = new();

    /// <param name="Variant">A filter's value (e.g. <c>owner_id</c>): a filtered list never answers with the unfiltered bytes.</param>
    private sealed record Key(Guid TeamId, string List, Guid Version, string? Variant);

    private sealed record Entry(byte[] Bytes, DateTime? ValidUntil);

    private sealed record KnownVersion(Guid Version, long LocalCommits, long ReadAt, TeamDataSignals.Stamp Stamp);

    /// <summary><paramref name="build"/> gives the response body and when it stops being true by time alone (or null).</summary>
    public async Task<CachedJson<T>> ServeAsync<T>(HttpContext http, string list, Func<DateTime, Task<(T Body, DateTime? ValidUntil)>> build,
        CancellationToken ct, string? variant = null)
    {
        var key = new Key(http.Actor().TeamId, list, await VersionAsync(http, http.Actor().TeamId, ct), variant);
        var now = Core.Common.Clock.UtcNow(time);
        if (!cache.TryGetValue(key, out Entry? entry) || entry!.ValidUntil <= now)
        {
            var (body, validUntil) = await build(now);
            entry = new Entry(JsonSerializer.SerializeToUtf8Bytes(body, ApiJson.Options), validUntil);
            cache.Set(key, entry, new MemoryCacheEntryOptions { SlidingExpiration = Unused });
        }
        return new CachedJson<T>(entry.Bytes);
    }

    private async Task<Guid> VersionAsync(HttpContext http, Guid teamId, CancellationToken ct)
    {
        // Read before the version: a commit or a notification in between makes the next request read again.
        var commits = TeamDataVersions.Instance.LocalCommits(teamId);
        var stamp = signals.Take(teamId);
        if (_known.TryGetValue(teamId, out var known) && known.LocalCommits == commits && StillCurrent(teamId, known))
        {
            return known.Version;
        }
        var readAt = time.GetTimestamp();
        var version = await http.RequestServices.GetRequiredService<PortalDbContext>().Teams
            .Where(t => t.Id == teamId).Select(t => t.DataVersion).FirstOrDefaultAsync(ct);
        _known[teamId] = new KnownVersion(version, commits, readAt, stamp);
        return version;
    }

    private bool StillCurrent(Guid teamId, KnownVersion known) => _severalInstances
        ? signals.IsCurrent(teamId, known.Stamp) && time.GetElapsedTime(known.ReadAt) < PostgresVersionBound
        : time.GetElapsedTime(known.ReadAt) < SqliteVersionBound;
}

/// <summary>200 with a JSON body serialized earlier; declares <typeparamref name="T"/> as the endpoint's response.</summary>
public sealed class CachedJson<T>(byte[] bytes) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    private const string ContentType = "application/json; charset=utf-8";

    public int? StatusCode => StatusCodes.Status200OK;

    /// <summary>A body built for this request alone (not kept anywhere), answered the same way.</summary>
    public static CachedJson<T> Of(T body) => new(JsonSerializer.SerializeToUtf8Bytes(body, ApiJson.Options));

    public Task ExecuteAsync(HttpContext httpContext) => Results.Bytes(bytes, ContentType).ExecuteAsync(httpContext);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
}
