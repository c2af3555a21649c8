namespace CoachHub.Domain.Squads;

[EventType("coach.registered.v1")]
public sealed record CoachRegistered(Guid CoachId, string Name, string Email, DateTimeOffset RegisteredAt);

[EventType("squad.created.v1")]
public sealed record SquadCreated(Guid SquadId, Guid CoachId, string Name, SquadSettings Settings, DateTimeOffset CreatedAt);

[EventType("squad.renamed.v1")]
public sealed record SquadRenamed(string Name, DateTimeOffset RenamedAt);

[EventType("squad.athlete-invited.v1")]
public sealed record AthleteInvited(string InviteCode, string? Email, bool SingleUse, DateTimeOffset ExpiresAt, DateTimeOffset InvitedAt);

/// <summary>A coach withdrew an invite code: nobody joins with it any more, and it is never handed out again.</summary>
[EventType("squad.invite-revoked.v1")]
public sealed record InviteRevoked(string InviteCode, Guid RevokedBy, DateTimeOffset RevokedAt);

[EventType("squad.athlete-joined.v1")]
public sealed record AthleteJoined(Guid AthleteId, string InviteCode, DateTimeOffset JoinedAt);

/// <param name="RemovedBy">The coach who removed the athlete; null when the athlete left.</param>
/// <param name="MovedTo">The squad the athlete moved to, when leaving was part of a move.</param>
[EventType("squad.athlete-left.v1")]
public sealed record AthleteLeft(Guid AthleteId, DateTimeOffset LeftAt, Guid? RemovedBy = null, Guid? MovedTo = null);

/// <summary>Another coach joins the squad's coaching: they read and hear everything about its athletes.</summary>
[EventType("squad.coach-added.v1")]
public sealed record CoachAdded(Guid CoachId, Guid AddedBy, DateTimeOffset AddedAt);

/// <summary>A coach added to the squad stops coaching it: taken off by the head coach, or stepping down.</summary>
[EventType("squad.coach-removed.v1")]
public sealed record CoachRemoved(Guid CoachId, Guid RemovedBy, DateTimeOffset RemovedAt);

/// <summary>The head coach hands the squad to one of its coaches, and goes on coaching it beside them.</summary>
[EventType("squad.handed-over.v1")]
public sealed record SquadHandedOver(Guid FromCoachId, Guid ToCoachId, DateTimeOffset HandedOverAt);

[EventType("squad.settings-changed.v1")]
public sealed record SquadSettingsChanged(
    int DeloadEveryBuildWeeks,
    bool AdjustmentsNeedApproval,
    Units Units,
    DayOfWeek WeeklyAdjustmentDay,
    int WeeklyAdjustmentHour,
    DateTimeOffset ChangedAt,
    string? TimeZone = null);

/// <summary>
/// The weekly adjustment has decided <paramref name="WeekStart"/> for every athlete of the squad with a plan: one
/// notice for its coaches, with how many athletes got each outcome.
/// </summary>
/// <param name="Unchanged">Athletes whose week stayed as planned: already decided, a pause holding, or nothing to change.</param>
[EventType("squad.week-adjustments-completed.v1")]
public sealed record WeekAdjustmentsCompleted(DateOnly WeekStart, WeekAdjustmentCounts Counts, DateTimeOffset DoneAt);

public sealed record WeekAdjustmentCounts(int Progressed, int Held, int Deloaded, int Paused, int ReturningToRun, int WaitingForApproval, int Unchanged)
{
    public int Athletes => Progressed + Held + Deloaded + Paused + ReturningToRun + WaitingForApproval + Unchanged;

    /// <summary>One entry per athlete: the outcome applied to the week, or proposed and waiting; neither is unchanged.</summary>
    public static WeekAdjustmentCounts Of(IReadOnlyCollection<(Plans.AdjustmentOutcome? Outcome, bool Waiting)> athletes)
    {
        ArgumentNullException.ThrowIfNull(athletes);
        int Count(Plans.AdjustmentOutcome outcome) => athletes.Count(a => !a.Waiting && a.Outcome == outcome);
        var waiting = athletes.Count(a => a.Waiting);
        var unchanged = athletes.Count(a => !a.Waiting && a.Outcome is null);
        return new WeekAdjustmentCounts(Count(Plans.AdjustmentOutcome.Progress), Count(Plans.AdjustmentOutcome.Hold), Count(Plans.AdjustmentOutcome.Deload),
            Count(Plans.AdjustmentOutcome.Pause), Count(Plans.AdjustmentOutcome.ReturnToRun), waiting, unchanged);
    }
}

/// <summary>
/// The head coach closed the squad: after its athletes' leaving (one <see cref="AthleteLeft"/> each, removed by the
/// head coach) and its open codes' withdrawal, nobody coaches it, joins it or changes it again. The athletes keep
/// their history and plans.
/// </summary>
/// <param name="Coaches">Who coached it when it closed (the head coach first): the ones to tell, now that nothing else
/// records them. Absent on squads closed before it was kept.</param>
[EventType("squad.closed.v1")]
public sealed record SquadClosed(Guid ClosedBy, DateTimeOffset ClosedAt, IReadOnlyList<Guid>? Coaches = null);

/// <summary>A coach saved a week of sessions under a name, for any athlete of the squad.</summary>
[EventType("squad.week-template-saved.v1")]
public sealed record WeekTemplateSaved(Guid TemplateId, string Name, IReadOnlyList<Plans.TemplateSession> Sessions, Guid CoachId, DateTimeOffset SavedAt);

/// <summary>The template is no longer offered; weeks planned from it keep their sessions.</summary>
[EventType("squad.week-template-deleted.v1")]
public sealed record WeekTemplateDeleted(Guid TemplateId, Guid CoachId, DateTimeOffset DeletedAt);
