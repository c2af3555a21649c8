using System.Collections;
using System.Collections.Immutable;
using CoachHub.Domain.Triage;

namespace CoachHub.Domain.Athletes;

/// <summary>
/// An athlete's pain reports, listed in the order they were submitted, with the indexes triage reads so that a
/// rule walks back only as far as its episode goes: the reports in time order, the ones that could raise a red flag,
/// the next-morning readings, the pain stated before each run, and the runs that hurt. Persistent:
/// <see cref="Add"/> returns a new log and leaves this one as it was. Like <see cref="RunLog"/>, the indexes are
/// built when triage first asks for them, then kept up to date report by report.
/// </summary>
public sealed class PainReportLog : IReadOnlyList<PainReportSubmitted>
{
    private readonly ImmutableList<PainReportSubmitted> submitted;

    /// <summary>The indexes of the log this one added a report to, if they were built.</summary>
    private readonly ReportIndex? before;

    // Built on first use. Another thread may build them at the same time; both build the same thing.
    private ReportIndex? index;

    private PainReportLog(ImmutableList<PainReportSubmitted> submitted, ReportIndex? before)
    {
        this.submitted = submitted;
        this.before = before;
    }

    public static PainReportLog Empty { get; } = new([], null);

    public int Count => submitted.Count;

    /// <summary>Every report by time reported, then id, then the order submitted.</summary>
    internal ImmutableSortedSet<FiledReport> InOrder => Index.InOrder;

    /// <summary>The reports that answer yes to a red-flag question or describe pain shooting down the leg, in time order.</summary>
    internal ImmutableSortedSet<FiledReport> RedFlagged => Index.RedFlagged;

    /// <summary>The next-morning readings about a run, in time order.</summary>
    internal ImmutableSortedSet<FiledReport> NextMorning => Index.NextMorning;

    private ReportIndex Index => index ??= before?.With(submitted[^1], submitted.Count - 1) ?? ReportIndex.Build(submitted);

    public PainReportSubmitted this[int index] => submitted[index];

    /// <summary>The reports in any order (an <see cref="AthleteHistory"/>'s list, say) as a log; a log is returned as it is.</summary>
    public static PainReportLog Of(IEnumerable<PainReportSubmitted> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        return reports as PainReportLog ?? new PainReportLog(ImmutableList.CreateRange(reports), null);
    }

    public PainReportLog Add(PainReportSubmitted report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new PainReportLog(submitted.Add(report), index);
    }

    /// <summary>The log with the report of <paramref name="corrected"/>'s id replaced by it; indexes built again when asked for.</summary>
    public PainReportLog Replace(PainReportSubmitted corrected)
    {
        ArgumentNullException.ThrowIfNull(corrected);
        return new PainReportLog([.. submitted.Select(r => r.ReportId == corrected.ReportId ? corrected : r)], null);
    }

    /// <summary>The log without the report of that id; indexes built again when asked for.</summary>
    public PainReportLog Remove(Guid reportId) => new(submitted.RemoveAll(r => r.ReportId == reportId), null);

    public PainReportSubmitted? Find(Guid reportId) => submitted.FirstOrDefault(r => r.ReportId == reportId);

    public bool Contains(Guid reportId) => Index.Ids.Contains(reportId);

    public IEnumerator<PainReportSubmitted> GetEnumerator() => submitted.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The earliest report about the run that states the pain before it, as a time-ordered search would find it.</summary>
    internal PainReportSubmitted? FirstStatingPainBefore(Guid runId) => Index.FirstStatedBeforeRun.GetValueOrDefault(runId)?.Report;

    /// <summary>The first report of the trailing stretch of painful reports (PM-PERSIST's episode); null when the latest report is painless.</summary>
    internal FiledReport? TrailingEpisodeStart => Index.EpisodeStart;

    /// <summary>The reports about the run, in the order submitted.</summary>
    internal IReadOnlyList<FiledReport> About(Guid runId) => Index.ByRun.GetValueOrDefault(runId) ?? (IReadOnlyList<FiledReport>)[];

    /// <summary>Index in <see cref="InOrder"/> of a report of this log.</summary>
    internal int IndexOf(FiledReport report) => InOrder.IndexOf(report);

    /// <summary>Whether any report about the run gave a pain above zero.</summary>
    internal bool HurtAfter(Guid runId) => Index.PainfulRuns.Contains(runId);

    /// <summary>Index in <see cref="InOrder"/> of the first report made at or after <paramref name="at"/>.</summary>
    internal int FirstIndexAt(DateTimeOffset at)
    {
        var found = InOrder.IndexOf(FiledReport.ProbeAt(at));
        return found < 0 ? ~found : found;
    }
}

