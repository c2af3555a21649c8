using CoachHub.Domain.Plans;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Plans;

public sealed record PlanWeekRequest(IReadOnlyList<PlannedSession>? Sessions);

public static class PlanWeekEndpoint
{
    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapPut("/{athleteId:guid}/plan/weeks/{weekStart}", async (Guid athleteId, string weekStart, HttpContext http, CommandPipeline pipeline, CoachingQueries queries, AthleteClock clock) =>
        {
            var week = PlanCommandRunner.WeekStart(weekStart);
            await PlanCommandRunner.EnsureCoachAsync(http, queries, athleteId);
            var body = await RequestBody.ReadAsync<PlanWeekRequest>(http);
            Api.Require(("sessions", body.Sessions));
            var coach = Caller.From(http.User).UserId;
            var result = await PlanCommandRunner.RunAsync(http, pipeline, clock, athleteId, (_, pauses) => new PlanWeek(week, body.Sessions!, coach, pauses));
            return Api.Ok(http, result.Version, result.State.WeekOf(week) ?? new PlannedWeek(week, []));
        }).RequireAuthorization(Roles.Coach).Accepts<PlanWeekRequest>("application/json").Produces<PlannedWeek>();
}
