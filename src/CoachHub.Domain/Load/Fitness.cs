using CoachHub.Domain.Athletes;

namespace CoachHub.Domain.Load;

/// <summary>
/// One day of the fitness-fatigue model as coaches know it from TrainingPeaks' Performance Management Chart:
/// <paramref name="Load"/> that day (session RPE x minutes, Foster 2001), fitness (chronic training load, the 42-day
/// exponentially weighted average), fatigue (acute training load, 7-day) as of the end of the day, and form going into
/// the day (yesterday's fitness minus yesterday's fatigue): negative after hard training, positive when rested.
/// </summary>
public sealed record FitnessDay(DateOnly Date, double Load, double Fitness, double Fatigue, double Form);

public static class Fitness
{
    public const int FitnessDays = 42;
    public const int FatigueDays = 7;

    /// <summary>
    /// The days from <paramref name="from"/> to <paramref name="to"/>, each average carried from zero on the day
    /// before the athlete's first run (runs before <paramref name="from"/> count: fitness has a long memory).
    /// Each average moves 1/N of the way to the day's load (time constant N days, as TrainingPeaks computes them).
    /// </summary>
    public static IReadOnlyList<FitnessDay> Days(IEnumerable<RunLogged> runs, DateOnly from, DateOnly to)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (to < from) return [];
        var relevant = runs.Where(r => LoadMetrics.LocalDate(r) <= to).ToList();
        var start = relevant.Count == 0 ? from : new[] { relevant.Min(LoadMetrics.LocalDate), from }.Min();
        double fitness = 0, fatigue = 0;
        var days = new List<FitnessDay>();
        foreach (var day in LoadMetrics.DailyLoads(relevant, start, to))
        {
            var form = fitness - fatigue;
            fitness += (day.Load - fitness) / FitnessDays;
            fatigue += (day.Load - fatigue) / FatigueDays;
            if (day.Date >= from) days.Add(new FitnessDay(day.Date, day.Load, fitness, fatigue, form));
        }
        return days;
    }
}
