using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Load;
using CoachHub.Domain.Plans;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Athletes;

/// <param name="ResolvedAt">When it closed (cleared, or superseded); absent while open.</param>
/// <param name="PausedRunning">An urgent or emergency finding: running stops until a professional clears it.</param>
public sealed record FindingOnRun(string FindingId, string RuleId, Severity Severity, string Message, string CoachMessage, string RecommendedAction,
    DateTimeOffset RaisedAt, DateTimeOffset? AcknowledgedAt, DateTimeOffset? ResolvedAt, bool PausedRunning);

/// <summary>Something that changed because of a run, read from the events: a correction, a coach's match, a pause, a week adjusted.</summary>
/// <param name="Kind">corrected, matched, paused, resumed, adjusted or proposed.</param>
/// <param name="At">When it happened; for a week's adjustment, absent (<paramref name="WeekStart"/> says which week).</param>
public sealed record RunChange(string Kind, string Text, DateTimeOffset? At, DateOnly? WeekStart = null);

/// <summary>One run as a coach or the athlete opens it: the run, its pace, the session it was for, the reports after it and what they raised.</summary>
/// <param name="Track">An imported run's samples (time, distance, heart rate, elevation) for its charts; empty for a run typed in.</param>
/// <param name="Changes">What changed because of it, oldest first.</param>
public sealed record RunPage(Guid AthleteId, RunLogged Run, DateOnly LocalDate, int? PaceSecondsPerKm, PlannedSession? Session,
    SessionCompliance? Compliance, IReadOnlyList<PainPoint> Reports, IReadOnlyList<FindingOnRun> Findings, IReadOnlyList<TrackPoint> Track,
    IReadOnlyList<RunChange> Changes);

public static class GetRunEndpoint
{
    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapGet("/{athleteId:guid}/runs/{runId:guid}", async (Guid athleteId, Guid runId, HttpContext http, CoachingQueries queries, AthleteClock clock) =>
        {
            await queries.EnsureCanSeeAthleteAsync(Caller.From(http.User), athleteId, http.RequestAborted);
            var run = await queries.RunAsync(athleteId, runId, http.RequestAborted) ?? throw new NotFoundException("That run");
            var profile = await queries.ProfileAsync(athleteId, http.RequestAborted) ?? throw new NotFoundException("That athlete");
            var day = LoadMetrics.LocalDate(run);
            // The session it was for, as the calendar matches it: that day's sessions and runs together.
            var plan = await queries.CalendarAsync(athleteId, profile.TimeZone, day, 1, http.RequestAborted);
            var week = plan.Weeks[0];
            var sameDay = await queries.RunsBetweenAsync(athleteId, day, day, http.RequestAborted);
            var matched = SessionMatching.Match([.. week.Sessions.Where(s => s.Date == day || s.SessionId == run.PlannedSessionId)], sameDay,
                week.Suspended.Select(s => s.SessionId).ToHashSet(StringComparer.Ordinal), clock.Today(profile.TimeZone));
            var mine = matched.Sessions.FirstOrDefault(m => m.Run?.RunId == runId);
            var reports = await queries.ReportsOfRunAsync(athleteId, runId, http.RequestAborted);
            var findings = (await queries.FindingsOfRunAsync(athleteId, runId, [.. reports.Select(r => r.ReportId)], http.RequestAborted))
                .Select(f => new FindingOnRun(f.Finding.FindingId, f.Finding.RuleId, f.Finding.Severity, f.Finding.Message, f.Finding.CoachMessage,
                    f.Finding.RecommendedAction, f.Finding.RaisedAt, f.Finding.AcknowledgedAt, f.ResolvedAt, f.Finding.Severity >= Severity.Urgent)).ToList();
            int? pace = run.DistanceMeters > 0 ? (int)Math.Round(run.DurationSeconds * 1000.0 / run.DistanceMeters) : null;
            var track = await queries.TrackAsync(athleteId, runId, http.RequestAborted);
            var history = await queries.RunEventsAsync(athleteId, runId, http.RequestAborted);
            var adjusted = await queries.AdjustmentsCitingAsync(athleteId, TrainingCalendar.WeekStartOf(day), [.. findings.Select(f => f.RuleId).Distinct()],
                http.RequestAborted);
            var changes = RunChanges.Of(history, findings, adjusted, profile.Units, id => week.Sessions.FirstOrDefault(s => s.SessionId == id));
            return Results.Ok(new RunPage(athleteId, run, day, pace, mine?.Session, mine?.Compliance, reports, findings, track, changes));
        }).RequireAuthorization().Produces<RunPage>();
}

/// <summary>"What changed because of it", in the coach's language, from the run's own events, its findings and the weeks adjusted for them.</summary>
public static class RunChanges
{
    public static IReadOnlyList<RunChange> Of(IReadOnlyList<object> runEvents, IReadOnlyList<FindingOnRun> findings,
        IReadOnlyList<(DateOnly WeekStart, string Outcome, IReadOnlyList<string> RuleIds, bool Waiting)> weeks, Units units, Func<string, PlannedSession?> session)
    {
        ArgumentNullException.ThrowIfNull(runEvents);
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(weeks);
        ArgumentNullException.ThrowIfNull(session);
        var changes = new List<RunChange>();
        foreach (var e in runEvents)
        {
            switch (e)
            {
                case RunCorrected c:
                    changes.Add(new RunChange("corrected", $"Corrected by the athlete: {new Distance(c.Run.DistanceMeters).Format(units)} in {PlanFeed.Minutes(c.Run.DurationSeconds)}.", c.CorrectedAt));
                    break;
                case RunMatched m:
                    changes.Add(new RunChange("matched", m.PlannedSessionId == SessionMatching.NoSession
                        ? "The coach marked it as no planned session."
                        : $"The coach matched it to {(session(m.PlannedSessionId) is { } s ? $"the {s.Description.Trim()} session of {Day(s.Date)}" : "another planned session")}.", m.MatchedAt));
                    break;
            }
        }

        foreach (var f in findings.Where(f => f.PausedRunning))
        {
            changes.Add(new RunChange("paused", $"Running paused ({f.RuleId}): planned runs are held back until a healthcare professional has cleared the athlete.", f.RaisedAt));
            if (f.ResolvedAt is { } resolved) changes.Add(new RunChange("resumed", $"The pause for {f.RuleId} ended.", resolved));
        }

        foreach (var (weekStart, outcome, ruleIds, waiting) in weeks)
        {
            var cited = string.Join(", ", ruleIds.Where(id => findings.Any(f => f.RuleId == id)));
            var what = OutcomeWords(outcome);
            changes.Add(new RunChange(waiting ? "proposed" : "adjusted", waiting
                ? $"A change to the week of {Day(weekStart)} waits for the coach: {what}, because of {cited}."
                : $"The week of {Day(weekStart)} was adjusted: {what}, because of {cited}.", null, weekStart));
        }

        return [.. changes.OrderBy(c => c.At ?? new DateTimeOffset(c.WeekStart!.Value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero))];
    }

    private static string OutcomeWords(string outcome) => outcome switch
    {
        nameof(AdjustmentOutcome.Pause) => "running paused",
        nameof(AdjustmentOutcome.ReturnToRun) => "return to running",
        nameof(AdjustmentOutcome.Deload) => "a lighter (deload) week",
        nameof(AdjustmentOutcome.Hold) => "held at last week's volume",
        nameof(AdjustmentOutcome.Progress) => "progressed",
        _ => outcome.ToLowerInvariant(),
    };

    private static string Day(DateOnly date) => date.ToString("ddd d MMM", System.Globalization.CultureInfo.InvariantCulture);

}
