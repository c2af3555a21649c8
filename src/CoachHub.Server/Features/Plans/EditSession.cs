using CoachHub.Domain.Plans;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.Plans;

/// <summary>A coach's own edit of one planned session: automation never overwrites it.</summary>
public sealed record EditSessionCommand(Guid AthleteId, DateOnly WeekStart, PlannedSession Session, Guid CoachId, CommandOptions Options) : IPlanCommand;

/// <summary>A coach takes a session out of a week: automation never brings it back.</summary>
public sealed record RemoveSessionCommand(Guid AthleteId, DateOnly WeekStart, string SessionId, Guid CoachId, CommandOptions Options) : IPlanCommand;

public static class EditSessionEndpoint
{
    public static void Map(RouteGroupBuilder athletes)
    {
        athletes.MapDelete("/{athleteId:guid}/plan/weeks/{weekStart}/sessions/{sessionId}", async (Guid athleteId, string weekStart, string sessionId,
            HttpContext http, IMessageBus bus, StreamStates streams, CoachingQueries queries) =>
        {
            var week = PlanCommands.WeekStart(weekStart);
            await PlanCommands.EnsureCoachAsync(http, queries, athleteId);
            var caller = Caller.From(http.User);
            var result = await bus.DecideAsync(new RemoveSessionCommand(athleteId, week, sessionId, caller.UserId, CommandOptions.From(http, caller)), streams,
                http.RequestAborted);
            return Api.Ok(http, result.Version, result.State.WeekOf(week) ?? new PlannedWeek(week, []));
        }).RequireAuthorization(Roles.Coach).Produces<PlannedWeek>();

        MapEdit(athletes);
    }

    private static void MapEdit(RouteGroupBuilder athletes) =>
        athletes.MapPut("/{athleteId:guid}/plan/weeks/{weekStart}/sessions/{sessionId}", async (Guid athleteId, string weekStart, string sessionId,
            HttpContext http, IMessageBus bus, StreamStates streams, CoachingQueries queries) =>
        {
            var week = PlanCommands.WeekStart(weekStart);
            await PlanCommands.EnsureCoachAsync(http, queries, athleteId);
            var session = await RequestBody.ReadAsync<PlannedSession>(http);
            if (session.SessionId != sessionId) throw new BadFieldException("sessionId", "must match the session in the address.");
            var caller = Caller.From(http.User);
            var result = await bus.DecideAsync(new EditSessionCommand(athleteId, week, session, caller.UserId, CommandOptions.From(http, caller)), streams,
                http.RequestAborted);
            return Api.Ok(http, result.Version, result.State.WeekOf(week) ?? new PlannedWeek(week, []));
        }).RequireAuthorization(Roles.Coach).Accepts<PlannedSession>("application/json").Produces<PlannedWeek>();
}

public static class EditSessionHandler
{
    public static Task<Loaded<PlanState>> LoadAsync(EditSessionCommand command, StreamStates streams, CancellationToken ct) =>
        ((IPlanCommand)command).LoadAsync(streams, ct);

    public static Task<Decided<PlanState>> HandleAsync(EditSessionCommand command, Loaded<PlanState> plan, StreamStates streams, AthleteClock clock,
        IDocumentSession session, CancellationToken ct) =>
        plan.DecideAsync(command, pauses => new EditSession(command.WeekStart, command.Session, command.CoachId, pauses), streams, clock, session, ct);
}

public static class RemoveSessionHandler
{
    public static Task<Loaded<PlanState>> LoadAsync(RemoveSessionCommand command, StreamStates streams, CancellationToken ct) =>
        ((IPlanCommand)command).LoadAsync(streams, ct);

    public static Task<Decided<PlanState>> HandleAsync(RemoveSessionCommand command, Loaded<PlanState> plan, StreamStates streams, AthleteClock clock,
        IDocumentSession session, CancellationToken ct) =>
        plan.DecideAsync(command, _ => new RemoveSession(command.WeekStart, command.SessionId, command.CoachId), streams, clock, session, ct);
}
