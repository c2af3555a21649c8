namespace CoachHub.EventStore.Daemon;

/// <summary>
/// A side effect driven by events (send a message, issue a command). Delivered at least once, in log order,
/// from a durable checkpoint; a handler that keeps failing has the event dead-lettered so the rest flow on.
/// </summary>
public interface ISubscription
{
    /// <summary>Unique, stable: it names the checkpoint and the leadership lock.</summary>
    string Name { get; }

    /// <summary>
    /// Where a subscription with no checkpoint yet starts: false, the start of the log (every event); true, the
    /// head at that moment (live messages: history is not news).
    /// </summary>
    bool StartsAtHead => false;

    bool Handles(string eventType);
    Task HandleAsync(RecordedEvent @event, CancellationToken ct);
}

public sealed record DeadLetter(long Id, string Subscription, long Position, string StreamId, string Type, string Error,
    int Attempts, DateTimeOffset FailedAt, DateTimeOffset? ReplayedAt);

public sealed record ReplayReport(int Replayed, int StillFailing);
