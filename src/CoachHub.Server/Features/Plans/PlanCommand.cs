using CoachHub.Domain.Plans;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;

namespace CoachHub.Server.Features.Plans;

/// <summary>A command on an athlete's plan, carried by Wolverine (ADR 0007). Plan commands are the coach's.</summary>
public interface IPlanCommand : IStreamCommand<PlanState>
{
    Guid AthleteId { get; }

    Task<Loaded<PlanState>> IStreamCommand<PlanState>.LoadAsync(StreamStates streams, CancellationToken ct) =>
        streams.LoadAsync(Streams.Plan(AthleteId), Deciders.Plan, ct);
}

internal static class PlanCommands
{
    /// <summary>Checked before the body is read: a stranger learns nothing from our validation messages.</summary>
    public static Task EnsureCoachAsync(HttpContext http, CoachingQueries queries, Guid athleteId) =>
        queries.EnsureCoachOfAthleteAsync(Caller.From(http.User), athleteId, http.RequestAborted);

    public static DateOnly WeekStart(string weekStart) =>
        DateOnly.TryParseExact(weekStart, "yyyy-MM-dd", out var date) && date.DayOfWeek == DayOfWeek.Monday ? date
            : throw new BadFieldException("weekStart", "must be a Monday, written yyyy-MM-dd.");

    /// <summary>
    /// Decides on the plan with the athlete's pauses (a red flag pausing running restricts what a coach may plan) and
    /// "now" on the athlete's clock. The athlete's own stream, not a read model, says whether running is paused: the
    /// decision that raised the red flag is the one this one must see.
    /// </summary>
    public static async Task<Decided<PlanState>> DecideAsync(this Loaded<PlanState> plan, IPlanCommand command,
        Func<IReadOnlyList<RunningPause>, PlanCommand> decide, StreamStates streams, AthleteClock clock, IDocumentSession session, CancellationToken ct)
    {
        var athlete = (await streams.LoadAsync(Streams.Athlete(command.AthleteId), Deciders.Athlete, ct)).State;
        if (!athlete.Registered) return new Decided<PlanState>(plan.State, plan.Version, [], new NotFoundException("That athlete"));
        return plan.Decide(Deciders.Plan, decide(athlete.Pauses), command.Options, clock.Now(athlete.TimeZoneId), session);
    }
}
