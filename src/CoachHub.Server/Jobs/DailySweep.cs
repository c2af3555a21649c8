using Npgsql;
using CoachHub.Domain.Athletes;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace CoachHub.Server.Jobs;

/// <summary>The daily sweep's command for one athlete's local day; keyed per athlete-day.</summary>
public sealed record SweepAthleteDayCommand(Guid AthleteId, DateOnly Today, DateTimeOffset Now, CommandOptions Options) : IStreamCommand<AthleteState>
{
    public Task<Loaded<AthleteState>> LoadAsync(StreamStates streams, CancellationToken ct) =>
        streams.LoadAsync(Streams.Athlete(AthleteId), Deciders.Athlete, ct);
}

public static class SweepAthleteDayHandler
{
    public static Task<Loaded<AthleteState>> LoadAsync(SweepAthleteDayCommand command, StreamStates streams, CancellationToken ct) =>
        command.LoadAsync(streams, ct);

    public static Decided<AthleteState> Handle(SweepAthleteDayCommand command, Loaded<AthleteState> athlete, IDocumentSession session) =>
        athlete.Decide(Deciders.Athlete, new SweepTimeBasedFindings(command.Today), command.Options, command.Now, session);
}

/// <summary>One athlete's local day to sweep, as the daily job publishes it; handled on the durable queue <see cref="DailySweep.Queue"/>.</summary>
public sealed record DayToSweep(Guid AthleteId, DateOnly Day, DateTimeOffset LocalNow);

/// <summary>
/// Once a day per athlete (their local day): the time-based findings of the domain, such as shoe mileage,
/// surface monotony and rest days, which change with the calendar rather than with a new run or report. A firing only
/// publishes the athlete-days due, in one transaction; each is a command keyed per athlete-day.
/// </summary>
public sealed class DailySweep(StreamStates streams, NpgsqlDataSource db,
    AthleteClock clock, JobLedger ledger, ILogger<DailySweep> logger)
{
    public const string Job = "daily-sweep";

    /// <summary>The durable local queue the athlete-days wait in.</summary>
    public const string Queue = "daily-sweep";

    public async Task<JobReport> RunDueAsync(CancellationToken ct)
    {
        var athletes = new List<(Guid Id, string TimeZone)>();
        await using (var cmd = db.CreateCommand($"select athlete_id, time_zone from {CoachingProjection.SchemaName}.athletes"))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) athletes.Add((r.GetGuid(0), r.GetString(1)));
        var due = athletes.Select(a => new DayToSweep(a.Id, clock.Today(a.TimeZone), clock.Now(a.TimeZone))).ToList();
        var done = await ledger.DoneOrQueuedAsync(Job, [.. due.Select(d => d.Day).Distinct()], ct);
        var toSweep = due.Where(d => !done.Contains((d.AthleteId, d.Day))).ToList();
        await ledger.PublishAsync(Job, [.. toSweep.Select(d => ((object)d, d.AthleteId, d.Day, (Guid?)null))], [], ct);
        return new JobReport(due.Count, toSweep.Count);
    }

    /// <summary>One athlete-day (the queue's handler), recorded once swept or refused.</summary>
    public async Task SweepAsync(DayToSweep day, IMessageBus bus, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(day);
        string outcome;
        try
        {
            var result = await bus.DecideAsync(new SweepAthleteDayCommand(day.AthleteId, day.Day, day.LocalNow,
                new CommandOptions { IdempotencyKey = $"{Job}:{day.AthleteId:N}:{day.Day:yyyy-MM-dd}", UserId = Job }), streams, ct);
            outcome = $"{result.Events.Count} events";
        }
        catch (Exception refused) when (refused is Domain.CoachingRuleViolation or NotFoundException)
        {
            // The domain says no, and will say it again today: recorded, so the next firing does not ask again.
            outcome = $"Refused: {(refused as Domain.CoachingRuleViolation)?.Code ?? refused.Message}";
            logger.LogInformation("Daily sweep refused for athlete {AthleteId} on {Day}: {Reason}", day.AthleteId, day.Day, refused.Message);
        }
        await ledger.RecordAsync(Job, day.AthleteId, day.Day, outcome, ct);
    }
}

public static class DayToSweepHandler
{
    public static void Configure(HandlerChain chain) => JobWork.RetryThenLeaveToNextFiring(chain);

    public static Task HandleAsync(DayToSweep day, DailySweep sweep, IMessageBus bus, CancellationToken ct) => sweep.SweepAsync(day, bus, ct);
}
