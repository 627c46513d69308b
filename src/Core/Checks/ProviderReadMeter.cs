using Dataraven.Core.VaultConnections;
using Dataraven.Core.VaultConnections.Catalog;
using Microsoft.Extensions.Options;

namespace Dataraven.Core.Checks;

/// <summary>
/// In-memory read counts per connection for the current clock hour (UTC), for the providers whose catalog entry declares
/// a <see cref="VaultReadBudget"/>. Per instance: several portal instances each keep their own count, so the budget is
/// per instance.
/// </summary>
public sealed class ProviderReadMeter(IOptions<ChecksOptions> options, TimeProvider clock) : IProviderReadMeter
{
    private readonly Dictionary<Guid, (long Hour, int Reads)> _reads = [];

    public int? BudgetPerHour(VaultType type) =>
        VaultProviderCatalog.Get(type).ReadBudget is { } budget ? Math.Max(0, budget.PerHour(options.Value)) : null;

    public int ReadsThisHour(Guid connectionId)
    {
        lock (_reads)
        {
            return _reads.TryGetValue(connectionId, out var entry) && entry.Hour == CurrentHour() ? entry.Reads : 0;
        }
    }

    public bool TryTake(VaultType type, Guid connectionId, int reads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(reads);
        if (BudgetPerHour(type) is not { } budget)
        {
            return true;
        }
        lock (_reads)
        {
            var hour = CurrentHour();
            var used = _reads.TryGetValue(connectionId, out var entry) && entry.Hour == hour ? entry.Reads : 0;
            if (used + reads > budget) return false;
            _reads[connectionId] = (hour, used + reads);
            // Forget connections of past hours so the map does not grow with every connection ever checked.
            foreach (var stale in _reads.Where(kv => kv.Value.Hour != hour).Select(kv => kv.Key).ToList()) _reads.Remove(stale);
            return true;
        }
    }

    private long CurrentHour() => clock.GetUtcNow().ToUnixTimeSeconds() / 3600;
}
