using System.Text.Json;
using CoachHub.Domain;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Npgsql;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Marten.Publishing;
using Wolverine.Runtime.Handlers;

namespace CoachHub.Server.Jobs;

/// <summary>What a firing found due, and how much of it it published (the rest was done already).</summary>
public sealed record JobReport(int Due, int Published);

/// <summary>One athlete's next week to adjust, as the weekly job publishes it; handled on the durable queue <see cref="WeeklyAdjustments.Queue"/>.</summary>
public sealed record WeekToAdjust(Guid AthleteId, DateOnly WeekStart, DateTimeOffset LocalNow, SquadSettings Settings, Guid? SquadId);

/// <summary>A squad-week whose coaches may not have heard yet that every athlete's next week is decided.</summary>
public sealed record SquadWeekToClose(Guid SquadId, DateOnly WeekStart);

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
/// adjusted. Hangfire owns the clock, Wolverine the work (ADR 0009): a firing only publishes one
/// <see cref="WeekToAdjust"/> per athlete-week due, in one transaction, to a durable queue; each is the domain's
/// AdjustWeek as a Wolverine command like the API's, keyed per athlete-week, so a re-run, a catch-up after downtime,
/// a manual trigger or a second node never adjusts anyone twice. After downtime only the latest closed week is caught
/// up. A failing athlete is tried again by Wolverine and then by the next firing; it never holds up the others.
/// </summary>
public sealed class WeeklyAdjustments(StreamStates streams, NpgsqlDataSource db,
    AthleteClock clock, JobLedger ledger, ILogger<WeeklyAdjustments> logger)
{
    public const string Job = "weekly-adjustment";

    /// <summary>The durable local queue the athlete-weeks wait in.</summary>
    public const string Queue = "weekly-adjustments";

    /// <summary>job_runs' record of a squad-week whose coaches were told it is done (athlete_id holds the squad).</summary>
    public const string Summary = "weekly-summary";

    /// <summary>Athletes adjusted at once on a node: each is a handful of round trips, so one at a time leaves the machine waiting.</summary>
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
        var due = new List<WeekToAdjust>();
        foreach (var (athleteId, timeZone, inSquad, settings) in await PlannedAthletesAsync(ct))
        {
            if (squadId is { } only && inSquad != only) continue;
            var localNow = clock.Now(timeZone);
            // The week closes on the squad's clock where it has one, else on the athlete's own; the athlete's "today"
            // is theirs either way.
            var closes = settings.TimeZone is { } squadZone ? clock.Now(squadZone) : localNow;
            if (WeeklyAdjustment.ClosedWeek(closes, settings) is not { } closed) continue;
            due.Add(new WeekToAdjust(athleteId, closed.AddDays(7), localNow, settings, inSquad));
        }
        var done = await ledger.DoneOrQueuedAsync(Job, [.. due.Select(d => d.WeekStart).Distinct()], ct);
        var toAdjust = due.Where(d => !done.Contains((d.AthleteId, d.WeekStart))).ToList();
        // A squad whose athletes were all decided before, but whose notice failed, is closed again; one with athletes
        // published now is closed by the last of them to be handled.
        var squadWeeks = due.Where(d => d.SquadId is not null).Select(d => (Squad: d.SquadId!.Value, Week: d.WeekStart)).ToHashSet();
        var told = await ledger.DoneAsync(Summary, [.. squadWeeks.Select(s => s.Week).Distinct()], ct);
        var adjusting = toAdjust.Where(d => d.SquadId is not null).Select(d => (d.SquadId!.Value, d.WeekStart)).ToHashSet();
        var toClose = squadWeeks.Where(s => !told.Contains(s) && !adjusting.Contains(s)).ToList();

        await ledger.PublishAsync(Job, [.. toAdjust.Select(d => ((object)d, d.AthleteId, d.WeekStart, d.SquadId))],
            toClose.Select(s => (object)new SquadWeekToClose(s.Squad, s.Week)), ct);
        if (due.Count > 0) logger.LogInformation("Weekly adjustment: {Published} athletes published, {Skipped} done or waiting", toAdjust.Count, due.Count - toAdjust.Count);
        return new JobReport(due.Count, toAdjust.Count);
    }

    /// <summary>One athlete's next week (the queue's handler): decided, recorded, and the squad's notice once it is the last.</summary>
    public async Task AdjustAsync(WeekToAdjust week, Wolverine.IMessageBus bus, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(week);
        string outcome;
        try
        {
            var result = await bus.DecideAsync(new AdjustNextWeekCommand(week.AthleteId, week.WeekStart, week.LocalNow, week.Settings,
                new CommandOptions { IdempotencyKey = $"{Job}:{week.AthleteId:N}:{week.WeekStart:yyyy-MM-dd}", UserId = Job }), streams, ct);
            outcome = result.Events.OfType<WeekAdjusted>().Select(e => e.Outcome.ToString())
                .Concat(result.Events.OfType<AdjustmentProposed>().Select(e => "Proposed" + e.Outcome)).FirstOrDefault() ?? "Unchanged";
        }
        catch (Exception refused) when (refused is CoachingRuleViolation or NotFoundException)
        {
            // The domain says no, and will say it again: recorded, so the next firing does not ask again.
            outcome = $"Refused: {(refused as CoachingRuleViolation)?.Code ?? refused.Message}";
            logger.LogInformation("Weekly adjustment refused for athlete {AthleteId}, week of {Week}: {Reason}", week.AthleteId, week.WeekStart, refused.Message);
        }
        await ledger.RecordAsync(Job, week.AthleteId, week.WeekStart, outcome, ct);
        // The squad's whole week is read only once none of its athletes waits: reading it after each athlete made a
        // squad of 1,000 cost a million rows.
        if (week.SquadId is { } squadId && await ledger.NoneWaitingAsync(Job, week.WeekStart, squadId, ct))
            await CloseSquadWeekAsync(new SquadWeekToClose(squadId, week.WeekStart), bus, ct);
    }

    /// <summary>
    /// One notice per squad-week, once every athlete of the squad with a plan has their week decided (or refused): on
    /// the squad's stream, from where the live news tells its coaches. Asked after each athlete; the last one finds the
    /// squad complete (two finishing together may both, and the notice's key lets only one through).
    /// </summary>
    public async Task CloseSquadWeekAsync(SquadWeekToClose squadWeek, Wolverine.IMessageBus bus, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(squadWeek);
        var (squadId, week) = squadWeek;
        if ((await ledger.DoneAsync(Summary, [week], ct)).Contains((squadId, week))) return;
        if (await OutcomesAsync(squadId, week, ct) is not { } counts) return;
        await bus.DecideAsync(new RecordWeekAdjustmentsCommand(squadId, week, counts,
            new CommandOptions { IdempotencyKey = $"{Summary}:{squadId:N}:{week:yyyy-MM-dd}", UserId = Job }), streams, ct);
        await ledger.RecordAsync(Summary, squadId, week, $"{counts.Athletes} athletes", ct);
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
}

