using CoachHub.Domain.Athletes;

namespace CoachHub.Domain.Triage;

/// <summary>
/// The pain-monitoring model: 0-3/10 is fine to train on, 4-5 acceptable, above 5 too much; next-morning pain
/// should not be higher than before the run. The latest report decides; a finding lasts as long as the reports
/// keep confirming it and the last one is recent (7 days, 14 for persistence).
/// </summary>
public static class PainMonitoringRules
{
    public const int ComfortableMax = 3;
    public const int AcceptableMax = 5;
    public const int RecentDays = 7;
    public const int PersistenceDays = 14;
    public const int PersistenceRuns = 3;

    /// <summary>PM-PERSIST counts pain of 3/10 or more; reports of 1-2/10 are not persistent pain (and end an episode).</summary>
    public const int PersistentPainFrom = 3;

    internal static bool IsPersistentPain(PainReportSubmitted report) => report.Peak() >= PersistentPainFrom;

    /// <summary>Latest pain 3/10 or below and not higher next morning: carry on.</summary>
    public static IReadOnlyList<Finding> Ok(AthleteHistory history) => Ok(TriageView.Of(history));

    internal static IReadOnlyList<Finding> Ok(TriageView view)
    {
        var reports = view.Reports;
        if (reports.Count == 0 || !reports[^1].IsRecent(view.Today, RecentDays))
        {
            return [];
        }

        var start = Episodes.TrailingStart(reports.Count, i => IsComfortable(view, reports[i]));
        if (start < 0)
        {
            return [];
        }

        var key = Findings.SinceReportKey(reports[start].ReportId);
        if (view.AlreadyRaised(RuleIds.PainOk, Severity.Info, key) is { } known)
        {
            return [known];
        }

        var episode = reports.From(start);
        var latest = reports[^1];
        // Said only once the morning after has been reported: before it, nobody knows.
        var morning = latest.Pain.NextMorningPain is null ? "" : " and not worse the next morning";
        return
        [
            Findings.Create(
                RuleIds.PainOk,
                Severity.Info,
                key,
                $"Pain is at {latest.Peak()}/10{morning}: that is within the range you can keep training with. Keep logging how your back feels after each run.",
                $"Latest pain {latest.Peak()}/10{morning}: fine to continue as planned.",
                "Continue as planned and keep logging pain after each run.",
                runs: episode.SelectMany(Findings.RunOf),
                reports: episode.Select(r => r.ReportId),
                values: [new EvidenceValue("latest pain", latest.Peak(), "/10")]),
        ];
    }

    /// <summary>Pain above 5/10 during, right after or the morning after a run.</summary>
    public static IReadOnlyList<Finding> High(AthleteHistory history) => High(TriageView.Of(history));

    internal static IReadOnlyList<Finding> High(TriageView view)
    {
        var reports = view.Reports;
        if (reports.Count == 0 || !reports[^1].IsRecent(view.Today, RecentDays))
        {
            return [];
        }

        var start = Episodes.TrailingStart(reports.Count, i => reports[i].Peak() > AcceptableMax);
        if (start < 0)
        {
            return [];
        }

        var key = Findings.SinceReportKey(reports[start].ReportId);
        if (view.AlreadyRaised(RuleIds.PainHigh, Severity.Warning, key) is { } known)
        {
            return [known];
        }

        var episode = reports.From(start);
        var peak = episode.Max(r => r.Peak());
        return
        [
            Findings.Create(
                RuleIds.PainHigh,
                Severity.Warning,
                key,
                $"Your pain reached {peak}/10. Above 5/10 is more than your back is ready for right now, so the next sessions will be lighter. If this keeps happening, a physical therapist can help.",
                $"Pain reached {peak}/10 (above the 5/10 line). Reduce load for the coming sessions.",
                "Reduce training load for the next sessions; consider a physical therapist if it recurs.",
                runs: episode.SelectMany(Findings.RunOf),
                reports: episode.Select(r => r.ReportId),
                values: [new EvidenceValue("highest pain", peak, "/10")]),
        ];
    }

    /// <summary>Next-morning pain higher than the pain before the run.</summary>
    public static IReadOnlyList<Finding> NextDay(AthleteHistory history) => NextDay(TriageView.Of(history));

