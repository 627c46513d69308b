using Dataraven.Core.Common;

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

    /// <summary>Those whose credentials expire within the asked days (or already did).</summary>
    public List<TResponse> KeepExpiring<T, TResponse>(IEnumerable<T> items, Func<T, DateTime?> expireAt, DateTime now, Func<T, TResponse> response) =>
        items.Where(i => CredentialExpiry.ExpiresWithin(expireAt(i), now, ExpiringWithinDays!.Value)).Select(response).ToList();
}
