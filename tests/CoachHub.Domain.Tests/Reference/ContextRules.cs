using CoachHub.Domain.Athletes;
using CoachHub.Domain.Load;
using CoachHub.Domain.Triage;

namespace CoachHub.Domain.Tests.Reference;

/// <summary>Context and recovery: shoes, surfaces, sleep, stress, fear of movement, sitting, pain patterns.</summary>
internal static class ContextRules
{
    public const int ShoeCheckMeters = 480_000;
    public const int ShoeReplaceMeters = 800_000;
    public const int SurfaceWindowDays = 28;
    public const double RoadShareLimit = 0.8;
    public const int SurfaceMinimumRuns = 4;
    public const double ShortSleepHours = 7;
    public const int HighStress = 4;
    public const int HighFear = 7;
    public const double LongSittingHours = 8;
    public const int RecentReportDays = 14;
    public const int PatternWindowDays = 56;
    public const int PatternMinimumPainful = 3;

    /// <summary>Past 480 km (about 300 miles) check the shoe; past 800 km (about 500 miles) replace it. Retired shoes are ignored.</summary>
    public static IReadOnlyList<Finding> Shoe(AthleteHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var findings = new List<Finding>();
        foreach (var shoe in history.Shoes.Where(s => !s.Retired).OrderBy(s => s.ShoeId))
        {
            var mileage = LoadMetrics.ShoeMileageMeters(shoe, history.Runs);
            if (mileage <= ShoeCheckMeters)
            {
                continue;
            }

            var replace = mileage > ShoeReplaceMeters;
            findings.Add(Findings.Create(
                RuleIds.ShoeWear,
                Severity.Watch,
                $"shoe:{shoe.ShoeId}:{(replace ? "replace" : "check")}",
                replace
                    ? $"Your {shoe.Name} have covered {history.Distance(mileage)}. Worn-out cushioning passes more shock up to your back; it is time to replace them."
                    : $"Your {shoe.Name} have covered {history.Distance(mileage)}. Check the cushioning and tread; most running shoes need replacing somewhere between 480 and 800 km.",
                $"Shoe '{shoe.Name}' at {history.Distance(mileage)}: {(replace ? "replace" : "check wear")}.",
                replace ? "Replace this pair of shoes." : "Check the shoes for wear and plan a replacement.",
                shoes: [shoe.ShoeId],
                values: [new EvidenceValue("shoe distance", mileage, "m")]));
        }

        return findings;
    }

    /// <summary>80% or more of the last 4 weeks' distance on road (at least 4 runs).</summary>
    public static IReadOnlyList<Finding> Surface(AthleteHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var ordered = history.RunsInOrder();
        bool HoldsOn(DateOnly day)
        {
            var window = LoadMetrics.Between(ordered, day.AddDays(-(SurfaceWindowDays - 1)), day).ToList();
            var total = window.Sum(r => (long)r.DistanceMeters);
            var road = window.Where(r => r.Surface == Athletes.Surface.Road).Sum(r => (long)r.DistanceMeters);
            return window.Count >= SurfaceMinimumRuns && total > 0 && road * 10 >= total * 8;
        }

        if (Episodes.TrailingStartDay(history.Today, HoldsOn, 365) is not { } since)
        {
            return [];
        }

        var recent = LoadMetrics.Between(ordered, history.Today.AddDays(-(SurfaceWindowDays - 1)), history.Today).ToList();
        var share = (double)recent.Where(r => r.Surface == Athletes.Surface.Road).Sum(r => (long)r.DistanceMeters) / recent.Sum(r => (long)r.DistanceMeters);
        return
        [
            Findings.Create(
                RuleIds.SurfaceMix,
                Severity.Watch,
                $"since:{HistoryViews.Key(since)}",
                $"{HistoryViews.Percent(share)} of your running over the last 4 weeks was on road. Swapping some runs to grass, trail, track or a treadmill spreads the impact differently.",
                $"{HistoryViews.Percent(share)} of the last 4 weeks' distance on road. Suggest rotating terrain.",
                "Move one or two runs a week to grass, trail, track or treadmill.",
                runs: recent.Select(r => r.RunId),
                values: [new EvidenceValue("road share, last 28 days", Math.Round(share * 100, 1), "%")]),
        ];
    }

