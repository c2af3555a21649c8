using System.Globalization;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Load;
using CoachHub.Domain.Triage;

namespace CoachHub.Domain.Tests.Reference;

/// <summary>Orderings and small derived facts the rules share.</summary>
internal static class HistoryViews
{
    public static List<RunLogged> RunsInOrder(this AthleteHistory history) =>
        history.Runs.OrderBy(r => r.StartedAt).ThenBy(r => r.RunId).ToList();

    public static List<PainReportSubmitted> ReportsInOrder(this AthleteHistory history) =>
        history.PainReports.OrderBy(r => r.ReportedAt).ThenBy(r => r.ReportId).ToList();

    public static DateOnly Day(this RunLogged run) => LoadMetrics.LocalDate(run);

    public static DateOnly Day(this PainReportSubmitted report) => TrainingCalendar.LocalDate(report.ReportedAt);

    /// <summary>Pain now or worst during the run: the "during or after" reading.</summary>
    public static int PeakAfterRun(this PainReportSubmitted report) =>
        Math.Max(report.Pain.PainNow, report.Pain.WorstDuringRun ?? 0);

    /// <summary>Any pain the report mentions, next morning included.</summary>
    public static int Peak(this PainReportSubmitted report) =>
        Math.Max(report.PeakAfterRun(), report.Pain.NextMorningPain ?? 0);

    /// <summary>Reported within the last <paramref name="days"/> days, today included.</summary>
    public static bool IsRecent(this PainReportSubmitted report, AthleteHistory history, int days) =>
        report.Day() >= history.Today.AddDays(-(days - 1));

    public static DateTimeOffset? LastClearanceAt(this AthleteHistory history) =>
        history.Clearances.Count == 0 ? null : history.Clearances.Max(c => c.ClearedAt);

    /// <summary>
    /// Pain before the run: stated on this or another report of the same run, else "pain now" on the last
    /// report in the 7 days before the run started, else zero.
    /// </summary>
    public static int BaselineBefore(this AthleteHistory history, PainReportSubmitted report)
    {
        if (report.Pain.PainBeforeRun is { } stated)
        {
            return stated;
        }

        var reference = report.ReportedAt;
        if (report.RunId is { } runId)
        {
            var sibling = history.PainReports
                .Where(r => r.RunId == runId && r.Pain.PainBeforeRun is not null)
                .OrderBy(r => r.ReportedAt)
                .ThenBy(r => r.ReportId)
                .FirstOrDefault();
            if (sibling?.Pain.PainBeforeRun is { } fromSibling)
            {
                return fromSibling;
            }

            reference = history.Runs.FirstOrDefault(r => r.RunId == runId)?.StartedAt ?? reference;
        }

        var prior = history.PainReports
            .Where(r => r.ReportedAt < reference && r.ReportedAt >= reference.AddDays(-7) && r.ReportId != report.ReportId)
            .OrderBy(r => r.ReportedAt)
            .ThenBy(r => r.ReportId)
            .LastOrDefault();
        return prior?.Pain.PainNow ?? 0;
    }

    public static string Distance(this AthleteHistory history, int meters) =>
        new Distance(meters).Format(history.Units);

    public static string Key(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>"LongRun" to "long run", for enum values in messages.</summary>
    public static string Words(string pascalCase)
    {
        var text = new System.Text.StringBuilder();
        foreach (var ch in pascalCase)
        {
            if (char.IsUpper(ch) && text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(char.ToLowerInvariant(ch));
        }

        return text.ToString();
    }

    public static string Percent(double fraction) => (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
}

/// <summary>Episodes keep one finding per stretch of time a condition holds, instead of one per new report.</summary>
internal static class Episodes
{
    /// <summary>Index where the trailing run of items satisfying <paramref name="holdsAt"/> starts; -1 if the last item fails.</summary>
    public static int TrailingStart(int count, Func<int, bool> holdsAt)
    {
        if (count == 0 || !holdsAt(count - 1))
        {
            return -1;
        }

        var start = count - 1;
        while (start > 0 && holdsAt(start - 1))
        {
            start--;
        }

        return start;
    }

    /// <summary>First day of the unbroken stretch of days, ending today, on which the condition holds; null if not today.</summary>
    public static DateOnly? TrailingStartDay(DateOnly today, Func<DateOnly, bool> holdsOn, int maxDays)
    {
        if (!holdsOn(today))
        {
            return null;
        }

        var start = today;
        for (var i = 1; i < maxDays && holdsOn(today.AddDays(-i)); i++)
        {
            start = today.AddDays(-i);
        }

        return start;
    }
}

internal static class Findings
{
    public static Finding Create(
        string ruleId,
        Severity severity,
        string evidenceKey,
        string athleteMessage,
        string coachMessage,
        string recommendedAction,
        IEnumerable<Guid>? runs = null,
        IEnumerable<Guid>? reports = null,
        IEnumerable<Guid>? shoes = null,
        IEnumerable<EvidenceValue>? values = null) =>
        new(
            Finding.IdFor(ruleId, evidenceKey),
            ruleId,
            severity,
            athleteMessage,
            coachMessage,
            recommendedAction,
            new FindingEvidence(
                runs?.Distinct().ToArray() ?? [],
                reports?.Distinct().ToArray() ?? [],
                shoes?.Distinct().ToArray() ?? [],
                values?.ToArray() ?? []),
            evidenceKey);

    public static string ReportKey(Guid reportId) => $"report:{reportId}";

    public static string RunKey(Guid runId) => $"run:{runId}";

    public static string SinceReportKey(Guid reportId) => $"since-report:{reportId}";

    public static string WeekKey(DateOnly weekStart) => $"week:{HistoryViews.Key(weekStart)}";

    public static IEnumerable<Guid> RunOf(PainReportSubmitted report) => report.RunId is { } id ? [id] : [];
}
