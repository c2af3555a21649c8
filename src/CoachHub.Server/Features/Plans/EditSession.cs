using CoachHub.Domain.Plans;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Plans;

/// <summary>A coach's own edit of one planned session: automation never overwrites it.</summary>
public static class EditSessionEndpoint
{
    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapPut("/{athleteId:guid}/plan/weeks/{weekStart}/sessions/{sessionId}", async (Guid athleteId, string weekStart, string sessionId,
            HttpContext http, CommandPipeline pipeline, CoachingQueries queries, AthleteClock clock) =>
        {
            var week = PlanCommandRunner.WeekStart(weekStart);
            await PlanCommandRunner.EnsureCoachAsync(http, queries, athleteId);
            var session = await RequestBody.ReadAsync<PlannedSession>(http);
            if (session.SessionId != sessionId) throw new BadFieldException("sessionId", "must match the session in the address.");
            var coach = Caller.From(http.User).UserId;
            var result = await PlanCommandRunner.RunAsync(http, pipeline, clock, athleteId, (_, pauses) => new EditSession(week, session, coach, pauses));
            return Api.Ok(http, result.Version, result.State.WeekOf(week) ?? new PlannedWeek(week, []));
        }).RequireAuthorization(Roles.Coach).Accepts<PlannedSession>("application/json").Produces<PlannedWeek>();
}
