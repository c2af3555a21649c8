using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.Squads;

/// <summary>
/// Deload every N build weeks (4-6), whether automated changes wait for the coach, units, and when the week closes:
/// the day and hour on the squad's clock (<paramref name="TimeZone"/>, an IANA id), or on each athlete's own when it is
/// "" (the default).
/// </summary>
public sealed record SquadSettingsRequest(int? DeloadEveryBuildWeeks, bool? AdjustmentsNeedApproval, Units? Units, DayOfWeek? WeeklyAdjustmentDay,
    int? WeeklyAdjustmentHour, string? TimeZone = null);

/// <summary>A coach of the squad changes some of its settings; the ones not given stay as they are.</summary>
public sealed record ChangeSquadSettingsCommand(Guid SquadId, SquadSettingsRequest Changes, CommandOptions Options) : ISquadCommand;

public static class ChangeSquadSettingsEndpoint
{
    public static void Map(RouteGroupBuilder squads) =>
        squads.MapPut("/{squadId:guid}/settings", async (Guid squadId, HttpContext http, IMessageBus bus, StreamStates streams, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureOwnSquadAsync(caller, squadId, http.RequestAborted);
            var body = await RequestBody.ReadAsync<SquadSettingsRequest>(http);
            // The domain checks the shape; whether the zone exists is the server's to know.
            if (body.TimeZone is { Length: > 0 } zone && RegisterAthlete.LooksLikeTimeZoneId(zone) && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
                throw new BadFieldException("timeZone", "is not a known time zone.");
            var result = await bus.DecideAsync(new ChangeSquadSettingsCommand(squadId, body, CommandOptions.From(http, caller)), streams, http.RequestAborted);
            return Api.Ok(http, result.Version, result.State.Settings);
        }).RequireAuthorization(Roles.Coach).Accepts<SquadSettingsRequest>("application/json").Produces<SquadSettings>();
}

public static class ChangeSquadSettingsHandler
{
    public static Task<Loaded<SquadState>> LoadAsync(ChangeSquadSettingsCommand command, StreamStates streams, CancellationToken ct) =>
        ((ISquadCommand)command).LoadAsync(streams, ct);

    public static Decided<SquadState> Handle(ChangeSquadSettingsCommand command, Loaded<SquadState> squad, IDocumentSession session, TimeProvider time)
    {
        var (changes, now) = (command.Changes, squad.State.Settings);
        return squad.Decide(Deciders.Squad, new ChangeSquadSettings(new SquadSettings(
            changes.DeloadEveryBuildWeeks ?? now.DeloadEveryBuildWeeks,
            changes.AdjustmentsNeedApproval ?? now.AdjustmentsNeedApproval,
            changes.Units ?? now.Units,
            changes.WeeklyAdjustmentDay ?? now.WeeklyAdjustmentDay,
            changes.WeeklyAdjustmentHour ?? now.WeeklyAdjustmentHour,
            changes.TimeZone switch { null => now.TimeZone, "" => null, var zone => zone })), command.Options, time.GetUtcNow(), session);
    }
}
