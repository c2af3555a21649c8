using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Athletes;

public static class GetDashboardEndpoint
{
    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapGet("/{athleteId:guid}/dashboard", async (Guid athleteId, HttpContext http, CoachingQueries queries) =>
        {
            await queries.EnsureCanSeeAthleteAsync(Caller.From(http.User), athleteId, http.RequestAborted);
            return Results.Ok(await queries.DashboardAsync(athleteId, http.RequestAborted));
        }).RequireAuthorization().Produces<AthleteDashboard>();
}
