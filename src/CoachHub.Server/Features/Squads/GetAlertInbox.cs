using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Squads;

public static class GetAlertInboxEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/inbox", async (HttpContext http, CoachingQueries queries) =>
            Results.Ok(await queries.InboxAsync(Caller.From(http.User).UserId, http.RequestAborted)))
        .RequireAuthorization(Roles.Coach).Produces<IReadOnlyList<Alert>>().WithTags("Squads");
}
