using System.Reflection;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;

namespace CoachHub.Domain;

/// <summary>Every event the domain produces, and their stored type names, for the server's event-type registry.</summary>
public static class CoachingEvents
{
    public static IReadOnlyList<Type> All { get; } =
    [
        typeof(CoachRegistered),
        typeof(SquadCreated),
        typeof(SquadRenamed),
        typeof(AthleteInvited),
        typeof(InviteRevoked),
        typeof(AthleteJoined),
        typeof(AthleteLeft),
        typeof(CoachAdded),
        typeof(CoachRemoved),
        typeof(SquadHandedOver),
        typeof(SquadClosed),
        typeof(WeekTemplateSaved),
        typeof(WeekTemplateDeleted),
        typeof(SquadSettingsChanged),
        typeof(WeekAdjustmentsCompleted),
        typeof(AthleteRegistered),
        typeof(ShoeAdded),
        typeof(ShoeRetired),
        typeof(RunLogged),
        typeof(RunTrackRecorded),
        typeof(RunCorrected),
        typeof(RunDeleted),
        typeof(RunMatched),
        typeof(PainReportSubmitted),
        typeof(PainReportCorrected),
        typeof(PainReportDeleted),
        typeof(FindingRaised),
        typeof(FindingUpdated),
        typeof(FindingResolved),
        typeof(AlertAcknowledged),
        typeof(ClearedToRun),
        typeof(CalendarFeedStarted),
        typeof(AvailabilityChanged),
        typeof(CalendarFeedStopped),
        typeof(CommentPosted),
        typeof(FindingNoted),
        typeof(PlanStarted),
        typeof(WeekPlanned),
        typeof(SessionEdited),
        typeof(SessionRemoved),
        typeof(WeekAdjusted),
        typeof(AdjustmentProposed),
        typeof(AdjustmentApproved),
        typeof(AdjustmentRejected),
        typeof(ReturnToRunStarted),
        typeof(ReturnToRunProgressed),
    ];

    /// <summary>Stored type name to CLR type.</summary>
    public static IReadOnlyDictionary<string, Type> ByName { get; } =
        All.ToDictionary(TypeNameOf, t => t, StringComparer.Ordinal);

    /// <summary>The versioned name from <see cref="EventTypeAttribute"/>, e.g. "pain-report.submitted.v1".</summary>
    public static string TypeNameOf(Type eventType)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        return eventType.GetCustomAttribute<EventTypeAttribute>()?.Name
            ?? throw new ArgumentException($"{eventType.Name} has no [EventType] name.", nameof(eventType));
    }

    public static string TypeNameOf(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return TypeNameOf(@event.GetType());
    }
}
