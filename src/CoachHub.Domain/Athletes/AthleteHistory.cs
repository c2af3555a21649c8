namespace CoachHub.Domain.Athletes;

/// <summary>
/// Everything the triage rules and the weekly adjustment read about one athlete, as of <see cref="Today"/>
/// (the athlete's local date). Lists may be in any order; rules order them themselves. Units only shape the
/// wording of messages. A history from <see cref="AthleteState.HistoryAsOf"/> lists the state's
/// <see cref="RunLog"/> and <see cref="PainReportLog"/>, whose indexes let triage read windows; other lists are
/// indexed when triaged, with the same result.
/// </summary>
public sealed record AthleteHistory(
    DateOnly Today,
    IReadOnlyList<RunLogged> Runs,
    IReadOnlyList<PainReportSubmitted> PainReports,
    IReadOnlyList<Shoe> Shoes,
    IReadOnlyList<ClearedToRun> Clearances,
    Units Units = Units.Kilometres,
    Plans.WeeklyAvailability? Availability = null)
{
    public static AthleteHistory Empty(DateOnly today, Units units = Units.Kilometres) => new(today, [], [], [], [], units);
}
