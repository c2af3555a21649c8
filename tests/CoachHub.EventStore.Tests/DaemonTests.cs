using System.Diagnostics;
using CoachHub.EventStore.Daemon;
using CoachHub.EventStore.Projections;
using CoachHub.Testing;

namespace CoachHub.EventStore.Tests;

/// <summary>Fails every time for one account until told to recover, to exercise retries and dead letters.</summary>
internal sealed class FlakyHandler : ISubscription
{
    public volatile bool Broken = true;
    public int Attempts;
    public List<string> Delivered { get; } = [];
    public string Name => "flaky";
    public bool Handles(string eventType) => true;
    public Task HandleAsync(RecordedEvent @event, CancellationToken ct)
    {
        var deposit = (Deposited)@event.Data;
        if (deposit.Account == "poison")
        {
            Interlocked.Increment(ref Attempts);
            if (Broken) throw new InvalidOperationException("the mail server said no");
        }
        lock (Delivered) Delivered.Add(deposit.Account);
        return Task.CompletedTask;
    }
}

public sealed class DaemonTests : FreshDatabaseTest
{
    [Fact]
    public async Task An_async_projection_applies_every_event_exactly_once_while_its_connections_are_killed()
    {
        var projection = new StreamCounts("killed_mid_batch");
        await using var store = await Stores.CreateAsync(Db, "kill", o => { o.Projections.Add(projection); o.DaemonBatchSize = 50; });
        for (var i = 0; i < 40; i++)
            await store.AppendAsync($"k-{i}", ExpectedVersion.NoStream, Enumerable.Range(0, 50).Select(n => (object)Stores.Deposit(n)).ToList());

        var daemon = new ProjectionDaemon(store);
        await daemon.StartAsync(default);
        try
        {
            var kills = 0;
            while (await Db.ScalarAsync<long>("select count(*) from proj_killed_mid_batch.seen") < 2000 && kills < 200)
            {
                // Kill the daemon's working connections (not only the lock holder) in the middle of batches.
                await Stores.KillConnectionsAsync(Db, "coachhub:kill");
                kills++;
                await Task.Delay(15);
            }
            await Eventually.TrueAsync(async () => await Db.ScalarAsync<long>("select count(*) from proj_killed_mid_batch.seen") >= 2000,
                TimeSpan.FromSeconds(30), "all 2000 events projected");
            await Task.Delay(300);

            Assert.True(kills > 1, "the test killed connections while the daemon worked");
            Assert.Equal(2000L, await Db.ScalarAsync<long>("select count(*) from proj_killed_mid_batch.seen"));
            Assert.Equal(2000L, await Db.ScalarAsync<long>("select count(distinct position) from proj_killed_mid_batch.seen"));
            Assert.Equal(40L * 1225, (long)await Db.ScalarAsync<decimal>("select sum(balance) from proj_killed_mid_batch.counts"));
        }
        finally
        {
            await daemon.StopAsync(default);
        }
    }

