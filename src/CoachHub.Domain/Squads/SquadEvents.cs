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

[EventType("squad.athlete-left.v1")]
public sealed record AthleteLeft(Guid AthleteId, DateTimeOffset LeftAt);

[EventType("squad.settings-changed.v1")]
public sealed record SquadSettingsChanged(
    int DeloadEveryBuildWeeks,
    bool AdjustmentsNeedApproval,
    Units Units,
    DayOfWeek WeeklyAdjustmentDay,
    int WeeklyAdjustmentHour,
    DateTimeOffset ChangedAt);