    /// <summary>Under 7 hours of sleep on 3 of the last 7 reports.</summary>
    public static IReadOnlyList<Finding> Sleep(AthleteHistory history) => ReportWindow(
        history,
        RuleIds.Sleep,
        window: 7,
        needed: 3,
        r => r.Context.SleepHours < ShortSleepHours,
        n => $"You slept under 7 hours before {n} of your last 7 reports. Short sleep makes back pain more likely to hang around; 7-9 hours is the aim.",
        n => $"Short sleep (under 7 h) on {n} of the last 7 reports.",
        "Aim for 7-9 hours of sleep; keep hard sessions for well-rested days.");

    /// <summary>Stress 4/5 or more on 2 of the last 3 reports.</summary>
    public static IReadOnlyList<Finding> Stress(AthleteHistory history) => ReportWindow(
        history,
        RuleIds.Stress,
        window: 3,
        needed: 2,
        r => r.Context.Stress >= HighStress,
        n => $"You rated your stress 4/5 or higher on {n} of your last 3 reports. Stress slows recovery and can keep pain going; an easier week is fine when life is busy.",
        n => $"High stress (4-5/5) on {n} of the last 3 reports. Consider lighter sessions.",
        "Keep sessions easy during stressful stretches; prioritise recovery.");

    /// <summary>Fear that running will harm the back at 7/10 or more on the latest report.</summary>
    public static IReadOnlyList<Finding> Fear(AthleteHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var reports = history.ReportsInOrder();
        var start = Episodes.TrailingStart(reports.Count, i => reports[i].Context.FearOfHarm >= HighFear);
        if (start < 0 || !reports[^1].IsRecent(history, RecentReportDays))
        {
            return [];
        }

        var fear = reports[^1].Context.FearOfHarm ?? 0;
        return
        [
            Findings.Create(
                RuleIds.Fear,
                Severity.Watch,
                Findings.SinceReportKey(reports[start].ReportId),
                $"You rated your worry that running will harm your back at {fear}/10. That worry is understandable. Backs are strong and adapt to load, and gentle, gradual running is usually better than stopping completely. Talk it through with your coach.",
                $"Fear of running harming the back at {fear}/10. Reassure, build up gradually (graded exposure), and avoid total rest.",
                "Coach: reassure the athlete, keep them moving with gradual, manageable sessions, and avoid total rest.",
                runs: reports.Skip(start).SelectMany(Findings.RunOf),
                reports: reports.Skip(start).Select(r => r.ReportId),
                values: [new EvidenceValue("fear of harm", fear, "/10")]),
        ];
    }

    /// <summary>Eight or more hours of sitting on the day of a painful run (latest report).</summary>
    public static IReadOnlyList<Finding> Sitting(AthleteHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var reports = history.ReportsInOrder();
        var start = Episodes.TrailingStart(
            reports.Count,
            i => reports[i].RunId is not null && reports[i].Peak() > 0 && reports[i].Context.SittingHours >= LongSittingHours);
        if (start < 0 || !reports[^1].IsRecent(history, PainMonitoringRules.RecentDays))
        {
            return [];
        }

        var hours = reports[^1].Context.SittingHours ?? 0;
        return
        [
            Findings.Create(
                RuleIds.Sitting,
                Severity.Info,
                Findings.SinceReportKey(reports[start].ReportId),
                $"You sat for about {HistoryViews.Number(hours)} hours on the day of a sore run. A few minutes of mobility before running (leg swings, hip circles) can help after a long day in a chair.",
                $"{HistoryViews.Number(hours)} h sitting on the day of a painful run. Suggest mobility before running.",
                "Do 5-10 minutes of mobility before running on long sitting days.",
                runs: reports.Skip(start).SelectMany(Findings.RunOf),
                reports: reports.Skip(start).Select(r => r.ReportId),
                values: [new EvidenceValue("hours sitting", hours, "h")]),
        ];
    }

