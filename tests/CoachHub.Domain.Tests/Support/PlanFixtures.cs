using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Triage;

namespace CoachHub.Domain.Tests.Support;

/// <summary>
/// A plan started on Monday 3 March 2025; "last week" is 17-23 March and the week being adjusted starts Monday
/// 24 March. The weekly job runs on Sunday 23 March at 18:00.
/// </summary>
internal static class PlanFixtures
{
    public static readonly Guid AthleteId = HistoryBuilder.Id(100);
    public static readonly Guid CoachId = HistoryBuilder.Id(1);
    public static readonly DateOnly PlanStart = new(2025, 3, 3);
    public static readonly DateOnly LastMonday = new(2025, 3, 17);
    public static readonly DateOnly NextMonday = new(2025, 3, 24);
    public static readonly DateOnly Sunday = new(2025, 3, 23);
    public static readonly DateTimeOffset JobRuns = Clock.At(Sunday, 18);

    public static readonly PlanStarted Started = new(AthleteId, "Dublin half marathon", PlanStart, 30_000, Clock.At(PlanStart.AddDays(-1), 12));

    public static PlannedSession Session(string id, DateOnly date, SessionType type, int meters, int? seconds = null) =>
        new(id, date, type, SessionTypes.IsHard(type) ? Intensity.Hard : Intensity.Easy, meters, seconds, $"{type} run", []);

    /// <summary>Tuesday easy 8 km, Thursday intervals 8 km, Saturday long run 14 km: 30 km.</summary>
    public static PlannedWeek StandardWeek(DateOnly monday, string prefix = "w") => new(monday,
    [
        Session($"{prefix}-tue", monday.AddDays(1), SessionType.Easy, 8_000),
        Session($"{prefix}-thu", monday.AddDays(3), SessionType.Intervals, 8_000),
        Session($"{prefix}-sat", monday.AddDays(5), SessionType.LongRun, 14_000),
    ]);

    public static WeekPlanned Planned(PlannedWeek week) => new(week.WeekStart, week.Sessions, CoachId, Clock.At(week.WeekStart.AddDays(-2), 12));

    /// <summary>The athlete did last week's standard plan to the metre, pain-free.</summary>
    public static HistoryBuilder DidLastWeek(DateOnly? today = null)
    {
        var history = new HistoryBuilder(today ?? Sunday);
        history.Run(LastMonday.AddDays(1), 8);
        history.Run(LastMonday.AddDays(3), 8, WorkoutType.Intervals);
        history.Run(LastMonday.AddDays(5), 14, WorkoutType.LongRun);
        return history;
    }

    public static Finding FindingOf(string ruleId, Severity severity, string key = "test") =>
        new(Finding.IdFor(ruleId, key), ruleId, severity, "athlete message", "coach message", "action", new FindingEvidence([], [], [], []), key);

    public static PlanState StateOf(params object[] events) => events.Aggregate(PlanDecider.Initial, PlanDecider.Evolve);

    public static int RunDistance(PlannedWeek week) => WeekVolume.DistanceMeters(week);
}
