using System.Diagnostics;
using Dataraven.Core.VaultConnections;
using Dataraven.Core.VaultProviders;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dataraven.Tests.Unit.VaultProviders;

public sealed class ProviderCallGateTests
{
    private static ProviderCallGate Gate(int maxConcurrent = 1, double timeoutSeconds = 30) => new(
        Options.Create(new VaultProviderOptions { MaxConcurrentPerProvider = maxConcurrent, TimeoutSeconds = timeoutSeconds, QueueSeconds = 0.2 }),
        TimeProvider.System, NullLogger<ProviderCallGate>.Instance);

    private static async Task<ProviderCheck> HangAsync(CancellationToken ct)
    {
        await Task.Delay(Timeout.Infinite, ct);
        return ProviderCheck.Success;
    }

    [Fact]
    public async Task RunAsync_CallerCancels_ThrowsAtOnceAndFreesTheSlot()
    {
        var gate = Gate();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gate.RunAsync(VaultType.Doppler, HangAsync, cancel.Token));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"cancelled after {stopwatch.Elapsed}");
        Assert.True((await gate.RunAsync(VaultType.Doppler, _ => Task.FromResult(ProviderCheck.Success), CancellationToken.None)).Ok);
    }

    [Fact]
    public async Task RunAsync_LimitReached_BusyForThatProviderOnly()
    {
        var gate = Gate(maxConcurrent: 1, timeoutSeconds: 3);
        var hung = gate.RunAsync(VaultType.Doppler, HangAsync, CancellationToken.None);

        var busy = await gate.RunAsync(VaultType.Doppler, _ => Task.FromResult(ProviderCheck.Success), CancellationToken.None);
        var other = await gate.RunAsync(VaultType.Infisical, _ => Task.FromResult(ProviderCheck.Success), CancellationToken.None);

        Assert.Equal(ProviderOutcome.Busy, busy.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(3), busy.RetryAfter);
        Assert.True(other.Ok);
        Assert.Equal(ProviderOutcome.Unreachable, (await hung).Outcome);
    }
}
