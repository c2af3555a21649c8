using System.Text.Json;
using CoachHub.Domain;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Npgsql;
using Wolverine;

namespace CoachHub.Server.Jobs;

public sealed record JobReport(int Due, int Done, int Failed);

/// <summary>The weekly job adjusts the week after a closed one, for one athlete, on their own clock; keyed per athlete-week.</summary>
public sealed record AdjustNextWeekCommand(Guid AthleteId, DateOnly WeekStart, DateTimeOffset LocalNow, SquadSettings Settings, CommandOptions Options)
    : IStreamCommand<PlanState>
{
    public Task<Loaded<PlanState>> LoadAsync(StreamStates streams, CancellationToken ct) => streams.LoadAsync(Streams.Plan(AthleteId), Deciders.Plan, ct);
}

public static class AdjustNextWeekHandler
{
    public static Task<Loaded<PlanState>> LoadAsync(AdjustNextWeekCommand command, StreamStates streams, CancellationToken ct) => command.LoadAsync(streams, ct);

    /// <summary>The adjustment reads the athlete's history and open findings from their own stream, as of their local day.</summary>
    public static async Task<Decided<PlanState>> HandleAsync(AdjustNextWeekCommand command, Loaded<PlanState> plan, StreamStates streams,
        IDocumentSession session, CancellationToken ct)
    {
        var athlete = (await streams.LoadAsync(Streams.Athlete(command.AthleteId), Deciders.Athlete, ct)).State;
        var today = TrainingCalendar.LocalDate(command.LocalNow);
        return plan.Decide(Deciders.Plan, new AdjustWeek(command.WeekStart, athlete.HistoryAsOf(today), athlete.OpenFindingList(), command.Settings),
            command.Options, command.LocalNow, session);
    }
}

/// <summary>The weekly job's notice to a squad's coaches that every athlete's next week is decided; keyed per squad-week.</summary>
public sealed record RecordWeekAdjustmentsCommand(Guid SquadId, DateOnly WeekStart, WeekAdjustmentCounts Counts, CommandOptions Options)
    : IStreamCommand<SquadState>
{
    public Task<Loaded<SquadState>> LoadAsync(StreamStates streams, CancellationToken ct) => streams.LoadAsync(Streams.Squad(SquadId), Deciders.Squad, ct);
}

public static class RecordWeekAdjustmentsHandler
{
    public static Task<Loaded<SquadState>> LoadAsync(RecordWeekAdjustmentsCommand command, StreamStates streams, CancellationToken ct) =>
        command.LoadAsync(streams, ct);

    public static Decided<SquadState> Handle(RecordWeekAdjustmentsCommand command, Loaded<SquadState> squad, IDocumentSession session, TimeProvider time) =>
        squad.Decide(Deciders.Squad, new RecordWeekAdjustments(command.WeekStart, command.Counts), command.Options, time.GetUtcNow(), session);
}

/// <summary>
/// At the end of each athlete's local week (the squad's day and hour, Sunday 18:00 by default) the next week is
/// adjusted: the domain's AdjustWeek as a Wolverine command like the API's, keyed per athlete-week so a re-run
/// after a crash or on another node changes nothing. After downtime only the latest closed week is caught up.
/// One athlete's failure is logged and retried on the next run; it never holds up the others.
/// </summary>
public sealed class WeeklyAdjustments(Wolverine.Runtime.IWolverineRuntime wolverine, StreamStates streams, NpgsqlDataSource db, AthleteClock clock, ILogger<WeeklyAdjustments> logger)
{
    public const string Job = "weekly-adjustment";

    /// <summary>job_runs' record of a squad-week whose coaches were told it is done (athlete_id holds the squad).</summary>
    public const string Summary = "weekly-summary";

    /// <summary>Athletes adjusted at once by one run (on one node).</summary>
    public const int Concurrency = 6;

    /// <summary>The periodic run: every athlete whose week has closed, on their squad's clock or their own.</summary>
    public Task<JobReport> RunDueAsync(CancellationToken ct) => RunDueAsync(null, ct);