    internal static IReadOnlyList<Finding> NextDay(TriageView view)
    {
        var reports = view.NextMorningReports;
        if (reports.Count == 0 || !reports[^1].IsRecent(view.Today, RecentDays))
        {
            return [];
        }

        var start = Episodes.TrailingStart(reports.Count, i => reports[i].Pain.NextMorningPain > view.BaselineBefore(reports[i]));
        if (start < 0)
        {
            return [];
        }

        var key = Findings.SinceReportKey(reports[start].ReportId);
        if (view.AlreadyRaised(RuleIds.PainNextDay, Severity.Warning, key) is { } known)
        {
            return [known];
        }

        var episode = reports.From(start);
        var latest = reports[^1];
        var before = view.BaselineBefore(latest);
        return
        [
            Findings.Create(
                RuleIds.PainNextDay,
                Severity.Warning,
                key,
                $"Your back was at {latest.Pain.NextMorningPain}/10 the morning after, higher than the {before}/10 before the run. The next sessions will be shorter and easier while it settles.",
                $"Next-morning pain {latest.Pain.NextMorningPain}/10 against {before}/10 before the run. Reduce the next sessions.",
                "Make the next sessions shorter and easier until next-morning pain is back to its usual level.",
                runs: episode.SelectMany(Findings.RunOf),
                reports: episode.Select(r => r.ReportId),
                values:
                [
                    new EvidenceValue("next-morning pain", latest.Pain.NextMorningPain ?? 0, "/10"),
                    new EvidenceValue("pain before the run", before, "/10"),
                ]),
        ];
    }

    /// <summary>
    /// Pain after 3 or more runs within the last 14 days, or an unbroken stretch of painful reports spanning more than
    /// 14 days. A pain-free report, or 14 days without a painful one, ends the stretch.
    /// </summary>
    public static IReadOnlyList<Finding> Persistent(AthleteHistory history) => Persistent(TriageView.Of(history));

    internal static IReadOnlyList<Finding> Persistent(TriageView view)
    {
        var history = view.History;
        var reports = view.Reports;
        if (reports.Count == 0 || !IsPersistentPain(reports[^1]) || !reports[^1].IsRecent(history.Today, PersistenceDays))
        {
            return [];
        }

        var windowStart = history.Today.AddDays(-(PersistenceDays - 1));
        // Only a report about a run of the last 14 days can count; those runs are all in the recent window.
        var recentRuns = view.RunsOn(windowStart, DateOnly.MaxValue).Select(run => run.RunId).ToHashSet();
        // The log keeps the episode's first report: the runs that hurt in it are found from the recent runs'
        // reports, in the order their first report in the episode came, without reading the whole episode.
        var episodeStart = view.PainReports.TrailingEpisodeStart!;
        var first = episodeStart.Report;
        var painfulRuns = recentRuns
            .Select(runId => (RunId: runId, First: view.PainReports.About(runId)
                .Where(r => FiledReport.ByTime.Compare(r, episodeStart) >= 0)
                .MinBy(r => r, FiledReport.ByTime)))
            .Where(x => x.First is not null && view.Runs.Find(x.RunId) is { } run && run.Day() >= windowStart)
            .OrderBy(x => x.First!, FiledReport.ByTime)
            .Select(x => x.RunId)
            .ToList();
        var spanDays = TrainingCalendar.DaysBetween(first.Day(), reports[^1].Day());
        if (painfulRuns.Count < PersistenceRuns && spanDays <= PersistenceDays)
        {
            return [];
        }

        var key = Findings.SinceReportKey(first.ReportId);
        if (view.AlreadyRaised(RuleIds.PainPersistent, Severity.Warning, key) is { } known)
        {
            return [known];
        }

        var what = painfulRuns.Count >= PersistenceRuns
            ? $"after {painfulRuns.Count} runs in the last two weeks"
            : $"on and off for {spanDays} days";

        return
        [
            Findings.Create(
                RuleIds.PainPersistent,
                Severity.Warning,
                key,
                $"Your back has been sore {what}. Most back pain settles within a few weeks, but when it keeps coming back a physical therapist is the right person to look at it.",
                $"Back pain is persisting ({what}). Recommend the athlete books a physical therapist.",
                "See a physical therapist about the recurring pain; training load is reduced meanwhile.",
                runs: painfulRuns,
                reports: reports.From(view.PainReports.IndexOf(episodeStart)).Select(r => r.ReportId),
                values:
                [
                    new EvidenceValue("runs with pain, last 14 days", painfulRuns.Count, "runs"),
                    new EvidenceValue("days with painful reports", spanDays, "days"),
                ]),
        ];
    }

    private static bool IsComfortable(TriageView view, PainReportSubmitted report)
    {
        if (report.PeakAfterRun() > ComfortableMax)
        {
            return false;
        }

        return report.Pain.NextMorningPain is not { } nextMorning
            || (nextMorning <= ComfortableMax && nextMorning <= view.BaselineBefore(report));
    }
}
