using Npgsql;
using CoachHub.Domain.Athletes;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Wolverine;

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

/// <summary>
/// Once a day per athlete (their local day): the time-based findings of the domain, such as shoe mileage,
/// surface monotony and rest days, which change with the calendar rather than with a new run or report.
/// </summary>
public sealed class DailySweep(Wolverine.Runtime.IWolverineRuntime wolverine, StreamStates streams, NpgsqlDataSource db, AthleteClock clock, WeeklyAdjustments runs,
    ILogger<DailySweep> logger)
{
    public const string Job = "daily-sweep";

    public async Task<JobReport> RunDueAsync(CancellationToken ct)
    {
        var athletes = new List<(Guid Id, string TimeZone)>();
        await using (var cmd = db.CreateCommand($"select athlete_id, time_zone from {CoachingProjection.SchemaName}.athletes"))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) athletes.Add((r.GetGuid(0), r.GetString(1)));
        var due = athletes.Select(a => (a.Id, Today: clock.Today(a.TimeZone), Now: clock.Now(a.TimeZone))).ToList();
        var done = await runs.DoneAsync(Job, due.Select(d => d.Today).Distinct().ToArray(), ct);
        int ran = 0, failed = 0;
        await Parallel.ForEachAsync(due.Where(d => !done.Contains((d.Id, d.Today))),
            new ParallelOptions { MaxDegreeOfParallelism = WeeklyAdjustments.Concurrency, CancellationToken = ct }, async (d, token) =>
        {
            var (athleteId, today, now) = d;
            try
            {
                var result = await new Wolverine.Runtime.MessageBus(wolverine).DecideAsync(new SweepAthleteDayCommand(athleteId, today, now,
                    new CommandOptions { IdempotencyKey = $"{Job}:{athleteId:N}:{today:yyyy-MM-dd}", UserId = Job }), streams, token);
                await runs.RecordAsync(Job, athleteId, today, $"{result.Events.Count} events", token);
                Interlocked.Increment(ref ran);
            }
            catch (Exception refused) when (refused is Domain.CoachingRuleViolation or NotFoundException)
            {
                // The domain says no, and will say it again today: recorded, so the next run does not ask again.
                await runs.RecordAsync(Job, athleteId, today, $"Refused: {(refused as Domain.CoachingRuleViolation)?.Code ?? refused.Message}", token);
                Interlocked.Increment(ref ran);
                logger.LogInformation("Daily sweep refused for athlete {AthleteId} on {Day}: {Reason}", athleteId, today, refused.Message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Interlocked.Increment(ref failed);
                logger.LogError(ex, "Daily sweep failed for athlete {AthleteId} on {Day}; it will be retried", athleteId, today);
            }
        });
        return new JobReport(due.Count, ran, failed);
    }
}
