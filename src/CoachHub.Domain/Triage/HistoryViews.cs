using System.Globalization;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Load;

namespace CoachHub.Domain.Triage;

/// <summary>Small derived facts and wording the rules share.</summary>
internal static class HistoryViews
{
    public static DateOnly Day(this RunLogged run) => LoadMetrics.LocalDate(run);

    public static DateOnly Day(this PainReportSubmitted report) => TrainingCalendar.LocalDate(report.ReportedAt);

    /// <summary>Pain now or worst during the run: the "during or after" reading.</summary>
    public static int PeakAfterRun(this PainReportSubmitted report) => report.Pain.PeakAfterRun();

    /// <summary>Any pain the report mentions, next morning included.</summary>
    public static int Peak(this PainReportSubmitted report) =>
        Math.Max(report.PeakAfterRun(), report.Pain.NextMorningPain ?? 0);

    /// <summary>Reported within the last <paramref name="days"/> days, today included.</summary>
    public static bool IsRecent(this PainReportSubmitted report, DateOnly today, int days) =>
        report.Day() >= today.AddDays(-(days - 1));

    public static DateTimeOffset? LastClearanceAt(this AthleteHistory history) =>
        history.Clearances.Count == 0 ? null : history.Clearances.Max(c => c.ClearedAt);

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
