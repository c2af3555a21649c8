using CoachHub.Domain.Athletes;
using CoachHub.Domain.Triage;

namespace CoachHub.Domain.Plans;

/// <summary>
/// A stretch with no running: from the moment an urgent or emergency finding was raised (the report's acceptance)
/// until a coach recorded clearance. The instants carry the athlete's offset, so their dates are the athlete's days.
/// </summary>
public sealed record RunningPause(string FindingId, string RuleId, DateTimeOffset RaisedAt, DateTimeOffset? ClearedAt)
{
    public bool IsOpen => ClearedAt is null;

    /// <summary>The days it suspends: from the day it was raised (the rest of that day included) to the day before clearance.</summary>
    public bool Covers(DateOnly day) =>
        day >= TrainingCalendar.LocalDate(RaisedAt) && (ClearedAt is not { } cleared || day < TrainingCalendar.LocalDate(cleared));
}

/// <summary>A planned running session that a pause holds back: kept as planned, not active, restored by clearance.</summary>
public sealed record SuspendedSession(string SessionId, string FindingId, string RuleId);

/// <summary>
/// How pauses act on a plan. Suspension is derived from the pauses, never written into the plan, so it starts with
/// the red flag's own append, covers every session whoever planned it, and lifts with clearance alone.
/// </summary>
public static class RunningPauses
{
    /// <summary>The athlete's pauses, from every finding raised and resolved on their stream.</summary>
    public static IReadOnlyList<RunningPause> Of(IEnumerable<OpenFinding> open, IEnumerable<RunningPause> closed)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(closed);
        return [.. closed, .. open.Where(f => Pauses(f.Finding.Severity)).Select(f => new RunningPause(f.Finding.FindingId, f.Finding.RuleId, f.RaisedAt, null))];
    }

    /// <summary>Urgent and emergency findings stop running until a coach records clearance.</summary>
    public static bool Pauses(Severity severity) => severity >= Severity.Urgent;

    /// <summary>The pause that suspends this session, if any: a running session on a day some pause covers.</summary>
    public static RunningPause? Suspending(PlannedSession session, IReadOnlyList<RunningPause> pauses)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(pauses);
        return SessionTypes.IsRun(session.Type) ? Earliest(pauses.Where(p => p.Covers(session.Date))) : null;
    }

    /// <summary>The week's sessions that pauses hold back, in the week's order.</summary>
    public static IReadOnlyList<SuspendedSession> Suspended(PlannedWeek? week, IReadOnlyList<RunningPause> pauses)
    {
        ArgumentNullException.ThrowIfNull(pauses);
        var suspended = new List<SuspendedSession>();
        foreach (var session in week?.Sessions ?? [])
        {
            if (Suspending(session, pauses) is { } pause)
            {
                suspended.Add(new SuspendedSession(session.SessionId, pause.FindingId, pause.RuleId));
            }
        }

        return suspended;
    }

    /// <summary>The sessions the athlete is asked to do: the week without the suspended ones.</summary>
    public static PlannedWeek? Active(PlannedWeek? week, IReadOnlyList<RunningPause> pauses)
    {
        ArgumentNullException.ThrowIfNull(pauses);
        return week is null ? null : week with { Sessions = [.. week.Sessions.Where(s => Suspending(s, pauses) is null)] };
    }

    /// <summary>The open pause, if any (the earliest raised).</summary>
    public static RunningPause? Open(IReadOnlyList<RunningPause> pauses)
    {
        ArgumentNullException.ThrowIfNull(pauses);
        return Earliest(pauses.Where(p => p.IsOpen));
    }

    /// <summary>
    /// The pause that voids a proposal made at <paramref name="proposedAt"/>: one still open, or one raised after it.
    /// A proposal weighed a week without the red flag in it, so it never applies once one came, cleared or not.
    /// </summary>
    public static RunningPause? Voiding(DateTimeOffset proposedAt, IReadOnlyList<RunningPause> pauses)
    {
        ArgumentNullException.ThrowIfNull(pauses);
        return Earliest(pauses.Where(p => p.IsOpen || p.RaisedAt > proposedAt));
    }

    private static RunningPause? Earliest(IEnumerable<RunningPause> pauses) =>
        pauses.OrderBy(p => p.RaisedAt).ThenBy(p => p.FindingId, StringComparer.Ordinal).FirstOrDefault();
}
