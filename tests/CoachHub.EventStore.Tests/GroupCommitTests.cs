using CoachHub.EventStore.Projections;
using CoachHub.Testing;
using Npgsql;

namespace CoachHub.EventStore.Tests;

/// <summary>
/// Appends that queue while others are written share one transaction (group commit): each must still land at
/// its own version exactly once, and one append's conflict must never cost the others theirs.
/// </summary>
public sealed class GroupCommitTests : FreshDatabaseTest
{
    private static PendingAppend Pending(PostgresEventStore store, string streamId, ExpectedVersion expected, decimal amount, string? key = null)
    {
        var deposit = Stores.Deposit(amount, streamId);
        var data = store.Types.Serialize(deposit, out var type);
        return new PendingAppend(streamId, expected, [Guid.CreateVersion7()], [type], [data], "{}", key, [deposit]);
    }

    [Fact]
    public async Task A_group_writes_each_append_at_its_own_version_in_one_transaction_and_skips_only_the_stale_one()
    {
        await using var store = await Stores.CreateAsync(Db, configure: o => o.Projections.Add(new StreamCounts("grouped", ProjectionLifecycle.Inline)));
        await store.AppendAsync("g-1", ExpectedVersion.NoStream, Stores.Deposit(1));
        await store.AppendAsync("g-2", ExpectedVersion.NoStream, Stores.Deposit(1));

        var results = await store.WriteAsync(
        [
            Pending(store, "g-1", ExpectedVersion.Exactly(1), 10),
            Pending(store, "g-2", ExpectedVersion.Exactly(0), 20), // stale: g-2 is at 1
            Pending(store, "g-3", ExpectedVersion.NoStream, 30),
            Pending(store, "g-1", ExpectedVersion.Exactly(2), 40), // after the first in the same group
        ], CancellationToken.None);

        Assert.Equal([2L, null, 1L, 3L], results.Select(r => r?.StreamVersion));
        // Read from the table, not the global log: another test's open transaction may hold the log's readers back.
        Assert.Equal("g-1:2,g-3:1,g-1:3", await Db.ScalarAsync<string>("""
            select string_agg(stream_id || ':' || stream_version, ',' order by position) from es.events
             where transaction_id = (select transaction_id from es.events where stream_id = 'g-3')
            """));
        Assert.Equal(3L, await store.GetStreamVersionAsync("g-1"));
        Assert.Equal(1L, await store.GetStreamVersionAsync("g-2"));
        // The inline projection saw exactly the written events, in the same transaction.
        Assert.Equal(1, await Db.ScalarAsync<int>("select events from proj_grouped.counts where stream_id = 'g-2'"));
        Assert.Equal(3, await Db.ScalarAsync<int>("select events from proj_grouped.counts where stream_id = 'g-1'"));
        Assert.Equal(51m, await Db.ScalarAsync<decimal>("select balance from proj_grouped.counts where stream_id = 'g-1'"));
        Assert.Equal(30m, await Db.ScalarAsync<decimal>("select balance from proj_grouped.counts where stream_id = 'g-3'"));
    }

    [Fact]
    public async Task A_unique_violation_in_a_group_rolls_the_whole_group_back()
    {
        await using var store = await Stores.CreateAsync(Db, configure: o => o.Projections.Add(new StreamCounts("rolled", ProjectionLifecycle.Inline)));
        await store.AppendAsync("k-1", ExpectedVersion.NoStream, [Stores.Deposit(1)], new AppendOptions { IdempotencyKey = "phone:1" });

        await Assert.ThrowsAsync<PostgresException>(() => store.WriteAsync(
        [
            Pending(store, "k-2", ExpectedVersion.NoStream, 5),
            Pending(store, "k-3", ExpectedVersion.NoStream, 5, key: "phone:1"),
        ], CancellationToken.None));

        Assert.Equal(1L, await Db.ScalarAsync<long>("select count(*) from es.events"));
        Assert.Equal(1L, await Db.ScalarAsync<long>("select count(*) from proj_rolled.counts"));
    }

