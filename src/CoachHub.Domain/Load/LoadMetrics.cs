using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;

namespace CoachHub.Domain.Load;

/// <summary>Session load (RPE x minutes) summed for one local day.</summary>
public sealed record DailyLoad(DateOnly Date, double Load);

/// <summary>Exponentially weighted 7-day (acute) and 28-day (chronic) loads; Ratio is null without a chronic load.</summary>
public sealed record AcuteChronicLoad(double Acute, double Chronic, double? Ratio);

/// <summary>Foster's monotony (mean / SD of daily load over 7 days) and strain (weekly load x monotony).</summary>
public sealed record MonotonyAndStrain(double WeeklyLoad, double MeanDailyLoad, double StandardDeviation, double? Monotony, double? Strain);

public sealed record MixShare<TKey>(TKey Key, int DistanceMeters, double Fraction);

public enum ComplianceStatus
{
    Green = 0,
    Amber = 1,
    Red = 2,
}

public enum ComplianceMeasure
{
    DistanceMeters = 0,
    DurationSeconds = 1,
}

/// <summary>Done against planned, on distance when the plan gives one, otherwise on duration.</summary>
public sealed record Compliance(ComplianceStatus Status, double Ratio, int Percent, ComplianceMeasure Measure, int Planned, int Done);

/// <summary>Pure load arithmetic over logged runs. Days are the athlete's local dates; weeks start on Monday.</summary>
public static class LoadMetrics
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

    public static int DurationSeconds(IEnumerable<RunLogged> runs, DateOnly from, DateOnly to) =>
        Clamp(Between(runs, from, to).Sum(r => (long)r.DurationSeconds));

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

    private static readonly double LambdaAcute = Lambda(AcuteDays);
    private static readonly double LambdaChronic = Lambda(ChronicDays);

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
        foreach (var day in DailyLoads(relevant, first, today))
        {
            (acute, chronic) = EwmaStep(acute, chronic, day.Load);
        }

        return new AcuteChronicLoad(acute, chronic, chronic > 0 ? acute / chronic : null);
    }

    /// <summary>
    /// One day of the acute and chronic averages. Triage carries them forward day by day (<c>RunLog</c>), so both
    /// paths share this step and agree to the last bit.
    /// </summary>
    internal static (double Acute, double Chronic) EwmaStep(double acute, double chronic, double load) =>
        ((load * LambdaAcute) + ((1 - LambdaAcute) * acute), (load * LambdaChronic) + ((1 - LambdaChronic) * chronic));

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

    public static IReadOnlyList<MixShare<Surface>> SurfaceMix(IEnumerable<RunLogged> runs, DateOnly from, DateOnly to) =>
        Mix(Between(runs, from, to), r => r.Surface);

    /// <summary>Green within 80-120% of plan; amber 50-79% or 121-150%; red beyond (whole percent).</summary>
    public static ComplianceStatus ClassifyCompliance(int percent) => percent switch
    {
        >= 80 and <= 120 => ComplianceStatus.Green,
        >= 50 and <= 150 => ComplianceStatus.Amber,
        _ => ComplianceStatus.Red,
    };

    public static Compliance ComplianceOf(int planned, int done, ComplianceMeasure measure)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(planned);
        var ratio = (double)done / planned;
        var percent = (int)Math.Round(ratio * 100, MidpointRounding.AwayFromZero);
        return new Compliance(ClassifyCompliance(percent), ratio, percent, measure, planned, done);
    }

    /// <summary>
    /// The week so far, as a coach reads it mid-week: the distance run this week against the running due by now (the
    /// sessions of the days before today, and today's once the athlete has run today). Null while nothing is due yet:
    /// on Monday morning nobody is off plan.
    /// </summary>
    public static ComplianceStatus? DistanceSoFar(PlannedWeek? week, int doneMeters, DateOnly today, bool ranToday)
    {
        var due = DueMeters(week, today, ranToday);
        return due > 0 ? ComplianceOf(due, doneMeters, ComplianceMeasure.DistanceMeters).Status : null;
    }

    /// <summary>The planned running due by now: the days before today, and today's once the athlete has run today.</summary>
    public static int DueMeters(PlannedWeek? week, DateOnly today, bool ranToday) =>
        week is null ? 0 : WeekVolume.DistanceMeters(week.Sessions.Where(s => s.Date < today || (ranToday && s.Date == today)));

    /// <summary>All running done in the week against the week's planned running; null when nothing was planned.</summary>
    public static Compliance? WeekCompliance(PlannedWeek week, IEnumerable<RunLogged> runs)
    {
        ArgumentNullException.ThrowIfNull(week);
        var inWeek = Between(runs, week.WeekStart, week.WeekStart.AddDays(6)).ToList();
        var plannedDistance = WeekVolume.DistanceMeters(week);
        if (plannedDistance > 0 && week.Sessions.Where(s => SessionTypes.IsRun(s.Type)).All(s => s.DistanceMeters is > 0))
        {
            return ComplianceOf(plannedDistance, Clamp(inWeek.Sum(r => (long)r.DistanceMeters)), ComplianceMeasure.DistanceMeters);
        }

        var plannedDuration = WeekVolume.DurationSeconds(week);
        if (plannedDuration > 0)
        {
            return ComplianceOf(plannedDuration, Clamp(inWeek.Sum(r => (long)r.DurationSeconds)), ComplianceMeasure.DurationSeconds);
        }

        return plannedDistance > 0
            ? ComplianceOf(plannedDistance, Clamp(inWeek.Sum(r => (long)r.DistanceMeters)), ComplianceMeasure.DistanceMeters)
            : null;
    }

    private static List<MixShare<TKey>> Mix<TKey>(IEnumerable<RunLogged> runs, Func<RunLogged, TKey> key)
        where TKey : struct, Enum
    {
        var list = runs.ToList();
        long total = list.Sum(r => (long)r.DistanceMeters);
        return list.GroupBy(key)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var distance = g.Sum(r => (long)r.DistanceMeters);
                return new MixShare<TKey>(g.Key, Clamp(distance), total > 0 ? (double)distance / total : 0);
            })
            .ToList();
    }

    private static int Clamp(long value) => (int)Math.Clamp(value, int.MinValue, int.MaxValue);
}
