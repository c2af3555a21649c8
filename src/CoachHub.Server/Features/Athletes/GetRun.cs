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

/// <summary>One run as a coach or the athlete opens it: the run, its pace, the session it was for, the reports after it and what they raised.</summary>
/// <param name="Track">An imported run's samples (time, distance, heart rate, elevation) for its charts; empty for a run typed in.</param>
public sealed record RunPage(Guid AthleteId, RunLogged Run, DateOnly LocalDate, int? PaceSecondsPerKm, PlannedSession? Session,
    SessionCompliance? Compliance, IReadOnlyList<PainPoint> Reports, IReadOnlyList<FindingOnRun> Findings, IReadOnlyList<TrackPoint> Track);

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
            return Results.Ok(new RunPage(athleteId, run, day, pace, mine?.Session, mine?.Compliance, reports, findings, track));
        }).RequireAuthorization().Produces<RunPage>();
}
