using CoachHub.EventStore.Daemon;
using CoachHub.EventStore.Projections;
using CoachHub.Testing;

namespace CoachHub.EventStore.Tests;

public sealed class RebuildTests : FreshDatabaseTest
{
    private static string Snapshot(string schema) =>
        $"select string_agg(stream_id || ':' || events || ':' || balance || ':' || last_version, ',' order by stream_id) from {schema}.counts";

    [Fact]
    public async Task A_rebuild_equals_the_incrementally_built_result_and_reads_keep_working_during_it()
    {
        await using var store = await Stores.CreateAsync(Db, "rebuild", o =>
        {
            o.Projections.Add(new StreamCounts("rebuilt_async"));
            o.Projections.Add(new StreamCounts("rebuilt_inline", ProjectionLifecycle.Inline));
            o.RebuildBatchSize = 100;
        });
        var daemon = new ProjectionDaemon(store);
        await daemon.StartAsync(default);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (var i = 0; i < 60; i++)
                    await store.AppendAsync($"r-{w}", ExpectedVersion.Any, i % 3 == 0 ? new Withdrawn("a", 1) : Stores.Deposit(i));
            })));
            await Eventually.TrueAsync(async () => await Db.ScalarAsync<long>("select count(*) from proj_rebuilt_async.seen") == 480,
                TimeSpan.FromSeconds(15), "async projection caught up");
            var incrementalAsync = await Db.ScalarAsync<string>(Snapshot("proj_rebuilt_async"));
            var incrementalInline = await Db.ScalarAsync<string>(Snapshot("proj_rebuilt_inline"));
            Assert.Equal(incrementalAsync, incrementalInline);

            // Readers query the live tables throughout; writers keep appending during the rebuild.
            using var stop = new CancellationTokenSource();
            var readErrors = 0;
            var reads = 0;
            var reader = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try { await Db.ScalarAsync<long>("select count(*) from proj_rebuilt_inline.counts"); reads++; }
                    catch (Npgsql.PostgresException) { readErrors++; }
                }
            });
            var writer = Task.Run(async () =>
            {
                for (var i = 0; i < 40; i++) await store.AppendAsync("r-during", ExpectedVersion.Any, Stores.Deposit(1));
            });
            var progress = new List<RebuildProgress>();
            var reportInline = await store.RebuildProjectionAsync("rebuilt_inline", new SyncProgress(progress));
            var reportAsync = await store.RebuildProjectionAsync("rebuilt_async");
            await writer;
            await stop.CancelAsync();
            await reader;

            Assert.Equal(0, readErrors);
            Assert.True(reads > 0);
            Assert.NotEmpty(progress);
            Assert.True(reportInline.Events >= 480);
            await Eventually.TrueAsync(async () => await Db.ScalarAsync<long>("select count(*) from proj_rebuilt_async.seen") == 520,
                TimeSpan.FromSeconds(15), "async projection caught up after its rebuild");
            Assert.Equal(520L, await Db.ScalarAsync<long>("select count(*) from proj_rebuilt_inline.seen"));
            Assert.Equal(520L, await Db.ScalarAsync<long>("select count(distinct position) from proj_rebuilt_inline.seen"));
            var rebuiltAsync = await Db.ScalarAsync<string>(Snapshot("proj_rebuilt_async"));
            var rebuiltInline = await Db.ScalarAsync<string>(Snapshot("proj_rebuilt_inline"));
            Assert.Equal(rebuiltAsync, rebuiltInline);
            Assert.StartsWith(incrementalInline, rebuiltInline.Replace(",r-during:40:40:40", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Contains("r-during:40:40:40", rebuiltInline, StringComparison.Ordinal);
            Assert.True(reportAsync.Events > 0);
            Assert.Equal(0L, await Db.ScalarAsync<long>("select count(*) from pg_namespace where nspname like 'proj_rebuilt_%_old' or nspname like 'proj_rebuilt_%_rebuild'"));
        }
        finally
        {
            await daemon.StopAsync(default);
        }
    }

    [Fact]
    public async Task A_new_projection_version_is_rebuilt_from_the_log_on_start_up()
    {
        await using (var v1 = await Stores.CreateAsync(Db, "versions", o => o.Projections.Add(new StreamCounts("versioned", ProjectionLifecycle.Inline, 1))))
        {
            await v1.AppendAsync("v-1", ExpectedVersion.Any, [Stores.Deposit(1), Stores.Deposit(2)]);
            await Db.ExecuteAsync("delete from proj_versioned.counts");
        }
        await using (var v1Again = await Stores.CreateAsync(Db, "versions", o => o.Projections.Add(new StreamCounts("versioned", ProjectionLifecycle.Inline, 1))))
            Assert.Equal(0L, await Db.ScalarAsync<long>("select count(*) from proj_versioned.counts"));

        await using var v2 = await Stores.CreateAsync(Db, "versions", o => o.Projections.Add(new StreamCounts("versioned", ProjectionLifecycle.Inline, 2)));
        Assert.Equal(3m, await Db.ScalarAsync<decimal>("select balance from proj_versioned.counts where stream_id = 'v-1'"));
        Assert.Equal(2, await Db.ScalarAsync<int>("select version from es.projections where name = 'versioned'"));
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the test wants every report before it asserts.</summary>
    private sealed class SyncProgress(List<RebuildProgress> into) : IProgress<RebuildProgress>
    {
        public void Report(RebuildProgress value) { lock (into) into.Add(value); }
    }
}
