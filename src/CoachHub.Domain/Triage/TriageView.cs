using System.Collections.Immutable;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Load;

namespace CoachHub.Domain.Triage;

/// <summary>
/// What the rules read of one history, built once per evaluation. Rules read windows, not the whole history: the
/// runs of the last eight weeks (the longest fixed window, CX-PATTERN's), and reports walked back from the latest
/// only as far as an episode goes. What reaches further back comes from the logs' indexes: the first run with an id,
/// a shoe's distance, the load carried forward, the red-flag reports, the pain stated before a run. A history read
/// from an <see cref="AthleteState"/> carries those logs; any other is indexed here first, with the same result.
/// In the engine, a finding that is open or was raised before is returned by id alone (<see cref="AlreadyRaised"/>).
/// </summary>
internal sealed class TriageView
{
    /// <summary>How far back <see cref="RunsOn"/> reaches: CX-PATTERN's 8 weeks covers LD-SPIKE's 7 + 30 days and the rest.</summary>
    public const int RecentRunDays = ContextRules.PatternWindowDays;

    private static readonly FindingEvidence NoEvidence = new([], [], [], []);

    private readonly Func<string, bool>? alreadyRaised;

    // Read on first use, then shared by every rule of the evaluation.
    private List<DatedRun>? recentRuns;
    private ReportTimeline? reports;
    private ReportTimeline? nextMorningReports;

    private TriageView(AthleteHistory history, RunLog runs, PainReportLog painReports, Func<string, bool>? alreadyRaised)
    {
        History = history;
        Runs = runs;
        PainReports = painReports;
        this.alreadyRaised = alreadyRaised;
    }

    public AthleteHistory History { get; }

    public DateOnly Today => History.Today;

    public RunLog Runs { get; }

    public PainReportLog PainReports { get; }

    /// <summary>Every report in time order, read from the latest back only as far as a rule asks.</summary>
    public ReportTimeline Reports => reports ??= new ReportTimeline(PainReports.InOrder);

    /// <summary>The next-morning readings about a run, in time order.</summary>
    public ReportTimeline NextMorningReports => nextMorningReports ??= new ReportTimeline(PainReports.NextMorning);

    /// <param name="alreadyRaised">
    /// The engine's: whether a finding id is open or was raised before. It reads only the ids of those, so the rules
    /// need not word and evidence them again (see <see cref="AlreadyRaised"/>).
    /// </param>
    public static TriageView Of(AthleteHistory history, Func<string, bool>? alreadyRaised = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        return new TriageView(history, RunLog.Of(history.Runs), PainReportLog.Of(history.PainReports), alreadyRaised);
    }

    /// <summary>
    /// For the engine, which only reads the id of a finding that is open or was raised before: that finding with
    /// its id alone, so the rule can skip its wording and evidence. Null when the finding must be written out in
    /// full, which is always the case outside the engine.
    /// </summary>
    public Finding? AlreadyRaised(string ruleId, Severity severity, string evidenceKey)
    {
        if (alreadyRaised is null)
        {
            return null;
        }

        var id = Finding.IdFor(ruleId, evidenceKey);
        return alreadyRaised(id) ? new Finding(id, ruleId, severity, string.Empty, string.Empty, string.Empty, NoEvidence, evidenceKey) : null;
    }

    /// <summary>Reports made after <paramref name="clearedAt"/> that could raise a red flag, in time order.</summary>
    public List<PainReportSubmitted> RedFlagReportsAfter(DateTimeOffset? clearedAt)
    {
        var after = new List<PainReportSubmitted>();
        foreach (var filed in PainReports.RedFlagged.Reverse())
        {
            if (clearedAt is { } cleared && filed.ReportedAt <= cleared)
            {
                break;
            }

            after.Add(filed.Report);
        }

        after.Reverse();
        return after;
    }

