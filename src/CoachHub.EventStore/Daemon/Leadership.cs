using Microsoft.Extensions.Logging;
using Npgsql;

namespace CoachHub.EventStore.Daemon;

/// <summary>
/// One node runs each agent: the one holding a session advisory lock on its own unpooled connection. When that
/// process dies its connection closes and PostgreSQL frees the lock, so no leadership is orphaned; a follower
/// retrying every few seconds takes over. A heartbeat on the lock connection stops a leader that lost it.
/// </summary>
internal static class Leadership
{
    public static async Task RunWhileLeaderAsync(NpgsqlDataSource lockSource, string key, EventStoreOptions options,
        ILogger logger, Func<CancellationToken, Task> work, CancellationToken ct)
    {
        for (var failures = 0; !ct.IsCancellationRequested;)
        {
            try
            {
                await using var conn = await lockSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                await using (var cmd = new NpgsqlCommand("select pg_try_advisory_lock(hashtextextended($1, 0))", conn))
                {
                    cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "es:leader:" + key });
                    if (!(bool)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!)
                    {
                        await conn.CloseAsync().ConfigureAwait(false);
                        await Task.Delay(options.LeaderRetryInterval, ct).ConfigureAwait(false);
                        continue;
                    }
                }
                logger.LogInformation("{Node} now runs {Agent}", options.NodeName, key);
                using var leading = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var heartbeat = HeartbeatAsync(conn, options.LeaderHeartbeat, leading);
                try
                {
                    await work(leading.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (leading.IsCancellationRequested && !ct.IsCancellationRequested)
                {
                    logger.LogWarning("{Node} lost the lock for {Agent}; standing down", options.NodeName, key);
                }
                finally
                {
                    await leading.CancelAsync().ConfigureAwait(false);
                    await heartbeat.ConfigureAwait(false);
                }
                failures = 0;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            catch (Exception ex)
            {
                failures++;
                logger.LogError(ex, "{Agent} failed on {Node}; retrying", key, options.NodeName);
                await Task.Delay(Transient.Backoff(failures, options.RetryBaseDelay, TimeSpan.FromSeconds(30)), ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task HeartbeatAsync(NpgsqlConnection conn, TimeSpan every, CancellationTokenSource leading)
    {
        try
        {
            while (!leading.IsCancellationRequested)
            {
                await Task.Delay(every, leading.Token).ConfigureAwait(false);
                await using var cmd = new NpgsqlCommand("select 1", conn) { CommandTimeout = Math.Max(1, (int)every.TotalSeconds * 2) };
                await cmd.ExecuteScalarAsync(leading.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception)
        {
            await leading.CancelAsync().ConfigureAwait(false);
        }
    }
}
