using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CoachHub.EventStore;

/// <summary>
/// Tells other nodes that events were committed, with NOTIFY sent after the append's commit, not inside it:
/// NOTIFY inside a transaction serializes every commit in the database behind one lock. Requests coalesce,
/// so a burst of appends costs one NOTIFY, and at most one is sent per <see cref="MinimumInterval"/> (the appending
/// node wakes its own readers at once); a lost one only delays readers until their next poll.
/// </summary>
internal sealed class CommitNotifier : IAsyncDisposable
{
    private readonly Channel<bool> _requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _node;
    private readonly ILogger _logger;
    private Task? _loop;

    /// <summary>Bounds NOTIFY traffic under load to 200 a second per node, for a few milliseconds of cross-node delay.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(5);

    public CommitNotifier(NpgsqlDataSource dataSource, string node, ILogger logger) =>
        (_dataSource, _node, _logger) = (dataSource, node, logger);

    public void Request()
    {
        if (_loop is null)
            lock (_requests) _loop ??= Task.Run(RunAsync);
        _requests.Writer.TryWrite(true);
    }

    private async Task RunAsync()
    {
        try
        {
            while (await _requests.Reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                _requests.Reader.TryRead(out _);
                try
                {
                    await using var cmd = _dataSource.CreateCommand($"select pg_notify('{PostgresEventStore.NotifyChannel}', $1)");
                    cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _node });
                    await cmd.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogDebug(ex, "NOTIFY failed; other nodes will find the events on their next poll");
                }
                await Task.Delay(MinimumInterval, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null) await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