    /// <summary>
    /// Pain before the run: stated on this or another report of the same run, else "pain now" on the last
    /// report in the 7 days before the run started, else zero.
    /// </summary>
    public int BaselineBefore(PainReportSubmitted report)
    {
        if (report.Pain.PainBeforeRun is { } stated)
        {
            return stated;
        }

        var reference = report.ReportedAt;
        if (report.RunId is { } runId)
        {
            if (PainReports.FirstStatingPainBefore(runId)?.Pain.PainBeforeRun is { } fromSibling)
            {
                return fromSibling;
            }

            reference = Runs.Find(runId)?.StartedAt ?? reference;
        }

        var inOrder = PainReports.InOrder;
        var weekBefore = reference.AddDays(-7);
        for (var i = PainReports.FirstIndexAt(reference) - 1; i >= 0; i--)
        {
            var prior = inOrder[i];
            if (prior.ReportedAt < weekBefore)
            {
                break;
            }

            if (prior.ReportId != report.ReportId)
            {
                return prior.Report.Pain.PainNow;
            }
        }

        return 0;
    }

    /// <summary>
    /// Runs whose training day is within [<paramref name="from"/>, <paramref name="to"/>], in start order: what
    /// <see cref="LoadMetrics.Between"/> gives over the whole history ordered by start, for windows that begin at
    /// most <see cref="RecentRunDays"/> days back.
    /// </summary>
    public List<RunLogged> RunsOn(DateOnly from, DateOnly to)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(from, Today.AddDays(-(RecentRunDays - 1)));
        var runs = new List<RunLogged>();
        foreach (var run in recentRuns ??= ReadRecentRuns())
        {
            if (run.Day >= from && run.Day <= to)
            {
                runs.Add(run.Run);
            }
        }

        return runs;
    }

    /// <summary>
    /// The longest run whose training day is within [<paramref name="from"/>, <paramref name="to"/>], zero without
    /// one: <see cref="LoadMetrics.LongestRunMeters"/> over the same days, without a list per run.
    /// </summary>
    public int LongestRunOn(DateOnly from, DateOnly to)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(from, Today.AddDays(-(RecentRunDays - 1)));
        var longest = 0;
        var any = false;
        foreach (var run in recentRuns ??= ReadRecentRuns())
        {
            if (run.Day >= from && run.Day <= to)
            {
                longest = any ? Math.Max(longest, run.Run.DistanceMeters) : run.Run.DistanceMeters;
                any = true;
            }
        }

        return longest;
    }

    /// <summary>The runs from <see cref="RecentRunDays"/> days back (today included) onwards, later ones too, in start order.</summary>
    private List<DatedRun> ReadRecentRuns()
    {
        var byDay = Runs.ByDay;
        var recent = new List<DatedRun>();
        for (var i = Runs.FirstIndexOn(Today.AddDays(-(RecentRunDays - 1))); i < byDay.Count; i++)
        {
            recent.Add(byDay[i]);
        }

        recent.Sort(DatedRun.CompareByStart);
        return recent;
    }
}

/// <summary>
/// Reports in time order, indexed from the oldest like a list, but read from the latest backwards on demand, so
/// an episode that started last week costs last week's reports, not the whole history.
/// </summary>
internal sealed class ReportTimeline(ImmutableSortedSet<FiledReport> inOrder)
{
    private readonly List<PainReportSubmitted> newestFirst = [];
    private IEnumerator<FiledReport>? reader;

    public int Count => inOrder.Count;

    public PainReportSubmitted this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var back = Count - 1 - index;
            if (back >= newestFirst.Count)
            {
                reader ??= inOrder.Reverse().GetEnumerator();
                while (back >= newestFirst.Count && reader.MoveNext())
                {
                    newestFirst.Add(reader.Current.Report);
                }
            }

            return newestFirst[back];
        }
    }

    /// <summary>The reports from <paramref name="start"/> to the latest, in time order.</summary>
    public List<PainReportSubmitted> From(int start)
    {
        _ = this[start];
        var tail = newestFirst.GetRange(0, Count - start);
        tail.Reverse();
        return tail;
    }
}
