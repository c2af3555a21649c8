using CoachHub.Domain;
using CoachHub.Domain.Plans;

namespace CoachHub.Server.Realtime;

/// <summary>What the hub sends, by method name. Every message names the athlete it is about.</summary>
public static class LiveMessages
{
    public const string FindingRaised = "findingRaised";
    public const string AlertAcknowledged = "alertAcknowledged";
    public const string RunLogged = "runLogged";
    public const string PainReportSubmitted = "painReportSubmitted";
    public const string PlanAdjusted = "planAdjusted";
    public const string CommentPosted = "commentPosted";
    public const string HistoryCorrected = "historyCorrected";
    public const string AdjustmentProposed = "adjustmentProposed";
    public const string AthleteLeft = "athleteLeft";
    /// <summary>To the coaches a squad had when its head coach closed it.</summary>
    public const string SquadClosed = "squadClosed";
    /// <summary>To a squad's coaches, once a week: every athlete's next week is decided.</summary>
    public const string WeekAdjustmentsCompleted = "weekAdjustmentsCompleted";
    /// <summary>To the connection alone, once it is in all its groups: from now on it hears everything meant for it.</summary>
    public const string Listening = "listening";
}

public sealed record FindingMessage(Guid AthleteId, string FindingId, string RuleId, Severity Severity, string CoachMessage,
    string AthleteMessage, string RecommendedAction, DateTimeOffset RaisedAt, string Disclaimer);
/// <summary>The same finding as the athlete hears it: their own advice, never the text written for the coach.</summary>
public sealed record AthleteFindingMessage(Guid AthleteId, string FindingId, string RuleId, Severity Severity, string AthleteMessage,
    string RecommendedAction, DateTimeOffset RaisedAt, string Disclaimer);
public sealed record AcknowledgedMessage(Guid AthleteId, string FindingId, Guid CoachId, DateTimeOffset AcknowledgedAt);
public sealed record RunMessage(Guid AthleteId, Guid RunId, DateTimeOffset StartedAt, int DistanceMeters, int DurationSeconds);
public sealed record ReportMessage(Guid AthleteId, Guid ReportId, DateTimeOffset ReportedAt, int PainNow, int? WorstDuringRun);
public sealed record CommentMessage(Guid AthleteId, Guid CommentId, Domain.Athletes.ThreadKind Thread, Guid ThreadId, Guid AuthorId, string AuthorName,
    bool ByCoach, string Text, DateTimeOffset PostedAt);
/// <summary>A run or report was corrected, or taken back (<see cref="Deleted"/>).</summary>
public sealed record CorrectedMessage(Guid AthleteId, Domain.Athletes.ThreadKind What, Guid Id, bool Deleted);
public sealed record PlanMessage(Guid AthleteId, DateOnly WeekStart, AdjustmentOutcome Outcome, IReadOnlyList<string> RuleIds, IReadOnlyList<string> Reasons);

/// <summary>An athlete left a squad: moved to another, removed by a coach, or left of their own accord.</summary>
public sealed record LeftMessage(Guid AthleteId, Guid SquadId, bool Moved, bool Removed, DateTimeOffset LeftAt);

/// <summary>The squad was closed: its board and athletes are no longer anyone's.</summary>
public sealed record SquadClosedMessage(Guid SquadId, Guid ClosedBy, DateTimeOffset ClosedAt);

/// <summary>The weekly adjustment is done for a squad: how many athletes got each outcome, and how many wait for approval.</summary>
public sealed record WeekAdjustmentsMessage(Guid SquadId, DateOnly WeekStart, int Athletes, int Progressed, int Held, int Deloaded, int Paused,
    int ReturningToRun, int WaitingForApproval, int Unchanged, DateTimeOffset DoneAt);

/// <summary>The connection hears everything meant for its user from now on.</summary>
public sealed record ListeningMessage;
