using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Athletes;

public static class GetHistoryEndpoint
{
    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapGet("/{athleteId:guid}/history", async (Guid athleteId, int? page, int? pageSize, HttpContext http, CoachingQueries queries) =>
        {
            await queries.EnsureCanSeeAthleteAsync(Caller.From(http.User), athleteId, http.RequestAborted);
            if (page is < 1) throw new BadFieldException("page", "must be 1 or more.");
            if (pageSize is < 1 or > 100) throw new BadFieldException("pageSize", "must be between 1 and 100.");
            return Results.Ok(await queries.HistoryAsync(athleteId, page ?? 1, pageSize ?? 20, http.RequestAborted));
        }).RequireAuthorization().Produces<HistoryPage>();
}
