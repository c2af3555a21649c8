using System.Diagnostics;
using System.Globalization;
using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Npgsql;

using CoachHub.Testing;

namespace CoachHub.Benchmarks;

/// <summary>
/// The weekly adjustment job over 10,000 planned athletes whose week has closed, in a server process of its own
/// with jobs on (every second): its rate is read from job_runs, where the job records each athlete-week it has done.
/// Run twice on copies of one seeded database: alone (the figure), and with the daily sweep running alongside.
/// </summary>
internal static class WeeklyJobBenchmark
{
    private const string SeedDatabase = "coachhub_bench_weekly_seed", DatabaseName = "coachhub_bench_weekly";
    private const int Squads = 100, AthletesPerSquad = 100, Athletes = Squads * AthletesPerSquad;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public static async Task<int> RunAsync(string adminConnectionString)
    {
        var seedConnection = await BenchDatabase.CreateAsync(adminConnectionString, SeedDatabase);
        try
        {
            // Every schema (the server's tables, Marten's, the read model's) comes from its migrations: a server
            // without jobs applies them.
            await using (await ServerProcess.StartAsync(seedConnection, new Dictionary<string, string> { ["CoachHub__RunJobs"] = "false" })) { }
            using (var store = Marten.DocumentStore.For(o => { o.Connection(seedConnection); CoachHub.Server.Composition.ConfigureMarten(o); }))
                await SeedAsync(store, seedConnection);

            // The seeding made every athlete's daily sweep due at the same moment as the week's close; in production the
            // sweep falls at each athlete's local midnight, the adjustment at the squad's day and hour. So the figure
            // is the job with today's sweep already recorded, and the overlap is measured too.
            var alone = await RunJobAsync(adminConnectionString, sweepDone: true);
            var overlapped = await RunJobAsync(adminConnectionString, sweepDone: false);
            return alone != 0 ? alone : overlapped;
        }
        finally
        {
            await BenchDatabase.DropAsync(adminConnectionString, SeedDatabase);
        }
    }

