namespace CoachHub.Domain.Plans;

public enum AdjustmentOutcome
{
    Pause = 0,
    ReturnToRun = 1,
    Deload = 2,
    Hold = 3,
    Progress = 4,
}

public enum ReturnToRunStepKind
{
    Started = 0,
    Repeated = 1,
    Progressed = 2,
    Completed = 3,
}

/// <summary>Where the return-to-run protocol stands after a weekly adjustment.</summary>
public sealed record ReturnToRunStep(ReturnToRunStepKind Kind, int FromPhase, int ToPhase, DateTimeOffset? ClearedAt);

[EventType("plan.started.v1")]
public sealed record PlanStarted(Guid AthleteId, string Goal, DateOnly StartDate, int WeeklyDistanceMeters, DateTimeOffset StartedAt);

[EventType("plan.week-planned.v1")]
public sealed record WeekPlanned(DateOnly WeekStart, IReadOnlyList<PlannedSession> Sessions, Guid CoachId, DateTimeOffset PlannedAt);

/// <summary>A coach's manual change to one session; automation never overwrites it afterwards.</summary>
[EventType("plan.session-edited.v1")]
public sealed record SessionEdited(DateOnly WeekStart, PlannedSession Session, Guid CoachId, DateTimeOffset EditedAt);

/// <summary>
/// A coach took a session out of a week. Like an edit, it is the coach's: approving or rejecting a proposal never
/// brings it back, and the weekly adjustment lays the week out from what is left.
/// </summary>
[EventType("plan.session-removed.v1")]
public sealed record SessionRemoved(DateOnly WeekStart, string SessionId, Guid CoachId, DateTimeOffset RemovedAt);

/// <param name="From">The week before the change (null if it had not been planned); rejection restores it.</param>
[EventType("plan.week-adjusted.v1")]
public sealed record WeekAdjusted(
    DateOnly WeekStart,
    AdjustmentOutcome Outcome,
    IReadOnlyList<string> RuleIds,
    IReadOnlyList<string> Reasons,
    PlannedWeek? From,
    PlannedWeek To,
    ReturnToRunStep? ReturnToRun,
    DateTimeOffset AdjustedAt);

/// <summary>An automated change waiting for the coach, when the squad requires approval.</summary>
[EventType("plan.adjustment-proposed.v1")]
public sealed record AdjustmentProposed(
    DateOnly WeekStart,
    AdjustmentOutcome Outcome,
    IReadOnlyList<string> RuleIds,
    IReadOnlyList<string> Reasons,
    PlannedWeek? From,
    PlannedWeek To,
    ReturnToRunStep? ReturnToRun,
    DateTimeOffset ProposedAt);

/// <param name="Applied">The week as it now stands: the proposal, keeping the coach's edits and days already past.</param>
[EventType("plan.adjustment-approved.v1")]
public sealed record AdjustmentApproved(DateOnly WeekStart, Guid CoachId, PlannedWeek Applied, DateTimeOffset ApprovedAt);

/// <param name="Restored">The week as it now stands (null if it is unplanned again).</param>
[EventType("plan.adjustment-rejected.v1")]
public sealed record AdjustmentRejected(DateOnly WeekStart, Guid CoachId, string? Reason, PlannedWeek? Restored, DateTimeOffset RejectedAt);

[EventType("plan.return-to-run-started.v1")]
public sealed record ReturnToRunStarted(DateOnly WeekStart, int Phase, DateTimeOffset ClearedAt);

[EventType("plan.return-to-run-progressed.v1")]
public sealed record ReturnToRunProgressed(DateOnly WeekStart, int FromPhase, int ToPhase, bool Completed);
