using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Squads;

public static class GetSquadBoardEndpoint
{
    public static void Map(RouteGroupBuilder squads) =>
        squads.MapGet("/{squadId:guid}/board", async (Guid squadId, HttpContext http, CoachingQueries queries, ConversationQueries conversations) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureOwnSquadAsync(caller, squadId, http.RequestAborted);
            var board = await queries.BoardAsync(squadId, http.RequestAborted);
            // What this coach has not read of each athlete's conversation.
            var unread = await conversations.UnreadByAthleteAsync(caller.UserId, [.. board.Athletes.Select(a => a.AthleteId)], http.RequestAborted);
            return Results.Ok(board with { Athletes = [.. board.Athletes.Select(a => a with { UnreadComments = unread.GetValueOrDefault(a.AthleteId) })] });
        }).RequireAuthorization(Roles.Coach).Produces<SquadBoard>();
}
