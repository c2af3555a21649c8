using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Plans;

public static class GetPlanCalendarEndpoint
{
    /// <summary>The calendar's range: every plan CoachHub can hold, with a year to spare at the end for its weeks.</summary>
    private static readonly DateOnly Earliest = new(2000, 1, 1), Latest = new(2100, 12, 31);

    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapGet("/{athleteId:guid}/plan", async (Guid athleteId, DateOnly? from, int? weeks, HttpContext http, CoachingQueries queries, AthleteClock clock) =>
        {
            await queries.EnsureCanSeeAthleteAsync(Caller.From(http.User), athleteId, http.RequestAborted);
            if (weeks is < 1 or > 52) throw new BadFieldException("weeks", "must be between 1 and 52.");
            if (from is { } first && (first < Earliest || first > Latest))
                throw new BadFieldException("from", $"must be between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}.");
            var profile = await queries.ProfileAsync(athleteId, http.RequestAborted) ?? throw new NotFoundException("That athlete");
            var calendar = await queries.CalendarAsync(athleteId, profile.TimeZone, from ?? clock.Today(profile.TimeZone).AddDays(-7), weeks ?? 4, http.RequestAborted);
            return Api.Ok(http, calendar.Version, calendar);
        }).RequireAuthorization().Produces<PlanCalendar>();
}
