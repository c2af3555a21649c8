using CoachHub.Server.ReadModels;
using CoachHub.Testing;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using System.Net.Http.Json;
using Npgsql;

namespace CoachHub.Server.Tests;

/// <summary>
/// A database from before Marten keeps everything: the old store's log (es.events) is copied into Marten once,
/// stream by stream with the same ids and versions, and Marten's inline projection rebuilds the same read model.
/// </summary>
public sealed class LogImportTests
{
    /// <summary>es.events as ADR 0001's store created it (the columns the import reads, and their order's).</summary>
    private const string OldLog = """
        drop schema if exists es cascade;
        create schema es;
        create table es.events (
            position bigint generated always as identity primary key, stream_id text not null, stream_version bigint not null,
            event_id uuid not null, type text not null, data jsonb not null, metadata jsonb not null,
            transaction_id xid8 not null default pg_current_xact_id(), recorded_at timestamptz not null default now(),
            constraint events_stream_version_unique unique (stream_id, stream_version));
        """;

    [Fact]
    public async Task The_old_stores_log_moves_into_Marten_once_with_every_stream_and_the_same_read_model()
    {
        // The demo's log, as the old store would have held it, in a database that has never run on Marten.
        var app = await DemoSunday.StartAsync();
        await using var _ = app.AsDisposable();
        var before = await DemoSunday.TablesAsync(app.Db.ConnectionString);
        // Not Marten's tombstone stream: where racing handlers lost an append (two athletes of a squad finishing together
        // may both close its week), Marten records the lost sequence numbers there, and the old store had no such thing.
        const string streams = "select id || ' ' || version from events.mt_streams where id <> 'mt_tombstone' order by 1";
        var demoStreams = (await app.Db.QueryAsync(streams)).Select(r => (string)r[0]).ToList();
        var log = await app.Db.QueryAsync("select stream_id, version, type, data::text from events.mt_events where type <> 'tombstone' order by seq_id");
        var old = new PostgresDatabase();
        await old.InitializeAsync();
        try
        {
            await old.ExecuteAsync(OldLog);
            await using var db = NpgsqlDataSource.Create(old.ConnectionString);
            // Several writing transactions, as the old log always had: the import reads in (transaction, position) order.
            foreach (var chunk in log.Chunk(400))
            {
                await using var batch = db.CreateBatch();
                foreach (var e in chunk)
                {
                    var insert = new NpgsqlBatchCommand("insert into es.events (stream_id, stream_version, event_id, type, data, metadata) values ($1, $2, gen_random_uuid(), $3, $4::jsonb, '{}')");
                    foreach (var value in e) insert.Parameters.Add(new NpgsqlParameter { Value = value });
                    batch.BatchCommands.Add(insert);
                }
                await batch.ExecuteNonQueryAsync();
            }

            using var marten = DocumentStore.For(o =>
            {
                o.Connection(old.ConnectionString);
                Composition.ConfigureMarten(o);
            });
            var copied = await LogImport.RunAsync(marten, db, NullLogger.Instance, default);

            Assert.Equal(log.Count, copied);
            Assert.Equal(demoStreams, (await old.QueryAsync(streams)).Select(r => (string)r[0]));
            Assert.Equal(before, await DemoSunday.TablesAsync(old.ConnectionString));
            // Once: a restart, or another node, copies nothing more.
            Assert.Equal(0, await LogImport.RunAsync(marten, db, NullLogger.Instance, default));
            Assert.Equal(copied, await old.ScalarAsync<long>("select count(*) from events.mt_events where type <> 'tombstone'"));
        }
        finally
        {
            await old.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_read_model_is_rebuilt_from_Martens_log_into_the_same_tables_and_a_write_made_meanwhile_is_kept()
    {
        var app = await DemoSunday.StartAsync();
        await using var _ = app.AsDisposable();
        var coach = await app.Client().SignInAsync("coach@demo.coachhub.app", "demo-password");
        var before = await DemoSunday.TablesAsync(app.Db.ConnectionString);
        // What a rebuild is for: tables that went wrong.
        await app.Db.ExecuteAsync("delete from proj_coaching.runs; update proj_coaching.athletes set last_pain = 10");

        await using var db = NpgsqlDataSource.Create(app.Db.ConnectionString);
        var rebuilding = CoachingRebuild.RunAsync(db, Composition.EventTypesByName, null, default);
        // A coach's write meanwhile waits for the rebuild and lands after it, in the rebuilt tables.
        var squad = (await app.Client(coach).GetOkAsync("/api/squads"))[0];
        var squadId = squad.GetProperty("squadId").GetGuid();
        var renamed = app.Client(coach).Http.PutAsJsonAsync($"/api/squads/{squadId}/name", new { name = "Renamed while rebuilding" });
        var events = await rebuilding;
        (await renamed).EnsureSuccessStatusCode();

        Assert.True(events > 1_000, $"{events} events replayed");
        Assert.Equal("Renamed while rebuilding", await app.Db.ScalarAsync<string>($"select name from proj_coaching.squads where squad_id = '{squadId}'"));
        await app.Db.ExecuteAsync($"update proj_coaching.squads set name = '{squad.GetProperty("name").GetString()}' where squad_id = '{squadId}'");
        Assert.Equal(before, await DemoSunday.TablesAsync(app.Db.ConnectionString));
    }
}