public static class WeekToAdjustHandler
{
    public static void Configure(HandlerChain chain) => JobWork.RetryThenLeaveToNextFiring(chain);

    public static Task HandleAsync(WeekToAdjust week, WeeklyAdjustments adjustments, IMessageBus bus, CancellationToken ct) =>
        adjustments.AdjustAsync(week, bus, ct);
}

public static class SquadWeekToCloseHandler
{
    public static void Configure(HandlerChain chain) => JobWork.RetryThenLeaveToNextFiring(chain);

    public static Task HandleAsync(SquadWeekToClose squadWeek, WeeklyAdjustments adjustments, IMessageBus bus, CancellationToken ct) =>
        adjustments.CloseSquadWeekAsync(squadWeek, bus, ct);
}

public static class JobWork
{
    /// <summary>
    /// A failure other than the domain's refusal (the database away, an event this build cannot read) is tried again
    /// after 0.5 and 2 s, then left to a later firing of the job (every few minutes), which publishes the work again
    /// once it has waited <see cref="JobLedger.GiveUpAfter"/>: no dead letter piles up per firing for work that keeps failing.
    /// </summary>
    public static void RetryThenLeaveToNextFiring(HandlerChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        chain.OnAnyException().RetryWithCooldown(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2)).Then.Discard();
    }
}

/// <summary>
/// job_runs: what each job did for each athlete (or squad) and period, so a later firing skips it cheaply; job_queue:
/// what a firing published and is not done yet, so a later firing does not publish it again while it waits.
/// </summary>
public sealed class JobLedger(NpgsqlDataSource db, TimeProvider time, NodeIdentity node, OutboxedSessionFactory outbox, Wolverine.Runtime.IWolverineRuntime wolverine)
{
    /// <summary>
    /// How long published work is left to its queue before a firing publishes it again: longer than a run takes, and a
    /// dead node's messages take seconds to move; what its handler gave up on (Discard) is tried again after this.
    /// </summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(10);

