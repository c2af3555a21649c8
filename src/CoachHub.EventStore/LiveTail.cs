using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoachHub.EventStore;

/// <summary>
/// A non-durable feed of events committed from "now" on, on every node: for real-time fan-out, not for state.
/// Each subscriber has its own bounded buffer; one that falls too far behind loses the oldest events.
/// </summary>
public sealed class LiveTail(PostgresEventStore store) : BackgroundService
{
    private readonly ILogger _logger = store.Loggers.CreateLogger<LiveTail>();
    private readonly ConcurrentDictionary<Subscriber, byte> _subscribers = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the tail knows where "now" is; events committed after that are delivered.</summary>
    public Task Started => _started.Task;

    public Subscriber Subscribe(int capacity = 10_000)
    {
        var subscriber = new Subscriber(this, capacity);
        _subscribers[subscriber] = 0;
        return subscriber;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogPosition? position = null;
        for (var failures = 0; !stoppingToken.IsCancellationRequested;)
        {
            try
            {
                var wake = store.Signal.Current;
                if (position is null)
                {
                    position = await store.HeadAsync(stoppingToken).ConfigureAwait(false);
                    _started.TrySetResult();
                }
                var events = await store.ReadAllAsync(position.Value, 1_000, stoppingToken).ConfigureAwait(false);
                failures = 0;
                if (events.Count == 0)
                {
                    await NewEventsSignal.WaitAsync(wake, store.Options.PollInterval, stoppingToken).ConfigureAwait(false);
                    continue;
                }
                position = events[^1].LogPosition;
                foreach (var subscriber in _subscribers.Keys)
                    foreach (var e in events)
                        subscriber.Offer(e);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Live tail read failed; retrying");
                await Task.Delay(Transient.Backoff(++failures, store.Options.RetryBaseDelay, store.Options.RetryMaxDelay), stoppingToken).ConfigureAwait(false);
            }
        }
        foreach (var subscriber in _subscribers.Keys) subscriber.Complete();
    }

    public sealed class Subscriber : IDisposable
    {
        private readonly LiveTail _tail;
        private readonly Channel<RecordedEvent> _channel;

        internal Subscriber(LiveTail tail, int capacity)
        {
            _tail = tail;
            _channel = Channel.CreateBounded<RecordedEvent>(new BoundedChannelOptions(capacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = true,
            });
        }

        public ChannelReader<RecordedEvent> Events => _channel.Reader;

        internal void Offer(RecordedEvent e) => _channel.Writer.TryWrite(e);

        internal void Complete() => _channel.Writer.TryComplete();

        public void Dispose()
        {
            _tail._subscribers.TryRemove(this, out _);
            Complete();
        }
    }
}
