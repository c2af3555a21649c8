using CoachHub.Domain.Athletes;
using CoachHub.Domain.Load;
using CoachHub.Domain.Triage;

namespace CoachHub.Domain.Tests.Reference;

/// <summary>
/// Load and training-pattern rules. Run-level findings look at the last 7 days; week-level findings at the
/// current and the previous ISO week. Once the evidence ages out of that window the finding is no longer true.
/// </summary>
internal static class LoadRules
{
    public const int RecentDays = 7;
    public const double AcwrLow = 0.8;
    public const double AcwrHigh = 1.3;
    public const double MonotonyHigh = 2.0;

    /// <summary>
    /// A run more than 10% longer than the longest run of the previous 30 days: watch, warning above 30%.
    /// No earlier run in those 30 days means no baseline and no finding.
    /// </summary>
    public static IReadOnlyList<Finding> Spike(AthleteHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var runs = history.RunsInOrder();
        var findings = new List<Finding>();
        foreach (var run in runs.Where(r => r.Day() >= history.Today.AddDays(-(RecentDays - 1)) && r.Day() <= history.Today))
        {
            var longest = LoadMetrics.LongestRunMeters(runs, run.Day());
            var earlier = runs.Where(r => r.Day() < run.Day() && r.Day() >= run.Day().AddDays(-30)).Select(r => r.Day()).ToList();
            // A baseline: two or more earlier runs in those 30 days, the earliest at least 14 days back.
            if (longest <= 0 || run.DistanceMeters * 100L <= longest * 110L || earlier.Count < 2 || TrainingCalendar.DaysBetween(earlier.Min(), run.Day()) < 14)
            {
                continue;
            }

            var severity = run.DistanceMeters * 100L > longest * 130L ? Severity.Warning : Severity.Watch;
            var increase = ((double)run.DistanceMeters / longest) - 1;
            findings.Add(Findings.Create(
                RuleIds.Spike,
                severity,
                Findings.RunKey(run.RunId),
                $"Your {history.Distance(run.DistanceMeters)} run was {HistoryViews.Percent(increase)} longer than your longest run of the previous 30 days ({history.Distance(longest)}). Big jumps in a single run are linked with more running injuries; build the long run by 10% or less.",
                $"Single-run spike: {history.Distance(run.DistanceMeters)} is {HistoryViews.Percent(increase)} over the 30-day longest ({history.Distance(longest)}).",
                severity == Severity.Warning
                    ? "Reduce load next week and keep single runs within 10% of the 30-day longest."
                    : "Keep the next long run within 10% of the 30-day longest.",
                runs: [run.RunId],
                values:
                [
                    new EvidenceValue("run distance", run.DistanceMeters, "m"),
                    new EvidenceValue("longest run, previous 30 days", longest, "m"),
                    new EvidenceValue("increase", Math.Round(increase * 100, 1), "%"),
                ]));
        }

        return findings;
    }

    /// <summary>Weekly distance more than 30% above the week before (weeks with a previous week that had running).</summary>
    public static IReadOnlyList<Finding> Week(AthleteHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var findings = new List<Finding>();
        foreach (var weekStart in RecentWeeks(history))
        {
            var current = LoadMetrics.WeeklyDistanceMeters(history.Runs, weekStart);
            var previous = LoadMetrics.WeeklyDistanceMeters(history.Runs, weekStart.AddDays(-7));
            if (previous <= 0 || current * 100L <= previous * 130L)
            {
                continue;
            }

            var increase = ((double)current / previous) - 1;
            findings.Add(Findings.Create(
                RuleIds.WeekIncrease,
                Severity.Watch,
                Findings.WeekKey(weekStart),
                $"You have run {history.Distance(current)} in the week of {HistoryViews.Key(weekStart)}, {HistoryViews.Percent(increase)} more than the {history.Distance(previous)} of the week before. Sudden jumps in weekly distance are a common trigger for back trouble.",
                $"Weekly distance up {HistoryViews.Percent(increase)} ({history.Distance(previous)} to {history.Distance(current)}).",
                "Keep next week's distance close to this week's; avoid another jump.",
                runs: LoadMetrics.Between(history.RunsInOrder(), weekStart, weekStart.AddDays(6)).Select(r => r.RunId),
                values:
                [
                    new EvidenceValue("week distance", current, "m"),
                    new EvidenceValue("previous week distance", previous, "m"),
                    new EvidenceValue("increase", Math.Round(increase * 100, 1), "%"),
                ]));
        }

        return findings;
    }

