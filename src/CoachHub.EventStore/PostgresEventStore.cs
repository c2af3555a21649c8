using System.Text.Json;
using CoachHub.EventStore.Projections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace CoachHub.EventStore;

public sealed record AppendOptions
{
    /// <summary>A retry with the same key returns the first result and writes nothing.</summary>
    public string? IdempotencyKey { get; init; }
    public Guid? CorrelationId { get; init; }
    public Guid? CausationId { get; init; }
    public string? UserId { get; init; }
}

/// <summary>The stream's version after the append and the global positions its events took.</summary>
public sealed record AppendResult(long StreamVersion, long FirstPosition, long LastPosition, bool WasDuplicate);

/// <summary>How far a reader of the global log trails the head, and what (an open transaction) may hold it back.</summary>
public sealed record ReaderLag(long HeadPosition, LogPosition Checkpoint, long EventsBehind, TimeSpan OldestOpenTransaction);

/// <summary>
/// A PostgreSQL event store: streams with optimistic concurrency, a global log readers never skip events of,
/// inline projections in the append's transaction, and the wake-up signal for the daemon.
/// </summary>
public sealed class PostgresEventStore : IAsyncDisposable
{
    internal const string Columns = "position, transaction_id, stream_id, stream_version, event_id, type, data, metadata, recorded_at";
    internal const string NotifyChannel = "es_events";

    private readonly EventStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IProjection[] _inline;
    private readonly CommitNotifier _notifier;
    private readonly AppendBatcher? _batcher;
    private int _appending;
    private readonly NpgsqlDataSource _writerPool;

    public PostgresEventStore(EventStoreOptions options, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        Loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = Loggers.CreateLogger<PostgresEventStore>();
        DataSource = CreateDataSource("coachhub");
        // Appends only ever leave transaction-scoped state behind (a local search path, an xact lock), so their
        // connections skip the session reset the main pool runs on every return: seven statements per append.
        _writerPool = CreateDataSource("coachhub-writer", resetOnClose: false, maxPoolSize: 16);
        _inline = [.. options.Projections.Where(p => p.Lifecycle == ProjectionLifecycle.Inline)];
        _notifier = new CommitNotifier(DataSource, options.NodeName, _logger);
        _batcher = options.GroupCommitWriters > 0 ? new AppendBatcher(this, options.GroupCommitWriters, options.GroupCommitMaxAppends, _logger) : null;
        Rebuilder = new ProjectionRebuilder(this);
    }

    public NpgsqlDataSource DataSource { get; }
    public EventTypes Types => _options.Types;
    public EventStoreOptions Options => _options;
    public NewEventsSignal Signal { get; } = new();
    internal ILoggerFactory Loggers { get; }
    internal ProjectionRebuilder Rebuilder { get; }

    /// <summary>A data source on the same database with our session settings; pooling off for lock holders.</summary>
    internal NpgsqlDataSource CreateDataSource(string purpose, bool pooling = true, bool resetOnClose = true, int? maxPoolSize = null)
    {
        var csb = new NpgsqlConnectionStringBuilder(_options.ConnectionString)
        {
            ApplicationName = $"{purpose}:{_options.NodeName}",
            Options = $"-c idle_in_transaction_session_timeout={(int)_options.IdleInTransactionTimeout.TotalMilliseconds}",
            Pooling = pooling,
            KeepAlive = 5,
            // The store sends a handful of statements over and over: prepared, the server skips planning them.
            MaxAutoPrepare = 32,
            AutoPrepareMinUsages = 2,
            NoResetOnClose = !resetOnClose,
        };
        if (csb.MaxPoolSize == 100) csb.MaxPoolSize = 50;
        if (maxPoolSize is { } max) csb.MaxPoolSize = Math.Min(csb.MaxPoolSize, max);
        var builder = new NpgsqlDataSourceBuilder(csb.ConnectionString);
        builder.UseLoggerFactory(Loggers);
        // The pool's name in the metrics (db_client_connection_pool_name): its purpose, not the connection string.
        builder.Name = purpose;
        return builder.Build();
    }

