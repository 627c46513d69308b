using Dataraven.Core.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dataraven.Portal.Api;

/// <summary>
/// The filters both lists (secrets, vault connections) take: <c>owner_id</c> (cached as its own variant of the list) and
/// <c>expiring_within_days</c> (time-dependent, so never served from the cache). One parse, one 400 per bad field.
/// </summary>
public sealed record ListQuery(Guid? OwnerId, int? ExpiringWithinDays)
{
    public static Result<ListQuery> Parse(string? expiringWithinDays, string? ownerId)
    {
        var expiring = ExpiringFilter.Parse(expiringWithinDays);
        if (!expiring.IsSuccess)
        {
            return expiring.Problem!;
        }
        var owner = OwnerFilter.Parse(ownerId);
        if (!owner.IsSuccess)
        {
            return owner.Problem!;
        }
        return new ListQuery(owner.Value, expiring.Value);
    }

    /// <summary>The cache variant of this query: the owner filter alone (an expiring query is not cached).</summary>
    public string? CacheVariant => OwnerId?.ToString();

    /// <summary>
    /// Answers a list endpoint: the filters parsed (a 400 naming the bad one), an expiring query built afresh (what it
    /// selects changes with the clock, not with the team's data version), anything else served from the team's list cache
    /// (an owner filter as its own variant), rebuilt once an item's status changes by time alone. The service behind
    /// <paramref name="load"/> is resolved only when the cache has no answer.
    /// </summary>
    public static async Task<Results<CachedJson<List<TResponse>>, ApiProblem>> ServeAsync<T, TResponse>(
        HttpContext http, TeamListCache lists, string list, string? expiringWithinDays, string? ownerId,
        Func<Guid?, Task<IReadOnlyList<T>>> load, Func<T, DateTime?> expireAt, Func<T, DateTime, TResponse> response,
        Func<T, DateTime, DateTime?> statusChangesAt, CancellationToken ct)
    {
        var parsed = Parse(expiringWithinDays, ownerId);
        if (!parsed.IsSuccess)
        {
            return parsed.Problem!.ToResult();
        }
        var query = parsed.Value!;
        if (query.ExpiringWithinDays is not null)
        {
            var now = http.Now();
            return CachedJson<List<TResponse>>.Of(query.KeepExpiring(await load(query.OwnerId), expireAt, now, x => response(x, now)));
        }
        return await lists.ServeAsync(http, list, async now =>
        {
            var items = await load(query.OwnerId);
            return (items.Select(x => response(x, now)).ToList(), items.Select(x => statusChangesAt(x, now)).Min());
        }, ct, query.CacheVariant);
    }

    /// <summary>Those whose credentials expire within the asked days (or already did).</summary>
    public List<TResponse> KeepExpiring<T, TResponse>(IEnumerable<T> items, Func<T, DateTime?> expireAt, DateTime now, Func<T, TResponse> response) =>
        items.Where(i => CredentialExpiry.ExpiresWithin(expireAt(i), now, ExpiringWithinDays!.Value)).Select(response).ToList();
}
