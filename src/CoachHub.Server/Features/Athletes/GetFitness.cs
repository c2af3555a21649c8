using CoachHub.Domain.Load;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Athletes;

/// <summary>One day of fitness (42-day), fatigue (7-day) and form, and that day's load, rounded to a tenth.</summary>
public sealed record FitnessPoint(DateOnly Date, double Load, double Fitness, double Fatigue, double Form);
public sealed record PainMark(DateOnly Date, int PainNow, bool RedFlag);
public sealed record AdjustmentMark(DateOnly WeekStart, Domain.Plans.AdjustmentOutcome Outcome);

/// <summary>Fitness, fatigue and form over the window, with the pain reported and the weekly adjustments on the same days.</summary>
public sealed record FitnessTrend(Guid AthleteId, DateOnly From, DateOnly To, IReadOnlyList<FitnessPoint> Days, IReadOnlyList<PainMark> Pain,
    IReadOnlyList<AdjustmentMark> Adjustments);

/// <summary>
/// The athlete's fitness, fatigue and form (Domain/Load/Fitness: session RPE x minutes, as TrainingPeaks' chart) for
/// the coach and the athlete: 6 months by default, up to 2 years; each computed from the athlete's first run.
/// </summary>
public static class GetFitnessEndpoint
{
    public const int DefaultDays = 182;
    public const int LongestDays = 730;

    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapGet("/{athleteId:guid}/fitness", async (Guid athleteId, int? days, HttpContext http, CoachingQueries queries, AthleteClock clock) =>
        {
            await queries.EnsureCanSeeAthleteAsync(Caller.From(http.User), athleteId, http.RequestAborted);
            if (days is < 7 or > LongestDays) throw new BadFieldException("days", $"must be between 7 and {LongestDays}.");
            var profile = await queries.ProfileAsync(athleteId, http.RequestAborted) ?? throw new NotFoundException("That athlete");
            var to = clock.Today(profile.TimeZone);
            var from = to.AddDays(1 - (days ?? DefaultDays));
            // Fitness has a long memory: every run counts, not only those in the window.
            var runs = await queries.RunsSinceAsync(athleteId, DateOnly.MinValue, http.RequestAborted);
            var points = Fitness.Days(runs, from, to)
                .Select(d => new FitnessPoint(d.Date, Math.Round(d.Load, 1), Math.Round(d.Fitness, 1), Math.Round(d.Fatigue, 1), Math.Round(d.Form, 1))).ToList();
            // A day early in UTC, then by the athlete's own date: no zone is more than 14 hours off.
            var since = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-1);
            var pain = (await queries.PainSinceAsync(athleteId, since, http.RequestAborted))
                .Select(p => new PainMark(Domain.TrainingCalendar.LocalDate(AthleteClock.OnClockOf(profile.TimeZone, p.ReportedAt)), p.PainNow, p.RedFlag))
                .Where(p => p.Date >= from).ToList();
            var adjustments = (await queries.AdjustedWeeksAsync(athleteId, Domain.TrainingCalendar.WeekStartOf(from), http.RequestAborted))
                .Where(a => a.WeekStart <= to).Select(a => new AdjustmentMark(a.WeekStart, Enum.Parse<Domain.Plans.AdjustmentOutcome>(a.Outcome))).ToList();
            return Results.Ok(new FitnessTrend(athleteId, from, to, points, pain, adjustments));
        }).RequireAuthorization().Produces<FitnessTrend>();
}