    private static async Task<int> RunJobAsync(string adminConnectionString, bool sweepDone)
    {
        var prefix = sweepDone ? "weekly" : "weekly.with_sweep";
        var connectionString = await BenchDatabase.CreateAsync(adminConnectionString, DatabaseName, template: SeedDatabase);
        try
        {
            await using var db = NpgsqlDataSource.Create(connectionString);
            if (sweepDone)
                await ScalarAsync<int>(db, $"""
                    with swept as (insert into job_runs (job, athlete_id, period, outcome)
                                   select 'daily-sweep', athlete_id, $1, 'done before the benchmark' from {CoachingProjection.SchemaName}.athletes returning 1)
                    select count(*)::int from swept
                    """, DateOnly.FromDateTime(DateTime.UtcNow));

            var starting = Stopwatch.StartNew();
            await using var server = await ServerProcess.StartAsync(connectionString, new Dictionary<string, string>
            {
                ["CoachHub__RunJobs"] = "true",
                ["CoachHub__JobIntervalSeconds"] = "1",
            });
            var cpu = CpuUse.Start(server);
            Report.Note($"{prefix}: server started (pid {server.Id}, jobs every 1 s) in {starting.Elapsed.TotalSeconds:0.0} s on a copy of the seeded database"
                + (sweepDone ? ", today's daily sweep recorded as done for every athlete" : ", daily sweep due for every athlete"));

            var clock = Stopwatch.StartNew();
            long done;
            while ((done = await ScalarAsync<long>(db, "select count(*) from job_runs where job = 'weekly-adjustment'")) < Athletes && clock.Elapsed < Deadline)
                await Task.Delay(250);
            var sinceReady = clock.Elapsed;
            var used = cpu.Describe(Math.Max(done, 1), "adjusted athlete");

            await using var span = db.CreateCommand("""
                select count(*), extract(epoch from max(ran_at) - min(ran_at))::float8, min(ran_at), max(ran_at)
                  from job_runs where job = 'weekly-adjustment'
                """);
            await using var r = await span.ExecuteReaderAsync();
            await r.ReadAsync();
            var (count, seconds, first, last) = (r.GetInt64(0), r.IsDBNull(1) ? 0 : r.GetDouble(1),
                r.IsDBNull(2) ? DateTime.MinValue : r.GetDateTime(2), r.IsDBNull(3) ? DateTime.MinValue : r.GetDateTime(3));
            await r.DisposeAsync();

            if (sweepDone) Report.Figure($"{prefix}.athletes", count, "athletes", $"job_runs rows of weekly-adjustment, of {Athletes:N0} due");
            Report.Figure($"{prefix}.seconds", seconds, "s", "first to last ran_at in job_runs");
            Report.Figure($"{prefix}.athletes_per_s", count / Math.Max(seconds, 0.001), "athletes/s",
                sweepDone ? "count / (max - min ran_at), target >= 500" : $"{count:N0} athletes, the daily sweep over the same athletes running alongside");
            Report.Note(string.Create(CultureInfo.InvariantCulture,
                $"{prefix}: from the server's ready to the last athlete {sinceReady.TotalSeconds:0.0} s (polled every 0.25 s); {used}"));
            var swept = await ScalarAsync<long>(db, "select count(*) from job_runs where job = 'daily-sweep' and ran_at between $1 and $2", first, last);
            Report.Note($"{prefix}: outcomes {await OutcomesAsync(db)}; {swept:N0} athlete-days swept by the daily sweep between the first and last adjustment");
            var twice = await ScalarAsync<long>(db, """
                select count(*) from (select stream_id from events.mt_events e
                                        where type in ('plan.week-adjusted.v1', 'plan.adjustment-proposed.v1')
                                        group by stream_id having count(*) > 1) twice
                """);
            if (count < Athletes) return Fail($"{prefix}: only {count:N0} of {Athletes:N0} athletes adjusted within {Deadline.TotalSeconds:0} s");
            if (twice > 0) return Fail($"{prefix}: {twice} plans adjusted more than once");
            return 0;
        }
        finally
        {
            await BenchDatabase.DropAsync(adminConnectionString, DatabaseName);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 1;
    }

    /// <summary>
    /// As ClusterTests seeds them, through the domain's deciders: squads whose week closes on Monday at midnight (so
    /// by now it has closed, whatever day this runs), athletes in UTC with a plan started this Monday. Each squad's
    /// events, joins included, go in one append; athletes with their plans are appended 8 at a time, through Marten with the server's inline read model.
    /// </summary>
    private static async Task SeedAsync(Marten.DocumentStore store, string connectionString)
    {
        var clock = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        var monday = TrainingCalendar.WeekStartOf(DateOnly.FromDateTime(now.UtcDateTime));
        var athletes = Enumerable.Range(0, Athletes).Select(_ => Guid.CreateVersion7()).ToArray();

        await Parallel.ForEachAsync(Enumerable.Range(0, Athletes), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var id = athletes[i];
            await using var session = store.LightweightSession();
            session.Events.StartStream(Streams.Athlete(id),
                [.. AthleteDecider.Decide(new RegisterAthlete(id, $"Athlete {i}", "Etc/UTC"), AthleteDecider.Initial, now)]);
            session.Events.StartStream(Streams.Plan(id), [.. PlanDecider.Decide(new StartPlan(id, "Base", monday, 20_000), PlanDecider.Initial, now)]);
            await session.SaveChangesAsync(ct);
        });
        var appended = clock.Elapsed;

        await Parallel.ForEachAsync(Enumerable.Range(0, Squads), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (s, ct) =>
        {
            var squadId = Guid.CreateVersion7();
            var code = $"WEEKLY-{s}";
            var state = SquadDecider.Initial;
            var events = new List<object>();
            void Decide(SquadCommand command)
            {
                var decided = SquadDecider.Decide(command, state, now);
                events.AddRange(decided);
                state = decided.Aggregate(state, SquadDecider.Evolve);
            }
            Decide(new CreateSquad(squadId, Guid.CreateVersion7(), $"Weekly {s}"));
            Decide(new ChangeSquadSettings(SquadSettings.Default with { WeeklyAdjustmentDay = DayOfWeek.Monday, WeeklyAdjustmentHour = 0 }));
            Decide(new InviteAthlete(code, now.AddDays(1), SingleUse: false));
            for (var a = s * AthletesPerSquad; a < (s + 1) * AthletesPerSquad; a++) Decide(new JoinSquad(athletes[a], code));
            await using var session = store.LightweightSession();
            session.Events.StartStream(Streams.Squad(squadId), [.. events]);
            await session.SaveChangesAsync(ct);
        });

        await using (var db = NpgsqlDataSource.Create(connectionString))
        await using (var analyze = db.CreateCommand("analyze"))
            await analyze.ExecuteNonQueryAsync();
        Report.Note(string.Create(CultureInfo.InvariantCulture,
            $"seeded {Athletes:N0} planned athletes in {Squads} squads (week closes Monday 00:00) through Marten in {clock.Elapsed.TotalSeconds:0.0} s: athletes and plans {appended.TotalSeconds:0.0} s, squads with their joins {(clock.Elapsed - appended).TotalSeconds:0.0} s (not a figure)"));
    }

    private static async Task<string> OutcomesAsync(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand("select outcome, count(*) from job_runs where job = 'weekly-adjustment' group by outcome order by 2 desc");
        await using var r = await cmd.ExecuteReaderAsync();
        var parts = new List<string>();
        while (await r.ReadAsync()) parts.Add($"{r.GetString(0)} {r.GetInt64(1):N0}");
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql, params object[] parameters)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var p in parameters) cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
