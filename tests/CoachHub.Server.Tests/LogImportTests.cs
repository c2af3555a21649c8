using CoachHub.EventStore;
using CoachHub.Server.ReadModels;
using CoachHub.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using System.Net.Http.Json;
using Npgsql;

namespace CoachHub.Server.Tests;

/// <summary>
/// Moving a database onto Marten keeps everything: our store's log is copied into Marten once, stream by stream
/// with the same ids and versions, and Marten's inline projection rebuilds the same read model from it.
/// </summary>
public sealed class LogImportTests
{
    [Fact]
    public async Task The_demos_log_moves_into_Marten_once_with_every_stream_and_the_same_read_model()
    {
        var app = await DemoSunday.StartAsync("own");
        await using var _ = app.AsDisposable();
        var own = app.Services.GetRequiredService<PostgresEventStore>();
        var head = await app.Db.ScalarAsync<long>("select max(position) from es.events");
        await Eventually.TrueAsync(async () => (await own.HeadAsync()).Position >= head, TimeSpan.FromSeconds(10), "every event to be readable");
        var before = await DemoSunday.TablesAsync(app.Db.ConnectionString);
        const string streams = "select stream_id || ' ' || max(stream_version) from es.events group by stream_id order by 1";
        var ownStreams = (await app.Db.QueryAsync(streams)).Select(r => (string)r[0]).ToList();

        using var marten = DocumentStore.For(o =>
        {
            o.Connection(app.Db.ConnectionString);
            Composition.ConfigureMarten(o);
        });
        await using var db = NpgsqlDataSource.Create(app.Db.ConnectionString);
        var copied = await LogImport.RunAsync(own, marten, db, NullLogger.Instance, default);

        Assert.Equal(await app.Db.ScalarAsync<long>("select count(*) from es.events"), copied);
        Assert.Equal(ownStreams, (await app.Db.QueryAsync("select id || ' ' || version from events.mt_streams order by 1")).Select(r => (string)r[0]));
        Assert.Equal(before, await DemoSunday.TablesAsync(app.Db.ConnectionString));
        // Once: a restart, or another node, copies nothing more.
        Assert.Equal(0, await LogImport.RunAsync(own, marten, db, NullLogger.Instance, default));
        Assert.Equal(copied, await app.Db.ScalarAsync<long>("select count(*) from events.mt_events where type <> 'tombstone'"));
    }

    [Fact]
    public async Task On_Marten_the_read_model_is_rebuilt_from_Martens_log_into_the_same_tables_and_a_write_made_meanwhile_is_kept()
    {
        var app = await DemoSunday.StartAsync("marten");
        await using var _ = app.AsDisposable();
        var coach = await app.Client().SignInAsync("coach@demo.coachhub.app", "demo-password");
        Assert.Equal(0L, await app.Db.ScalarAsync<long>("select count(*) from es.events"));
        var before = await DemoSunday.TablesAsync(app.Db.ConnectionString);
        // What a rebuild is for: tables that went wrong.
        await app.Db.ExecuteAsync("delete from proj_coaching.runs; update proj_coaching.athletes set last_pain = 10");

        var types = Composition.StoredEvents.ToDictionary(t => t.Name, t => t.Type, StringComparer.Ordinal);
        await using var db = NpgsqlDataSource.Create(app.Db.ConnectionString);
        var rebuilding = CoachingRebuildOnMarten.RunAsync(db, types, null, default);
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