    /// <summary>
    /// <paramref name="squadId"/>'s athletes only (its own recurring job, at the squad's day and hour on its clock), or
    /// everyone. The periodic run covers squads with their own job too: a run of that job that failed, found another
    /// under way, or fired on a node whose clock was a little behind would otherwise leave the week to the next firing,
    /// a week later. The commands are keyed per athlete-week, so the two never adjust anyone twice.
    /// </summary>
    public async Task<JobReport> RunDueAsync(Guid? squadId, CancellationToken ct)
    {
        var due = new List<(Guid Athlete, DateOnly Week, DateTimeOffset LocalNow, SquadSettings Settings)>();
        var squadWeeks = new HashSet<(Guid Squad, DateOnly Week)>();
        foreach (var (athleteId, timeZone, inSquad, settings) in await PlannedAthletesAsync(ct))
        {
            if (squadId is { } only && inSquad != only) continue;
            var localNow = clock.Now(timeZone);
            // The week closes on the squad's clock where it has one, else on the athlete's own; the athlete's "today"
            // is theirs either way.
            var closes = settings.TimeZone is { } squadZone ? clock.Now(squadZone) : localNow;
            if (WeeklyAdjustment.ClosedWeek(closes, settings) is not { } closed) continue;
            due.Add((athleteId, closed.AddDays(7), localNow, settings));
            if (inSquad is { } squad) squadWeeks.Add((squad, closed.AddDays(7)));
        }
        var done = await DoneAsync(Job, due.Select(d => d.Week).Distinct().ToArray(), ct);
        int ran = 0, failed = 0;
        // A few athletes at a time: each is a handful of round trips, so one at a time leaves the machine waiting.
        // Every athlete-week has its own idempotency key, so concurrency cannot adjust anyone twice.
        await Parallel.ForEachAsync(due.Where(d => !done.Contains((d.Athlete, d.Week))),
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct }, async (d, token) =>
        {
            var (athleteId, week, localNow, settings) = d;
            try
            {
                // A bus of its own per athlete: the job is a singleton, and runs several athletes at once.
                var result = await new Wolverine.Runtime.MessageBus(wolverine).DecideAsync(new AdjustNextWeekCommand(athleteId, week, localNow, settings,
                    new CommandOptions { IdempotencyKey = $"{Job}:{athleteId:N}:{week:yyyy-MM-dd}", UserId = Job }), streams, token);
                var outcome = result.Events.OfType<WeekAdjusted>().Select(e => e.Outcome.ToString())
                    .Concat(result.Events.OfType<AdjustmentProposed>().Select(e => "Proposed" + e.Outcome)).FirstOrDefault() ?? "Unchanged";
                await RecordAsync(Job, athleteId, week, outcome, token);
                Interlocked.Increment(ref ran);
            }
            catch (Exception refused) when (refused is CoachingRuleViolation or NotFoundException)
            {
                // The domain says no, and will say it again: recorded, so the next run does not ask again.
                await RecordAsync(Job, athleteId, week, $"Refused: {(refused as CoachingRuleViolation)?.Code ?? refused.Message}", token);
                Interlocked.Increment(ref ran);
                logger.LogInformation("Weekly adjustment refused for athlete {AthleteId}, week of {Week}: {Reason}", athleteId, week, refused.Message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Interlocked.Increment(ref failed);
                logger.LogError(ex, "Weekly adjustment failed for athlete {AthleteId}, week of {Week}; it will be retried", athleteId, week);
            }
        });
        if (due.Count > 0) logger.LogInformation("Weekly adjustment: {Ran} adjusted, {Failed} failed, {Skipped} already done", ran, failed, due.Count - ran - failed);
        await TellSquadsDoneAsync(squadWeeks, ct);
        return new JobReport(due.Count, ran, failed);
    }