    /// <summary>Hills or intervals new this week, or a long run longer than any run last week, while weekly distance also rose.</summary>
    public static IReadOnlyList<Finding> Intensity(AthleteHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var findings = new List<Finding>();
        foreach (var weekStart in RecentWeeks(history))
        {
            var thisWeek = LoadMetrics.Between(history.RunsInOrder(), weekStart, weekStart.AddDays(6)).OrderBy(r => r.StartedAt).ThenBy(r => r.RunId).ToList();
            var lastWeek = LoadMetrics.Between(history.RunsInOrder(), weekStart.AddDays(-7), weekStart.AddDays(-1)).ToList();
            var current = thisWeek.Sum(r => (long)r.DistanceMeters);
            var previous = lastWeek.Sum(r => (long)r.DistanceMeters);
            if (previous <= 0 || current <= previous)
            {
                continue;
            }

            var previousTypes = lastWeek.Select(r => r.Workout).ToHashSet();
            var previousLongest = lastWeek.Max(r => r.DistanceMeters);
            var added = thisWeek
                .Where(r => ((r.Workout is WorkoutType.Hills or WorkoutType.Intervals && !previousTypes.Contains(r.Workout))
                    || (r.Workout == WorkoutType.LongRun && r.DistanceMeters > previousLongest))
                    && r.Prescribed?.Covers(r) != true)
                .ToList();
            if (added.Count == 0)
            {
                continue;
            }

            var what = string.Join(", ", added.Select(Describe).Distinct());
            findings.Add(Findings.Create(
                RuleIds.IntensityAdded,
                Severity.Watch,
                Findings.WeekKey(weekStart),
                $"This week added {what} while your total distance also went up. Adding speed, hills or a longer long run at the same time as more distance asks a lot of your back; change one thing at a time.",
                $"New intensity ({what}) in a week whose volume rose ({history.Distance((int)previous)} to {history.Distance((int)current)}).",
                "Change one thing at a time: either more distance or more intensity in a week, not both.",
                runs: added.Select(r => r.RunId),
                values:
                [
                    new EvidenceValue("week distance", current, "m"),
                    new EvidenceValue("previous week distance", previous, "m"),
                ]));
        }

        return findings;
    }

    /// <summary>Informational: EWMA acute:chronic ratio outside 0.8-1.3 once there are 4 weeks of history.</summary>
    public static IReadOnlyList<Finding> AcuteChronic(AthleteHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var past = history.Runs.Where(r => r.Day() <= history.Today).ToList();
        if (past.Count == 0 || past.Min(r => r.Day()) > history.Today.AddDays(-(LoadMetrics.ChronicDays - 1)))
        {
            return [];
        }

        var load = LoadMetrics.AcuteChronicRatio(past, history.Today);
        if (load.Ratio is not { } ratio || (ratio >= AcwrLow && ratio <= AcwrHigh))
        {
            return [];
        }

        var direction = ratio > AcwrHigh ? "well above" : "well below";
        return
        [
            Findings.Create(
                RuleIds.AcuteChronic,
                Severity.Info,
                Findings.WeekKey(TrainingCalendar.WeekStartOf(history.Today)),
                $"Your last week's training load is {direction} your usual 4-week load (ratio {HistoryViews.Number(Math.Round(ratio, 2))}). This is background information only.",
                $"EWMA acute:chronic ratio {HistoryViews.Number(Math.Round(ratio, 2))} (7 vs 28 days). Informational: published thresholds for this ratio are disputed.",
                "No change needed on this alone; read it alongside pain and the other findings.",
                values:
                [
                    new EvidenceValue("acute load (EWMA 7 days)", Math.Round(load.Acute, 1), "AU"),
                    new EvidenceValue("chronic load (EWMA 28 days)", Math.Round(load.Chronic, 1), "AU"),
                    new EvidenceValue("ratio", Math.Round(ratio, 2), "ratio"),
                ]),
        ];
    }

