namespace CoachHub.Domain.Squads;

[EventType("coach.registered.v1")]
public sealed record CoachRegistered(Guid CoachId, string Name, string Email, DateTimeOffset RegisteredAt);

[EventType("squad.created.v1")]
public sealed record SquadCreated(Guid SquadId, Guid CoachId, string Name, SquadSettings Settings, DateTimeOffset CreatedAt);

[EventType("squad.renamed.v1")]
public sealed record SquadRenamed(string Name, DateTimeOffset RenamedAt);

[EventType("squad.athlete-invited.v1")]
public sealed record AthleteInvited(string InviteCode, string? Email, bool SingleUse, DateTimeOffset ExpiresAt, DateTimeOffset InvitedAt);

[EventType("squad.athlete-joined.v1")]
public sealed record AthleteJoined(Guid AthleteId, string InviteCode, DateTimeOffset JoinedAt);

/// <param name="RemovedBy">The coach who removed the athlete; null when the athlete left.</param>
/// <param name="MovedTo">The squad the athlete moved to, when leaving was part of a move.</param>
[EventType("squad.athlete-left.v1")]
public sealed record AthleteLeft(Guid AthleteId, DateTimeOffset LeftAt, Guid? RemovedBy = null, Guid? MovedTo = null);

/// <summary>Another coach joins the squad's coaching: they read and hear everything about its athletes.</summary>
[EventType("squad.coach-added.v1")]
public sealed record CoachAdded(Guid CoachId, Guid AddedBy, DateTimeOffset AddedAt);

[EventType("squad.settings-changed.v1")]
public sealed record SquadSettingsChanged(
    int DeloadEveryBuildWeeks,
    bool AdjustmentsNeedApproval,
    Units Units,
    DayOfWeek WeeklyAdjustmentDay,
    int WeeklyAdjustmentHour,
    DateTimeOffset ChangedAt);