/// <summary>What a <see cref="PainReportLog"/> keeps beside its list. Persistent, like the log.</summary>
internal sealed record ReportIndex(
    ImmutableHashSet<Guid> Ids,
    ImmutableSortedSet<FiledReport> InOrder,
    ImmutableSortedSet<FiledReport> RedFlagged,
    ImmutableSortedSet<FiledReport> NextMorning,
    ImmutableDictionary<Guid, FiledReport> FirstStatedBeforeRun,
    ImmutableHashSet<Guid> PainfulRuns,
    ImmutableDictionary<Guid, ImmutableList<FiledReport>> ByRun,
    FiledReport? EpisodeStart)
{
    public static ReportIndex Build(IReadOnlyList<PainReportSubmitted> reports)
    {
        var filed = reports.Select((report, seq) => new FiledReport(report, seq)).ToList();
        var firstStated = ImmutableDictionary.CreateBuilder<Guid, FiledReport>();
        foreach (var report in filed)
        {
            if (report.Report is { RunId: { } runId, Pain.PainBeforeRun: not null }
                && (!firstStated.TryGetValue(runId, out var earlier) || FiledReport.ByTime.Compare(report, earlier) < 0))
            {
                firstStated[runId] = report;
            }
        }

        var inOrder = ImmutableSortedSet.CreateRange(FiledReport.ByTime, filed);
        return new ReportIndex(
            reports.Select(r => r.ReportId).ToImmutableHashSet(),
            inOrder,
            ImmutableSortedSet.CreateRange(FiledReport.ByTime, filed.Where(r => RedFlagRules.IsRedFlag(r.Report))),
            ImmutableSortedSet.CreateRange(FiledReport.ByTime, filed.Where(r => IsNextMorning(r.Report))),
            firstStated.ToImmutable(),
            filed.Where(r => HurtAfterRun(r.Report)).Select(r => r.Report.RunId!.Value).ToImmutableHashSet(),
            filed.Where(r => r.Report.RunId is not null).GroupBy(r => r.Report.RunId!.Value)
                .ToImmutableDictionary(g => g.Key, g => g.ToImmutableList()),
            TrailingEpisodeStart(inOrder));
    }

    /// <summary>PM-PERSIST's walk, once: back from the latest report while reports hurt (3/10 or more) and are at most 14 days apart.</summary>
    private static FiledReport? TrailingEpisodeStart(ImmutableSortedSet<FiledReport> inOrder)
    {
        FiledReport? start = null;
        foreach (var report in inOrder.Reverse())
        {
            if (!PainMonitoringRules.IsPersistentPain(report.Report)
                || (start is not null && TrainingCalendar.DaysBetween(report.Report.Day(), start.Report.Day()) > PainMonitoringRules.PersistenceDays))
            {
                break;
            }

            start = report;
        }

        return start;
    }

    /// <summary>With one more report, submitted <paramref name="seq"/>th.</summary>
    public ReportIndex With(PainReportSubmitted report, int seq)
    {
        var filed = new FiledReport(report, seq);
        var firstStated = FirstStatedBeforeRun;
        if (report is { RunId: { } runId, Pain.PainBeforeRun: not null }
            && (!firstStated.TryGetValue(runId, out var earlier) || FiledReport.ByTime.Compare(filed, earlier) < 0))
        {
            firstStated = firstStated.SetItem(runId, filed);
        }

        var inOrder = InOrder.Add(filed);
        return new ReportIndex(
            Ids.Add(report.ReportId),
            inOrder,
            RedFlagRules.IsRedFlag(report) ? RedFlagged.Add(filed) : RedFlagged,
            IsNextMorning(report) ? NextMorning.Add(filed) : NextMorning,
            firstStated,
            HurtAfterRun(report) ? PainfulRuns.Add(report.RunId!.Value) : PainfulRuns,
            report.RunId is { } about ? ByRun.SetItem(about, ByRun.GetValueOrDefault(about, []).Add(filed)) : ByRun,
            NextEpisodeStart(filed, inOrder));
    }

    /// <summary>
    /// The episode after <paramref name="filed"/> joined it: carried on from the previous one when the report is the
    /// latest in time (the usual case), walked again when it was filed before a later report.
    /// </summary>
    private FiledReport? NextEpisodeStart(FiledReport filed, ImmutableSortedSet<FiledReport> inOrder)
    {
        if (!ReferenceEquals(inOrder.Max, filed)) return TrailingEpisodeStart(inOrder);
        if (!PainMonitoringRules.IsPersistentPain(filed.Report)) return null;
        var previous = InOrder.Count == 0 ? null : InOrder.Max;
        return EpisodeStart is not null && previous is not null
            && TrainingCalendar.DaysBetween(previous.Report.Day(), filed.Report.Day()) <= PainMonitoringRules.PersistenceDays
            ? EpisodeStart : filed;
    }

    private static bool IsNextMorning(PainReportSubmitted report) => report is { RunId: not null, Pain.NextMorningPain: not null };

    private static bool HurtAfterRun(PainReportSubmitted report) => report.RunId is not null && report.Peak() > 0;
}

/// <summary>A pain report with its place in the order reports were submitted (which breaks ties).</summary>
internal sealed class FiledReport
{
    public static readonly IComparer<FiledReport> ByTime = Comparer<FiledReport>.Create(Compare);

    public FiledReport(PainReportSubmitted report, int seq)
    {
        Report = report;
        ReportedAt = report.ReportedAt;
        ReportId = report.ReportId;
        Seq = seq;
    }

    private FiledReport(DateTimeOffset at)
    {
        Report = null!;
        ReportedAt = at;
        ReportId = Guid.Empty;
        Seq = int.MinValue;
    }

    public PainReportSubmitted Report { get; }

    public DateTimeOffset ReportedAt { get; }

    public Guid ReportId { get; }

    public int Seq { get; }

    /// <summary>Sorts before every report made at <paramref name="at"/> or later; never stored.</summary>
    public static FiledReport ProbeAt(DateTimeOffset at) => new(at);

    /// <summary>Time, then id, then the order submitted: the order a stable sort of the submitted list by time and id gives.</summary>
    private static int Compare(FiledReport? x, FiledReport? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        var c = x!.ReportedAt.CompareTo(y!.ReportedAt);
        if (c == 0)
        {
            c = x.ReportId.CompareTo(y.ReportId);
        }

        return c != 0 ? c : x.Seq.CompareTo(y.Seq);
    }
}
