using CoachHub.Domain.Athletes;
using CoachHub.Domain.Load;

namespace CoachHub.Domain.Triage;

/// <summary>Context and recovery: shoes, surfaces, sleep, stress, fear of movement, sitting, pain patterns.</summary>
public static class ContextRules
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
    public static IReadOnlyList<Finding> Shoe(AthleteHistory history) => Shoe(TriageView.Of(history));

    /// <summary>The run log keeps each shoe's distance as a running sum, so no run is summed again.</summary>
    internal static IReadOnlyList<Finding> Shoe(TriageView view)
    {
        var history = view.History;
        var findings = new List<Finding>();
        foreach (var shoe in history.Shoes.Where(s => !s.Retired).OrderBy(s => s.ShoeId))
        {
            var mileage = (int)Math.Clamp(shoe.StartingDistanceMeters + view.Runs.MetersInShoe(shoe.ShoeId), int.MinValue, int.MaxValue);
            if (mileage <= ShoeCheckMeters)
            {
                continue;
            }

            var replace = mileage > ShoeReplaceMeters;
            var key = $"shoe:{shoe.ShoeId}:{(replace ? "replace" : "check")}";
            if (view.AlreadyRaised(RuleIds.ShoeWear, Severity.Watch, key) is { } known)
            {
                findings.Add(known);
                continue;
            }

            findings.Add(Findings.Create(
                RuleIds.ShoeWear,
                Severity.Watch,
                key,
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
    public static IReadOnlyList<Finding> Surface(AthleteHistory history) => Surface(TriageView.Of(history));

    internal static IReadOnlyList<Finding> Surface(TriageView view)
    {
        var history = view.History;
        if (RoadStretchStart(view) is not { } since)
        {
            return [];
        }

        var key = $"since:{HistoryViews.Key(since)}";
        if (view.AlreadyRaised(RuleIds.SurfaceMix, Severity.Watch, key) is { } known)
        {
            return [known];
        }

        var recent = view.RunsOn(history.Today.AddDays(-(SurfaceWindowDays - 1)), history.Today);
        var share = (double)recent.Where(r => r.Surface == Athletes.Surface.Road).Sum(r => (long)r.DistanceMeters) / recent.Sum(r => (long)r.DistanceMeters);

        return
        [
            Findings.Create(
                RuleIds.SurfaceMix,
                Severity.Watch,
                key,
                $"{HistoryViews.Percent(share)} of your running over the last 4 weeks was on road. Swapping some runs to grass, trail, track or a treadmill spreads the impact differently.",
                $"{HistoryViews.Percent(share)} of the last 4 weeks' distance on road. Suggest rotating terrain.",
                "Move one or two runs a week to grass, trail, track or treadmill.",
                runs: recent.Select(r => r.RunId),
                values: [new EvidenceValue("road share, last 28 days", Math.Round(share * 100, 1), "%")]),
        ];
    }

    /// <summary>Under 7 hours of sleep on 3 of the last 7 reports.</summary>
    public static IReadOnlyList<Finding> Sleep(AthleteHistory history) => Sleep(TriageView.Of(history));

    internal static IReadOnlyList<Finding> Sleep(TriageView view) => ReportWindow(
        view,
        RuleIds.Sleep,
        window: 7,
        needed: 3,
        r => r.Context.SleepHours < ShortSleepHours,
        n => $"You slept under 7 hours before {n} of your last 7 reports. Short sleep makes back pain more likely to hang around; 7-9 hours is the aim.",
        n => $"Short sleep (under 7 h) on {n} of the last 7 reports.",
        "Aim for 7-9 hours of sleep; keep hard sessions for well-rested days.");

    /// <summary>Stress 4/5 or more on 2 of the last 3 reports.</summary>
    public static IReadOnlyList<Finding> Stress(AthleteHistory history) => Stress(TriageView.Of(history));

    internal static IReadOnlyList<Finding> Stress(TriageView view) => ReportWindow(
        view,
        RuleIds.Stress,
        window: 3,
        needed: 2,
        r => r.Context.Stress >= HighStress,
        n => $"You rated your stress 4/5 or higher on {n} of your last 3 reports. Stress slows recovery and can keep pain going; an easier week is fine when life is busy.",
        n => $"High stress (4-5/5) on {n} of the last 3 reports. Consider lighter sessions.",
        "Keep sessions easy during stressful stretches; prioritise recovery.");

    /// <summary>Fear that running will harm the back at 7/10 or more on the latest report.</summary>
    public static IReadOnlyList<Finding> Fear(AthleteHistory history) => Fear(TriageView.Of(history));

    internal static IReadOnlyList<Finding> Fear(TriageView view)
    {
        var reports = view.Reports;
        if (reports.Count == 0 || !reports[^1].IsRecent(view.Today, RecentReportDays))
        {
            return [];
        }

        var start = Episodes.TrailingStart(reports.Count, i => reports[i].Context.FearOfHarm >= HighFear);
        if (start < 0)
        {
            return [];
        }

        var key = Findings.SinceReportKey(reports[start].ReportId);
        if (view.AlreadyRaised(RuleIds.Fear, Severity.Watch, key) is { } known)
        {
            return [known];
        }

        var episode = reports.From(start);
        var fear = reports[^1].Context.FearOfHarm ?? 0;
        return
        [
            Findings.Create(
                RuleIds.Fear,
                Severity.Watch,
                key,
                $"You rated your worry that running will harm your back at {fear}/10. That worry is understandable. Backs are strong and adapt to load, and gentle, gradual running is usually better than stopping completely. Talk it through with your coach.",
                $"Fear of running harming the back at {fear}/10. Reassure, build up gradually (graded exposure), and avoid total rest.",
                "Coach: reassure the athlete, keep them moving with gradual, manageable sessions, and avoid total rest.",
                runs: episode.SelectMany(Findings.RunOf),
                reports: episode.Select(r => r.ReportId),
                values: [new EvidenceValue("fear of harm", fear, "/10")]),
        ];
    }

    /// <summary>Eight or more hours of sitting on the day of a painful run (latest report).</summary>
    public static IReadOnlyList<Finding> Sitting(AthleteHistory history) => Sitting(TriageView.Of(history));

    internal static IReadOnlyList<Finding> Sitting(TriageView view)
    {
        var reports = view.Reports;
        if (reports.Count == 0 || !reports[^1].IsRecent(view.Today, PainMonitoringRules.RecentDays))
        {
            return [];
        }

        var start = Episodes.TrailingStart(
            reports.Count,
            i => reports[i].RunId is not null && reports[i].Peak() > 0 && reports[i].Context.SittingHours >= LongSittingHours);
        if (start < 0)
        {
            return [];
        }

        var key = Findings.SinceReportKey(reports[start].ReportId);
        if (view.AlreadyRaised(RuleIds.Sitting, Severity.Info, key) is { } known)
        {
            return [known];
        }

        var episode = reports.From(start);
        var hours = reports[^1].Context.SittingHours ?? 0;
        return
        [
            Findings.Create(
                RuleIds.Sitting,
                Severity.Info,
                key,
                $"You sat for about {HistoryViews.Number(hours)} hours on the day of a sore run. A few minutes of mobility before running (leg swings, hip circles) can help after a long day in a chair.",
                $"{HistoryViews.Number(hours)} h sitting on the day of a painful run. Suggest mobility before running.",
                "Do 5-10 minutes of mobility before running on long sitting days.",
                runs: episode.SelectMany(Findings.RunOf),
                reports: episode.Select(r => r.ReportId),
                values: [new EvidenceValue("hours sitting", hours, "h")]),
        ];
    }

    /// <summary>
    /// Over the last 8 weeks, pain after runs on one surface, workout type, shoe or time of day at least twice as
    /// often as after the others (at least 3 painful runs in the group and 3 runs outside it).
    /// </summary>
    public static IReadOnlyList<Finding> Pattern(AthleteHistory history) => Pattern(TriageView.Of(history));

    internal static IReadOnlyList<Finding> Pattern(TriageView view)
    {
        var history = view.History;
        var runs = view.RunsOn(history.Today.AddDays(-(PatternWindowDays - 1)), history.Today);

        // Whether each run hurt, and each shoe's id as text, worked out once rather than once per group.
        var hurt = runs.ConvertAll(r => view.PainReports.HurtAfter(r.RunId));
        var shoeIds = new Dictionary<Guid, string>();
        string ShoeText(Guid id) => shoeIds.TryGetValue(id, out var text) ? text : shoeIds[id] = id.ToString();
        var dimensions = new (string Name, Func<RunLogged, string?> Value, Func<string, string> Label)[]
        {
            ("surface", r => Names<Athletes.Surface>.Of(r.Surface), v => $"{HistoryViews.Words(v)} surface"),
            ("workout", r => Names<WorkoutType>.Of(r.Workout), v => $"{HistoryViews.Words(v)} runs"),
            ("shoe", r => r.ShoeId is { } id ? ShoeText(id) : null, v => $"shoe '{history.Shoes.FirstOrDefault(s => s.ShoeId.ToString() == v)?.Name ?? v}'"),
            ("time-of-day", r => TimeOfDay(r.StartedAt), v => $"{v} runs"),
        };

        var findings = new List<Finding>();
        foreach (var (name, value, label) in dimensions)
        {
            // Groups by value, each with its runs in start order; then in ordinal order of the value.
            var groups = new List<(string Value, List<int> Runs)>();
            var tagged = 0;
            var painfulTagged = 0;
            for (var i = 0; i < runs.Count; i++)
            {
                if (value(runs[i]) is not { } tag)
                {
                    continue;
                }

                tagged++;
                painfulTagged += hurt[i] ? 1 : 0;
                var at = 0;
                while (at < groups.Count && !string.Equals(groups[at].Value, tag, StringComparison.Ordinal))
                {
                    at++;
                }

                if (at == groups.Count)
                {
                    groups.Add((tag, [i]));
                }
                else
                {
                    groups[at].Runs.Add(i);
                }
            }

            groups.Sort((x, y) => string.CompareOrdinal(x.Value, y.Value));
            foreach (var (tag, members) in groups)
            {
                var inGroup = members.Count;
                var painfulIn = members.Count(i => hurt[i]);
                var outside = tagged - inGroup;
                var painfulOut = painfulTagged - painfulIn;
                if (painfulIn < PatternMinimumPainful || outside < 3 || (long)painfulIn * outside < 2L * painfulOut * inGroup)
                {
                    continue;
                }

                var key = $"{name}:{tag}";
                if (view.AlreadyRaised(RuleIds.Pattern, Severity.Info, key) is { } known)
                {
                    findings.Add(known);
                    continue;
                }

                var what = label(tag);
                findings.Add(Findings.Create(
                    RuleIds.Pattern,
                    Severity.Info,
                    key,
                    $"Your back was sore after {painfulIn} of {inGroup} {what}, against {painfulOut} of {outside} other runs in the last 8 weeks. Worth noticing; your coach may suggest a change.",
                    $"Pattern: pain after {painfulIn}/{inGroup} {what} vs {painfulOut}/{outside} otherwise (last 8 weeks).",
                    "Discuss the pattern with the athlete and try varying that factor.",
                    runs: members.Where(i => hurt[i]).Select(i => runs[i].RunId),
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

    /// <summary>
    /// First day of the stretch, ending today and at most a year long, on every day of which the 4 weeks up to that
    /// day held at least 4 runs and 80% or more of their distance on road; null if today does not qualify. The
    /// window slides back a day at a time over daily totals, reading runs only as far back as the stretch goes.
    /// </summary>
    private static DateOnly? RoadStretchStart(TriageView view)
    {
        const int MaxDays = 365;
        var today = view.Today;

        // Daily totals of the 28 days in the window, each day in slot (days before today) % 28: the day that joins
        // the window takes the slot of the day that leaves it.
        Span<long> runs = stackalloc long[SurfaceWindowDays];
        Span<long> meters = stackalloc long[SurfaceWindowDays];
        Span<long> road = stackalloc long[SurfaceWindowDays];
        using var newestFirst = view.Runs.NewestFirstUpTo(today).GetEnumerator();
        var pending = newestFirst.MoveNext();
        long windowRuns = 0, windowMeters = 0, windowRoad = 0;
        var start = today;
        for (var back = 0; back < MaxDays; back++)
        {
            // The window for (today - back) reaches back to "joining" days before today.
            var joining = back + SurfaceWindowDays - 1;
            for (var at = back == 0 ? 0 : joining; at <= joining; at++)
            {
                var slot = at % SurfaceWindowDays;
                if (at >= SurfaceWindowDays)
                {
                    windowRuns -= runs[slot];
                    windowMeters -= meters[slot];
                    windowRoad -= road[slot];
                    runs[slot] = meters[slot] = road[slot] = 0;
                }

                var day = today.AddDays(-at);
                while (pending && newestFirst.Current.Day >= day)
                {
                    var run = newestFirst.Current.Run;
                    var onRoad = run.Surface == Athletes.Surface.Road ? run.DistanceMeters : 0;
                    runs[slot]++;
                    meters[slot] += run.DistanceMeters;
                    road[slot] += onRoad;
                    windowRuns++;
                    windowMeters += run.DistanceMeters;
                    windowRoad += onRoad;
                    pending = newestFirst.MoveNext();
                }
            }

            if (windowRuns < SurfaceMinimumRuns || windowMeters <= 0 || windowRoad * 10 < windowMeters * 8)
            {
                return back == 0 ? null : start;
            }

            start = today.AddDays(-back);
        }

        return start;
    }

    /// <summary>Morning before 12:00, afternoon until 17:00, evening after; on the athlete's local clock.</summary>
    public static string TimeOfDay(DateTimeOffset startedAt) => startedAt.Hour switch
    {
        < 12 => "morning",
        < 17 => "afternoon",
        _ => "evening",
    };

    private static IReadOnlyList<Finding> ReportWindow(
        TriageView view,
        string ruleId,
        int window,
        int needed,
        Func<PainReportSubmitted, bool> counts,
        Func<int, string> athleteMessage,
        Func<int, string> coachMessage,
        string action)
    {
        var reports = view.Reports;
        if (reports.Count == 0 || !reports[^1].IsRecent(view.Today, RecentReportDays))
        {
            return [];
        }

        int CountAt(int i)
        {
            var n = 0;
            for (var j = Math.Max(0, i - window + 1); j <= i; j++)
            {
                n += counts(reports[j]) ? 1 : 0;
            }

            return n;
        }

        var start = Episodes.TrailingStart(reports.Count, i => CountAt(i) >= needed);
        if (start < 0)
        {
            return [];
        }

        var key = Findings.SinceReportKey(reports[start].ReportId);
        if (view.AlreadyRaised(ruleId, Severity.Watch, key) is { } known)
        {
            return [known];
        }

        var last = reports.From(Math.Max(0, reports.Count - window));
        var n = last.Count(counts);
        return
        [
            Findings.Create(
                ruleId,
                Severity.Watch,
                key,
                athleteMessage(n),
                coachMessage(n),
                action,
                runs: last.Where(counts).SelectMany(Findings.RunOf),
                reports: last.Where(counts).Select(r => r.ReportId),
                values: [new EvidenceValue($"reports out of the last {window}", n, "reports")]),
        ];
    }
}

/// <summary>Enum names as <c>ToString</c> gives them, looked up instead of formatted each time.</summary>
internal static class Names<TEnum>
    where TEnum : struct, Enum
{
    private static readonly Dictionary<TEnum, string> Known = Enum.GetValues<TEnum>().Distinct().ToDictionary(v => v, v => v.ToString());

    public static string Of(TEnum value) => Known.TryGetValue(value, out var name) ? name : value.ToString();
}
