using CoachHub.Domain.Athletes;

namespace CoachHub.Domain.Plans;

/// <summary>
/// What the plan prescribed for a run when it was logged: the planned running session it fulfils. Kept on the run,
/// so triage can tell "added beyond the plan" (LD-INTENSITY) from "what the plan asked for", an automated Progress
/// week within its limits included, without reading the plan stream.
/// </summary>
public sealed record PrescribedSession(string SessionId, SessionType Type, int? DistanceMeters, int? DurationSeconds)
{
    /// <summary>How far over the prescribed distance (or time) a run may go and still be what was prescribed.</summary>
    public const int TolerancePercent = 110;

    /// <summary>
    /// Whether the run is what this session prescribed: the same kind of hard session for hills or intervals, and
    /// no more than 10% over the planned distance (or the planned time, for a session planned by time).
    /// </summary>
    public bool Covers(RunLogged run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!SessionTypes.IsRun(Type) || (run.Workout is WorkoutType.Hills or WorkoutType.Intervals && (int)run.Workout != (int)Type))
        {
            return false;
        }

        return DistanceMeters is { } meters
            ? run.DistanceMeters * 100L <= meters * (long)TolerancePercent
            : DurationSeconds is { } seconds && run.DurationSeconds * 100L <= seconds * (long)TolerancePercent;
    }

    /// <summary>
    /// The active running session of the run's day that it fulfils: the one the athlete picked, else that day's
    /// session of the same type, else that day's first running session. Sessions a pause holds back prescribe nothing.
    /// </summary>
    public static PrescribedSession? For(PlanState plan, DateTimeOffset startedAt, WorkoutType workout, string? plannedSessionId, IReadOnlyList<RunningPause> pauses)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(pauses);
        var day = TrainingCalendar.LocalDate(startedAt);
        var week = RunningPauses.Active(plan.WeekOf(TrainingCalendar.WeekStartOf(day)), pauses);
        var runs = (week?.Sessions ?? []).Where(s => SessionTypes.IsRun(s.Type)).OrderBy(s => s.SessionId, StringComparer.Ordinal).ToList();
        var session = runs.FirstOrDefault(s => s.SessionId == plannedSessionId)
            ?? runs.FirstOrDefault(s => s.Date == day && (int)s.Type == (int)workout)
            ?? runs.FirstOrDefault(s => s.Date == day);
        return session is null ? null : new PrescribedSession(session.SessionId, session.Type, session.DistanceMeters, session.DurationSeconds);
    }
}
