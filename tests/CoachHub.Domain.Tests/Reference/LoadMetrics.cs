using CoachHub.Domain.Athletes;
using CoachHub.Domain.Load;

namespace CoachHub.Domain.Tests.Reference;

/// <summary>The parts of the whole-history LoadMetrics the reference rules read, copied as they were.</summary>
internal static class LoadMetrics
{
    public const int AcuteDays = 7;
    public const int ChronicDays = 28;
    public const int LongestRunWindowDays = 30;

    public static DateOnly LocalDate(RunLogged run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return TrainingCalendar.LocalDate(run.StartedAt);
    }

    /// <summary>Session RPE x duration in minutes (Foster's session load).</summary>
    public static double SessionLoad(RunLogged run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.SessionRpe * (run.DurationSeconds / 60.0);
    }

    /// <summary>Runs whose local date is within [from, to], both inclusive.</summary>
    public static IEnumerable<RunLogged> Between(IEnumerable<RunLogged> runs, DateOnly from, DateOnly to) =>
        runs.Where(r => LocalDate(r) >= from && LocalDate(r) <= to);

    public static int DistanceMeters(IEnumerable<RunLogged> runs, DateOnly from, DateOnly to) =>
        Clamp(Between(runs, from, to).Sum(r => (long)r.DistanceMeters));

    public static int WeeklyDistanceMeters(IEnumerable<RunLogged> runs, DateOnly dayInWeek)
    {
        var start = TrainingCalendar.WeekStartOf(dayInWeek);
        return DistanceMeters(runs, start, start.AddDays(6));
    }

    /// <summary>One entry per day in [from, to], zero on rest days.</summary>
    public static IReadOnlyList<DailyLoad> DailyLoads(IEnumerable<RunLogged> runs, DateOnly from, DateOnly to)
    {
        // Ordered first so floating-point sums do not depend on the order runs were passed in.
        var byDay = Between(runs, from, to)
            .OrderBy(r => r.StartedAt)
            .ThenBy(r => r.RunId)
            .GroupBy(LocalDate)
            .ToDictionary(g => g.Key, g => g.Sum(SessionLoad));
        var days = new List<DailyLoad>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            days.Add(new DailyLoad(day, byDay.GetValueOrDefault(day)));
        }

        return days;
    }

    /// <summary>EWMA smoothing constant, lambda = 2 / (N + 1) (Williams et al. 2017).</summary>
    public static double Lambda(int days) => 2.0 / (days + 1);

    /// <summary>
    /// EWMA acute (N = 7) and chronic (N = 28) loads as of <paramref name="today"/>, starting from zero on the day
    /// before the first run. Informational only: the ratio's "safe zone" thresholds are disputed.
    /// </summary>
    public static AcuteChronicLoad AcuteChronicRatio(IEnumerable<RunLogged> runs, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var relevant = runs.Where(r => LocalDate(r) <= today).ToList();
        if (relevant.Count == 0)
        {
            return new AcuteChronicLoad(0, 0, null);
        }

        var first = relevant.Min(LocalDate);
        double acute = 0, chronic = 0;
        var lambdaAcute = Lambda(AcuteDays);
        var lambdaChronic = Lambda(ChronicDays);
        foreach (var day in DailyLoads(relevant, first, today))
        {
            acute = (day.Load * lambdaAcute) + ((1 - lambdaAcute) * acute);
            chronic = (day.Load * lambdaChronic) + ((1 - lambdaChronic) * chronic);
        }

        return new AcuteChronicLoad(acute, chronic, chronic > 0 ? acute / chronic : null);
    }

    /// <summary>Over the 7 days ending on <paramref name="lastDay"/>, rest days counting as zero load.</summary>
    public static MonotonyAndStrain MonotonyAndStrain(IEnumerable<RunLogged> runs, DateOnly lastDay)
    {
        var loads = DailyLoads(runs, lastDay.AddDays(-6), lastDay).Select(d => d.Load).ToList();
        var weekly = loads.Sum();
        var mean = weekly / loads.Count;
        var sd = Math.Sqrt(loads.Sum(l => (l - mean) * (l - mean)) / loads.Count);

        // Identical loads every day leave SD at zero and monotony undefined rather than infinite.
        double? monotony = sd > 1e-9 ? mean / sd : null;
        return new MonotonyAndStrain(weekly, mean, sd, monotony, monotony * weekly);
    }

    /// <summary>Longest single run on the <paramref name="days"/> days before <paramref name="before"/> (that day excluded).</summary>
    public static int LongestRunMeters(IEnumerable<RunLogged> runs, DateOnly before, int days = LongestRunWindowDays) =>
        Between(runs, before.AddDays(-days), before.AddDays(-1)).Select(r => r.DistanceMeters).DefaultIfEmpty(0).Max();

    /// <summary>Distance the shoe had when added plus every run logged in it.</summary>
    public static int ShoeMileageMeters(Shoe shoe, IEnumerable<RunLogged> runs)
    {
        ArgumentNullException.ThrowIfNull(shoe);
        return Clamp(shoe.StartingDistanceMeters + runs.Where(r => r.ShoeId == shoe.ShoeId).Sum(r => (long)r.DistanceMeters));
    }

    private static int Clamp(long value) => (int)Math.Clamp(value, int.MinValue, int.MaxValue);
}
