using CoachHub.Domain.Plans;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Plans;

public sealed record RejectAdjustmentRequest(string? Reason = null);

/// <summary>Where the squad requires approval, the coach approves or rejects each proposed week; rejecting restores the week before.</summary>
public static class DecideAdjustmentEndpoints
{
    public static void Map(RouteGroupBuilder athletes)
    {
        athletes.MapPost("/{athleteId:guid}/plan/weeks/{weekStart}/approve", async (Guid athleteId, string weekStart, HttpContext http, CommandPipeline pipeline, CoachingQueries queries, AthleteClock clock) =>
        {
            await PlanCommandRunner.EnsureCoachAsync(http, queries, athleteId);
            var week = PlanCommandRunner.WeekStart(weekStart);
            var coach = Caller.From(http.User).UserId;
            var result = await PlanCommandRunner.RunAsync(http, pipeline, clock, athleteId, (_, pauses) => new ApproveAdjustment(week, coach, pauses));
            return Api.Ok(http, result.Version, result.State.WeekOf(week) ?? new PlannedWeek(week, []));
        }).RequireAuthorization(Roles.Coach).Produces<PlannedWeek>();

        athletes.MapPost("/{athleteId:guid}/plan/weeks/{weekStart}/reject", async (Guid athleteId, string weekStart, HttpContext http, CommandPipeline pipeline, CoachingQueries queries, AthleteClock clock) =>
        {
            var week = PlanCommandRunner.WeekStart(weekStart);
            await PlanCommandRunner.EnsureCoachAsync(http, queries, athleteId);
            var body = await RequestBody.ReadOptionalAsync(http, new RejectAdjustmentRequest());
            var coach = Caller.From(http.User).UserId;
            var result = await PlanCommandRunner.RunAsync(http, pipeline, clock, athleteId, (_, _) => new RejectAdjustment(week, coach, body.Reason));
            return Api.Ok(http, result.Version, result.State.WeekOf(week) ?? new PlannedWeek(week, []));
        }).RequireAuthorization(Roles.Coach).Accepts<RejectAdjustmentRequest>("application/json").Produces<PlannedWeek>();
    }
}