    [Fact]
    public async Task Under_load_appends_share_commits_and_a_conflict_or_a_retried_key_costs_only_its_own_append()
    {
        await using var store = await Stores.CreateAsync(Db, configure: o => o.Projections.Add(new StreamCounts("load", ProjectionLifecycle.Inline)));
        const int Streams = 48;
        for (var s = 0; s < Streams; s++) await store.AppendAsync($"s-{s}", ExpectedVersion.NoStream, Stores.Deposit(1));

        // Waves of concurrent appends, one per stream, every eighth with a stale version and every eighth a
        // retry of a key already used: until some wave has shared a commit (it takes one or two here).
        var sharedCommits = 0;
        for (var wave = 1; wave <= 20 && sharedCommits == 0; wave++)
        {
            var version = wave;
            var outcomes = await Task.WhenAll(Enumerable.Range(0, Streams).Select(s => Task.Run(async () =>
            {
                try
                {
                    if (s % 8 == 3)
                        return await store.AppendAsync($"s-{s}", ExpectedVersion.Exactly(version - 1), Stores.Deposit(1));
                    var key = s % 8 == 5 ? $"key-{s}" : null;
                    return await store.AppendAsync($"s-{s}", ExpectedVersion.Exactly(version), [Stores.Deposit(1)], new AppendOptions { IdempotencyKey = key });
                }
                catch (ConcurrencyException) when (s % 8 == 3)
                {
                    return null;
                }
            })));

            for (var s = 0; s < Streams; s++)
            {
                var outcome = outcomes[s];
                if (s % 8 == 3) Assert.Null(outcome);
                else if (s % 8 == 5 && version > 1) Assert.True(outcome!.WasDuplicate, $"stream s-{s}, wave {wave}");
                else Assert.Equal(version + 1, outcome!.StreamVersion);
            }
            // Each stream holds exactly what was accepted: one event per wave; the stale ones only the first
            // event, and the keyed ones the first two (their retries wrote nothing).
            for (var s = 0; s < Streams; s++)
            {
                var expected = (s % 8) switch { 3 => wave, 5 => 2, _ => version + 1 };
                Assert.Equal(Enumerable.Range(1, expected).Select(v => (long)v), (await store.ReadStreamAsync($"s-{s}")).Select(e => e.StreamVersion));
            }
            // Stale writers stay one version behind: someone else writes to their streams between waves.
            for (var s = 3; s < Streams; s += 8) await store.AppendAsync($"s-{s}", ExpectedVersion.Any, Stores.Deposit(1));
            sharedCommits = await Db.ScalarAsync<int>("""
                select count(*)::int from (select transaction_id from es.events group by transaction_id having count(distinct stream_id) > 1) shared
                """);
        }

        Assert.True(sharedCommits > 0, "no two appends ever shared a commit");
        // Every event the log holds reached the inline projection exactly once.
        Assert.Equal(await Db.ScalarAsync<long>("select count(*) from es.events"), await Db.ScalarAsync<long>("select count(*) from proj_load.seen"));
        Assert.Equal(0L, await Db.ScalarAsync<long>("select count(*) from (select event_id from es.events group by event_id having count(*) > 1) twice"));
    }

    [Fact]
    public async Task A_group_never_carries_more_appends_than_the_setting_allows()
    {
        await using var store = await Stores.CreateAsync(Db, configure: o => o.GroupCommitMaxAppends = 3);
        const int Streams = 40;
        // Waves of concurrent appends, one per stream, until some group is full (it takes one or two here).
        var largest = 0;
        for (var wave = 0; wave < 20 && largest < 3; wave++)
        {
            var expected = wave == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exactly(wave);
            await Task.WhenAll(Enumerable.Range(0, Streams).Select(s => Task.Run(() => store.AppendAsync($"c-{s}", expected, Stores.Deposit(1)))));
            largest = await Db.ScalarAsync<int>("select max(appends)::int from (select count(*) as appends from es.events group by transaction_id) groups");
        }

        Assert.Equal(3, largest);
    }
}
