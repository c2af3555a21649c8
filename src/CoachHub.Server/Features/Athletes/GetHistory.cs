using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Athletes;

public static class GetHistoryEndpoint
{
    /// <summary>Far past any athlete's history at 100 a page, and small enough that the offset cannot overflow.</summary>
    public const int MaxPage = 100_000;

    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapGet("/{athleteId:guid}/history", async (Guid athleteId, int? page, int? pageSize, HttpContext http, CoachingQueries queries) =>
        {
            await queries.EnsureCanSeeAthleteAsync(Caller.From(http.User), athleteId, http.RequestAborted);
            if (page is < 1 or > MaxPage) throw new BadFieldException("page", $"must be between 1 and {MaxPage}.");
            if (pageSize is < 1 or > 100) throw new BadFieldException("pageSize", "must be between 1 and 100.");
            return Results.Ok(await queries.HistoryAsync(athleteId, page ?? 1, pageSize ?? 20, http.RequestAborted));
        }).RequireAuthorization().Produces<HistoryPage>();
}
