using CoachHub.Domain.Plans;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.Plans;

public sealed record RejectAdjustmentRequest(string? Reason = null);

/// <summary>The coach applies a proposed change to a week.</summary>
public sealed record ApproveAdjustmentCommand(Guid AthleteId, DateOnly WeekStart, Guid CoachId, CommandOptions Options) : IPlanCommand;

/// <summary>The coach turns a proposed change down, or undoes an applied one: the week before comes back.</summary>
public sealed record RejectAdjustmentCommand(Guid AthleteId, DateOnly WeekStart, Guid CoachId, string? Reason, CommandOptions Options) : IPlanCommand;

/// <summary>Where the squad requires approval, the coach approves or rejects each proposed week; rejecting restores the week before.</summary>
public static class DecideAdjustmentEndpoints
{
    public static void Map(RouteGroupBuilder athletes)
    {
        athletes.MapPost("/{athleteId:guid}/plan/weeks/{weekStart}/approve", async (Guid athleteId, string weekStart, HttpContext http, IMessageBus bus,
            StreamStates streams, CoachingQueries queries) =>
        {
            await PlanCommands.EnsureCoachAsync(http, queries, athleteId);
            var week = PlanCommands.WeekStart(weekStart);
            var caller = Caller.From(http.User);
            var result = await bus.DecideAsync(new ApproveAdjustmentCommand(athleteId, week, caller.UserId, CommandOptions.From(http, caller)), streams,
                http.RequestAborted);
            return Api.Ok(http, result.Version, result.State.WeekOf(week) ?? new PlannedWeek(week, []));
        }).RequireAuthorization(Roles.Coach).Produces<PlannedWeek>();

        athletes.MapPost("/{athleteId:guid}/plan/weeks/{weekStart}/reject", async (Guid athleteId, string weekStart, HttpContext http, IMessageBus bus,
            StreamStates streams, CoachingQueries queries) =>
        {
            var week = PlanCommands.WeekStart(weekStart);
            await PlanCommands.EnsureCoachAsync(http, queries, athleteId);
            var body = await RequestBody.ReadOptionalAsync(http, new RejectAdjustmentRequest());
            var caller = Caller.From(http.User);
            var result = await bus.DecideAsync(new RejectAdjustmentCommand(athleteId, week, caller.UserId, body.Reason, CommandOptions.From(http, caller)),
                streams, http.RequestAborted);
            return Api.Ok(http, result.Version, result.State.WeekOf(week) ?? new PlannedWeek(week, []));
        }).RequireAuthorization(Roles.Coach).Accepts<RejectAdjustmentRequest>("application/json").Produces<PlannedWeek>();
    }
}

public static class ApproveAdjustmentHandler
{
    public static Task<Loaded<PlanState>> LoadAsync(ApproveAdjustmentCommand command, StreamStates streams, CancellationToken ct) =>
        ((IPlanCommand)command).LoadAsync(streams, ct);

    public static Task<Decided<PlanState>> HandleAsync(ApproveAdjustmentCommand command, Loaded<PlanState> plan, StreamStates streams, AthleteClock clock,
        IDocumentSession session, CancellationToken ct) =>
        plan.DecideAsync(command, pauses => new ApproveAdjustment(command.WeekStart, command.CoachId, pauses), streams, clock, session, ct);
}

public static class RejectAdjustmentHandler
{
    public static Task<Loaded<PlanState>> LoadAsync(RejectAdjustmentCommand command, StreamStates streams, CancellationToken ct) =>
        ((IPlanCommand)command).LoadAsync(streams, ct);

    public static Task<Decided<PlanState>> HandleAsync(RejectAdjustmentCommand command, Loaded<PlanState> plan, StreamStates streams, AthleteClock clock,
        IDocumentSession session, CancellationToken ct) =>
        plan.DecideAsync(command, _ => new RejectAdjustment(command.WeekStart, command.CoachId, command.Reason), streams, clock, session, ct);
}
