using CoachHub.Domain;
using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Squads;

/// <summary>Deload every N build weeks (4-6), whether automated changes wait for the coach, units, and when the week closes.</summary>
public sealed record SquadSettingsRequest(int? DeloadEveryBuildWeeks, bool? AdjustmentsNeedApproval, Units? Units, DayOfWeek? WeeklyAdjustmentDay, int? WeeklyAdjustmentHour);

public static class ChangeSquadSettingsEndpoint
{
    public static void Map(RouteGroupBuilder squads) =>
        squads.MapPut("/{squadId:guid}/settings", async (Guid squadId, HttpContext http, CommandPipeline pipeline, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureOwnSquadAsync(caller, squadId, http.RequestAborted);
            var body = await RequestBody.ReadAsync<SquadSettingsRequest>(http);
            var result = await pipeline.RunAsync(Streams.Squad(squadId), Deciders.Squad, state => new ChangeSquadSettings(new SquadSettings(
                body.DeloadEveryBuildWeeks ?? state.Settings.DeloadEveryBuildWeeks,
                body.AdjustmentsNeedApproval ?? state.Settings.AdjustmentsNeedApproval,
                body.Units ?? state.Settings.Units,
                body.WeeklyAdjustmentDay ?? state.Settings.WeeklyAdjustmentDay,
                body.WeeklyAdjustmentHour ?? state.Settings.WeeklyAdjustmentHour)), CommandOptions.From(http, caller));
            return Api.Ok(http, result.Version, result.State.Settings);
        }).RequireAuthorization(Roles.Coach).Accepts<SquadSettingsRequest>("application/json").Produces<SquadSettings>();
}
