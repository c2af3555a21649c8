using CoachHub.EventStore.Projections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace CoachHub.EventStore.Daemon;

/// <summary>
/// Runs every async projection and subscription, each on exactly one node (see <see cref="Leadership"/>).
/// Wakes on the store's signal (local appends, NOTIFY) and polls as a fallback. Subscriptions come from the
/// options and from the container (<c>AddSingleton&lt;ISubscription, T&gt;</c>), for handlers with services of their own.
/// </summary>
public sealed class ProjectionDaemon(PostgresEventStore store, IEnumerable<ISubscription>? registered = null) : BackgroundService
{
    private readonly ILogger _logger = store.Loggers.CreateLogger<ProjectionDaemon>();
    private readonly EventStoreOptions _options = store.Options;
    private readonly IReadOnlyList<ISubscription> _subscriptions = [.. store.Options.Subscriptions, .. registered ?? []];

    /// <summary>Agents this node leads right now (for health and tests).</summary>
    public IReadOnlyCollection<string> Leading => [.. _leading.Keys];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _leading = new();

    /// <summary>
    /// A subscription that starts at the head takes its starting point before the node serves anything, so that
    /// nothing a first request appends falls before it (whichever node then leads it).
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_subscriptions.Any(s => s.StartsAtHead))
        {
            var head = await store.HeadAsync(cancellationToken).ConfigureAwait(false);
            foreach (var subscription in _subscriptions.Where(s => s.StartsAtHead))
                await EnsureCheckpointAsync(SubscriptionCheckpoint(subscription), head, cancellationToken).ConfigureAwait(false);
        }
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var lockSource = store.CreateDataSource("coachhub-leader", pooling: false);
        var agents = new List<Task>();
        foreach (var projection in _options.Projections.Where(p => p.Lifecycle == ProjectionLifecycle.Async))
            agents.Add(Leadership.RunWhileLeaderAsync(lockSource, ProjectionRebuilder.CheckpointName(projection), _options, _logger,
                ct => Lead(ProjectionRebuilder.CheckpointName(projection), c => RunProjectionAsync(projection, c), ct), stoppingToken));
        foreach (var subscription in _subscriptions)
            agents.Add(Leadership.RunWhileLeaderAsync(lockSource, SubscriptionCheckpoint(subscription), _options, _logger,
                ct => Lead(SubscriptionCheckpoint(subscription), c => RunSubscriptionAsync(subscription, c), ct), stoppingToken));
        await Task.WhenAll(agents).ConfigureAwait(false);
    }

    private async Task Lead(string agent, Func<CancellationToken, Task> run, CancellationToken ct)
    {
        _leading[agent] = true;
        try { await run(ct).ConfigureAwait(false); }
        finally { _leading.TryRemove(agent, out _); }
    }

    public static string SubscriptionCheckpoint(ISubscription subscription) => $"subscription:{subscription.Name}";

    private async Task RunProjectionAsync(IProjection projection, CancellationToken ct)
    {
        var name = ProjectionRebuilder.CheckpointName(projection);
        LogPosition? checkpoint = null;
        await RunStepsAsync(name, async () =>
        {
            var wake = store.Signal.Current;
            var from = checkpoint ?? await LoadCheckpointAsync(name, ct).ConfigureAwait(false);
            checkpoint = null; // until a batch commits, the database holds the truth
            var events = await store.ReadAllAsync(from, _options.DaemonBatchSize, ct).ConfigureAwait(false);
            if (events.Count == 0)
            {
                checkpoint = from;
                await NewEventsSignal.WaitAsync(wake, _options.PollInterval, ct).ConfigureAwait(false);
                return;
            }
            await using var conn = await store.DataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (var lockCmd = new NpgsqlCommand($"select pg_advisory_xact_lock(hashtextextended('es:batch:{projection.Name}', 0))", conn, tx))
                await lockCmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await ProjectionRunner.ApplyAsync(projection, events, conn, tx, ct).ConfigureAwait(false);
            // Conditional on where the batch started: after a rebuild's swap, or another leader's write, this
            // batch rolls back instead of applying events twice.
            if (await AdvanceCheckpointAsync(conn, tx, name, from, events[^1].LogPosition, ct).ConfigureAwait(false))
            {
                await tx.CommitAsync(ct).ConfigureAwait(false);
                checkpoint = events[^1].LogPosition;
            }
        }, ct).ConfigureAwait(false);
    }

    private async Task RunSubscriptionAsync(ISubscription subscription, CancellationToken ct)
    {
        var name = SubscriptionCheckpoint(subscription);
        // One that starts at the head has its checkpoint since StartAsync: this insert leaves it as it is.
        await EnsureCheckpointAsync(name, LogPosition.Start, ct).ConfigureAwait(false);
        LogPosition? checkpoint = null;
        await RunStepsAsync(name, async () =>
        {
            var wake = store.Signal.Current;
            var from = checkpoint ?? await LoadCheckpointAsync(name, ct).ConfigureAwait(false);
            checkpoint = null;
            var events = await store.ReadAllAsync(from, Math.Min(_options.DaemonBatchSize, 100), ct).ConfigureAwait(false);
            if (events.Count == 0)
            {
                checkpoint = from;
                await NewEventsSignal.WaitAsync(wake, _options.PollInterval, ct).ConfigureAwait(false);
                return;
            }
            foreach (var e in events)
                if (subscription.Handles(e.Type)) await DeliverAsync(subscription, e, ct).ConfigureAwait(false);
            // At least once: a crash before this commit delivers the batch again, so the checkpoint moves per batch.
            await using var conn = await store.DataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
            if (await AdvanceCheckpointAsync(conn, tx, name, from, events[^1].LogPosition, ct).ConfigureAwait(false))
            {
                await tx.CommitAsync(ct).ConfigureAwait(false);
                checkpoint = events[^1].LogPosition;
            }
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Repeats an agent's step while it leads. A transient failure (a killed connection, a restart) costs a short
    /// backoff, not the leadership; anything else goes up to <see cref="Leadership"/>, which stands down and retries.
    /// </summary>
    private async Task RunStepsAsync(string agent, Func<Task> step, CancellationToken ct)
    {
        for (var failures = 0; !ct.IsCancellationRequested;)
        {
            try
            {
                await step().ConfigureAwait(false);
                failures = 0;
            }
            catch (Exception ex) when (Transient.IsTransient(ex) && !ct.IsCancellationRequested)
            {
                if (Transient.IsConnectionLoss(ex)) store.DataSource.Clear();
                _logger.LogWarning(ex, "{Agent} met a transient failure; retrying", agent);
                await Task.Delay(Transient.Backoff(++failures, _options.RetryBaseDelay, _options.RetryMaxDelay), ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Tries the handler with exponential backoff; after the last attempt the event is dead-lettered.</summary>
    private async Task DeliverAsync(ISubscription subscription, RecordedEvent e, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await subscription.HandleAsync(e, ct).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                if (attempt >= _options.SubscriptionMaxAttempts)
                {
                    _logger.LogError(ex, "Subscription {Subscription} dead-lettered {Event} after {Attempts} attempts", subscription.Name, e, attempt);
                    await DeadLetterAsync(subscription, e, ex, attempt, ct).ConfigureAwait(false);
                    return;
                }
                _logger.LogWarning(ex, "Subscription {Subscription} failed on {Event} (attempt {Attempt})", subscription.Name, e, attempt);
                await Task.Delay(Transient.Backoff(attempt, _options.RetryBaseDelay, _options.RetryMaxDelay), ct).ConfigureAwait(false);
            }
        }
    }

    private async Task DeadLetterAsync(ISubscription subscription, RecordedEvent e, Exception error, int attempts, CancellationToken ct)
    {
        await using var cmd = store.DataSource.CreateCommand("""
            insert into es.dead_letters (subscription, position, transaction_id, stream_id, type, error, attempts)
            values ($1, $2, $3, $4, $5, $6, $7) on conflict (subscription, position) do nothing
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = subscription.Name });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = e.Position });
        cmd.Parameters.Add(new NpgsqlParameter<ulong> { TypedValue = e.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.StreamId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Type });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = error.ToString() });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = attempts });
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string subscription, CancellationToken ct = default)
    {
        await using var cmd = store.DataSource.CreateCommand("""
            select id, subscription, position, stream_id, type, error, attempts, failed_at, replayed_at
              from es.dead_letters where subscription = $1 order by position
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = subscription });
        var list = new List<DeadLetter>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new DeadLetter(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.GetInt32(6), r.GetFieldValue<DateTimeOffset>(7), r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8)));
        return list;
    }

    /// <summary>Hands each not-yet-replayed dead letter to its subscription once more, in log order.</summary>
    public async Task<ReplayReport> ReplayDeadLettersAsync(string subscriptionName, CancellationToken ct = default)
    {
        var subscription = _subscriptions.FirstOrDefault(s => s.Name == subscriptionName)
            ?? throw new ArgumentException($"No subscription named '{subscriptionName}'.", nameof(subscriptionName));
        int replayed = 0, failing = 0;
        foreach (var letter in (await DeadLettersAsync(subscriptionName, ct).ConfigureAwait(false)).Where(d => d.ReplayedAt is null))
        {
            await using var read = store.DataSource.CreateCommand($"select {PostgresEventStore.Columns} from es.events where position = $1");
            read.Parameters.Add(new NpgsqlParameter<long> { TypedValue = letter.Position });
            var e = (await store.ReadEventsAsync(read, ct).ConfigureAwait(false)).Single();
            string sql;
            string? error = null;
            try
            {
                await subscription.HandleAsync(e, ct).ConfigureAwait(false);
                sql = "update es.dead_letters set replayed_at = now() where id = $1";
                replayed++;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                sql = "update es.dead_letters set attempts = attempts + 1, error = $2, failed_at = now() where id = $1";
                error = ex.ToString();
                failing++;
            }
            await using var update = store.DataSource.CreateCommand(sql);
            update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = letter.Id });
            if (error is not null) update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = error });
            await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        return new ReplayReport(replayed, failing);
    }

    private async Task EnsureCheckpointAsync(string name, LogPosition start, CancellationToken ct)
    {
        await using var cmd = store.DataSource.CreateCommand(
            "insert into es.checkpoints (name, transaction_id, position) values ($1, $2, $3) on conflict do nothing");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        PostgresEventStore.AddPosition(cmd, start);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private async Task<LogPosition> LoadCheckpointAsync(string name, CancellationToken ct)
    {
        await using var cmd = store.DataSource.CreateCommand("select transaction_id, position from es.checkpoints where name = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? new LogPosition(r.GetFieldValue<ulong>(0), r.GetInt64(1))
            : throw new InvalidOperationException($"Checkpoint '{name}' is missing: was the store migrated?");
    }

    private static async Task<bool> AdvanceCheckpointAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string name,
        LogPosition from, LogPosition to, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            update es.checkpoints set transaction_id = $2, position = $3, updated_at = now()
             where name = $1 and transaction_id = $4 and position = $5
            """, conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        PostgresEventStore.AddPosition(cmd, to);
        PostgresEventStore.AddPosition(cmd, from);
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
    }
}
