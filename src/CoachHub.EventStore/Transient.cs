using System.Net.Sockets;
using Npgsql;

namespace CoachHub.EventStore;

/// <summary>Bounded exponential backoff for failures that a retry can cure: a restart, a dropped connection.</summary>
internal static class Transient
{
    public static bool IsTransient(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState is "57P01" or "57P02" or "57P03" or "08000" or "08003" or "08006" or "53300" or "40001" or "40P01",
        NpgsqlException npg => npg.IsTransient || npg.InnerException is IOException or SocketException or TimeoutException,
        TimeoutException or IOException or SocketException => true,
        _ => false,
    };

    /// <summary>Broken pooled connections fail one by one after a restart; clear them all at once.</summary>
    public static bool IsConnectionLoss(Exception ex) =>
        ex is PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08000" or "08003" or "08006" }
        || ex is NpgsqlException { InnerException: IOException or SocketException or EndOfStreamException };

    public static TimeSpan Backoff(int attempt, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var exp = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16));
        var jitter = Random.Shared.NextDouble() * 0.2 + 0.9;
        return TimeSpan.FromMilliseconds(Math.Min(exp, maxDelay.TotalMilliseconds) * jitter);
    }

    /// <param name="alsoClear">Another pool the operation uses, emptied with the first after a lost connection.</param>
    public static async Task<T> RetryAsync<T>(NpgsqlDataSource dataSource, EventStoreOptions options,
        Func<int, CancellationToken, Task<T>> operation, CancellationToken ct, NpgsqlDataSource? alsoClear = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation(attempt, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < options.TransientAttempts && IsTransient(ex) && !ct.IsCancellationRequested)
            {
                if (IsConnectionLoss(ex))
                {
                    dataSource.Clear();
                    alsoClear?.Clear();
                }
                await Task.Delay(Backoff(attempt, options.RetryBaseDelay, options.RetryMaxDelay), ct).ConfigureAwait(false);
            }
        }
    }
}
