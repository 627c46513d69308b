using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Dataraven.Core.Persistence;

/// <summary>
/// Holds one PostgreSQL connection that LISTENs on <see cref="TeamDataSignals.Channel"/> and counts each team's
/// notifications in <see cref="TeamDataSignals"/>. When the connection drops (server restart, a terminated backend,
/// a dead network found by the keepalive), the signals say so at once and readers go back to reading the version
/// from the database until the channel is open again; Polly reconnects with a capped backoff.
/// </summary>
public sealed class PostgresTeamDataListener(string connectionString, TeamDataSignals signals, ILogger<PostgresTeamDataListener> logger)
    : BackgroundService
{
    public const string ApplicationName = "dataraven-team-data-listener";

    private readonly ResiliencePipeline _reconnect = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(10),
            UseJitter = true,
        })
        .Build();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _reconnect.ExecuteAsync(ListenAsync, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async ValueTask ListenAsync(CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            ApplicationName = ApplicationName,
            Pooling = false,
            // An idle LISTEN connection whose peer vanished is found within seconds, not at the next TCP timeout.
            KeepAlive = 5,
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Notification += (_, e) =>
        {
            if (Guid.TryParse(e.Payload, out var teamId))
            {
                signals.Changed(teamId);
            }
            else
            {
                signals.ChangedAll();
            }
        };
        try
        {
            await connection.OpenAsync(ct);
            await using (var listen = new NpgsqlCommand($"LISTEN {TeamDataSignals.Channel}", connection))
            {
                await listen.ExecuteNonQueryAsync(ct);
            }
            signals.Opened();
            logger.LogInformation("Listening for team data changes on {Channel}", TeamDataSignals.Channel);
            while (true)
            {
                await connection.WaitAsync(ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning("The team data channel dropped ({Error}); lists read the version per request until it is back", e.GetType().Name);
            throw;
        }
        finally
        {
            // However the connection ends (an error, a stop): stamps taken while it was open are stale from now on.
            signals.Dropped();
        }
    }
}
