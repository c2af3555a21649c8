using CoachHub.Server.ReadModels;
using CoachHub.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CoachHub.Server.Tests;

/// <summary>
/// The coaching read model a rebuild makes is the one the inline projection made as the events came: the demo's
/// whole log (two squads, a season of runs and reports, findings, plans, a weekly adjustment with proposals) and
/// every event the demo never produces, replayed from Marten's log, leave every proj_coaching table the same.
/// </summary>
public sealed class CoachingRebuildTests
{
    [Fact]
    public async Task Replaying_the_whole_log_builds_the_same_tables_as_the_inline_projection_did()
    {
        var app = await DemoSunday.StartAsync();
        await using var _ = app.AsDisposable();
        await AppendWhatTheDemoLacksAsync(app.Services.GetRequiredService<IDocumentStore>(), app.Db);
        var types = (await app.Db.QueryAsync("select distinct type from events.mt_events")).Select(r => (string)r[0]).ToList();
        Assert.True(await app.Db.ScalarAsync<long>("select count(*) from events.mt_events") > 1_000, "the demo's log holds over 1,000 events");
        // Every event the read model handles is in the log at least once.
        Assert.Empty(Domain.CoachingEvents.All.Select(Domain.CoachingEvents.TypeNameOf)
            .Where(t => !t.StartsWith("plan.return-to-run", StringComparison.Ordinal)).Except(types));
        var inline = await DemoSunday.TablesAsync(app.Db.ConnectionString);
        await using var db = NpgsqlDataSource.Create(app.Db.ConnectionString);

        // An operator's rebuild, in place.
        await app.Db.ExecuteAsync("delete from proj_coaching.findings; update proj_coaching.plan_weeks set status = 'wrong'");
        var progress = new List<(long Done, long Total)>();
        var events = await CoachingRebuild.RunAsync(db, Composition.EventTypesByName, (done, total) => progress.Add((done, total)), default);
        Assert.Equal(inline, await DemoSunday.TablesAsync(app.Db.ConnectionString));
        Assert.Equal((events, events), progress[^1]);
        Assert.Equal((0L, events), progress[0]);

        // A new version of the read model: its tables are replaced and refilled at the next start, once.
        await app.Db.ExecuteAsync("update read_models set version = 0; drop table proj_coaching.runs");
        Assert.Equal(events, await CoachingRebuild.EnsureCurrentAsync(db, Composition.EventTypesByName, NullLogger.Instance, default));
        Assert.Equal(inline, await DemoSunday.TablesAsync(app.Db.ConnectionString));
        Assert.Null(await CoachingRebuild.EnsureCurrentAsync(db, Composition.EventTypesByName, NullLogger.Instance, default));
    }

    /// <summary>
    /// The demo's commands never rename a squad, add a coach, see an athlete leave, retire a shoe, acknowledge an alert,
    /// clear an athlete, edit a session or reject a proposal: those events are appended here, on the demo's own facts.
    /// </summary>
    private static async Task AppendWhatTheDemoLacksAsync(IDocumentStore store, PostgresDatabase db)
    {
        async Task AppendAsync(string stream, params object[] events)
        {
            await using var session = store.LightweightSession();
            session.Events.Append(stream, events);
            await session.SaveChangesAsync();
        }
        var at = new DateTimeOffset(2026, 11, 29, 19, 0, 0, TimeSpan.Zero);
        var squadAthleteShoe = (await db.QueryAsync(
            "select m.squad_id, m.athlete_id, s.shoe_id from proj_coaching.squad_members m join proj_coaching.shoes s using (athlete_id) order by 1, 2 limit 1")).Single();
        var (squadId, leaver, shoeId) = ((Guid)squadAthleteShoe[0], (Guid)squadAthleteShoe[1], (Guid)squadAthleteShoe[2]);
        await AppendAsync(Platform.Streams.Squad(squadId),
            new Domain.Squads.SquadRenamed("Renamed squad", at), new Domain.Squads.CoachAdded(Guid.NewGuid(), Guid.NewGuid(), at),
            new Domain.Squads.AthleteLeft(leaver, at, RemovedBy: Guid.NewGuid()));
        await AppendAsync(Platform.Streams.Athlete(leaver),
            new Domain.Athletes.ShoeRetired(shoeId, at));

        var finding = (await db.QueryAsync("select athlete_id, finding_id from proj_coaching.findings where resolved_at is null order by 1, 2 limit 1")).Single();
        await AppendAsync(Platform.Streams.Athlete((Guid)finding[0]),
            new Domain.Athletes.AlertAcknowledged((string)finding[1], Guid.NewGuid(), "called her", at),
            new Domain.Athletes.ClearedToRun(Guid.NewGuid(), "physiotherapist", new DateOnly(2026, 11, 28), null, at));

        var weeks = await db.QueryAsync(
            "select athlete_id, week_start, sessions::text, proposal is not null from proj_coaching.plan_weeks where jsonb_array_length(sessions) > 0 order by 1, 2");
        var edited = weeks[0];
        var sessions = System.Text.Json.JsonSerializer.Deserialize((string)edited[2], Platform.CoachingJson.Default.PlannedSessionArray)!;
        await AppendAsync(Platform.Streams.Plan((Guid)edited[0]),
            new Domain.Plans.SessionEdited((DateOnly)edited[1], sessions[0], Guid.NewGuid(), at),
            new Domain.Plans.SessionEdited((DateOnly)edited[1], sessions[0] with { SessionId = "added-by-the-coach" }, Guid.NewGuid(), at));
        var proposals = weeks.Where(w => (bool)w[3]).ToList();
        Assert.NotEmpty(proposals);
        for (var i = 0; i < proposals.Count; i++)
        {
            var week = (DateOnly)proposals[i][1];
            var restored = i % 2 == 0 ? null : new Domain.Plans.PlannedWeek(week, sessions);
            await AppendAsync(Platform.Streams.Plan((Guid)proposals[i][0]),
                new Domain.Plans.AdjustmentRejected(week, Guid.NewGuid(), "not this week", restored, at));
        }
    }
}
