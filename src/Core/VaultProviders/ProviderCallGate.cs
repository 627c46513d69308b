using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Dataraven.Core.VaultConnections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dataraven.Core.VaultProviders;

/// <summary>
/// Bounds every provider operation: one deadline for the whole operation (every HTTP call, retry, backoff or
/// <c>op</c> run in it; <c>Vaults:TimeoutSeconds</c>) and at most <c>Vaults:MaxConcurrentPerProvider</c> operations
/// in flight per vault type. A caller that finds no free slot within <c>Vaults:QueueSeconds</c> is told the
/// provider is busy, so a hung provider cannot hold every request thread of the portal.
/// </summary>
public sealed class ProviderCallGate(IOptions<VaultProviderOptions> options, TimeProvider time, ILogger<ProviderCallGate> logger)
{
    private readonly VaultProviderOptions _options = options.Value;
    private readonly ConcurrentDictionary<VaultType, ConcurrencyLimiter> _limiters = new();

    public Task<ProviderCheck> RunAsync(VaultType type, Func<CancellationToken, Task<ProviderCheck>> operation, CancellationToken ct) =>
        RunAsync(type, operation,
            busy: () => ProviderCheck.Busy(type.DisplayName(), _options.BusyRetryAfter),
            timedOut: message => new ProviderCheck(ProviderOutcome.Unreachable, message), ct);

    /// <summary>Any provider operation: <paramref name="busy"/> and <paramref name="timedOut"/> say what the caller sees instead of its result.</summary>
    public async Task<T> RunAsync<T>(VaultType type, Func<CancellationToken, Task<T>> operation, Func<T> busy, Func<string, T> timedOut,
        CancellationToken ct)
    {
        using var lease = await AcquireAsync(type, ct).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            logger.LogWarning("{VaultType} calls refused: {Limit} already in flight", type.ToWire(), _options.MaxConcurrent);
            return busy();
        }

        using var deadline = new CancellationTokenSource(_options.TotalTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            return await operation(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return timedOut($"{type.DisplayName()} did not answer within {_options.TotalTimeout.TotalSeconds:0.##} s.");
        }
    }

    private async Task<RateLimitLease> AcquireAsync(VaultType type, CancellationToken ct)
    {
        var limiter = _limiters.GetOrAdd(type, _ => new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = _options.MaxConcurrent,
            // Waiting callers are bounded by QueueSeconds below; the queue length only caps memory.
            QueueLimit = _options.MaxConcurrent * 16,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        }));
        using var wait = new CancellationTokenSource(_options.QueueWait, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, wait.Token);
        try
        {
            return await limiter.AcquireAsync(1, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Refused.Instance;
        }
    }

    private sealed class Refused : RateLimitLease
    {
        public static readonly Refused Instance = new();
        public override bool IsAcquired => false;
        public override IEnumerable<string> MetadataNames => [];
        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
