using System.Text.Json;
using Dataraven.Core.Persistence;
using Dataraven.Core.Teams;
using Dataraven.Portal.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Dataraven.Portal.Api;

/// <summary>
/// The serialized bytes of a team's list responses (secrets, vault connections), kept per team, list and
/// <see cref="Team.DataVersion"/>: a request reads the version (one indexed query) and answers with the bytes built for
/// it, so a write through any instance is seen by the next request everywhere. A list shows no credential, so none is
/// kept here. An entry whose content changes with time alone (a credential's expiry turns its health to expired) is
/// not served past that moment.
/// </summary>
public sealed class TeamListCache(IMemoryCache cache, TimeProvider time)
{
    public const string Secrets = "secrets";
    public const string VaultConnections = "vault-connections";

    private const string ContentType = "application/json; charset=utf-8";
    private static readonly TimeSpan Unused = TimeSpan.FromMinutes(5);

    private sealed record Key(Guid TeamId, string List, Guid Version);

    private sealed record Entry(byte[] Bytes, DateTime? ValidUntil);

    /// <summary><paramref name="build"/> gives the response body and when it stops being true by time alone (or null).</summary>
    public async Task<IResult> ServeAsync<T>(HttpContext http, string list, Func<DateTime, Task<(T Body, DateTime? ValidUntil)>> build,
        CancellationToken ct)
    {
        var teamId = http.Actor().TeamId;
        var version = await http.RequestServices.GetRequiredService<PortalDbContext>().Teams
            .Where(t => t.Id == teamId).Select(t => t.DataVersion).FirstOrDefaultAsync(ct);
        var key = new Key(teamId, list, version);
        var now = Core.Common.Clock.UtcNow(time);
        if (!cache.TryGetValue(key, out Entry? entry) || entry!.ValidUntil <= now)
        {
            var (body, validUntil) = await build(now);
            entry = new Entry(JsonSerializer.SerializeToUtf8Bytes(body, ApiJson.Options), validUntil);
            cache.Set(key, entry, new MemoryCacheEntryOptions { SlidingExpiration = Unused });
        }
        return Results.Bytes(entry.Bytes, ContentType);
    }
}
