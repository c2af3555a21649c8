using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Squads;

public static class ListSquadsEndpoint
{
    public static void Map(RouteGroupBuilder squads) =>
        squads.MapGet("", async (HttpContext http, CoachingQueries queries) =>
            Results.Ok(await queries.SquadsOfCoachAsync(Caller.From(http.User).UserId, http.RequestAborted)))
        .RequireAuthorization(Roles.Coach).Produces<IReadOnlyList<SquadSummary>>();
}
