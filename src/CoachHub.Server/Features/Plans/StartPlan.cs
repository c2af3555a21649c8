using CoachHub.Domain.Plans;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Plans;

public sealed record StartPlanRequest(string? Goal, DateOnly? StartDate, int? WeeklyDistanceMeters);

public static class StartPlanEndpoint
{
    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapPost("/{athleteId:guid}/plan", async (Guid athleteId, HttpContext http, CommandPipeline pipeline, CoachingQueries queries, AthleteClock clock) =>
        {
            await PlanCommandRunner.EnsureCoachAsync(http, queries, athleteId);
            var body = await RequestBody.ReadAsync<StartPlanRequest>(http);
            Api.Require(("goal", body.Goal), ("startDate", body.StartDate), ("weeklyDistanceMeters", body.WeeklyDistanceMeters));
            var result = await PlanCommandRunner.RunAsync(http, pipeline, clock, athleteId,
                (_, _) => new StartPlan(athleteId, body.Goal!, body.StartDate!.Value, body.WeeklyDistanceMeters!.Value));
            return Api.Created(http, $"/api/athletes/{athleteId}/plan", result.Version, new { athleteId, version = result.Version });
        }).RequireAuthorization(Roles.Coach).Accepts<StartPlanRequest>("application/json");
}