    /// <summary>
    /// Over the last 8 weeks, pain after runs on one surface, workout type, shoe or time of day at least twice as
    /// often as after the others (at least 3 painful runs in the group and 3 runs outside it).
    /// </summary>
    public static IReadOnlyList<Finding> Pattern(AthleteHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var runs = LoadMetrics.Between(history.RunsInOrder(), history.Today.AddDays(-(PatternWindowDays - 1)), history.Today)
            .OrderBy(r => r.StartedAt).ThenBy(r => r.RunId).ToList();
        var painful = history.PainReports.Where(r => r.RunId is not null && r.Peak() > 0).Select(r => r.RunId!.Value).ToHashSet();
        var dimensions = new (string Name, Func<RunLogged, string?> Value, Func<string, string> Label)[]
        {
            ("surface", r => r.Surface.ToString(), v => $"{HistoryViews.Words(v)} surface"),
            ("workout", r => r.Workout.ToString(), v => $"{HistoryViews.Words(v)} runs"),
            ("shoe", r => r.ShoeId?.ToString(), v => $"shoe '{history.Shoes.FirstOrDefault(s => s.ShoeId.ToString() == v)?.Name ?? v}'"),
            ("time-of-day", r => TimeOfDay(r.StartedAt), v => $"{v} runs"),
        };

        var findings = new List<Finding>();
        foreach (var (name, value, label) in dimensions)
        {
            var tagged = runs.Select(r => (Run: r, Value: value(r))).Where(x => x.Value is not null).ToList();
            foreach (var group in tagged.GroupBy(x => x.Value!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var inGroup = group.Count();
                var painfulIn = group.Count(x => painful.Contains(x.Run.RunId));
                var outside = tagged.Count - inGroup;
                var painfulOut = tagged.Count(x => painful.Contains(x.Run.RunId)) - painfulIn;
                if (painfulIn < PatternMinimumPainful || outside < 3 || (long)painfulIn * outside < 2L * painfulOut * inGroup)
                {
                    continue;
                }

                var what = label(group.Key);
                findings.Add(Findings.Create(
                    RuleIds.Pattern,
                    Severity.Info,
                    $"{name}:{group.Key}",
                    $"Your back was sore after {painfulIn} of {inGroup} {what}, against {painfulOut} of {outside} other runs in the last 8 weeks. Worth noticing; your coach may suggest a change.",
                    $"Pattern: pain after {painfulIn}/{inGroup} {what} vs {painfulOut}/{outside} otherwise (last 8 weeks).",
                    "Discuss the pattern with the athlete and try varying that factor.",
                    runs: group.Where(x => painful.Contains(x.Run.RunId)).Select(x => x.Run.RunId),
                    values:
                    [
                        new EvidenceValue($"painful runs, {what}", painfulIn, "runs"),
                        new EvidenceValue($"runs, {what}", inGroup, "runs"),
                        new EvidenceValue("painful runs, others", painfulOut, "runs"),
                        new EvidenceValue("runs, others", outside, "runs"),
                    ]));
            }
        }

        return findings;
    }

    /// <summary>Morning before 12:00, afternoon until 17:00, evening after; on the athlete's local clock.</summary>
    public static string TimeOfDay(DateTimeOffset startedAt) => startedAt.Hour switch
    {
        < 12 => "morning",
        < 17 => "afternoon",
        _ => "evening",
    };

    private static IReadOnlyList<Finding> ReportWindow(
        AthleteHistory history,
        string ruleId,
        int window,
        int needed,
        Func<PainReportSubmitted, bool> counts,
        Func<int, string> athleteMessage,
        Func<int, string> coachMessage,
        string action)
    {
        ArgumentNullException.ThrowIfNull(history);
        var reports = history.ReportsInOrder();
        int CountAt(int i) => reports.Skip(Math.Max(0, i - window + 1)).Take(Math.Min(window, i + 1)).Count(counts);
        var start = Episodes.TrailingStart(reports.Count, i => CountAt(i) >= needed);
        if (start < 0 || !reports[^1].IsRecent(history, RecentReportDays))
        {
            return [];
        }

        var last = reports.Skip(Math.Max(0, reports.Count - window)).ToList();
        var n = last.Count(counts);
        return
        [
            Findings.Create(
                ruleId,
                Severity.Watch,
                Findings.SinceReportKey(reports[start].ReportId),
                athleteMessage(n),
                coachMessage(n),
                action,
                runs: last.Where(counts).SelectMany(Findings.RunOf),
                reports: last.Where(counts).Select(r => r.ReportId),
                values: [new EvidenceValue($"reports out of the last {window}", n, "reports")]),
        ];
    }
}