    /// <summary>Creates or upgrades the schema, then brings every projection's tables to its current version.</summary>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await SchemaMigrator.MigrateAsync(DataSource, typeof(PostgresEventStore).Assembly, "eventstore", _logger, ct).ConfigureAwait(false);
        foreach (var projection in _options.Projections)
            await Rebuilder.EnsureCurrentAsync(projection, ct).ConfigureAwait(false);
    }

    public Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, object @event, AppendOptions? options = null, CancellationToken ct = default) =>
        AppendAsync(streamId, expected, [@event], options, ct);

    /// <summary>
    /// Appends <paramref name="events"/> in one transaction. Throws <see cref="ConcurrencyException"/> when the
    /// stream is not at <paramref name="expected"/>. Zero events write nothing (the version is still checked).
    /// </summary>
    public async Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<object> events,
        AppendOptions? options = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        options ??= new AppendOptions();
        if (events.Count == 0)
        {
            var version = await GetStreamVersionAsync(streamId, ct).ConfigureAwait(false);
            return expected.IsSatisfiedBy(version)
                ? new AppendResult(version, 0, 0, false)
                : throw new ConcurrencyException(streamId, expected, version);
        }

        var ids = new Guid[events.Count];
        var types = new string[events.Count];
        var data = new string[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            ids[i] = Guid.CreateVersion7(_time.GetUtcNow());
            data[i] = Types.Serialize(events[i], out types[i]);
        }
        var metadata = JsonSerializer.Serialize(new EventMetadata
        {
            CorrelationId = options.CorrelationId,
            CausationId = options.CausationId,
            UserId = options.UserId,
            Timestamp = _time.GetUtcNow(),
        }, StoreJsonContext.Default.EventMetadata);

        var pending = new PendingAppend(streamId, expected, ids, types, data, metadata, options.IdempotencyKey, events);
        // With nothing else being appended there is no one to share a commit with: no hand-over to a writer.
        var crowded = Interlocked.Increment(ref _appending) > 1;
        try
        {
            var result = await AppendPendingAsync(pending, crowded, ct).ConfigureAwait(false);
            if (!result.WasDuplicate)
            {
                Signal.Pulse();
                _notifier.Request();
            }
            return result;
        }
        finally
        {
            Interlocked.Decrement(ref _appending);
        }
    }

    private async Task<AppendResult> AppendPendingAsync(PendingAppend pending, bool crowded, CancellationToken ct)
    {
        for (var race = 1; ; race++)
        {
            try
            {
                return await Transient.RetryAsync(DataSource, _options, async (attempt, token) =>
                {
                    var mayHaveLanded = attempt > 1;
                    if (attempt == 1 && crowded && _batcher is not null)
                    {
                        var outcome = await _batcher.AppendAsync(pending, token).ConfigureAwait(false);
                        if (outcome.Result is { } written) return written;
                        if (outcome.Behind) return await NotAppendedAsync(pending, token).ConfigureAwait(false);
                        // The shared commit failed as a whole: this append is tried again on its own.
                        mayHaveLanded = outcome.MayHaveLanded;
                    }
                    // A failure while committing leaves us not knowing whether the first try landed: look before retrying.
                    if (mayHaveLanded && pending.IdempotencyKey is null
                        && await FindAppendedAsync(pending.StreamId, pending.Ids, token).ConfigureAwait(false) is { } landed)
                        return landed;
                    return (await WriteAsync([pending], token).ConfigureAwait(false))[0]
                        ?? await NotAppendedAsync(pending, token).ConfigureAwait(false);
                }, ct, alsoClear: _writerPool).ConfigureAwait(false);
            }
            catch (AnyVersionRaceException)
            {
                // "Any" lost a race for the next version to another writer: take the version after theirs.
                if (race >= 100)
                    throw new ConcurrencyException(pending.StreamId, pending.Expected, await GetStreamVersionAsync(pending.StreamId, ct).ConfigureAwait(false));
            }
        }
    }

    /// <summary>
    /// One statement: the events take the versions after the expected one, which must exist (so no gap is
    /// left) and be the last (so a writer behind a committed append gets no rows, not an error that would
    /// abort a shared transaction); the unique (stream_id, stream_version) index makes every concurrent writer
    /// of those versions fail.
    /// Version N being committed and visible before N+1 is written is also what keeps transaction ids in
    /// stream order for readers of the global log. Each kind of expectation gets its own statement because a
    /// statement that decides between them at run time costs a third of the throughput.
    /// </summary>
    internal static string AppendSql(ExpectedVersion expected, bool keyed, bool single)
    {
        var (baseVersion, guard) = expected.Value switch
        {
            -1 => ("(select coalesce(max(stream_version), 0) from es.events where stream_id = $1)", ""),
            -2 or 0 => ("0", "where not exists (select 1 from es.events where stream_id = $1 and stream_version = 1)"),
            _ => ("$2", """
                where exists (select 1 from es.events where stream_id = $1 and stream_version = $2)
                  and not exists (select 1 from es.events where stream_id = $1 and stream_version = $2 + 1)
                """),
        };
        // One event (the common case) binds scalars; a batch binds arrays and unnests them in order.
        var rows = single
            ? $"select $1, {baseVersion} + 1, $3, $4, $5, $6 {guard}"
            : $"""
              select $1, {baseVersion} + e.ord, e.id, e.type, e.data, $6
                from unnest($3::uuid[], $4::text[], $5::jsonb[]) with ordinality as e(id, type, data, ord)
               {guard}
               order by e.ord
              """;
        var key = keyed ? """
            , keyed as (
                insert into es.idempotency_keys (key, stream_id, stream_version, first_position, last_position)
                select $7, $1, max(stream_version), min(position), max(position) from appended having count(*) > 0)
            """ : "";
        return $"""
            with appended as (
                insert into es.events (stream_id, stream_version, event_id, type, data, metadata)
                {rows}
                returning position, stream_version){key}
            select array_agg(position order by position), max(stream_version), case when count(*) > 0 then pg_current_xact_id() end from appended
            """;
    }

    private static readonly Dictionary<(long, bool, bool), string> AppendStatements =
        (from v in new[] { ExpectedVersion.Any, ExpectedVersion.NoStream, ExpectedVersion.Exactly(1) }
         from keyed in new[] { false, true }
         from single in new[] { false, true }
         select (v, keyed, single)).ToDictionary(x => (StatementKind(x.v), x.keyed, x.single), x => AppendSql(x.v, x.keyed, x.single));

    private static long StatementKind(ExpectedVersion expected) => expected.Value switch { -1 => -1, -2 or 0 => 0, _ => 1 };

    private static string AppendStatement(ExpectedVersion expected, bool keyed, bool single) =>
        AppendStatements[(StatementKind(expected), keyed, single)];

    private const string InlineLockSql = "select pg_advisory_xact_lock_shared(hashtextextended('es:inline', 0))";

    /// <summary>
    /// Writes <paramref name="appends"/> in one transaction with the inline projections, in three round trips
    /// whatever their number: [lock, inserts, search path], [projections], [commit]. The answer per append is its
    /// result, or null when its stream is not at the expected version (nothing of it is written; the others are).
    /// A unique violation (a racing writer of the same version or key) fails the whole batch: alone, it is
    /// answered as a duplicate or a conflict; in a group, every append is retried on its own.
    /// </summary>
    internal async Task<AppendResult?[]> WriteAsync(IReadOnlyList<PendingAppend> appends, CancellationToken ct)
    {
        await using var conn = await _writerPool.OpenConnectionAsync(ct).ConfigureAwait(false);
        var handled = _inline.Length == 0 ? []
            : _inline.Where(p => appends.Any(a => a.Types.Any(t => p.Handles(Types.CurrentName(t))))).ToArray();
        await using var tx = handled.Length > 0 || appends.Count > 1 ? await conn.BeginTransactionAsync(ct).ConfigureAwait(false) : null;
        try
        {
            var results = new AppendResult?[appends.Count];
            var recorded = handled.Length > 0 ? new List<RecordedEvent>() : null;
            await using (var batch = new NpgsqlBatch(conn, tx))
            {
                // Shared with other appends, exclusive for a rebuild's swap: no inline write lands mid-swap.
                if (handled.Length > 0) batch.BatchCommands.Add(new NpgsqlBatchCommand(InlineLockSql));
                foreach (var append in appends) batch.BatchCommands.Add(AppendCommand(append));
                // After the inserts, so that the store's own statements always plan under the default path.
                if (handled.Length > 0) batch.BatchCommands.Add(new NpgsqlBatchCommand(ProjectionRunner.SearchPathSql(handled[0])));
                await using var r = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
                if (handled.Length > 0) await r.NextResultAsync(ct).ConfigureAwait(false);
                var now = _time.GetUtcNow();
                for (var i = 0; i < appends.Count; i++)
                {
                    if (i > 0) await r.NextResultAsync(ct).ConfigureAwait(false);
                    await r.ReadAsync(ct).ConfigureAwait(false);
                    if (r.IsDBNull(0)) continue;
                    var positions = r.GetFieldValue<long[]>(0);
                    var version = r.GetInt64(1);
                    results[i] = new AppendResult(version, positions[0], positions[^1], false);
                    if (recorded is null) continue;
                    var append = appends[i];
                    var txid = r.GetFieldValue<ulong>(2);
                    var first = version - append.Ids.Length;
                    for (var e = 0; e < append.Ids.Length; e++)
                        recorded.Add(new RecordedEvent(Types, positions[e], txid, append.StreamId, first + e + 1, append.Ids[e], append.Types[e],
                            append.Data[e], append.Metadata, now, append.Events[e]));
                }
            }

            if (tx is not null)
            {
                if (recorded is { Count: > 0 })
                    for (var p = 0; p < handled.Length; p++)
                        await ProjectionRunner.ApplyAsync(handled[p], recorded, conn, tx, ct, searchPathSet: p == 0).ConfigureAwait(false);
                await tx.CommitAsync(ct).ConfigureAwait(false);
            }
            return results;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && appends.Count == 1)
        {
            if (tx is not null) await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            var (streamId, expected, key) = (appends[0].StreamId, appends[0].Expected, appends[0].IdempotencyKey);
            // Our key already names an append (a retry, or a racing duplicate): that first result is the answer.
            if (key is not null && await FindByKeyAsync(key, streamId, ct).ConfigureAwait(false) is { } first)
                return [first];
            if (ex.ConstraintName == "events_stream_version_unique" && expected == ExpectedVersion.Any)
                throw new AnyVersionRaceException();
            throw new ConcurrencyException(streamId, expected, await GetStreamVersionAsync(streamId, ct).ConfigureAwait(false));
        }
    }

    /// <summary>
    /// The stream was not at the expected version: a retry whose key already names an append gets that first
    /// result; anything else is a conflict.
    /// </summary>
    private async Task<AppendResult> NotAppendedAsync(PendingAppend append, CancellationToken ct) =>
        append.IdempotencyKey is { } key && await FindByKeyAsync(key, append.StreamId, ct).ConfigureAwait(false) is { } first
            ? first
            : throw new ConcurrencyException(append.StreamId, append.Expected, await GetStreamVersionAsync(append.StreamId, ct).ConfigureAwait(false));

    private static NpgsqlBatchCommand AppendCommand(PendingAppend append)
    {
        var single = append.Ids.Length == 1;
        var cmd = new NpgsqlBatchCommand(AppendStatement(append.Expected, append.IdempotencyKey is not null, single));
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = append.StreamId });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Math.Max(append.Expected.Value, 0) });
        if (single)
        {
            cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = append.Ids[0] });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = append.Types[0] });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = append.Data[0], NpgsqlDbType = NpgsqlDbType.Jsonb });
        }
        else
        {
            cmd.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = append.Ids });
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = append.Types });
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = append.Data, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        }
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = append.Metadata, NpgsqlDbType = NpgsqlDbType.Jsonb });
        if (append.IdempotencyKey is not null) cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = append.IdempotencyKey });
        return cmd;
    }

    private sealed class AnyVersionRaceException : Exception;

    private async Task<AppendResult?> FindByKeyAsync(string key, string streamId, CancellationToken ct)
    {
        await using var cmd = DataSource.CreateCommand("select stream_id, stream_version, first_position, last_position from es.idempotency_keys where key = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) return null;
        var first = r.GetString(0);
        return first == streamId
            ? new AppendResult(r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), true)
            : throw new IdempotencyKeyConflictException(key, streamId, first);
    }

    private async Task<AppendResult?> FindAppendedAsync(string streamId, Guid[] ids, CancellationToken ct)
    {
        await using var cmd = DataSource.CreateCommand(
            "select max(stream_version), min(position), max(position), count(*) from es.events where stream_id = $1 and event_id = any($2)");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        cmd.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids });
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        return r.GetInt64(3) == 0 ? null : new AppendResult(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), false);
    }

    /// <summary>The number of events in the stream; 0 when it does not exist.</summary>
    public Task<long> GetStreamVersionAsync(string streamId, CancellationToken ct = default) =>
        Transient.RetryAsync(DataSource, _options, async (_, token) =>
        {
            await using var cmd = DataSource.CreateCommand("select coalesce(max(stream_version), 0) from es.events where stream_id = $1");
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
            return await cmd.ExecuteScalarAsync(token).ConfigureAwait(false) is long v ? v : 0L;
        }, ct);

    /// <summary>The stream's events from <paramref name="fromVersion"/> (1 is the first), in order.</summary>
    public Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long fromVersion = 1, int maxCount = int.MaxValue, CancellationToken ct = default) =>
        Transient.RetryAsync(DataSource, _options, async (_, token) =>
        {
            await using var cmd = DataSource.CreateCommand(
                $"select {Columns} from es.events where stream_id = $1 and stream_version >= $2 order by stream_version limit $3");
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = fromVersion });
            cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxCount });
            return await ReadEventsAsync(cmd, token).ConfigureAwait(false);
        }, ct);

    /// <summary>Folds the stream into state; the version is what to expect on the next append.</summary>
    public async Task<(TState State, long Version)> AggregateAsync<TState>(string streamId, TState initial,
        Func<TState, object, TState> evolve, CancellationToken ct = default)
    {
        var events = await ReadStreamAsync(streamId, 1, int.MaxValue, ct).ConfigureAwait(false);
        var state = initial;
        foreach (var e in events) state = evolve(state, e.Data);
        return (state, events.Count == 0 ? 0 : events[^1].StreamVersion);
    }

    /// <summary>
    /// Up to <paramref name="maxCount"/> events after <paramref name="after"/> in (transaction id, position)
    /// order, only from transactions older than every one still open: an event that commits later can never
    /// sort before what was already read, so a reader that keeps its last position skips nothing.
    /// </summary>
    public Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(LogPosition after, int maxCount, CancellationToken ct = default) =>
        Transient.RetryAsync(DataSource, _options, async (_, token) =>
        {
            await using var cmd = DataSource.CreateCommand($"""
                select {Columns} from es.events
                 where (transaction_id, position) > ($1, $2)
                   and transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                 order by transaction_id, position
                 limit $3
                """);
            AddPosition(cmd, after);
            cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxCount });
            return await ReadEventsAsync(cmd, token).ConfigureAwait(false);
        }, ct);

    /// <summary>The last event every reader may already see: where a reader "from now" starts.</summary>
    public Task<LogPosition> HeadAsync(CancellationToken ct = default) =>
        Transient.RetryAsync(DataSource, _options, async (_, token) =>
        {
            await using var cmd = DataSource.CreateCommand("""
                select transaction_id, position from es.events
                 where transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                 order by transaction_id desc, position desc limit 1
                """);
            await using var r = await cmd.ExecuteReaderAsync(token).ConfigureAwait(false);
            return await r.ReadAsync(token).ConfigureAwait(false) ? new LogPosition(r.GetFieldValue<ulong>(0), r.GetInt64(1)) : LogPosition.Start;
        }, ct);

    public async Task<ReaderLag> GetLagAsync(string checkpointName, CancellationToken ct = default)
    {
        await using var cmd = DataSource.CreateCommand("""
            select (select coalesce(max(position), 0) from es.events),
                   c.transaction_id, c.position,
                   (select count(*) from (select 1 from es.events e
                      where (e.transaction_id, e.position) > (c.transaction_id, c.position) limit 1000000) behind),
                   coalesce((select extract(epoch from now() - min(xact_start))::float8 from pg_stat_activity
                      where backend_xid is not null and datname = current_database()), 0)
              from es.checkpoints c where c.name = $1
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = checkpointName });
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false))
            throw new InvalidOperationException($"No checkpoint named '{checkpointName}'.");
        return new ReaderLag(r.GetInt64(0), new LogPosition(r.GetFieldValue<ulong>(1), r.GetInt64(2)), r.GetInt64(3),
            TimeSpan.FromSeconds(r.GetDouble(4)));
    }

    /// <summary>Rebuilds a projection into fresh tables and swaps them in; reads keep working meanwhile.</summary>
    public Task<RebuildReport> RebuildProjectionAsync(string name, IProgress<RebuildProgress>? progress = null, CancellationToken ct = default)
    {
        var projection = _options.Projections.FirstOrDefault(p => p.Name == name)
            ?? throw new ArgumentException($"No projection named '{name}'. Known: {string.Join(", ", _options.Projections.Select(p => p.Name))}.", nameof(name));
        return Rebuilder.RebuildAsync(projection, progress, ct);
    }

    internal static void AddPosition(NpgsqlCommand cmd, LogPosition after)
    {
        cmd.Parameters.Add(new NpgsqlParameter<ulong> { TypedValue = after.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after.Position });
    }

    internal async Task<IReadOnlyList<RecordedEvent>> ReadEventsAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<RecordedEvent>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new RecordedEvent(Types, r.GetInt64(0), r.GetFieldValue<ulong>(1), r.GetString(2), r.GetInt64(3),
                r.GetGuid(4), r.GetString(5), r.GetString(6), r.GetString(7), r.GetFieldValue<DateTimeOffset>(8)));
        return list;
    }

    public async ValueTask DisposeAsync()
    {
        if (_batcher is not null) await _batcher.DisposeAsync().ConfigureAwait(false);
        await _notifier.DisposeAsync().ConfigureAwait(false);
        await _writerPool.DisposeAsync().ConfigureAwait(false);
        await DataSource.DisposeAsync().ConfigureAwait(false);
    }
}
