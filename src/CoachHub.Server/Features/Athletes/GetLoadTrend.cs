using CoachHub.Domain;
using CoachHub.Domain.Load;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Athletes;

/// <summary>One day of the EWMA acute (7-day) and chronic (28-day) load and their ratio, as of the end of that day.</summary>
public sealed record LoadPoint(DateOnly Date, double Acute, double Chronic, double? Ratio);
public sealed record LoadTrend(Guid AthleteId, IReadOnlyList<LoadPoint> Days);

/// <summary>
/// The acute:chronic line for the web app's chart: the dashboard's single value, day by day. The runs looked at are
/// the dashboard's (its 12 weeks and the 28 days before), so the last point is the dashboard's value.
/// </summary>
public static class GetLoadTrendEndpoint
{
    /// <summary>The dashboard's weeks, day by day.</summary>
    private const int LongestDays = 7 * CoachingQueries.DashboardWeeks;

    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapGet("/{athleteId:guid}/load", async (Guid athleteId, int? days, HttpContext http, CoachingQueries queries, AthleteClock clock) =>
        {
            await queries.EnsureCanSeeAthleteAsync(Caller.From(http.User), athleteId, http.RequestAborted);
            if (days is < 7 or > LongestDays) throw new BadFieldException("days", $"must be between 7 and {LongestDays}.");
            var profile = await queries.ProfileAsync(athleteId, http.RequestAborted) ?? throw new NotFoundException("That athlete");
            var today = clock.Today(profile.TimeZone);
            var (_, runsFrom) = CoachingQueries.DashboardWindow(today);
            var runs = await queries.RunsSinceAsync(athleteId, runsFrom, http.RequestAborted);
            var points = new List<LoadPoint>();
            for (var day = today.AddDays(1 - (days ?? LongestDays)); day <= today; day = day.AddDays(1))
            {
                var load = LoadMetrics.AcuteChronicRatio(runs, day);
                points.Add(new LoadPoint(day, load.Acute, load.Chronic, load.Ratio));
            }
            return Results.Ok(new LoadTrend(athleteId, points));
        }).RequireAuthorization().Produces<LoadTrend>();
}
