using CoachHub.Domain.Athletes;
using CoachHub.Domain.Load;
using CoachHub.Domain.Triage;

namespace CoachHub.Domain.Tests.Reference;

/// <summary>
/// The pain-monitoring model: 0-3/10 is fine to train on, 4-5 acceptable, above 5 too much; next-morning pain
/// should not be higher than before the run. The latest report decides; a finding lasts as long as the reports
/// keep confirming it and the last one is recent (7 days, 14 for persistence).
/// </summary>
internal static class PainMonitoringRules
{
    public const int ComfortableMax = 3;
    public const int AcceptableMax = 5;
    public const int RecentDays = 7;
    public const int PersistenceDays = 14;
    public const int PersistenceRuns = 3;

    /// <summary>Latest pain 3/10 or below and not higher next morning: carry on.</summary>
    public static IReadOnlyList<Finding> Ok(AthleteHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var reports = history.ReportsInOrder();
        bool Holds(int i) => IsComfortable(history, reports[i]);
        var start = Episodes.TrailingStart(reports.Count, Holds);
        if (start < 0 || !reports[^1].IsRecent(history, RecentDays))
        {
            return [];
        }

        var latest = reports[^1];
        // Said only once the morning after has been reported: before it, nobody knows.
        var morning = latest.Pain.NextMorningPain is null ? "" : " and not worse the next morning";
        return
        [
            Findings.Create(
                RuleIds.PainOk,
                Severity.Info,
                Findings.SinceReportKey(reports[start].ReportId),
                $"Pain is at {latest.Peak()}/10{morning}: that is within the range you can keep training with. Keep logging how your back feels after each run.",
                $"Latest pain {latest.Peak()}/10{morning}: fine to continue as planned.",
                "Continue as planned and keep logging pain after each run.",
                runs: reports.Skip(start).SelectMany(Findings.RunOf),
                reports: reports.Skip(start).Select(r => r.ReportId),
                values: [new EvidenceValue("latest pain", latest.Peak(), "/10")]),
        ];
    }

    /// <summary>Pain above 5/10 during, right after or the morning after a run.</summary>
    public static IReadOnlyList<Finding> High(AthleteHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var reports = history.ReportsInOrder();
        var start = Episodes.TrailingStart(reports.Count, i => reports[i].Peak() > AcceptableMax);
        if (start < 0 || !reports[^1].IsRecent(history, RecentDays))
        {
            return [];
        }

        var peak = reports.Skip(start).Max(r => r.Peak());
        return
        [
            Findings.Create(
                RuleIds.PainHigh,
                Severity.Warning,
                Findings.SinceReportKey(reports[start].ReportId),
                $"Your pain reached {peak}/10. Above 5/10 is more than your back is ready for right now, so the next sessions will be lighter. If this keeps happening, a physical therapist can help.",
                $"Pain reached {peak}/10 (above the 5/10 line). Reduce load for the coming sessions.",
                "Reduce training load for the next sessions; consider a physical therapist if it recurs.",
                runs: reports.Skip(start).SelectMany(Findings.RunOf),
                reports: reports.Skip(start).Select(r => r.ReportId),
                values: [new EvidenceValue("highest pain", peak, "/10")]),
        ];
    }

    /// <summary>Next-morning pain higher than the pain before the run.</summary>
    public static IReadOnlyList<Finding> NextDay(AthleteHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var reports = history.ReportsInOrder().Where(r => r.RunId is not null && r.Pain.NextMorningPain is not null).ToList();
        var start = Episodes.TrailingStart(reports.Count, i => reports[i].Pain.NextMorningPain > history.BaselineBefore(reports[i]));
        if (start < 0 || !reports[^1].IsRecent(history, RecentDays))
        {
            return [];
        }

        var latest = reports[^1];
        var before = history.BaselineBefore(latest);
        return
        [
            Findings.Create(
                RuleIds.PainNextDay,
                Severity.Warning,
                Findings.SinceReportKey(reports[start].ReportId),
                $"Your back was at {latest.Pain.NextMorningPain}/10 the morning after, higher than the {before}/10 before the run. The next sessions will be shorter and easier while it settles.",
                $"Next-morning pain {latest.Pain.NextMorningPain}/10 against {before}/10 before the run. Reduce the next sessions.",
                "Make the next sessions shorter and easier until next-morning pain is back to its usual level.",
                runs: reports.Skip(start).SelectMany(Findings.RunOf),
                reports: reports.Skip(start).Select(r => r.ReportId),
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
    public static IReadOnlyList<Finding> Persistent(AthleteHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var reports = history.ReportsInOrder();
        if (reports.Count == 0 || reports[^1].Peak() < 3 || !reports[^1].IsRecent(history, PersistenceDays))
        {
            return [];
        }

        var start = reports.Count - 1;
        while (start > 0
            && reports[start - 1].Peak() >= 3
            && TrainingCalendar.DaysBetween(reports[start - 1].Day(), reports[start].Day()) <= PersistenceDays)
        {
            start--;
        }

        var episode = reports.Skip(start).ToList();
        var spanDays = TrainingCalendar.DaysBetween(episode[0].Day(), episode[^1].Day());
        var windowStart = history.Today.AddDays(-(PersistenceDays - 1));
        var painfulRuns = episode
            .Where(r => r.RunId is not null)
            .Select(r => history.Runs.FirstOrDefault(run => run.RunId == r.RunId))
            .OfType<RunLogged>()
            .Where(run => run.Day() >= windowStart)
            .Select(run => run.RunId)
            .Distinct()
            .ToList();
        if (painfulRuns.Count < PersistenceRuns && spanDays <= PersistenceDays)
        {
            return [];
        }

        var what = painfulRuns.Count >= PersistenceRuns
            ? $"after {painfulRuns.Count} runs in the last two weeks"
            : $"on and off for {spanDays} days";
        return
        [
            Findings.Create(
                RuleIds.PainPersistent,
                Severity.Warning,
                Findings.SinceReportKey(episode[0].ReportId),
                $"Your back has been sore {what}. Most back pain settles within a few weeks, but when it keeps coming back a physical therapist is the right person to look at it.",
                $"Back pain is persisting ({what}). Recommend the athlete books a physical therapist.",
                "See a physical therapist about the recurring pain; training load is reduced meanwhile.",
                runs: painfulRuns,
                reports: episode.Select(r => r.ReportId),
                values:
                [
                    new EvidenceValue("runs with pain, last 14 days", painfulRuns.Count, "runs"),
                    new EvidenceValue("days with painful reports", spanDays, "days"),
                ]),
        ];
    }

    private static bool IsComfortable(AthleteHistory history, PainReportSubmitted report)
    {
        if (report.PeakAfterRun() > ComfortableMax)
        {
            return false;
        }

        return report.Pain.NextMorningPain is not { } nextMorning
            || (nextMorning <= ComfortableMax && nextMorning <= history.BaselineBefore(report));
    }
}
