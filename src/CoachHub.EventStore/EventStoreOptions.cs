using CoachHub.EventStore.Daemon;
using CoachHub.EventStore.Projections;

namespace CoachHub.EventStore;

public sealed class EventStoreOptions
{
    public string ConnectionString { get; set; } = "";
    public EventTypes Types { get; } = new();
    public List<IProjection> Projections { get; } = [];
    public List<ISubscription> Subscriptions { get; } = [];

    /// <summary>Names this node in logs and connection names; nodes are otherwise equal.</summary>
    public string NodeName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Whether this node competes to run async projections and subscriptions.</summary>
    public bool RunDaemon { get; set; } = true;

    public int DaemonBatchSize { get; set; } = 500;
    public int RebuildBatchSize { get; set; } = 5_000;
    /// <summary>How often readers look for events when no notification arrives (missed NOTIFY, other writers).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);
    /// <summary>How often a follower tries to take leadership; bounds failover time with the heartbeat.</summary>
    public TimeSpan LeaderRetryInterval { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan LeaderHeartbeat { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Appends written at once, each commit carrying every append that queued meanwhile (group commit); 0 writes
    /// each append in its own transaction. A few writers keep both the database and the disk busy.
    /// </summary>
    public int GroupCommitWriters { get; set; } = 4;

    /// <summary>
    /// The most appends one group commit carries. Small enough that the writers commit side by side: a writer
    /// taking most of what queued leaves the others idle, and the server and the database then wait for each
    /// other instead of working at once (docs/eventstore.md, "Group commit").
    /// </summary>
    public int GroupCommitMaxAppends
    {
        get;
        set => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A group carries at least one append.");
    } = 8;

    /// <summary>Attempts per event before a subscription dead-letters it and moves on.</summary>
    public int SubscriptionMaxAttempts { get; set; } = 5;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Attempts for an operation that meets a transient database failure (restart, broken connection).</summary>
    public int TransientAttempts { get; set; } = 6;

    /// <summary>
    /// A session idle inside a transaction holds back every reader of the global log (they never pass an open
    /// transaction), so our connections end such sessions after this long.
    /// </summary>
    public TimeSpan IdleInTransactionTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
