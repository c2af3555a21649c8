using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CoachHub.EventStore;

/// <summary>LISTENs for other nodes' commits and pulses the store's signal; reconnects after a failure.</summary>
public sealed class EventListener(PostgresEventStore store) : BackgroundService
{
    private readonly ILogger _logger = store.Loggers.CreateLogger<EventListener>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var dataSource = store.CreateDataSource("coachhub-listen", pooling: false);
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
                conn.Notification += (_, _) => store.Signal.Pulse();
                await using (var cmd = new NpgsqlCommand($"listen {PostgresEventStore.NotifyChannel}", conn))
                    await cmd.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                attempt = 0;
                store.Signal.Pulse(); // whatever was committed while we were not listening
                while (!stoppingToken.IsCancellationRequested)
                    await conn.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Listening for new events failed; readers poll until it reconnects");
                store.Signal.Pulse();
                await Task.Delay(Transient.Backoff(attempt, store.Options.RetryBaseDelay, store.Options.RetryMaxDelay), stoppingToken).ConfigureAwait(false);
            }
        }
    }
}
