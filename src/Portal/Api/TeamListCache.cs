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
/// Which version is current: on PostgreSQL, where several instances write, every request reads it (one indexed
/// query), so a write through any instance is in the next response everywhere. On SQLite the portal is one
/// instance: a version read less than <see cref="SqliteVersionBound"/> ago is used as long as no save of this process
/// has changed the team since (<see cref="TeamDataVersions.LocalCommits"/>), so a write here is in the next response
/// and one by another process on the same file (a command) within that bound.
/// </para>
/// </summary>
public sealed class TeamListCache(IMemoryCache cache, TimeProvider time, IConfiguration configuration)
{
    public const string Secrets = "secrets";
    public const string VaultConnections = "vault-connections";
    public static readonly TimeSpan SqliteVersionBound = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan Unused = TimeSpan.FromMinutes(5);

    private readonly bool _versionEveryRequest = CoreServiceCollectionExtensions.UsesPostgres(configuration);
    private readonly ConcurrentDictionary<Guid, KnownVersion> _known = new();

    private sealed record Key(Guid TeamId, string List, Guid Version);

    private sealed record Entry(byte[] Bytes, DateTime? ValidUntil);

    private sealed record KnownVersion(Guid Version, long LocalCommits, long ReadAt);

    /// <summary><paramref name="build"/> gives the response body and when it stops being true by time alone (or null).</summary>
    public async Task<CachedJson<T>> ServeAsync<T>(HttpContext http, string list, Func<DateTime, Task<(T Body, DateTime? ValidUntil)>> build,
        CancellationToken ct)
    {
        var key = new Key(http.Actor().TeamId, list, await VersionAsync(http, http.Actor().TeamId, ct));
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
        // Read before the version: a commit in between makes the next request read again.
        var commits = TeamDataVersions.Instance.LocalCommits(teamId);
        if (!_versionEveryRequest && _known.TryGetValue(teamId, out var known) && known.LocalCommits == commits &&
            time.GetElapsedTime(known.ReadAt) < SqliteVersionBound)
        {
            return known.Version;
        }
        var readAt = time.GetTimestamp();
        var version = await http.RequestServices.GetRequiredService<PortalDbContext>().Teams
            .Where(t => t.Id == teamId).Select(t => t.DataVersion).FirstOrDefaultAsync(ct);
        _known[teamId] = new KnownVersion(version, commits, readAt);
        return version;
    }
}

/// <summary>200 with a JSON body serialized earlier; declares <typeparamref name="T"/> as the endpoint's response.</summary>
public sealed class CachedJson<T>(byte[] bytes) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    private const string ContentType = "application/json; charset=utf-8";

    public int? StatusCode => StatusCodes.Status200OK;

    public Task ExecuteAsync(HttpContext httpContext) => Results.Bytes(bytes, ContentType).ExecuteAsync(httpContext);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
}
