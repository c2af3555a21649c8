using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Squads;

public sealed record JoinSquadRequest(string? InviteCode);
public sealed record JoinedSquad(Guid SquadId, string Name);

public static class JoinSquadEndpoint
{
    public static void Map(RouteGroupBuilder squads) =>
        squads.MapPost("/join", async (HttpContext http, CommandPipeline pipeline, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            var body = await RequestBody.ReadAsync<JoinSquadRequest>(http);
            Api.Require(("inviteCode", body.InviteCode));
            var squadId = await queries.SquadForInviteAsync(body.InviteCode!, http.RequestAborted)
                ?? throw new BadFieldException("inviteCode", "is not a valid invite code.");
            var result = await pipeline.RunAsync(Streams.Squad(squadId), Deciders.Squad,
                _ => new JoinSquad(caller.UserId, body.InviteCode!), CommandOptions.From(http, caller) with { IfMatch = null });
            return Api.Ok(http, result.Version, new JoinedSquad(squadId, result.State.Name));
        }).RequireAuthorization(Roles.Athlete).Accepts<JoinSquadRequest>("application/json").Produces<JoinedSquad>();
}
