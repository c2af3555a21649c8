using CoachHub.Testing;

namespace CoachHub.EventStore.Tests;

public sealed class ResilienceTests : FreshDatabaseTest
{
    [Fact]
    public async Task Appends_and_reads_survive_their_connections_being_killed_and_never_land_twice()
    {
        // Kills every 40 ms can break several tries in a row: as in the grouped test below, the retry budget is raised
        // so that what is tested is exactly-once under broken connections, not how many kills a budget of 6 outlasts.
        await using var store = await Stores.CreateAsync(Db, "resilient", o => o.TransientAttempts = 40);
        await store.AppendAsync("res-1", ExpectedVersion.NoStream, Stores.Deposit(1));
        using var stop = new CancellationTokenSource();
        var killer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Stores.KillConnectionsAsync(Db, "coachhub%:resilient");
                await Task.Delay(40);
            }
        });

        for (var i = 0; i < 100; i++)
            await store.AppendAsync("res-1", ExpectedVersion.Any, [Stores.Deposit(i), Stores.Deposit(-i)]);
        await stop.CancelAsync();
        await killer;

        var events = await store.ReadStreamAsync("res-1");
        Assert.Equal(201, events.Count);
        Assert.Equal(Enumerable.Range(1, 201).Select(i => (long)i), events.Select(e => e.StreamVersion));
        // Each append's two events sit side by side: nothing half-written, nothing doubled.
        for (var i = 0; i < 100; i++)
            Assert.Equal(0m, ((Deposited)events[1 + 2 * i].Data).Amount + ((Deposited)events[2 + 2 * i].Data).Amount);
        Assert.Equal(201L, await Db.ScalarAsync<long>("select count(distinct event_id) from es.events where stream_id = 'res-1'"));
    }

    [Fact]
    public async Task Grouped_appends_survive_their_connections_being_killed_and_never_land_twice()
    {
        // Kills every 80 ms are far harsher than a restart; the retry budget is raised so that what is tested is
        // exactly-once under broken commits, not how many kills in a row a retry budget of 6 outlasts.
        await using var store = await Stores.CreateAsync(Db, "grouped", o =>
        {
            o.Projections.Add(new StreamCounts("grouped_kills", Projections.ProjectionLifecycle.Inline));
            o.TransientAttempts = 40;
        });
        using var stop = new CancellationTokenSource();
        var rounds = 0;
        var killer = Task.Run(async () =>
        {
            for (; !stop.IsCancellationRequested; Interlocked.Increment(ref rounds))
            {
                await Stores.KillConnectionsAsync(Db, "coachhub%:grouped");
                await Task.Delay(80);
            }
        });

        // Sixteen writers at once, so that appends queue and share commits that the kills break mid-way; they go
        // on until several rounds of kills have landed among them, however fast this machine appends.
        var appended = await Task.WhenAll(Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            var i = 0;
            for (; i < 30 || (Volatile.Read(ref rounds) < 8 && i < 5_000); i++)
                await store.AppendAsync($"grp-{w}", ExpectedVersion.Exactly(2 * i), [Stores.Deposit(i), Stores.Deposit(-i)]);
            return i;
        })));
        await stop.CancelAsync();
        await killer;
        Assert.True(rounds >= 8, $"only {rounds} rounds of kills happened while appending");

        for (var w = 0; w < 16; w++)
            Assert.Equal(Enumerable.Range(1, 2 * appended[w]).Select(i => (long)i), (await store.ReadStreamAsync($"grp-{w}")).Select(e => e.StreamVersion));
        var events = 2L * appended.Sum();
        Assert.Equal(events, await Db.ScalarAsync<long>("select count(distinct event_id) from es.events"));
        Assert.Equal(events, await Db.ScalarAsync<long>("select count(*) from es.events"));
        // The inline projection saw each event exactly once, whatever was rolled back and tried again.
        Assert.Equal(events, await Db.ScalarAsync<long>("select count(*) from proj_grouped_kills.seen"));
    }

    [Fact]
    public async Task Nodes_migrating_at_once_apply_each_migration_once()
    {
        var stores = Enumerable.Range(0, 4).Select(i => new PostgresEventStore(Stores.Options(Db, $"boot-{i}"))).ToList();
        await Task.WhenAll(stores.Select(s => s.MigrateAsync()));
        foreach (var s in stores) await s.DisposeAsync();

        Assert.Equal(1L, await Db.ScalarAsync<long>("select count(*) from public.schema_migrations where scope = 'eventstore' and version = 1"));
        Assert.Equal(1L, await Db.ScalarAsync<long>("select count(*) from pg_namespace where nspname = 'es'"));
    }

    [Fact]
    public async Task Our_sessions_end_a_transaction_left_idle_so_it_cannot_stall_readers()
    {
        await using var store = await Stores.CreateAsync(Db, "idle", o => o.IdleInTransactionTimeout = TimeSpan.FromMilliseconds(300));
        await using var conn = await store.DataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var cmd = new Npgsql.NpgsqlCommand("select pg_current_xact_id()", conn, tx)) await cmd.ExecuteScalarAsync();
        await Task.Delay(1_000);

        await using var again = new Npgsql.NpgsqlCommand("select 1", conn, tx);
        await Assert.ThrowsAnyAsync<Npgsql.NpgsqlException>(() => again.ExecuteScalarAsync());
    }
}
