using CoachHub.Testing;

namespace CoachHub.EventStore.Tests;

public sealed class LiveTailTests : FreshDatabaseTest
{
    [Fact]
    public async Task Every_node_hears_events_committed_from_now_on_including_other_nodes_appends()
    {
        await using var nodeA = await Stores.CreateAsync(Db, "tail-a");
        await using var nodeB = await Stores.CreateAsync(Db, "tail-b");
        var before = await nodeA.AppendAsync("before", ExpectedVersion.Any, Stores.Deposit(1, "before"));
        await Stores.HeadPassedAsync(nodeB, before.LastPosition);

        var listenerB = new EventListener(nodeB);
        var tailB = new LiveTail(nodeB);
        await listenerB.StartAsync(default);
        await tailB.StartAsync(default);
        try
        {
            await tailB.Started;
            using var subscriber = tailB.Subscribe();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await nodeA.AppendAsync("after", ExpectedVersion.Any, Stores.Deposit(2, "after"));

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var received = await subscriber.Events.ReadAsync(timeout.Token);
            Assert.Equal("after", received.StreamId);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"node B heard node A's append after {clock.Elapsed}");
            Assert.False(subscriber.Events.TryRead(out _), "events from before the tail started are not replayed");
        }
        finally
        {
            await tailB.StopAsync(default);
            await listenerB.StopAsync(default);
        }
    }
}
