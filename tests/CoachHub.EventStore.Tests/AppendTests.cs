using CoachHub.Testing;

namespace CoachHub.EventStore.Tests;

public sealed class AppendTests(BlankPostgresDatabase db) : IClassFixture<BlankPostgresDatabase>, IAsyncLifetime
{
    private PostgresEventStore _store = null!;

    public async Task InitializeAsync() => _store = await Stores.CreateAsync(db);
    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Appended_events_read_back_in_order_with_versions_positions_and_metadata()
    {
        var correlation = Guid.NewGuid();
        var result = await _store.AppendAsync("acct-1", ExpectedVersion.NoStream, [Stores.Deposit(5), new Withdrawn("a", 2)],
            new AppendOptions { CorrelationId = correlation, UserId = "coach-7" });

        Assert.Equal(2, result.StreamVersion);
        Assert.True(result.LastPosition > result.FirstPosition);
        var events = await _store.ReadStreamAsync("acct-1");
        Assert.Equal([1L, 2L], events.Select(e => e.StreamVersion));
        Assert.Equal(["deposit.made.v1", "withdrawal.made.v1"], events.Select(e => e.Type));
        Assert.Equal(new Deposited("a", 5), events[0].Data);
        Assert.Equal(correlation, events[1].Metadata.CorrelationId);
        Assert.Equal("coach-7", events[1].Metadata.UserId);
        Assert.Equal(2, await _store.GetStreamVersionAsync("acct-1"));
    }

    [Fact]
    public async Task Wrong_expected_version_is_refused_with_the_actual_version_and_writes_nothing()
    {
        await _store.AppendAsync("acct-2", ExpectedVersion.NoStream, Stores.Deposit());

        var stale = await Assert.ThrowsAsync<ConcurrencyException>(() => _store.AppendAsync("acct-2", 0, Stores.Deposit()));
        Assert.Equal(1, stale.ActualVersion);
        var exists = await Assert.ThrowsAsync<ConcurrencyException>(() => _store.AppendAsync("acct-2", ExpectedVersion.NoStream, Stores.Deposit()));
        Assert.Equal(1, exists.ActualVersion);
        await Assert.ThrowsAsync<ConcurrencyException>(() => _store.AppendAsync("acct-missing", 3, Stores.Deposit()));

        Assert.Equal(1, await _store.GetStreamVersionAsync("acct-2"));
        Assert.Equal(0, await _store.GetStreamVersionAsync("acct-missing"));
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from es.events where stream_id = 'acct-missing'"));
        Assert.Equal(2, (await _store.AppendAsync("acct-2", ExpectedVersion.Any, Stores.Deposit())).StreamVersion);
    }

    [Fact]
    public async Task An_append_of_zero_events_changes_nothing_but_still_checks_the_version()
    {
        await _store.AppendAsync("acct-3", ExpectedVersion.NoStream, [Stores.Deposit(), Stores.Deposit()]);
        var before = await db.ScalarAsync<long>("select count(*) from es.events");

        var result = await _store.AppendAsync("acct-3", 2, []);
        Assert.Equal(2, result.StreamVersion);
        await Assert.ThrowsAsync<ConcurrencyException>(() => _store.AppendAsync("acct-3", 1, []));
        await _store.AppendAsync("acct-never", ExpectedVersion.NoStream, []);

        Assert.Equal(before, await db.ScalarAsync<long>("select count(*) from es.events"));
        Assert.Equal(2, await _store.GetStreamVersionAsync("acct-3"));
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from es.events where stream_id = 'acct-never'"));
        Assert.Equal(3, (await _store.AppendAsync("acct-3", 2, Stores.Deposit())).StreamVersion);
    }