    [Fact]
    public async Task When_the_leader_dies_another_node_takes_over_within_ten_seconds_and_nothing_is_applied_twice()
    {
        var projection = new StreamCounts("failover");
        await using var nodeA = await Stores.CreateAsync(Db, "node-a", o => o.Projections.Add(new StreamCounts("failover")));
        await using var nodeB = await Stores.CreateAsync(Db, "node-b", o => o.Projections.Add(new StreamCounts("failover")));
        var daemonA = new ProjectionDaemon(nodeA);
        await daemonA.StartAsync(default);
        await Eventually.TrueAsync(() => Task.FromResult(daemonA.Leading.Count == 1), TimeSpan.FromSeconds(5), "node A leads");
        var daemonB = new ProjectionDaemon(nodeB);
        await daemonB.StartAsync(default);
        try
        {
            for (var i = 0; i < 100; i++) await nodeA.AppendAsync("f-1", ExpectedVersion.Any, Stores.Deposit(1));
            await Eventually.TrueAsync(async () => await Db.ScalarAsync<long>("select count(*) from proj_failover.seen") == 100,
                TimeSpan.FromSeconds(10), "node A projected the first 100");
            Assert.Empty(daemonB.Leading);

            // Node A "crashes": its sessions end without any goodbye, and it does no more work.
            var clock = Stopwatch.StartNew();
            await Stores.KillConnectionsAsync(Db, "%:node-a");
            await daemonA.StopAsync(default);
            await Eventually.TrueAsync(() => Task.FromResult(daemonB.Leading.Count == 1), TimeSpan.FromSeconds(10), "node B leads");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"failover took {clock.Elapsed}");

            for (var i = 0; i < 100; i++) await nodeB.AppendAsync("f-2", ExpectedVersion.Any, Stores.Deposit(1));
            await Eventually.TrueAsync(async () => await Db.ScalarAsync<long>("select count(*) from proj_failover.seen") == 200,
                TimeSpan.FromSeconds(10), "node B projected the rest");
            await Task.Delay(300);
            Assert.Equal(200L, await Db.ScalarAsync<long>("select count(distinct position) from proj_failover.seen"));
            Assert.Equal(200L, await Db.ScalarAsync<long>("select count(*) from proj_failover.seen"));
            Assert.Equal(0L, await Db.ScalarAsync<long>("""
                select count(*) from pg_locks l join pg_stat_activity a using (pid)
                 where l.locktype = 'advisory' and a.application_name like '%:node-a'
                """));
        }
        finally
        {
            await daemonB.StopAsync(default);
        }
    }

    [Fact]
    public async Task A_failing_event_is_retried_then_dead_lettered_and_the_rest_flow_on_and_it_can_be_replayed()
    {
        var handler = new FlakyHandler();
        await using var store = await Stores.CreateAsync(Db, "dlq", o => { o.Subscriptions.Add(handler); o.SubscriptionMaxAttempts = 3; });
        var daemon = new ProjectionDaemon(store);
        await daemon.StartAsync(default);
        try
        {
            await store.AppendAsync("d-1", ExpectedVersion.Any, [Stores.Deposit(1, "ok-1"), Stores.Deposit(1, "poison"), Stores.Deposit(1, "ok-2")]);
            await Eventually.TrueAsync(() => Task.FromResult(handler.Delivered.Contains("ok-2")), TimeSpan.FromSeconds(10), "later events delivered");

            Assert.Equal(3, handler.Attempts);
            Assert.Equal(["ok-1", "ok-2"], handler.Delivered);
            var letter = Assert.Single(await daemon.DeadLettersAsync("flaky"));
            Assert.Equal(3, letter.Attempts);
            Assert.Contains("the mail server said no", letter.Error, StringComparison.Ordinal);
            Assert.Null(letter.ReplayedAt);

            Assert.Equal(new ReplayReport(0, 1), await daemon.ReplayDeadLettersAsync("flaky"));
            handler.Broken = false;
            Assert.Equal(new ReplayReport(1, 0), await daemon.ReplayDeadLettersAsync("flaky"));
            Assert.Equal(["ok-1", "ok-2", "poison"], handler.Delivered);
            Assert.NotNull(Assert.Single(await daemon.DeadLettersAsync("flaky")).ReplayedAt);
            Assert.Equal(new ReplayReport(0, 0), await daemon.ReplayDeadLettersAsync("flaky"));
        }
        finally
        {
            await daemon.StopAsync(default);
        }
    }

    [Fact]
    public async Task An_inline_projection_is_written_in_the_append_transaction()
    {
        await using var store = await Stores.CreateAsync(Db, "inline", o => o.Projections.Add(new StreamCounts("inline_counts", ProjectionLifecycle.Inline)));
        await store.AppendAsync("i-1", ExpectedVersion.Any, [Stores.Deposit(5), new Withdrawn("a", 2)]);
        // No daemon runs: the read model is current the moment the append returns.
        Assert.Equal(3m, await Db.ScalarAsync<decimal>("select balance from proj_inline_counts.counts where stream_id = 'i-1'"));

        await Assert.ThrowsAsync<ConcurrencyException>(() => store.AppendAsync("i-1", 0, Stores.Deposit(100)));
        Assert.Equal(3m, await Db.ScalarAsync<decimal>("select balance from proj_inline_counts.counts where stream_id = 'i-1'"));
    }
}
