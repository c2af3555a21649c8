using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Squads;

public static class GetSquadBoardEndpoint
{
    public static void Map(RouteGroupBuilder squads) =>
        squads.MapGet("/{squadId:guid}/board", async (Guid squadId, HttpContext http, CoachingQueries queries) =>
        {
            await queries.EnsureOwnSquadAsync(Caller.From(http.User), squadId, http.RequestAborted);
            return Results.Ok(await queries.BoardAsync(squadId, http.RequestAborted));
        }).RequireAuthorization(Roles.Coach).Produces<SquadBoard>();
}