    /// <summary>
    /// One notice per squad-week, once every athlete of the squad with a plan has their week decided (or refused): on
    /// the squad's stream, from where the live news tells its coaches. A run that ends before that leaves it to a later
    /// run; a squad told already is skipped by job_runs, and its decider says nothing twice.
    /// </summary>
    private async Task TellSquadsDoneAsync(HashSet<(Guid Squad, DateOnly Week)> squadWeeks, CancellationToken ct)
    {
        var told = await DoneAsync(Summary, squadWeeks.Select(s => s.Week).Distinct().ToArray(), ct);
        foreach (var (squadId, week) in squadWeeks.Where(s => !told.Contains(s)))
        {
            try
            {
                if (await OutcomesAsync(squadId, week, ct) is not { } counts) continue;
                await new Wolverine.Runtime.MessageBus(wolverine).DecideAsync(new RecordWeekAdjustmentsCommand(squadId, week, counts,
                    new CommandOptions { IdempotencyKey = $"{Summary}:{squadId:N}:{week:yyyy-MM-dd}", UserId = Job }), streams, ct);
                await RecordAsync(Summary, squadId, week, $"{counts.Athletes} athletes", ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Telling squad {SquadId} that the week of {Week} is adjusted failed; the next run tries again", squadId, week);
            }
        }
    }

    /// <summary>How the week went for each athlete of the squad with a plan, or null while any is still to do.</summary>
    private async Task<WeekAdjustmentCounts?> OutcomesAsync(Guid squadId, DateOnly week, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            select j.outcome from {CoachingProjection.SchemaName}.squad_members m
              join {CoachingProjection.SchemaName}.plans p using (athlete_id)
              left join job_runs j on j.job = $2 and j.athlete_id = m.athlete_id and j.period = $3
             where m.squad_id = $1 and m.left_at is null
            """);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = squadId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Job });
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = week });
        var outcomes = new List<string?>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) outcomes.Add(r.IsDBNull(0) ? null : r.GetString(0));
        if (outcomes.Count == 0 || outcomes.Any(o => o is null)) return null;
        // What RunDueAsync recorded: an outcome's name, "Proposed" and the outcome, "Unchanged", or "Refused: ...".
        return WeekAdjustmentCounts.Of([.. outcomes.Select(o => o!.StartsWith("Proposed", StringComparison.Ordinal)
            ? ((AdjustmentOutcome?)null, true)
            : (Enum.TryParse<AdjustmentOutcome>(o, out var outcome) ? outcome : (AdjustmentOutcome?)null, false))]);
    }

    /// <summary>Every athlete with a plan, with the squad they are in now and its settings (the defaults when none).</summary>
    private async Task<List<(Guid Athlete, string TimeZone, Guid? Squad, SquadSettings Settings)>> PlannedAthletesAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            select p.athlete_id, a.time_zone, s.settings::text, m.squad_id
              from {CoachingProjection.SchemaName}.plans p
              join {CoachingProjection.SchemaName}.athletes a using (athlete_id)
              left join lateral (select m.squad_id from {CoachingProjection.SchemaName}.squad_members m
                                  where m.athlete_id = p.athlete_id and m.left_at is null order by m.joined_at desc limit 1) m on true
              left join {CoachingProjection.SchemaName}.squads s on s.squad_id = m.squad_id
            """);
        var list = new List<(Guid, string, Guid?, SquadSettings)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add((r.GetGuid(0), r.GetString(1), r.IsDBNull(3) ? null : r.GetGuid(3),
                r.IsDBNull(2) ? SquadSettings.Default : JsonSerializer.Deserialize(r.GetString(2), CoachingJson.Default.SquadSettings) ?? SquadSettings.Default));
        return list;
    }

    internal async Task<HashSet<(Guid, DateOnly)>> DoneAsync(string job, DateOnly[] periods, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select athlete_id, period from job_runs where job = $1 and period = any($2)");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job });
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly[]> { TypedValue = periods });
        var set = new HashSet<(Guid, DateOnly)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) set.Add((r.GetGuid(0), r.GetFieldValue<DateOnly>(1)));
        return set;
    }

    internal async Task RecordAsync(string job, Guid athleteId, DateOnly period, string outcome, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "insert into job_runs (job, athlete_id, period, outcome) values ($1, $2, $3, $4) on conflict do nothing");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job });
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = athleteId });
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = period });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = outcome });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