    /// <summary>Informational: Foster monotony above 2.0 over the last 7 days, with strain.</summary>
    public static IReadOnlyList<Finding> Monotony(AthleteHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var week = LoadMetrics.MonotonyAndStrain(history.Runs, history.Today);
        if (week.Monotony is not { } monotony || monotony <= MonotonyHigh)
        {
            return [];
        }

        return
        [
            Findings.Create(
                RuleIds.Monotony,
                Severity.Info,
                Findings.WeekKey(TrainingCalendar.WeekStartOf(history.Today)),
                $"Your last 7 days were very similar from day to day (monotony {HistoryViews.Number(Math.Round(monotony, 2))}). Mixing easier and harder days, and real rest days, helps recovery.",
                $"Monotony {HistoryViews.Number(Math.Round(monotony, 2))}, strain {HistoryViews.Number(Math.Round(week.Strain ?? 0))} over the last 7 days (Foster).",
                "Vary the week: alternate easier and harder days and keep a rest day.",
                runs: LoadMetrics.Between(history.RunsInOrder(), history.Today.AddDays(-6), history.Today).Select(r => r.RunId),
                values:
                [
                    new EvidenceValue("weekly load", Math.Round(week.WeeklyLoad, 1), "AU"),
                    new EvidenceValue("monotony", Math.Round(monotony, 2), "ratio"),
                    new EvidenceValue("strain", Math.Round(week.Strain ?? 0, 1), "AU"),
                ]),
        ];
    }

    /// <summary>
    /// Runs on each of the last 7 days. The streak counts up to today or yesterday (today may not be over);
    /// a day without a run ends it.
    /// </summary>
    public static IReadOnlyList<Finding> NoRest(AthleteHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var days = history.Runs.Select(r => r.Day()).Where(d => d <= history.Today).ToHashSet();
        var last = days.Contains(history.Today) ? history.Today : history.Today.AddDays(-1);
        if (!days.Contains(last))
        {
            return [];
        }

        var start = last;
        while (days.Contains(start.AddDays(-1)))
        {
            start = start.AddDays(-1);
        }

        var length = TrainingCalendar.DaysBetween(start, last) + 1;
        if (length < 7)
        {
            return [];
        }

        return
        [
            Findings.Create(
                RuleIds.NoRest,
                Severity.Watch,
                $"streak:{HistoryViews.Key(start)}",
                $"You have run {length} days in a row. Rest days are when your body adapts to the training; please take one.",
                $"No rest day for {length} days (since {HistoryViews.Key(start)}).",
                "Take a rest day; plan at least one each week.",
                runs: LoadMetrics.Between(history.RunsInOrder(), last.AddDays(-6), last).Select(r => r.RunId),
                values: [new EvidenceValue("consecutive running days", length, "days")]),
        ];
    }

    private static DateOnly[] RecentWeeks(AthleteHistory history)
    {
        var current = TrainingCalendar.WeekStartOf(history.Today);
        return [current.AddDays(-7), current];
    }

    private static string Describe(RunLogged run) => run.Workout switch
    {
        WorkoutType.Hills => "hill repeats",
        WorkoutType.Intervals => "intervals",
        _ => "a longer long run",
    };
}