    /// <summary>What is done (job_runs).</summary>
    public async Task<HashSet<(Guid, DateOnly)>> DoneAsync(string job, DateOnly[] periods, CancellationToken ct) =>
        await ReadAsync("select athlete_id, period from job_runs where job = $1 and period = any($2)", job, periods, null, ct);

    /// <summary>What a firing need not publish: done, or published less than <see cref="GiveUpAfter"/> ago.</summary>
    public async Task<HashSet<(Guid, DateOnly)>> DoneOrQueuedAsync(string job, DateOnly[] periods, CancellationToken ct) =>
        await ReadAsync("""
            select athlete_id, period from job_runs where job = $1 and period = any($2)
            union select athlete_id, period from job_queue where job = $1 and period = any($2) and queued_at > $3
            """, job, periods, time.GetUtcNow() - GiveUpAfter, ct);

    private async Task<HashSet<(Guid, DateOnly)>> ReadAsync(string sql, string job, DateOnly[] periods, DateTimeOffset? since, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job });
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly[]> { TypedValue = periods });
        if (since is { } at) cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at });
        var set = new HashSet<(Guid, DateOnly)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) set.Add((r.GetGuid(0), r.GetFieldValue<DateOnly>(1)));
        return set;
    }

    /// <summary>
    /// A firing's work: each message published to its queue with its <c>job_queue</c> row, and <paramref name="alongside"/>
    /// (messages that are not work of the job's own), all in one transaction: a firing publishes everything or nothing.
    /// </summary>
    public async Task PublishAsync(string job, IReadOnlyCollection<(object Message, Guid Athlete, DateOnly Period, Guid? Squad)> work,
        IEnumerable<object> alongside, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(alongside);
        var bus = new Wolverine.Runtime.MessageContext(wolverine);
        await using var session = outbox.OpenSession(bus);
        foreach (var (message, _, _, _) in work) await bus.PublishAsync(message);
        foreach (var message in alongside) await bus.PublishAsync(message);
        if (work.Count > 0)
        {
            session.QueueSqlCommand("""
                insert into job_queue (job, athlete_id, period, squad_id, queued_at) select ?, unnest(?), unnest(?), unnest(?), ?
                on conflict (job, athlete_id, period) do update set queued_at = excluded.queued_at, squad_id = excluded.squad_id
                """, job, work.Select(w => w.Athlete).ToArray(), work.Select(w => w.Period).ToArray(), work.Select(w => w.Squad).ToArray(), time.GetUtcNow());
        }
        await session.SaveChangesAsync(ct);
    }

    /// <summary>Whether none of the squad's athletes waits for this job and period any more (one index probe).</summary>
    public async Task<bool> NoneWaitingAsync(string job, DateOnly period, Guid squadId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select not exists (select 1 from job_queue where job = $1 and period = $2 and squad_id = $3)");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job });
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = period });
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = squadId });
        return await cmd.ExecuteScalarAsync(ct) is true;
    }

    /// <summary>
    /// Done, as <see cref="RecordAsync"/>, in a handler's transaction with the messages it publishes. A second record of
    /// the same work fails the transaction, so its messages (a mail) are never sent twice.
    /// </summary>
    public void Record(IDocumentSession session, string job, Guid athleteId, DateOnly period, string outcome)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.QueueSqlCommand("insert into job_runs (job, athlete_id, period, outcome, node) values (?, ?, ?, ?, ?)",
            job, athleteId, period, outcome, node.Name);
        session.QueueSqlCommand("delete from job_queue where job = ? and athlete_id = ? and period = ?", job, athleteId, period);
    }

    /// <summary>Done: recorded with its outcome and this node's name, and no longer waiting.</summary>
    public async Task RecordAsync(string job, Guid athleteId, DateOnly period, string outcome, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            with done as (insert into job_runs (job, athlete_id, period, outcome, node) values ($1, $2, $3, $4, $5) on conflict do nothing)
            delete from job_queue where job = $1 and athlete_id = $2 and period = $3
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job });
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = athleteId });
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = period });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = outcome });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = node.Name });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
