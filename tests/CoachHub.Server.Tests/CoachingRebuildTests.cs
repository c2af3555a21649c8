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

    [Fact]
    public async Task Only_the_latest_of_an_athletes_runs_and_reports_updates_their_row_and_the_row_ends_as_if_every_one_had()
    {
        // Out of order on purpose: a run logged late for an earlier day, a report sent twice for the same moment.
        var athlete = Guid.NewGuid();
        var stream = Platform.Streams.Athlete(athlete);
        DateTimeOffset At(int hour) => new(2026, 11, 30, hour, 0, 0, TimeSpan.FromHours(1));
        Domain.Athletes.RunLogged Run(int hour) => new(Guid.NewGuid(), At(hour), 8_000, 2_700, Domain.Athletes.WorkoutType.Easy, Domain.Athletes.Surface.Road, 4);
        Domain.Athletes.PainReportSubmitted Report(int hour, int pain) => new(Guid.NewGuid(), null, At(hour), new Domain.Athletes.PainScores(pain),
            new Domain.Athletes.PainDescription(), Domain.Athletes.RedFlagAnswers.None, new Domain.Athletes.RecoveryContext());
        object[] events =
        [
            new Domain.Athletes.AthleteRegistered(athlete, "Ana", "Europe/Dublin", Domain.Units.Kilometres, At(6)),
            Run(9), Report(10, 2), Run(15), Run(12), Report(16, 5), Report(11, 7), Report(16, 3), Report(8, 9),
        ];
        var statements = new List<ProjectionSql>();
        foreach (var e in events) CoachingProjection.Add(statements, stream, e, () => "{}");
        var coalesced = ProjectionSql.WithoutSuperseded(statements);
        // Kept: each update that no later one of its kind, as late or later, repeats (runs at 15 then 12; reports at 16 then 8).
        Assert.Equal([At(15), At(12)], coalesced.Where(s => s.Sql.Contains("last_run_at", StringComparison.Ordinal)).Select(s => (DateTimeOffset)s.Values[1]));
        Assert.Equal([At(16), At(8)], coalesced.Where(s => s.Sql.Contains("last_report_at", StringComparison.Ordinal)).Select(s => (DateTimeOffset)s.Values[1]));
        Assert.Equal(statements.Count - 4, coalesced.Count);

        var db = new PostgresDatabase();
        await db.InitializeAsync();
        try
        {
            // Every statement one after another, and the coalesced ones, each into empty tables of its own.
            async Task<string> AthleteRowAfterAsync(List<ProjectionSql> run)
            {
                await using var conn = new NpgsqlConnection(db.ConnectionString);
                await conn.OpenAsync();
                await using var tx = await conn.BeginTransactionAsync();
                await using (var clean = new NpgsqlCommand($"set local search_path to {CoachingProjection.SchemaName}, public; delete from athletes; delete from runs; delete from reports", conn, tx))
                    await clean.ExecuteNonQueryAsync();
                foreach (var statement in run)
                {
                    await using var batch = new NpgsqlBatch(conn, tx) { BatchCommands = { statement.ToBatchCommand() } };
                    await batch.ExecuteNonQueryAsync();
                }
                await using var read = new NpgsqlCommand("select row_to_json(a)::text from athletes a", conn, tx);
                return (string)(await read.ExecuteScalarAsync())!;
            }
            var sequential = await AthleteRowAfterAsync(statements);
            Assert.Equal(sequential, await AthleteRowAfterAsync(coalesced));
            Assert.Contains("\"last_pain\":3", sequential, StringComparison.Ordinal);
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_plan_weeks_table_holds_the_weeks_the_plan_decider_folds_through_edits_proposals_approvals_and_rejections()
    {
        var athlete = Guid.NewGuid();
        var coach = Guid.NewGuid();
        var stream = Platform.Streams.Plan(athlete);
        var at = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        var w1 = new DateOnly(2026, 11, 2);
        DateOnly W(int n) => w1.AddDays(7 * (n - 1));
        Domain.Plans.PlannedSession Session(string id, DateOnly week, int day, int meters) =>
            new(id, week.AddDays(day), Domain.Plans.SessionType.Easy, Domain.Plans.Intensity.Easy, meters, null, $"Easy {meters / 1000} km", []);
        Domain.Plans.PlannedWeek Week(DateOnly week, params Domain.Plans.PlannedSession[] sessions) => new(week, sessions);
        object[] events =
        [
            new Domain.Plans.PlanStarted(athlete, "10k", w1, 20_000, at),
            new Domain.Plans.WeekPlanned(w1, [Session("a", w1, 1, 8_000), Session("b", w1, 5, 12_000)], coach, at),
            // An edit replaces its session in place, another adds one, and one plans a week that had nothing.
            new Domain.Plans.SessionEdited(w1, Session("a", w1, 2, 6_000), coach, at),
            new Domain.Plans.SessionEdited(w1, Session("c", w1, 3, 5_000), coach, at),
            new Domain.Plans.SessionEdited(W(2), Session("d", W(2), 1, 7_000), coach, at),
            // A proposal for a week with nothing planned, rejected: no week.
            new Domain.Plans.AdjustmentProposed(W(3), Domain.Plans.AdjustmentOutcome.Deload, ["LOAD-ACWR"], ["Load rose fast"], null,
                Week(W(3), Session("e", W(3), 1, 5_000)), null, at),
            new Domain.Plans.AdjustmentRejected(W(3), coach, null, null, at),
            // An adjustment that made a week out of nothing, rejected: nothing to restore, so no week either.
            new Domain.Plans.WeekAdjusted(W(4), Domain.Plans.AdjustmentOutcome.Deload, ["LOAD-ACWR"], ["Load rose fast"], null,
                Week(W(4), Session("f", W(4), 2, 4_000)), null, at),
            new Domain.Plans.AdjustmentRejected(W(4), coach, "Not this week", null, at),
            // A proposal for the first week, approved as the decider merged it.
            new Domain.Plans.AdjustmentProposed(w1, Domain.Plans.AdjustmentOutcome.Hold, ["HOLD"], ["Steady"], null,
                Week(w1, Session("a", w1, 2, 6_000)), null, at),
            new Domain.Plans.AdjustmentApproved(w1, coach, Week(w1, Session("a", w1, 2, 6_000), Session("c", w1, 3, 5_000)), at),
        ];
        var folded = events.Aggregate(Domain.Plans.PlanDecider.Initial, Domain.Plans.PlanDecider.Evolve);
        var statements = new List<ProjectionSql>();
        foreach (var e in events)
            CoachingProjection.Add(statements, stream, e, () => System.Text.Json.JsonSerializer.Serialize(e, e.GetType(), System.Text.Json.JsonSerializerOptions.Web));

        var db = new PostgresDatabase();
        await db.InitializeAsync();
        try
        {
            await using var conn = new NpgsqlConnection(db.ConnectionString);
            await conn.OpenAsync();
            await using (var path = new NpgsqlCommand($"set search_path to {CoachingProjection.SchemaName}, public", conn)) await path.ExecuteNonQueryAsync();
            foreach (var statement in statements)
            {
                await using var batch = new NpgsqlBatch(conn) { BatchCommands = { statement.ToBatchCommand() } };
                await batch.ExecuteNonQueryAsync();
            }
            var rows = new List<string>();
            await using (var read = new NpgsqlCommand("select week_start::text || ' ' || sessions::text || ' ' || coalesce(proposal::text, 'no proposal') from plan_weeks order by week_start", conn))
            await using (var reader = await read.ExecuteReaderAsync())
                while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
            var expected = new List<string>();
            foreach (var week in folded.Weeks.Values.OrderBy(w => w.WeekStart))
            {
                await using var normalise = new NpgsqlCommand("select $1::text || ' ' || $2::jsonb::text || ' no proposal'", conn)
                {
                    Parameters =
                    {
                        new() { Value = week.WeekStart.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
                        new() { Value = System.Text.Json.JsonSerializer.Serialize(week.Sessions.ToArray(), CoachHub.Server.Platform.CoachingJson.Default.PlannedSessionArray) },
                    },
                };
                expected.Add((string)(await normalise.ExecuteScalarAsync())!);
            }
            Assert.Equal(2, folded.Weeks.Count);
            Assert.Equal(expected, rows);
        }
        finally
        {
            await db.DisposeAsync();
        }
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
        var invite = (string)(await db.QueryAsync($"select code from proj_coaching.invites where squad_id = '{squadId}' order by code limit 1")).Single()[0];
        var (head, stepsDown, takesOver) = ((Guid)(await db.QueryAsync($"select coach_id from proj_coaching.squads where squad_id = '{squadId}'")).Single()[0],
            Guid.NewGuid(), Guid.NewGuid());
        await AppendAsync(Platform.Streams.Squad(squadId),
            new Domain.Squads.CoachAdded(stepsDown, head, at), new Domain.Squads.CoachRemoved(stepsDown, stepsDown, at),
            new Domain.Squads.CoachAdded(takesOver, head, at), new Domain.Squads.SquadHandedOver(head, takesOver, at));
        // A squad closed: its one athlete leaves, its code is withdrawn, it is gone.
        var closing = (await db.QueryAsync($"select m.squad_id, m.athlete_id from proj_coaching.squad_members m where m.squad_id <> '{squadId}' and m.left_at is null order by 1, 2 limit 1")).Single();
        var closingInvites = (await db.QueryAsync($"select code from proj_coaching.invites where squad_id = '{closing[0]}'")).Select(r => (string)r[0]).ToList();
        await AppendAsync(Platform.Streams.Squad((Guid)closing[0]),
            [new Domain.Squads.AthleteLeft((Guid)closing[1], at, RemovedBy: Guid.NewGuid()), .. closingInvites.Select(c => new Domain.Squads.InviteRevoked(c, Guid.NewGuid(), at)),
                new Domain.Squads.SquadClosed(Guid.NewGuid(), at)]);
        await AppendAsync(Platform.Streams.Squad(squadId),
            new Domain.Squads.SquadRenamed("Renamed squad", at), new Domain.Squads.CoachAdded(Guid.NewGuid(), Guid.NewGuid(), at),
            new Domain.Squads.AthleteLeft(leaver, at, RemovedBy: Guid.NewGuid()), new Domain.Squads.InviteRevoked(invite, Guid.NewGuid(), at));
        // Two week templates, one deleted: the rebuild must end with the other.
        var (keptTemplate, deletedTemplate) = (Guid.NewGuid(), Guid.NewGuid());
        Domain.Plans.TemplateSession[] templateSessions = [new(1, Domain.Plans.SessionType.Easy, Domain.Plans.Intensity.Easy, 8_000, null, "Easy run", [])];
        await AppendAsync(Platform.Streams.Squad(squadId),
            new Domain.Squads.WeekTemplateSaved(keptTemplate, "Kept week", templateSessions, Guid.NewGuid(), at),
            new Domain.Squads.WeekTemplateSaved(deletedTemplate, "Deleted week", templateSessions, Guid.NewGuid(), at),
            new Domain.Squads.WeekTemplateDeleted(deletedTemplate, Guid.NewGuid(), at));
        await AppendAsync(Platform.Streams.Athlete(leaver),
            new Domain.Athletes.ShoeRetired(shoeId, at));
        // One feed replaced by another, which stays: the rebuild must end with the second.
        var (firstFeed, secondFeed) = (Guid.NewGuid(), Guid.NewGuid());
        await AppendAsync(Platform.Streams.Athlete(leaver),
            new Domain.Athletes.CalendarFeedStarted(firstFeed, at), new Domain.Athletes.CalendarFeedStopped(firstFeed, at),
            new Domain.Athletes.CalendarFeedStarted(secondFeed, at),
            new Domain.Athletes.AvailabilityChanged(new Domain.Plans.WeeklyAvailability([new Domain.Plans.AvailableDay(DayOfWeek.Saturday, 90)]), leaver, at));
        // An imported run's samples, for one of the leaver's runs.
        var run = (Guid)(await db.QueryAsync($"select run_id from proj_coaching.runs where athlete_id = '{leaver}' order by run_id limit 1")).Single()[0];
        await AppendAsync(Platform.Streams.Athlete(leaver),
            new Domain.Athletes.RunTrackRecorded(run, [new Domain.Athletes.TrackPoint(0, 0, 140, 40), new Domain.Athletes.TrackPoint(1_800, 6_000, 155, 52)]),
            new Domain.Athletes.CommentPosted(Guid.NewGuid(), Domain.Athletes.ThreadKind.Run, run, Guid.NewGuid(), "Coach", true, "How were the hills?", at));
        // Corrections, on whichever athletes have them: a run made longer, another taken back with its comments; a
        // report's pain corrected, another (without a red flag) taken back.
        var runs = (await db.QueryAsync("select athlete_id, run::text from proj_coaching.runs order by run_id limit 2"))
            .Select(r => ((Guid)r[0], System.Text.Json.JsonSerializer.Deserialize((string)r[1], Platform.CoachingJson.Default.RunLogged)!)).ToList();
        var reports = (await db.QueryAsync("select athlete_id, report::text from proj_coaching.reports where not red_flag order by report_id limit 2"))
            .Select(r => ((Guid)r[0], System.Text.Json.JsonSerializer.Deserialize((string)r[1], Platform.CoachingJson.Default.PainReportSubmitted)!)).ToList();
        Assert.Equal(2, runs.Count);
        Assert.Equal(2, reports.Count);
        await AppendAsync(Platform.Streams.Athlete(runs[0].Item1), new Domain.Athletes.RunCorrected(runs[0].Item2 with { DistanceMeters = runs[0].Item2.DistanceMeters + 1_000 }, at));
        await AppendAsync(Platform.Streams.Athlete(runs[0].Item1), new Domain.Athletes.RunMatched(runs[0].Item2.RunId, Domain.Plans.SessionMatching.NoSession, Guid.NewGuid(), at));
        await AppendAsync(Platform.Streams.Athlete(runs[1].Item1), new Domain.Athletes.RunDeleted(runs[1].Item2.RunId, at));
        await AppendAsync(Platform.Streams.Athlete(reports[0].Item1),
            new Domain.Athletes.PainReportCorrected(reports[0].Item2 with { Pain = reports[0].Item2.Pain with { PainNow = 1 } }, at));
        await AppendAsync(Platform.Streams.Athlete(reports[1].Item1), new Domain.Athletes.PainReportDeleted(reports[1].Item2.ReportId, at));

        var finding = (await db.QueryAsync("select athlete_id, finding_id from proj_coaching.findings where resolved_at is null order by 1, 2 limit 1")).Single();
        await AppendAsync(Platform.Streams.Athlete((Guid)finding[0]),
            new Domain.Athletes.AlertAcknowledged((string)finding[1], Guid.NewGuid(), "called her", at),
            new Domain.Athletes.FindingNoted((string)finding[1], Guid.NewGuid(), "Coach", "physio on Tuesday", at.AddMinutes(1)),
            new Domain.Athletes.ClearedToRun(Guid.NewGuid(), "physiotherapist", new DateOnly(2026, 11, 28), null, at));

        var weeks = await db.QueryAsync(
            "select athlete_id, week_start, sessions::text, proposal is not null from proj_coaching.plan_weeks where jsonb_array_length(sessions) > 0 order by 1, 2");
        var edited = weeks[0];
        var sessions = System.Text.Json.JsonSerializer.Deserialize((string)edited[2], Platform.CoachingJson.Default.PlannedSessionArray)!;
        await AppendAsync(Platform.Streams.Plan((Guid)edited[0]),
            new Domain.Plans.SessionEdited((DateOnly)edited[1], sessions[0], Guid.NewGuid(), at),
            new Domain.Plans.SessionEdited((DateOnly)edited[1], sessions[0] with { SessionId = "added-by-the-coach" }, Guid.NewGuid(), at),
            new Domain.Plans.SessionRemoved((DateOnly)edited[1], sessions[^1].SessionId, Guid.NewGuid(), at));
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
