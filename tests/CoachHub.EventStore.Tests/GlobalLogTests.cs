using System.Collections.Concurrent;
using CoachHub.EventStore.Daemon;
using CoachHub.Testing;
using Npgsql;

namespace CoachHub.EventStore.Tests;

/// <summary>Collects what a subscription is handed, to check order and exactly-once delivery.</summary>
internal sealed class Recorder(string name = "recorder", bool startsAtHead = false) : ISubscription
{
    public ConcurrentQueue<RecordedEvent> Received { get; } = new();
    public string Name => name;
    public bool StartsAtHead => startsAtHead;
    public bool Handles(string eventType) => true;
    public Task HandleAsync(RecordedEvent @event, CancellationToken ct)
    {
        Received.Enqueue(@event);
        return Task.CompletedTask;
    }
}

public sealed class GlobalLogTests : FreshDatabaseTest
{
    [Fact]
    public async Task The_global_log_reads_forward_from_a_checkpoint_in_commit_safe_order()
    {
        await using var store = await Stores.CreateAsync(Db);
        AppendResult last = null!;
        for (var i = 0; i < 10; i++) last = await store.AppendAsync($"log-{i % 3}", ExpectedVersion.Any, Stores.Deposit(i));
        await Stores.HeadPassedAsync(store, last.LastPosition);

        var all = await store.ReadAllAsync(LogPosition.Start, 100);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (decimal)i), all.Where(e => e.StreamId.StartsWith("log-", StringComparison.Ordinal)).Select(e => ((Deposited)e.Data).Amount));
        var fromMiddle = await store.ReadAllAsync(all[4].LogPosition, 3);
        Assert.Equal(all.Skip(5).Take(3).Select(e => e.Position), fromMiddle.Select(e => e.Position));
        Assert.Equal(all[^1].LogPosition, await store.HeadAsync());
    }

    [Fact]
    public async Task A_subscription_from_the_container_that_starts_at_the_head_hears_what_comes_after_it_first_ran_and_nothing_before()
    {
        await using var store = await Stores.CreateAsync(Db);
        AppendResult last = null!;
        for (var i = 0; i < 5; i++) last = await store.AppendAsync("history", ExpectedVersion.Any, Stores.Deposit(i, "history"));
        // "The head" is the last event every reader can see: with other transactions open in the cluster it can trail
        // a moment behind the latest commit. Start once it has passed the history, so the history is behind it.
        await Stores.HeadPassedAsync(store, last.LastPosition);
        var live = new Recorder("live", startsAtHead: true);
        var everything = new Recorder("everything");
        var daemon = new ProjectionDaemon(store, [live, everything]);
        await daemon.StartAsync(default);
        try
        {
            // The full recorder catching up on history shows the daemon has run both past the head.
            await Eventually.TrueAsync(() => Task.FromResult(everything.Received.Count == 5 && daemon.Leading.Count == 2), TimeSpan.FromSeconds(10),
                "history delivered to the subscription from the start");
            await Eventually.TrueAsync(async () => await Db.ScalarAsync<long>("select count(*) from es.checkpoints where name = 'subscription:live'") == 1,
                TimeSpan.FromSeconds(10), "the live subscription to take its starting point");
            await store.AppendAsync("news", ExpectedVersion.Any, Stores.Deposit(9, "news"));
            await Eventually.TrueAsync(() => Task.FromResult(live.Received.Count == 1 && everything.Received.Count == 6), TimeSpan.FromSeconds(10),
                "the new event delivered to both");
            Assert.Equal("news", Assert.Single(live.Received).StreamId);
        }
        finally
        {
            await daemon.StopAsync(default);
        }

        // Restarted, it resumes from its checkpoint: what came while it was down is delivered, not skipped.
        await store.AppendAsync("while-down", ExpectedVersion.Any, Stores.Deposit(10, "while-down"));
        var again = new Recorder("live", startsAtHead: true);
        var restarted = new ProjectionDaemon(store, [again]);
        await restarted.StartAsync(default);
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(again.Received.Count == 1), TimeSpan.FromSeconds(10), "the event appended while it was down");
            Assert.Equal("while-down", Assert.Single(again.Received).StreamId);
        }
        finally
        {
            await restarted.StopAsync(default);
        }
    }

    [Fact]
    public async Task A_held_open_transaction_and_a_later_commit_reach_the_subscriber_in_order_exactly_once()
    {
        var recorder = new Recorder("held-open");
        await using var store = await Stores.CreateAsync(Db, configure: o => o.Subscriptions.Add(recorder));
        var daemon = new ProjectionDaemon(store);
        await daemon.StartAsync(default);
        try
        {
            await store.AppendAsync("warmup", ExpectedVersion.Any, Stores.Deposit(0));
            await Eventually.TrueAsync(() => Task.FromResult(recorder.Received.Count == 1), TimeSpan.FromSeconds(10), "warm-up event delivered");

            // A writer that takes its position first but commits last: the classic way a reader skips an event.
            await using var slow = new NpgsqlConnection(Db.ConnectionString);
            await slow.OpenAsync();
            await using var tx = await slow.BeginTransactionAsync();
            await using (var cmd = new NpgsqlCommand("""
                insert into es.events (stream_id, stream_version, event_id, type, data, metadata)
                values ('slow', 1, gen_random_uuid(), 'deposit.made.v1', '{"account":"slow","amount":1}', '{}')
                """, slow, tx))
                await cmd.ExecuteNonQueryAsync();
            var fast = await store.AppendAsync("fast", ExpectedVersion.Any, Stores.Deposit(2, "fast"));

            await Task.Delay(1_000);
            Assert.DoesNotContain(recorder.Received, e => e.StreamId == "fast");
            Assert.True((await store.GetLagAsync(ProjectionDaemon.SubscriptionCheckpoint(recorder))).OldestOpenTransaction > TimeSpan.Zero);

            await tx.CommitAsync();
            await Eventually.TrueAsync(() => Task.FromResult(recorder.Received.Count == 3), TimeSpan.FromSeconds(10), "both events delivered");
            await Task.Delay(500);

            var streams = recorder.Received.Select(e => e.StreamId).ToList();
            Assert.Equal(["warmup", "slow", "fast"], streams);
            var slowEvent = recorder.Received.Single(e => e.StreamId == "slow");
            Assert.True(slowEvent.Position < fast.FirstPosition, "the slow writer took the earlier position");
            var lag = await store.GetLagAsync(ProjectionDaemon.SubscriptionCheckpoint(recorder));
            Assert.Equal(0, lag.EventsBehind);
        }
        finally
        {
            await daemon.StopAsync(default);
        }
    }

    [Fact]
    public async Task Concurrent_writers_and_a_reader_lose_nothing_and_repeat_nothing()
    {
        await using var store = await Stores.CreateAsync(Db);
        var start = await store.HeadAsync();
        var seen = new List<long>();
        var appended = new ConcurrentBag<long>();
        var writing = true;
        // Transaction ids are cluster-wide: another session's open transaction may hold the reader back a while,
        // so it reads until it has caught up with everything written, within a deadline.
        var reader = Task.Run(async () =>
        {
            var position = start;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline && (Volatile.Read(ref writing) || seen.Count < appended.Count))
            {
                var batch = await store.ReadAllAsync(position, 50);
                if (batch.Count == 0) { await Task.Delay(5); continue; }
                seen.AddRange(batch.Select(e => e.Position));
                position = batch[^1].LogPosition;
            }
        });
        await Task.WhenAll(Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                var r = await store.AppendAsync($"w-{w}", ExpectedVersion.Any, Stores.Deposit(i));
                appended.Add(r.FirstPosition);
            }
        })));
        Volatile.Write(ref writing, false);
        await reader;

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(appended.Order(), seen.Order());
    }
}
