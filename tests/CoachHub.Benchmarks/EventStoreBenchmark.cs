using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using CoachHub.EventStore;
using CoachHub.EventStore.Daemon;
using CoachHub.EventStore.Projections;
using Npgsql;
using NpgsqlTypes;

namespace CoachHub.Benchmarks;

public sealed record SampleRun(string AthleteId, int DistanceMeters, int DurationSeconds, string Surface, int Rpe, DateTimeOffset StartedAt);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SampleRun))]
internal sealed partial class BenchJson : JsonSerializerContext;

/// <summary>
/// ./coachhub bench eventstore: the store's throughput and latency, each against a plain-PostgreSQL baseline
/// measured in the same run on the same database (the ratios are what travels between machines).
/// </summary>
internal static class EventStoreBenchmark
{
    private const string TypeName = "sample.run-logged.v1";
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);
    private static readonly SampleRun Payload = new("athlete-0042", 10_250, 3_125, "road", 6, new DateTimeOffset(2026, 11, 21, 7, 30, 0, TimeSpan.Zero));

    public static async Task RunAsync(string adminConnectionString, string only = "")
    {
        bool Run(string group) => only.Length == 0 || only == group;
        var connectionString = await BenchDatabase.CreateAsync(adminConnectionString, "coachhub_bench_eventstore");
        var options = new EventStoreOptions { ConnectionString = connectionString, NodeName = "bench", PollInterval = TimeSpan.FromMilliseconds(200) };
        options.Types.Register(TypeName, BenchJson.Default.SampleRun);
        options.Projections.Add(new StreamSummary());
        var lag = new LagRecorder();
        options.Subscriptions.Add(lag);
        await using var store = new PostgresEventStore(options);
        await store.MigrateAsync();
        await using (var cmd = store.DataSource.CreateCommand("""
            create schema bench;
            create table bench.inserted (like es.events including all);
            create table bench.copied (like es.events including all);
            """))
            await cmd.ExecuteNonQueryAsync();
        await DescribeAsync(store);

        // Warm up JIT, pools and plans before anything is timed.
        await Writers(4, TimeSpan.FromSeconds(1), (w, i) => store.AppendAsync($"warm-{w}", i, Payload));

        var json = JsonSerializer.Serialize(Payload, BenchJson.Default.SampleRun);
        var metadata = """{"timestamp":"2026-11-21T07:30:00+00:00"}""";
        if (Run("append"))
        {
        var appendRates = new Dictionary<int, double>();
        foreach (var writers in new[] { 1, 4, 16 })
        {
            appendRates[writers] = await Writers(writers, Window, (w, i) => store.AppendAsync($"append-{writers}-{w}", i, Payload));
            Report.Figure($"append.{writers}.events_per_s", appendRates[writers], "events/s");
        }

        var insertRate = await Writers(16, Window, async (w, i) =>
        {
            await using var cmd = store.DataSource.CreateCommand(
                "insert into bench.inserted (stream_id, stream_version, event_id, type, data, metadata) values ($1, $2, $3, $4, $5, $6)");
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"insert-{w}" });
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = i + 1 });
            cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7() });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = TypeName });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = json, NpgsqlDbType = NpgsqlDbType.Jsonb });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = metadata, NpgsqlDbType = NpgsqlDbType.Jsonb });
            await cmd.ExecuteNonQueryAsync();
        });
        Report.Figure("insert.16.rows_per_s", insertRate, "rows/s", "plain single-row INSERT, same payload, same indexes");
        Report.Figure("append.16.ratio_to_insert", appendRates[16] / insertRate, "x", "target >= 0.8");
        }

        if (Run("batch"))
        {
        const int batches = 100, batchSize = 1_000;
        var batch = Enumerable.Repeat((object)Payload, batchSize).ToList();
        var clock = Stopwatch.StartNew();
        for (var b = 0; b < batches; b++) await store.AppendAsync($"batch-{b}", ExpectedVersion.NoStream, batch);
        var batchRate = batches * batchSize / clock.Elapsed.TotalSeconds;
        clock.Restart();
        for (var b = 0; b < batches; b++) await CopyAsync(store.DataSource, "bench.copied", $"copy-{b}", 1, batchSize, json, metadata);
        var copyRate = batches * batchSize / clock.Elapsed.TotalSeconds;
        Report.Figure("batch.events_per_s", batchRate, "events/s", $"{batches} appends of {batchSize} events");
        Report.Figure("copy.rows_per_s", copyRate, "rows/s", "binary COPY of the same rows, one transaction per 1,000");
        Report.Figure("batch.ratio_to_copy", batchRate / copyRate, "x", "target >= 0.5");
        }

        if (Run("rebuild"))
        {
        await FillToAsync(store, 1_000_000, json, metadata);
        var rebuild = await store.RebuildProjectionAsync("stream_summary");
        Report.Figure("rebuild.events", rebuild.Events, "events");
        Report.Figure("rebuild.events_per_s", rebuild.EventsPerSecond, "events/s", "per-stream projection, target >= 50000");
        }

        if (Run("lag"))
        {
        // The lag subscription starts at the head: it measures live delivery, not a backlog.
        await using (var cmd = store.DataSource.CreateCommand("""
            insert into es.checkpoints (name, transaction_id, position)
            select 'subscription:lag', transaction_id, position from es.events order by transaction_id desc, position desc limit 1
            """))
            await cmd.ExecuteNonQueryAsync();
        var daemon = new ProjectionDaemon(store);
        await daemon.StartAsync(default);
        await Task.Delay(1_000); // leadership taken, caught up
        lag.Recording = true;
        await Paced(eventsPerSecond: 1_000, Window, i => store.AppendAsync($"lag-{i % 50}", ExpectedVersion.Any, Payload));
        await Task.Delay(500);
        lag.Recording = false;
        await daemon.StopAsync(default);
        var samples = lag.Samples();
        Report.Figure("subscription.events", samples.Count, "events");
        Report.Figure("subscription.lag_p50_ms", Report.Percentile(samples, 50), "ms");
        Report.Figure("subscription.lag_p99_ms", Report.Percentile(samples, 99), "ms", "append start to handler, at 1,000 events/s, target <= 50");
        }

        await BenchDatabase.DropAsync(adminConnectionString, "coachhub_bench_eventstore");
    }

    private static async Task DescribeAsync(PostgresEventStore store)
    {
        await using var cmd = store.DataSource.CreateCommand("select current_setting('server_version'), current_setting('synchronous_commit'), current_setting('fsync')");
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        Report.Note($"PostgreSQL {r.GetString(0)} (synchronous_commit={r.GetString(1)}, fsync={r.GetString(2)}), {Environment.ProcessorCount} cores, .NET {Environment.Version}");
    }

    /// <summary>Runs <paramref name="writers"/> loops for <paramref name="window"/>; returns operations per second.</summary>
    internal static async Task<double> Writers(int writers, TimeSpan window, Func<int, long, Task> operation)
    {
        long total = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            long i = 0;
            while (clock.Elapsed < window) await operation(w, i++);
            Interlocked.Add(ref total, i);
        })));
        return total / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Issues operations on a fixed schedule (not as fast as possible), from a few concurrent callers.</summary>
    private static async Task Paced(int eventsPerSecond, TimeSpan window, Func<long, Task> operation)
    {
        var count = (long)(eventsPerSecond * window.TotalSeconds);
        long next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var due = TimeSpan.FromSeconds((double)i / eventsPerSecond) - clock.Elapsed;
                if (due > TimeSpan.Zero) await Task.Delay(due);
                await operation(i);
            }
        })));
    }

    private static async Task CopyAsync(NpgsqlDataSource dataSource, string table, string stream, long firstVersion, int rows, string json, string metadata)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var importer = await conn.BeginBinaryImportAsync($"copy {table} (stream_id, stream_version, event_id, type, data, metadata) from stdin (format binary)");
        for (var i = 0; i < rows; i++)
        {
            await importer.StartRowAsync();
            await importer.WriteAsync(stream, NpgsqlDbType.Text);
            await importer.WriteAsync(firstVersion + i, NpgsqlDbType.Bigint);
            await importer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
            await importer.WriteAsync(TypeName, NpgsqlDbType.Text);
            await importer.WriteAsync(json, NpgsqlDbType.Jsonb);
            await importer.WriteAsync(metadata, NpgsqlDbType.Jsonb);
        }
        await importer.CompleteAsync();
    }

    /// <summary>Loads history quickly (COPY, not what is measured): 10-event runs across 10,000 streams.</summary>
    private static async Task FillToAsync(PostgresEventStore store, long target, string json, string metadata)
    {
        await using var count = store.DataSource.CreateCommand("select count(*) from es.events");
        var existing = (long)(await count.ExecuteScalarAsync())!;
        var clock = Stopwatch.StartNew();
        const int streams = 10_000, run = 10;
        for (long made = existing, round = 0; made < target; round++)
        {
            await using var conn = await store.DataSource.OpenConnectionAsync();
            await using (var importer = await conn.BeginBinaryImportAsync("copy es.events (stream_id, stream_version, event_id, type, data, metadata) from stdin (format binary)"))
            {
                for (var s = 0; s < streams && made < target; s++)
                    for (var k = 0; k < run && made < target; k++, made++)
                    {
                        await importer.StartRowAsync();
                        await importer.WriteAsync($"history-{s}", NpgsqlDbType.Text);
                        await importer.WriteAsync(round * run + k + 1, NpgsqlDbType.Bigint);
                        await importer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                        await importer.WriteAsync(TypeName, NpgsqlDbType.Text);
                        await importer.WriteAsync(json, NpgsqlDbType.Jsonb);
                        await importer.WriteAsync(metadata, NpgsqlDbType.Jsonb);
                    }
                await importer.CompleteAsync();
            }
        }
        await using var streamsCmd = store.DataSource.CreateCommand("""
            analyze es.events;
            """);
        await streamsCmd.ExecuteNonQueryAsync();
        Report.Note($"loaded history to {target:N0} events in {clock.Elapsed.TotalSeconds:0.0} s (COPY; not a figure)");
    }

    /// <summary>Per stream: how many events, the last version and type. Folds each batch in memory, one upsert.</summary>
    private sealed class StreamSummary : IProjection
    {
        public string Name => "stream_summary";
        public int Version => 1;
        public ProjectionLifecycle Lifecycle => ProjectionLifecycle.Async;
        public string Schema => "create table streams (stream_id text primary key, events bigint not null, last_version bigint not null, last_type text not null);";
        public bool Handles(string eventType) => true;

        public async Task ApplyAsync(IReadOnlyList<RecordedEvent> events, ProjectionContext context, CancellationToken ct)
        {
            var byStream = new Dictionary<string, (long Events, long LastVersion, string LastType)>();
            foreach (var e in events)
                byStream[e.StreamId] = byStream.TryGetValue(e.StreamId, out var s) ? (s.Events + 1, e.StreamVersion, e.Type) : (1, e.StreamVersion, e.Type);
            await using var cmd = context.Command("""
                insert into streams (stream_id, events, last_version, last_type)
                select * from unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[])
                on conflict (stream_id) do update set events = streams.events + excluded.events,
                    last_version = excluded.last_version, last_type = excluded.last_type
                """);
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. byStream.Keys] });
            cmd.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. byStream.Values.Select(v => v.Events)] });
            cmd.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. byStream.Values.Select(v => v.LastVersion)] });
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. byStream.Values.Select(v => v.LastType)] });
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Records, per event, the time from its append (metadata timestamp) to the handler seeing it.</summary>
    private sealed class LagRecorder : ISubscription
    {
        private readonly List<double> _samples = [];
        public volatile bool Recording;
        public string Name => "lag";
        public bool Handles(string eventType) => true;

        public Task HandleAsync(RecordedEvent @event, CancellationToken ct)
        {
            if (Recording && @event.StreamId.StartsWith("lag-", StringComparison.Ordinal))
                lock (_samples) _samples.Add((DateTimeOffset.UtcNow - @event.Metadata.Timestamp).TotalMilliseconds);
            return Task.CompletedTask;
        }

        public List<double> Samples() { lock (_samples) return [.. _samples]; }
    }
}
