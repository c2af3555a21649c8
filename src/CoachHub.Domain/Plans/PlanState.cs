using System.Collections.Immutable;

namespace CoachHub.Domain.Plans;

/// <summary>An automated change to one week, applied or waiting for approval, and when automation decided it.</summary>
public sealed record WeekAdjustment(
    DateOnly WeekStart,
    AdjustmentOutcome Outcome,
    IReadOnlyList<string> RuleIds,
    IReadOnlyList<string> Reasons,
    PlannedWeek? From,
    PlannedWeek To,
    ReturnToRunStep? ReturnToRun,
    DateTimeOffset DecidedAt);

public sealed record ReturnToRunState(int Phase, DateTimeOffset ClearedAt, bool Completed);

/// <summary>One athlete's training plan.</summary>
/// <param name="EditedSessionIds">Per week, the sessions a coach changed by hand; automation keeps them as they are.</param>
/// <param name="Adjustments">Automated changes in force, by week (rejected ones are removed).</param>
/// <param name="Pending">Proposals waiting for the coach, by week.</param>
/// <param name="DecidedWeeks">Weeks the weekly adjustment has already run for: it runs once per week.</param>
/// <param name="RejectedWeeks">Weeks whose automated change the coach rejected.</param>
public sealed record PlanState(
    bool Started,
    Guid AthleteId,
    string Goal,
    DateOnly StartDate,
    int WeeklyDistanceMeters,
    DateTimeOffset StartedAt,
    ImmutableSortedDictionary<DateOnly, PlannedWeek> Weeks,
    ImmutableDictionary<DateOnly, ImmutableHashSet<string>> EditedSessionIds,
    ImmutableSortedDictionary<DateOnly, WeekAdjustment> Adjustments,
    ImmutableSortedDictionary<DateOnly, WeekAdjustment> Pending,
    ImmutableHashSet<DateOnly> DecidedWeeks,
    ImmutableHashSet<DateOnly> RejectedWeeks,
    ReturnToRunState? ReturnToRun)
{
    public PlannedWeek? WeekOf(DateOnly weekStart) => Weeks.GetValueOrDefault(weekStart);

    public IReadOnlySet<string> EditedIn(DateOnly weekStart) =>
        EditedSessionIds.TryGetValue(weekStart, out var ids) ? ids : ImmutableHashSet.Create<string>(StringComparer.Ordinal);
}
