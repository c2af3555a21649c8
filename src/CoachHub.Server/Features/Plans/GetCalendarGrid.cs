using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Load;
using CoachHub.Domain.Plans;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Plans;

/// <param name="Compliance">How it went (green, yellow, orange, red for missed); absent while it is still to come,
/// and for strength, mobility, rest and suspended sessions.</param>
public sealed record GridSession(string SessionId, SessionType Type, Intensity Intensity, int? DistanceMeters, int? DurationSeconds, string Description,
    bool Suspended, SessionCompliance? Compliance, Guid? RunId);

/// <param name="SessionId">The planned session it was matched to; absent for an unplanned run (grey).</param>
public sealed record GridRun(Guid RunId, DateTimeOffset StartedAt, int DistanceMeters, int DurationSeconds, WorkoutType Workout, string? SessionId,
    SessionCompliance Compliance);

public sealed record GridDay(DateOnly Date, IReadOnlyList<GridSession> Sessions, IReadOnlyList<GridRun> Runs);

/// <summary>Planned against done, day by day, on the athlete's clock: the calendar's month and week grids.</summary>
public sealed record CalendarGrid(Guid AthleteId, DateOnly From, DateOnly To, DateOnly Today, long PlanVersion, IReadOnlyList<GridDay> Days);

/// <summary>
/// GET /api/athletes/{id}/calendar?from=&days=: the planned sessions and the runs of each day, each run matched to its
/// session and each session coloured (Domain/Plans/SessionMatching). By default the month grid around today: six
/// weeks from the Monday before this month's first day.
/// </summary>
public static class GetCalendarGridEndpoint
{
    public const int LongestDays = 63;
    private static readonly DateOnly Earliest = new(2000, 1, 1), Latest = new(2100, 12, 31);

    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapGet("/{athleteId:guid}/calendar", async (Guid athleteId, DateOnly? from, int? days, HttpContext http, CoachingQueries queries, AthleteClock clock) =>
        {
            await queries.EnsureCanSeeAthleteAsync(Caller.From(http.User), athleteId, http.RequestAborted);
            if (days is < 1 or > LongestDays) throw new BadFieldException("days", $"must be between 1 and {LongestDays}.");
            if (from is { } asked && (asked < Earliest || asked > Latest))
                throw new BadFieldException("from", $"must be between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}.");
            var profile = await queries.ProfileAsync(athleteId, http.RequestAborted) ?? throw new NotFoundException("That athlete");
            var today = clock.Today(profile.TimeZone);
            var first = from ?? TrainingCalendar.WeekStartOf(new DateOnly(today.Year, today.Month, 1));
            var last = first.AddDays((days ?? 42) - 1);
            var weeks = (TrainingCalendar.WeekStartOf(last).DayNumber - TrainingCalendar.WeekStartOf(first).DayNumber) / 7 + 1;
            var plan = await queries.CalendarAsync(athleteId, profile.TimeZone, first, weeks, http.RequestAborted);
            var sessions = plan.Weeks.SelectMany(w => w.Sessions).Where(s => s.Date >= first && s.Date <= last).ToList();
            var suspended = plan.Weeks.SelectMany(w => w.Suspended).Select(s => s.SessionId).ToHashSet(StringComparer.Ordinal);
            var runs = await queries.RunsBetweenAsync(athleteId, first, last, http.RequestAborted);
            var matched = SessionMatching.Match(sessions, runs, suspended, today);
            var sessionOf = matched.Sessions.Where(m => m.Run is not null).ToDictionary(m => m.Run!.RunId, m => m);
            var grid = new List<GridDay>();
            for (var day = first; day <= last; day = day.AddDays(1))
            {
                var date = day;
                grid.Add(new GridDay(date,
                    [.. matched.Sessions.Where(m => m.Session.Date == date).Select(m => new GridSession(m.Session.SessionId, m.Session.Type, m.Session.Intensity,
                        m.Session.DistanceMeters, m.Session.DurationSeconds, m.Session.Description, m.Suspended, m.Compliance, m.Run?.RunId))],
                    [.. runs.Where(r => LoadMetrics.LocalDate(r) == date).OrderBy(r => r.StartedAt).Select(r => sessionOf.TryGetValue(r.RunId, out var m)
                        ? new GridRun(r.RunId, r.StartedAt, r.DistanceMeters, r.DurationSeconds, r.Workout, m.Session.SessionId, m.Compliance ?? SessionCompliance.Green)
                        : new GridRun(r.RunId, r.StartedAt, r.DistanceMeters, r.DurationSeconds, r.Workout, null, SessionCompliance.Grey))]));
            }
            return Results.Ok(new CalendarGrid(athleteId, first, last, today, plan.Version, grid));
        }).RequireAuthorization().Produces<CalendarGrid>();
}
