using System.Text.Json;
using System.Text.Json.Serialization;
using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;

namespace CoachHub.Server.Platform;

/// <summary>Source-generated JSON for every event CoachHub stores.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CoachRegistered))]
[JsonSerializable(typeof(SquadCreated))]
[JsonSerializable(typeof(SquadRenamed))]
[JsonSerializable(typeof(AthleteInvited))]
[JsonSerializable(typeof(InviteRevoked))]
[JsonSerializable(typeof(AthleteJoined))]
[JsonSerializable(typeof(AthleteLeft))]
[JsonSerializable(typeof(CoachAdded))]
[JsonSerializable(typeof(SquadSettingsChanged))]
[JsonSerializable(typeof(WeekAdjustmentsCompleted))]
[JsonSerializable(typeof(AthleteRegistered))]
[JsonSerializable(typeof(ShoeAdded))]
[JsonSerializable(typeof(ShoeRetired))]
[JsonSerializable(typeof(RunLogged))]
[JsonSerializable(typeof(PainReportSubmitted))]
[JsonSerializable(typeof(FindingRaised))]
[JsonSerializable(typeof(FindingUpdated))]
[JsonSerializable(typeof(FindingResolved))]
[JsonSerializable(typeof(AlertAcknowledged))]
[JsonSerializable(typeof(ClearedToRun))]
[JsonSerializable(typeof(CalendarFeedStarted))]
[JsonSerializable(typeof(RunTrackRecorded))]
[JsonSerializable(typeof(RunCorrected))]
[JsonSerializable(typeof(RunDeleted))]
[JsonSerializable(typeof(PainReportCorrected))]
[JsonSerializable(typeof(PainReportDeleted))]
[JsonSerializable(typeof(CoachRemoved))]
[JsonSerializable(typeof(SquadHandedOver))]
[JsonSerializable(typeof(SquadClosed))]
[JsonSerializable(typeof(SessionRemoved))]
[JsonSerializable(typeof(CommentPosted))]
[JsonSerializable(typeof(FindingNoted))]
[JsonSerializable(typeof(TrackPoint[]))]
[JsonSerializable(typeof(CalendarFeedStopped))]
[JsonSerializable(typeof(PlanStarted))]
[JsonSerializable(typeof(WeekPlanned))]
[JsonSerializable(typeof(SessionEdited))]
[JsonSerializable(typeof(WeekAdjusted))]
[JsonSerializable(typeof(AdjustmentProposed))]
[JsonSerializable(typeof(AdjustmentApproved))]
[JsonSerializable(typeof(AdjustmentRejected))]
[JsonSerializable(typeof(ReturnToRunStarted))]
[JsonSerializable(typeof(ReturnToRunProgressed))]
[JsonSerializable(typeof(PlannedSession[]))]
[JsonSerializable(typeof(PlannedSession))]
[JsonSerializable(typeof(SquadSettings))]
[JsonSerializable(typeof(Domain.Triage.FindingEvidence))]
internal sealed partial class CoachingJson : JsonSerializerContext;