    [Fact]
    public async Task Thirty_two_writers_racing_on_one_stream_each_version_has_exactly_one_winner()
    {
        const int writers = 32, appendsEach = 5;
        var conflicts = 0;
        var start = new TaskCompletionSource();
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            await start.Task;
            for (var done = 0; done < appendsEach;)
            {
                var version = await _store.GetStreamVersionAsync("race");
                try
                {
                    await _store.AppendAsync("race", version, new Deposited($"writer-{w}", done));
                    done++;
                }
                catch (ConcurrencyException)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(tasks);

        var events = await _store.ReadStreamAsync("race");
        Assert.Equal(writers * appendsEach, events.Count);
        Assert.Equal(Enumerable.Range(1, writers * appendsEach).Select(i => (long)i), events.Select(e => e.StreamVersion));
        // Every writer's every append is there exactly once: nothing lost, nothing overwritten.
        var perWriter = events.Select(e => (Deposited)e.Data).GroupBy(d => d.Account).ToDictionary(g => g.Key, g => g.Select(d => d.Amount).Order().ToList());
        Assert.Equal(writers, perWriter.Count);
        Assert.All(perWriter.Values, amounts => Assert.Equal([0m, 1m, 2m, 3m, 4m], amounts));
        Assert.True(conflicts > 0, "32 writers on one stream should have collided at least once");
        Assert.Equal(writers * appendsEach, await _store.GetStreamVersionAsync("race"));
    }

    [Fact]
    public async Task Writers_appending_at_any_version_all_land_in_one_gapless_sequence()
    {
        await Task.WhenAll(Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++) await _store.AppendAsync("any-race", ExpectedVersion.Any, [new Deposited($"w{w}", i), new Deposited($"w{w}", i)]);
        })));

        var events = await _store.ReadStreamAsync("any-race");
        Assert.Equal(Enumerable.Range(1, 320).Select(i => (long)i), events.Select(e => e.StreamVersion));
        // Each append's pair sits together: an append is never interleaved with another.
        for (var i = 0; i < 320; i += 2) Assert.Equal(events[i].Data, events[i + 1].Data);
    }

    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_returns_the_first_result_and_writes_nothing()
    {
        var options = new AppendOptions { IdempotencyKey = "run-logged:phone-42:1" };
        var first = await _store.AppendAsync("acct-4", ExpectedVersion.NoStream, [Stores.Deposit(1), Stores.Deposit(2)], options);
        // The retry would fail its expected version if it were applied again: the key wins.
        // (With ExpectedVersion.Any it would succeed as a second append: the key must stop that too.)
        var retry = await _store.AppendAsync("acct-4", ExpectedVersion.NoStream, [Stores.Deposit(1), Stores.Deposit(2)], options);

        Assert.False(first.WasDuplicate);
        Assert.True(retry.WasDuplicate);
        Assert.Equal((first.StreamVersion, first.FirstPosition, first.LastPosition), (retry.StreamVersion, retry.FirstPosition, retry.LastPosition));
        var anyRetry = await _store.AppendAsync("acct-4", ExpectedVersion.Any, [Stores.Deposit(1), Stores.Deposit(2)], options);
        Assert.True(anyRetry.WasDuplicate);
        Assert.Equal(first.LastPosition, anyRetry.LastPosition);
        Assert.Equal(2, (await _store.ReadStreamAsync("acct-4")).Count);
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_append_once()
    {
        var options = new AppendOptions { IdempotencyKey = "same-key-concurrent" };
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => _store.AppendAsync("acct-5", ExpectedVersion.Any, Stores.Deposit(3), options))));

        Assert.Single(results, r => !r.WasDuplicate);
        Assert.Single(results.Select(r => r.FirstPosition).Distinct());
        Assert.Single(await _store.ReadStreamAsync("acct-5"));
    }

    [Fact]
    public async Task An_idempotency_key_reused_on_another_stream_is_an_error_not_a_silent_success()
    {
        var options = new AppendOptions { IdempotencyKey = "shared-key" };
        await _store.AppendAsync("acct-6", ExpectedVersion.Any, Stores.Deposit(), options);

        var ex = await Assert.ThrowsAsync<IdempotencyKeyConflictException>(() => _store.AppendAsync("acct-7", ExpectedVersion.Any, Stores.Deposit(), options));
        Assert.Equal("shared-key", ex.Key);
        Assert.Equal(0, await _store.GetStreamVersionAsync("acct-7"));
    }

    [Fact]
    public async Task Aggregate_folds_the_stream_and_returns_the_version_to_expect_next()
    {
        await _store.AppendAsync("acct-8", ExpectedVersion.NoStream, [Stores.Deposit(10), new Withdrawn("a", 4), Stores.Deposit(1)]);

        var (balance, version) = await _store.AggregateAsync("acct-8", 0m, (sum, e) => e switch
        {
            Deposited d => sum + d.Amount,
            Withdrawn w => sum - w.Amount,
            _ => sum,
        });

        Assert.Equal(7m, balance);
        Assert.Equal(3, version);
        Assert.Equal((0m, 0L), await _store.AggregateAsync("acct-none", 0m, (s, _) => s + 1));
    }

    [Fact]
    public async Task Unregistered_types_cannot_be_appended_and_nothing_is_written()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => _store.AppendAsync("acct-9", ExpectedVersion.Any, new AccountOpenedV1("x")));
        Assert.Contains("not a registered event type", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, await _store.GetStreamVersionAsync("acct-9"));
    }
}
