using CoachHub.EventStore;
using CoachHub.Server.ReadModels;
using CoachHub.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CoachHub.Server.Tests;

/// <summary>
/// The coaching read model on Marten (issue 27) is the read model on our own store: the demo's whole log (two
/// squads, a season of runs and reports, findings, plans, a weekly adjustment with proposals), appended through
/// Marten in the same order with the server's Marten configuration, leaves every proj_coaching table the same.
/// </summary>
public sealed class CoachingOnMartenTests
{
    [Fact]
    public async Task The_demos_log_appended_through_Marten_builds_the_same_tables_as_our_store()
    {
        // Our store builds the tables this test compares Marten's with.
        var app = await DemoSunday.StartAsync("own");
        await using var _ = app.AsDisposable();

        var store = app.Services.GetRequiredService<PostgresEventStore>();
        var last = await AppendWhatTheDemoLacksAsync(store, app.Db);
        // The log is read up to what every reader can see; other tests' open transactions may hold that back a moment.
        await Eventually.TrueAsync(async () => (await store.HeadAsync()).Position >= last, TimeSpan.FromSeconds(10), "the head to pass the last append");
        var log = new List<RecordedEvent>();
        for (var batch = await store.ReadAllAsync(LogPosition.Start, 1_000); batch.Count > 0; batch = await store.ReadAllAsync(log[^1].LogPosition, 1_000))
            log.AddRange(batch);
        Assert.True(log.Count > 1_000, $"the demo's log holds {log.Count} events");
        Assert.Contains(log, e => e.Type == "plan.adjustment-proposed.v1");
        // Every event the read model handles is in the log at least once.
        Assert.Empty(Domain.CoachingEvents.All.Select(Domain.CoachingEvents.TypeNameOf)
            .Where(t => !t.StartsWith("plan.return-to-run", StringComparison.Ordinal)).Except(log.Select(e => e.Type)));

        var marten = new PostgresDatabase();
        await marten.InitializeAsync();
        try
        {
            // The template holds the read model's tables, empty.
            Assert.Equal(0L, await marten.ScalarAsync<long>($"select count(*) from {CoachingProjection.SchemaName}.runs"));
            using var documentStore = DocumentStore.For(o =>
            {
                o.Connection(marten.ConnectionString);
                Composition.ConfigureMarten(o);
            });
            // In log order: each run of one stream's events is one append, as the commands made them.
            for (var i = 0; i < log.Count;)
            {
                var stream = log[i].StreamId;
                var run = log.Skip(i).TakeWhile(e => e.StreamId == stream).Select(e => e.Data).ToArray();
                await using var session = documentStore.LightweightSession();
                session.Events.Append(stream, run);
                await session.SaveChangesAsync();
                i += run.Length;
            }

            Assert.Equal(await DemoSunday.TablesAsync(app.Db.ConnectionString), await DemoSunday.TablesAsync(marten.ConnectionString));
        }
        finally
        {
            await marten.DisposeAsync();
        }
    }

    /// <summary>
    /// The demo's commands never rename a squad, add a coach, see an athlete leave, retire a shoe, acknowledge an alert,
    /// clear an athlete, edit a session or reject a proposal: those events are appended here, on the demo's own facts.
    /// </summary>
    /// <returns>The log position of the last event appended.</returns>
    private static async Task<long> AppendWhatTheDemoLacksAsync(PostgresEventStore store, PostgresDatabase db)
    {
        long last = 0;
        var at = new DateTimeOffset(2026, 11, 29, 19, 0, 0, TimeSpan.Zero);
        var squadAthleteShoe = (await db.QueryAsync(
            "select m.squad_id, m.athlete_id, s.shoe_id from proj_coaching.squad_members m join proj_coaching.shoes s using (athlete_id) order by 1, 2 limit 1")).Single();
        var (squadId, leaver, shoeId) = ((Guid)squadAthleteShoe[0], (Guid)squadAthleteShoe[1], (Guid)squadAthleteShoe[2]);
        last = (await store.AppendAsync(Platform.Streams.Squad(squadId), ExpectedVersion.Any,
            [new Domain.Squads.SquadRenamed("Renamed squad", at), new Domain.Squads.CoachAdded(Guid.NewGuid(), Guid.NewGuid(), at),
             new Domain.Squads.AthleteLeft(leaver, at, RemovedBy: Guid.NewGuid())])).LastPosition;
        last = (await store.AppendAsync(Platform.Streams.Athlete(leaver), ExpectedVersion.Any, [new Domain.Athletes.ShoeRetired(shoeId, at)])).LastPosition;

        var finding = (await db.QueryAsync("select athlete_id, finding_id from proj_coaching.findings where resolved_at is null order by 1, 2 limit 1")).Single();
        last = (await store.AppendAsync(Platform.Streams.Athlete((Guid)finding[0]), ExpectedVersion.Any,
            [new Domain.Athletes.AlertAcknowledged((string)finding[1], Guid.NewGuid(), "called her", at),
             new Domain.Athletes.ClearedToRun(Guid.NewGuid(), "physiotherapist", new DateOnly(2026, 11, 28), null, at)])).LastPosition;

        var weeks = await db.QueryAsync(
            "select athlete_id, week_start, sessions::text, proposal is not null from proj_coaching.plan_weeks where jsonb_array_length(sessions) > 0 order by 1, 2");
        var edited = weeks[0];
        var sessions = System.Text.Json.JsonSerializer.Deserialize((string)edited[2], Platform.CoachingJson.Default.PlannedSessionArray)!;
        last = (await store.AppendAsync(Platform.Streams.Plan((Guid)edited[0]), ExpectedVersion.Any,
            [new Domain.Plans.SessionEdited((DateOnly)edited[1], sessions[0], Guid.NewGuid(), at),
             new Domain.Plans.SessionEdited((DateOnly)edited[1], sessions[0] with { SessionId = "added-by-the-coach" }, Guid.NewGuid(), at)])).LastPosition;
        var proposals = weeks.Where(w => (bool)w[3]).ToList();
        Assert.NotEmpty(proposals);
        for (var i = 0; i < proposals.Count; i++)
        {
            var week = (DateOnly)proposals[i][1];
            var restored = i % 2 == 0 ? null : new Domain.Plans.PlannedWeek(week, sessions);
            last = (await store.AppendAsync(Platform.Streams.Plan((Guid)proposals[i][0]), ExpectedVersion.Any,
                [new Domain.Plans.AdjustmentRejected(week, Guid.NewGuid(), "not this week", restored, at)])).LastPosition;
        }
        return last;
    }
}
