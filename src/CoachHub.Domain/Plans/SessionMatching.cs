using CoachHub.Domain.Athletes;
using CoachHub.Domain.Load;

namespace CoachHub.Domain.Plans;

/// <summary>
/// How a planned session went, coloured as TrainingPeaks users know it: done within 20% of the planned distance (or
/// duration when no distance is planned), 20-50% off, more than 50% off, missed (its day is over and nothing was run),
/// and, for a run no session was planned for, unplanned.
/// </summary>
public enum SessionCompliance
{
    Green = 0,
    Yellow = 1,
    Orange = 2,
    Red = 3,
    Grey = 4,
}

/// <summary>A planned session and the run done for it, if any; <paramref name="Compliance"/> null while it is still to come.</summary>
public sealed record MatchedSession(PlannedSession Session, RunLogged? Run, SessionCompliance? Compliance, bool Suspended);

/// <summary>The planned sessions of some days with the runs matched to them, and the runs no session was planned for.</summary>
public sealed record MatchedDays(IReadOnlyList<MatchedSession> Sessions, IReadOnlyList<RunLogged> Unplanned);

public static class SessionMatching
{
    /// <summary>What a run names when a coach said it was for no planned session: it matches none, and is grey.</summary>
    public const string NoSession = "none";

    /// <summary>
    /// Each run goes to the planned session it names (<see cref="RunLogged.PlannedSessionId"/>, the athlete's or a
    /// coach's choice) or, naming none, to the first running session of its local day not matched yet. One run per
    /// session; a session a red flag suspended is neither matched nor missed. Strength, mobility and rest take no run
    /// and get no colour.
    /// </summary>
    public static MatchedDays Match(IReadOnlyList<PlannedSession> sessions, IReadOnlyList<RunLogged> runs, IReadOnlySet<string> suspended, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(suspended);
        var runFor = new Dictionary<string, RunLogged>(StringComparer.Ordinal);
        var unplanned = new List<RunLogged>();
        var ordered = runs.OrderBy(r => r.StartedAt).ThenBy(r => r.RunId).ToList();
        bool Open(PlannedSession s) => SessionTypes.IsRun(s.Type) && !suspended.Contains(s.SessionId) && !runFor.ContainsKey(s.SessionId);
        // Runs that name their session first, so that a run naming none does not take it from them.
        foreach (var run in ordered.Where(r => r.PlannedSessionId is not null))
        {
            if (sessions.FirstOrDefault(s => s.SessionId == run.PlannedSessionId && Open(s)) is { } named) runFor[named.SessionId] = run;
        }
        foreach (var run in ordered.Where(r => !runFor.ContainsValue(r)))
        {
            var day = LoadMetrics.LocalDate(run);
            if (run.PlannedSessionId is null && sessions.Where(s => s.Date == day).OrderBy(s => s.SessionId, StringComparer.Ordinal).FirstOrDefault(Open) is { } same)
                runFor[same.SessionId] = run;
            else
                unplanned.Add(run);
        }
        var matched = sessions.OrderBy(s => s.Date).ThenBy(s => s.SessionId, StringComparer.Ordinal).Select(s =>
        {
            var isSuspended = suspended.Contains(s.SessionId);
            var run = runFor.GetValueOrDefault(s.SessionId);
            return new MatchedSession(s, run, isSuspended || !SessionTypes.IsRun(s.Type) ? null : ComplianceOf(s, run, today), isSuspended);
        }).ToList();
        return new MatchedDays(matched, unplanned);
    }

    /// <summary>A running session's colour: by distance when one is planned, else by duration; missed once its day is over.</summary>
    public static SessionCompliance? ComplianceOf(PlannedSession session, RunLogged? run, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (run is null) return session.Date < today ? SessionCompliance.Red : null;
        var (planned, done) = session.DistanceMeters is > 0 ? (session.DistanceMeters.Value, run.DistanceMeters)
            : session.DurationSeconds is > 0 ? (session.DurationSeconds.Value, run.DurationSeconds)
            : (0, 0);
        if (planned == 0) return SessionCompliance.Green; // nothing to measure against: done is done
        var off = Math.Abs((double)done / planned - 1);
        return off <= 0.2 ? SessionCompliance.Green : off <= 0.5 ? SessionCompliance.Yellow : SessionCompliance.Orange;
    }
}
