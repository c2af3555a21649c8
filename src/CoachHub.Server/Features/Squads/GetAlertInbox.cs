using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Squads;

public static class GetAlertInboxEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/inbox", async (HttpContext http, CoachingQueries queries) =>
            Results.Ok(await queries.InboxAsync(Caller.From(http.User).UserId, http.RequestAborted)))
        .RequireAuthorization(Roles.Coach).Produces<IReadOnlyList<Alert>>().WithTags("Squads");

    /// <summary>The inbox's other half: the weekly adjustment's changes that wait for this coach's approval.</summary>
    public static void MapChanges(IEndpointRouteBuilder app) =>
        app.MapGet("/api/inbox/changes", async (HttpContext http, CoachingQueries queries) =>
            Results.Ok(await queries.ChangesToApproveAsync(Caller.From(http.User).UserId, http.RequestAborted)))
        .RequireAuthorization(Roles.Coach).Produces<IReadOnlyList<ChangeToApprove>>().WithTags("Squads")
        .WithDescription("Automated changes to athletes' weeks waiting for approval across the coach's squads, soonest week first.");
}
