using CoachHub.Domain.Plans;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.Plans;

public sealed record StartPlanRequest(string? Goal, DateOnly? StartDate, int? WeeklyDistanceMeters);

/// <summary>A coach starts the athlete's plan: a goal, its first Monday and the weekly distance to build from.</summary>
public sealed record StartPlanCommand(Guid AthleteId, string Goal, DateOnly StartDate, int WeeklyDistanceMeters, CommandOptions Options) : IPlanCommand;

public static class StartPlanEndpoint
{
    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapPost("/{athleteId:guid}/plan", async (Guid athleteId, HttpContext http, IMessageBus bus, StreamStates streams, CoachingQueries queries) =>
        {
            await PlanCommands.EnsureCoachAsync(http, queries, athleteId);
            var body = await RequestBody.ReadAsync<StartPlanRequest>(http);
            Api.Require(("goal", body.Goal), ("startDate", body.StartDate), ("weeklyDistanceMeters", body.WeeklyDistanceMeters));
            var result = await bus.DecideAsync(new StartPlanCommand(athleteId, body.Goal!, body.StartDate!.Value, body.WeeklyDistanceMeters!.Value,
                CommandOptions.From(http, Caller.From(http.User))), streams, http.RequestAborted);
            return Api.Created(http, $"/api/athletes/{athleteId}/plan", result.Version, new { athleteId, version = result.Version });
        }).RequireAuthorization(Roles.Coach).Accepts<StartPlanRequest>("application/json");
}

public static class StartPlanHandler
{
    public static Task<Loaded<PlanState>> LoadAsync(StartPlanCommand command, StreamStates streams, CancellationToken ct) =>
        ((IPlanCommand)command).LoadAsync(streams, ct);

    public static Task<Decided<PlanState>> HandleAsync(StartPlanCommand command, Loaded<PlanState> plan, StreamStates streams, AthleteClock clock,
        IDocumentSession session, CancellationToken ct) =>
        plan.DecideAsync(command, _ => new StartPlan(command.AthleteId, command.Goal, command.StartDate, command.WeeklyDistanceMeters), streams, clock, session, ct);
}
