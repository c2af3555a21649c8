using CoachHub.Domain.Plans;
using CoachHub.Domain.Triage;

namespace CoachHub.Domain.Athletes;

/// <param name="TimeZoneId">IANA id such as "Europe/Dublin"; the server resolves it, the domain never does.</param>
[EventType("athlete.registered.v1")]
public sealed record AthleteRegistered(Guid AthleteId, string Name, string TimeZoneId, Units Units, DateTimeOffset RegisteredAt);

[EventType("shoe.added.v1")]
public sealed record ShoeAdded(Guid ShoeId, string Name, int StartingDistanceMeters, DateTimeOffset AddedAt);

[EventType("shoe.retired.v1")]
public sealed record ShoeRetired(Guid ShoeId, DateTimeOffset RetiredAt);

/// <param name="StartedAt">With the athlete's local offset: its local date is the run's training day.</param>
/// <param name="SessionRpe">Session rating of perceived exertion, 1-10.</param>
/// <param name="PlannedSessionId">The planned session this run fulfils, when the athlete picked one.</param>
/// <param name="Prescribed">What the plan prescribed for it when it was logged (null for runs outside the plan, and runs logged before this was kept).</param>
/// <param name="AverageHeartRate">Beats a minute over the run, where a watch recorded it.</param>
/// <param name="Source">The file it was imported from; null for a run typed in.</param>
[EventType("run.logged.v1")]
public sealed record RunLogged(
    Guid RunId,
    DateTimeOffset StartedAt,
    int DistanceMeters,
    int DurationSeconds,
    WorkoutType Workout,
    Surface Surface,
    int SessionRpe,
    int ElevationGainMeters = 0,
    double? TreadmillInclinePercent = null,
    Guid? ShoeId = null,
    string? Notes = null,
    string? PlannedSessionId = null,
    PrescribedSession? Prescribed = null,
    int? AverageHeartRate = null,
    RunSource? Source = null);

/// <summary>
/// The pace, heart-rate and elevation samples of an imported run, for its charts: kept apart from the run, which
/// every list and rule reads, and thinned to at most <see cref="TrackPoint.MaxPoints"/>.
/// </summary>
[EventType("run.track-recorded.v1")]
public sealed record RunTrackRecorded(Guid RunId, IReadOnlyList<TrackPoint> Points);

/// <param name="RunId">The run this report is about; null for a standalone report.</param>
[EventType("pain-report.submitted.v1")]
public sealed record PainReportSubmitted(
    Guid ReportId,
    Guid? RunId,
    DateTimeOffset ReportedAt,
    PainScores Pain,
    PainDescription Description,
    RedFlagAnswers RedFlags,
    RecoveryContext Context);

[EventType("finding.raised.v1")]
public sealed record FindingRaised(Finding Finding, DateTimeOffset RaisedAt);

/// <summary>
/// An open finding's current figures (and wording) after new evidence, e.g. a week's distance that went on rising.
/// The raising event is never rewritten; this one supersedes what it showed.
/// </summary>
[EventType("finding.updated.v1")]
public sealed record FindingUpdated(Finding Finding, DateTimeOffset UpdatedAt);

[EventType("finding.resolved.v1")]
public sealed record FindingResolved(string FindingId, string RuleId, FindingResolution Resolution, DateTimeOffset ResolvedAt);

[EventType("alert.acknowledged.v1")]
public sealed record AlertAcknowledged(string FindingId, Guid CoachId, string? Note, DateTimeOffset AcknowledgedAt);

/// <param name="AssessedBy">Who assessed the athlete, e.g. "Dr A. Murphy, GP" or "physiotherapist".</param>
/// <param name="AssessedOn">When the professional assessment took place.</param>
[EventType("athlete.cleared-to-run.v1")]
public sealed record ClearedToRun(Guid CoachId, string AssessedBy, DateOnly AssessedOn, string? Note, DateTimeOffset ClearedAt);

/// <summary>
/// The athlete subscribed a calendar app to their plan. The feed's address carries this id, sealed by the server;
/// a new feed ends the one before it.
/// </summary>
[EventType("calendar-feed.started.v1")]
public sealed record CalendarFeedStarted(Guid FeedId, DateTimeOffset StartedAt);

/// <summary>The feed's address answers nothing from now on.</summary>
[EventType("calendar-feed.stopped.v1")]
public sealed record CalendarFeedStopped(Guid FeedId, DateTimeOffset StoppedAt);

/// <summary>What a comment thread hangs on: a run, or a pain report.</summary>
public enum ThreadKind
{
    Run = 0,
    Report = 1,
}

/// <summary>A message in the thread of one of the athlete's runs or reports, between the athlete and the squad's coaches.</summary>
/// <param name="ByCoach">A coach wrote it (else the athlete).</param>
[EventType("comment.posted.v1")]
public sealed record CommentPosted(Guid CommentId, ThreadKind Thread, Guid ThreadId, Guid AuthorId, string AuthorName, bool ByCoach, string Text,
    DateTimeOffset PostedAt);

/// <summary>A coach's note on a finding, open or closed ("called her, physio on Tuesday"): part of the alert's history.</summary>
[EventType("finding.noted.v1")]
public sealed record FindingNoted(string FindingId, Guid CoachId, string CoachName, string Note, DateTimeOffset NotedAt);

/// <summary>
/// The athlete corrected a run they logged: <see cref="Run"/> is the run as it should have been, under the same id.
/// The run as first logged stays in the log; every view and rule reads the correction.
/// </summary>
[EventType("run.corrected.v1")]
public sealed record RunCorrected(RunLogged Run, DateTimeOffset CorrectedAt);

/// <summary>The athlete took back a run logged by mistake; it stays in the log, no view or rule counts it.</summary>
[EventType("run.deleted.v1")]
public sealed record RunDeleted(Guid RunId, DateTimeOffset DeletedAt);

/// <summary>The athlete corrected a report's pain, description or context; its red-flag answers never change.</summary>
[EventType("pain-report.corrected.v1")]
public sealed record PainReportCorrected(PainReportSubmitted Report, DateTimeOffset CorrectedAt);

/// <summary>The athlete took back a report without a red flag; it stays in the log, no view or rule counts it.</summary>
[EventType("pain-report.deleted.v1")]
public sealed record PainReportDeleted(Guid ReportId, DateTimeOffset DeletedAt);

/// <summary>
/// A coach said which planned session a run was for (or <see cref="Plans.SessionMatching.NoSession"/>: none), in place
/// of the automatic match by day. What the plan prescribed when the run was logged is kept.
/// </summary>
[EventType("run.matched.v1")]
public sealed record RunMatched(Guid RunId, string PlannedSessionId, Guid CoachId, DateTimeOffset MatchedAt);

/// <summary>
/// The days the athlete can train and the time each allows, set by the athlete or their coach; the weekly adjustment
/// lays out the weeks it writes from then on within it. Past weeks and the coach's own sessions stay as they are.
/// </summary>
[EventType("athlete.availability-changed.v1")]
public sealed record AvailabilityChanged(WeeklyAvailability Availability, Guid SetBy, DateTimeOffset SetAt);
