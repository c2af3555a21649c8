using System.Diagnostics;
using System.Text.Json;
using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Server;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace CoachHub.Benchmarks;

/// <summary>
/// ./coachhub bench eventstore: Marten as CoachHub configures it (Platform/MartenStore), each figure against a
/// plain-PostgreSQL baseline measured in the same run on the same database (the ratios travel between machines):
/// single-event appends as the command path makes them (<see cref="StreamAppends"/>) against single-row
/// INSERTs into a copy of mt_events, 1,000-event appends against binary COPY, the coaching read model's rebuild,
/// and the delay from an append to a subscription's handler in Marten's daemon.
/// </summary>
internal static class EventStoreBenchmark
{
    private const string DatabaseName = "coachhub_bench_eventstore";
    private const string TypeName = "pain-report.submitted.v1";
    private const int RebuildAthletes = 800;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);
    private static readonly PainReportSubmitted Payload = new(Guid.CreateVersion7(), null, new DateTimeOffset(2026, 11, 21, 7, 30, 0, TimeSpan.Zero),
        new PainScores(3, 4), new PainDescription(), RedFlagAnswers.None, new RecoveryContext(SleepHours: 7.5, Stress: 2));

    public static async Task RunAsync(string adminConnectionString, string only = "")
    {
        bool Run(string group) => only.Length == 0 || only == group;
        var connectionString = await BenchDatabase.CreateAsync(adminConnectionString, DatabaseName);
        var lag = new LagRecorder();
        // The server's events and settings, without its inline read model: the store's own cost is measured here.
        using var store = DocumentStore.For(o =>
        {
            o.Connection(connectionString);
            MartenStore.Configure(o, Composition.StoredEvents);
            o.AutoCreateSchemaObjects = JasperFx.AutoCreate.CreateOrUpdate;
            o.Events.Subscribe(lag);
            // As the fan-out had them when it was a subscription (ADR 0008): a daemon polls the high-water mark, once a
            // second when quiet by default.
            o.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(50);
            o.Projections.FastPollingTime = TimeSpan.FromMilliseconds(25);
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        // Prepared statements as the server's data source has them (Platform/Database.cs): a rebuild repeats a handful.
        await using var db = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 32, AutoPrepareMinUsages = 2 }.ConnectionString);
        await SchemaMigrator.MigrateAsync(db, typeof(Composition).Assembly, "server");
        await CoachingRebuild.EnsureCurrentAsync(db, Composition.EventTypesByName, NullLogger.Instance, default);
        await using (var cmd = db.CreateCommand(InsertBaseline.CreateTable + " create table bench.copied (like events.mt_events including all);"))
            await cmd.ExecuteNonQueryAsync();
        await ApiBenchmark.DescribeAsync(db);
        var metadata = new CommandOptions { UserId = Guid.NewGuid().ToString(), CorrelationId = Guid.NewGuid() };
        // One session per append, after exactly the version before it, as a handler's (Loaded<T>.Decide).
        async Task AppendAsync(string stream, long version, IReadOnlyList<object> events)
        {
            await using var session = store.LightweightSession();
            StreamAppends.Queue(session, stream, version, events, metadata, DateTimeOffset.UtcNow);
            await session.SaveChangesAsync();
        }

        // Warm up JIT, pools and plans before anything is timed.
        await Writers(4, TimeSpan.FromSeconds(1), (w, i) => AppendAsync($"warm-{w}", i, [Payload]));

        var json = JsonSerializer.Serialize(Payload, HistoryJson.Default.PainReportSubmitted);
        if (Run("append"))
        {
            var appendRates = new Dictionary<int, double>();
            foreach (var writers in new[] { 1, 4, 16 })
            {
                appendRates[writers] = await Writers(writers, Window, (w, i) => AppendAsync($"append-{writers}-{w}", i, [Payload]));
                Report.Figure($"append.{writers}.events_per_s", appendRates[writers], "events/s", "one event per append, each writer its own stream, expected version checked");
            }

            var insertRate = await Writers(16, Window, (w, i) =>
                InsertBaseline.InsertAsync(db, $"insert-{w}", i + 1, json, TypeName, metadata.CorrelationId.ToString()!, metadata.UserId!));
            Report.Figure("insert.16.rows_per_s", insertRate, "rows/s", "plain single-row INSERT, same JSON, a table like mt_events with its indexes");
            Report.Figure("append.16.ratio_to_insert", appendRates[16] / insertRate, "x", "Marten's price per append; our deleted store did 0.90");
        }

        if (Run("batch"))
        {
            const int batches = 100, batchSize = 1_000;
            IReadOnlyList<object> batch = Enumerable.Repeat((object)Payload, batchSize).ToList();
            var clock = Stopwatch.StartNew();
            for (var b = 0; b < batches; b++) await AppendAsync($"batch-{b}", 0, batch);
            var batchRate = batches * batchSize / clock.Elapsed.TotalSeconds;
            clock.Restart();
            for (var b = 0; b < batches; b++) await CopyAsync(db, $"copy-{b}", batchSize, json);
            var copyRate = batches * batchSize / clock.Elapsed.TotalSeconds;
            Report.Figure("batch.events_per_s", batchRate, "events/s", $"{batches} appends of {batchSize} events");
            Report.Figure("copy.rows_per_s", copyRate, "rows/s", "binary COPY of the same rows, one transaction per 1,000");
            Report.Figure("batch.ratio_to_copy", batchRate / copyRate, "x", "Marten's bulk append; our deleted store did 0.76");
        }

        if (Run("lag"))
        {
            // The daemon as one node runs it; the subscription starts at the head (SubscribeFromPresent).
            using var daemon = await store.BuildProjectionDaemonAsync();
            await daemon.StartAllAsync();
            await Task.Delay(1_000);
            lag.Recording = true;
            await Paced(eventsPerSecond: 1_000, Window, async i =>
            {
                await using var session = store.LightweightSession();
                session.Events.Append($"lag-{i}", Payload);
                await session.SaveChangesAsync();
            });
            await Task.Delay(500);
            lag.Recording = false;
            await daemon.StopAllAsync();
            var samples = lag.Samples();
            Report.Figure("subscription.events", samples.Count, "events");
            Report.Figure("subscription.lag_p50_ms", Report.Percentile(samples, 50), "ms");
            Report.Figure("subscription.lag_p99_ms", Report.Percentile(samples, 99), "ms",
                "from the append's transaction to the handler, at 1,000 events/s, polling every 25-50 ms, target <= 100");
        }

        if (Run("rebuild"))
        {
            // The groups above wrote report events on streams of their own; a real log holds only CoachHub's streams.
            // (Last, since the daemon would wait at the gap this leaves in the sequence: the lag group runs before.)
            await using (var cmd = db.CreateCommand("delete from events.mt_streams; delete from events.mt_events"))
                await cmd.ExecuteNonQueryAsync();
            var history = await FillAsync(store, db);
            var clock = Stopwatch.StartNew();
            var events = await CoachingRebuild.RunAsync(db, Composition.EventTypesByName, null, default);
            var elapsed = clock.Elapsed;
            Report.Figure("rebuild.events", events, "events", $"{history:N0} of them coaching history: {RebuildAthletes} athletes, 50 weeks of runs and reports");
            Report.Figure("rebuild.events_per_s", events / elapsed.TotalSeconds, "events/s", "the coaching read model from Marten's log, in place, target >= 40000");
        }

        store.Dispose();
        await db.DisposeAsync();
        await BenchDatabase.DoneWithAsync(adminConnectionString, DatabaseName);
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

    private static async Task CopyAsync(NpgsqlDataSource db, string stream, int rows, string json)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var importer = await conn.BeginBinaryImportAsync(
            "copy bench.copied (seq_id, id, stream_id, version, data, type, timestamp) from stdin (format binary)");
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < rows; i++)
        {
            await importer.StartRowAsync();
            await importer.WriteAsync(Random.Shared.NextInt64(long.MaxValue), NpgsqlDbType.Bigint);
            await importer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
            await importer.WriteAsync(stream, NpgsqlDbType.Varchar);
            await importer.WriteAsync((long)i + 1, NpgsqlDbType.Bigint);
            await importer.WriteAsync(json, NpgsqlDbType.Jsonb);
            await importer.WriteAsync(TypeName, NpgsqlDbType.Varchar);
            await importer.WriteAsync(now, NpgsqlDbType.TimestampTz);
        }
        await importer.CompleteAsync();
    }

    /// <summary>The coaching history a rebuild replays, appended through Marten (not what is measured).</summary>
    /// <returns>How many events it appended.</returns>
    private static async Task<long> FillAsync(DocumentStore store, NpgsqlDataSource db)
    {
        var clock = Stopwatch.StartNew();
        long events = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, RebuildAthletes), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            var athleteId = Guid.NewGuid();
            var history = ApiData.History(i);
            await using var session = store.LightweightSession();
            session.Events.StartStream(Streams.Athlete(athleteId),
                [new AthleteRegistered(athleteId, $"Athlete {i}", ApiData.TimeZone, Units.Kilometres, DateTimeOffset.UtcNow), .. history]);
            await session.SaveChangesAsync(ct);
            Interlocked.Add(ref events, history.Count + 1);
        });
        await using (var cmd = db.CreateCommand("vacuum (analyze) events.mt_events"))
            await cmd.ExecuteNonQueryAsync();
        Report.Note($"appended {events:N0} coaching events in {clock.Elapsed.TotalSeconds:0.0} s (not a figure)");
        return events;
    }

    /// <summary>Records, per event, the time from its append (Marten's timestamp) to the handler seeing it.</summary>
    private sealed class LagRecorder : Marten.Subscriptions.SubscriptionBase
    {
        private readonly List<double> _samples = [];
        public volatile bool Recording;

        public LagRecorder()
        {
            Name = "lag";
            Options.SubscribeFromPresent();
        }

        public override Task<Marten.IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
            Marten.IDocumentOperations operations, CancellationToken cancellationToken)
        {
            var now = DateTimeOffset.UtcNow;
            if (Recording)
                lock (_samples)
                    foreach (var e in page.Events)
                        if (e.StreamKey?.StartsWith("lag-", StringComparison.Ordinal) == true) _samples.Add((now - e.Timestamp).TotalMilliseconds);
            return Task.FromResult<Marten.IChangeListener>(NullChangeListener.Instance);
        }

        public List<double> Samples() { lock (_samples) return [.. _samples]; }
    }

    private sealed class NullChangeListener : Marten.IChangeListener
    {
        public static NullChangeListener Instance { get; } = new();
        public Task AfterCommitAsync(Marten.IDocumentSession session, Marten.Services.IChangeSet commit, CancellationToken token) => Task.CompletedTask;
        public Task BeforeCommitAsync(Marten.IDocumentSession session, Marten.Services.IChangeSet commit, CancellationToken token) => Task.CompletedTask;
    }
}
