using System.Collections.Concurrent;

namespace Dataraven.Core.Tiers;

/// <summary>
/// One async lock per team for limit-checked creates. Concurrent creates of a team queue here without
/// holding threads; the database's write transaction stays the guarantee across processes. Without it,
/// waiters sit in SQLite's synchronous busy-wait, and a burst of creates starves the thread pool.
/// </summary>
public sealed class TeamWriteLocks
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _locks = new();

    public async Task<IDisposable> AcquireAsync(Guid teamId, CancellationToken ct)
    {
        var gate = _locks.GetOrAdd(teamId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Releaser(gate);
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
