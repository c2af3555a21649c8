using CoachHub.Domain.Plans;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.Plans;

public sealed record PlanWeekRequest(IReadOnlyList<PlannedSession>? Sessions);

/// <summary>A coach plans a whole week's sessions.</summary>
public sealed record PlanWeekCommand(Guid AthleteId, DateOnly WeekStart, IReadOnlyList<PlannedSession> Sessions, Guid CoachId, CommandOptions Options) : IPlanCommand;

public static class PlanWeekEndpoint
{
    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapPut("/{athleteId:guid}/plan/weeks/{weekStart}", async (Guid athleteId, string weekStart, HttpContext http, IMessageBus bus, StreamStates streams,
            CoachingQueries queries) =>
        {
            var week = PlanCommands.WeekStart(weekStart);
            await PlanCommands.EnsureCoachAsync(http, queries, athleteId);
            var body = await RequestBody.ReadAsync<PlanWeekRequest>(http);
            Api.Require(("sessions", body.Sessions));
            var caller = Caller.From(http.User);
            var result = await bus.DecideAsync(new PlanWeekCommand(athleteId, week, body.Sessions!, caller.UserId, CommandOptions.From(http, caller)), streams,
                http.RequestAborted);
            return Api.Ok(http, result.Version, result.State.WeekOf(week) ?? new PlannedWeek(week, []));
        }).RequireAuthorization(Roles.Coach).Accepts<PlanWeekRequest>("application/json").Produces<PlannedWeek>();
}

public static class PlanWeekHandler
{
    public static Task<Loaded<PlanState>> LoadAsync(PlanWeekCommand command, StreamStates streams, CancellationToken ct) =>
        ((IPlanCommand)command).LoadAsync(streams, ct);

    public static Task<Decided<PlanState>> HandleAsync(PlanWeekCommand command, Loaded<PlanState> plan, StreamStates streams, AthleteClock clock,
        IDocumentSession session, CancellationToken ct) =>
        plan.DecideAsync(command, pauses => new PlanWeek(command.WeekStart, command.Sessions, command.CoachId, pauses), streams, clock, session, ct);
}
