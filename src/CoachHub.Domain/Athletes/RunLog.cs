using System.Collections;
using System.Collections.Immutable;
using CoachHub.Domain.Load;

namespace CoachHub.Domain.Athletes;

/// <summary>
/// An athlete's runs, listed in the order they were logged, with the indexes triage reads so that a rule looks at
/// the days it needs instead of the whole history: runs by training day, each run by id, each shoe's distance, and
/// the training load carried forward to four weeks before the latest run. Persistent: <see cref="Add"/> returns a
/// new log and leaves this one as it was, so a folded state can be kept and decided on more than once. Folding a
/// stream only appends to the list; the indexes are built when triage first asks for them, then kept up to date
/// run by run.
/// </summary>
public sealed class RunLog : IReadOnlyList<RunLogged>
{
    /// <summary>
    /// How far the load carried forward stays behind the latest run: a run logged up to this many days late does
    /// not make it start again from the first run.
    /// </summary>
    internal const int LoadCarryMarginDays = 28;

    private readonly ImmutableList<RunLogged> logged;

    /// <summary>The indexes of the log this one added a run to, if they were built: the new ones are one step from them.</summary>
    private readonly RunIndex? before;

    // Built on first use. Another thread may build them at the same time; both build the same thing.
    private RunIndex? index;

    private RunLog(ImmutableList<RunLogged> logged, RunIndex? before)
    {
        this.logged = logged;
        this.before = before;
    }

    public static RunLog Empty { get; } = new([], null);

    public int Count => logged.Count;

    /// <summary>Every run, ordered by training day, then start, then id, then the order logged.</summary>
    internal ImmutableSortedSet<DatedRun> ByDay => Index.ByDay;

    /// <summary>The acute and chronic load after the days up to four weeks before the latest run; null while there are fewer.</summary>
    internal LoadCarry? Carried => Index.Carried;

    private RunIndex Index => index ??= before?.With(logged[^1], logged.Count - 1) ?? RunIndex.Build(logged);

    public RunLogged this[int index] => logged[index];

    /// <summary>The runs in any order (an <see cref="AthleteHistory"/>'s list, say) as a log; a log is returned as it is.</summary>
    public static RunLog Of(IEnumerable<RunLogged> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return runs as RunLog ?? new RunLog(ImmutableList.CreateRange(runs), null);
    }

    public RunLog Add(RunLogged run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new RunLog(logged.Add(run), index);
    }

    /// <summary>The log with the run of <paramref name="corrected"/>'s id replaced by it; its indexes are built again when asked for.</summary>
    public RunLog Replace(RunLogged corrected)
    {
        ArgumentNullException.ThrowIfNull(corrected);
        return new RunLog([.. logged.Select(r => r.RunId == corrected.RunId ? corrected : r)], null);
    }

    /// <summary>The log without the run of that id; its indexes are built again when asked for.</summary>
    public RunLog Remove(Guid runId) => new(logged.RemoveAll(r => r.RunId == runId), null);

    public bool Contains(Guid runId) => Index.FirstById.ContainsKey(runId);

    /// <summary>The first run logged with this id, as a list search from the start would find it.</summary>
    public RunLogged? Find(Guid runId) => Index.FirstById.GetValueOrDefault(runId);

    /// <summary>Distance of every run logged in the shoe (its starting distance not included).</summary>
    public long MetersInShoe(Guid shoeId) => Index.ShoeMeters.GetValueOrDefault(shoeId);

    public IEnumerator<RunLogged> GetEnumerator() => logged.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Index of the first run on or after <paramref name="day"/> in <see cref="ByDay"/>.</summary>
    internal int FirstIndexOn(DateOnly day)
    {
        var found = ByDay.IndexOf(DatedRun.ProbeAt(day));
        return found < 0 ? ~found : found;
    }

    /// <summary>Runs on or before <paramref name="lastDay"/>, latest training day first.</summary>
    internal IEnumerable<DatedRun> NewestFirstUpTo(DateOnly lastDay) =>
        ByDay.Reverse().SkipWhile(r => r.Day > lastDay);

    /// <summary>
    /// The EWMA acute and chronic load as of <paramref name="today"/> over the runs up to that day, exactly as
    /// <see cref="LoadMetrics.AcuteChronicRatio"/> computes it from the first run, but carried on from the load
    /// carried forward when that lies before today.
    /// </summary>
    public AcuteChronicLoad AcuteChronicAsOf(DateOnly today)
    {
        var byDay = ByDay;
        if (byDay.Count == 0 || byDay.Min!.Day > today)
        {
            return new AcuteChronicLoad(0, 0, null);
        }

        var (acute, chronic) = Carried is { } carried && carried.Day <= today
            ? LoadCarry.Advance(byDay, carried.Day.AddDays(1), today, carried.Acute, carried.Chronic, FirstIndexOn(carried.Day.AddDays(1)))
            : LoadCarry.Advance(byDay, byDay.Min!.Day, today, 0, 0, 0);
        return new AcuteChronicLoad(acute, chronic, chronic > 0 ? acute / chronic : null);
    }
}

/// <summary>What a <see cref="RunLog"/> keeps beside its list. Persistent, like the log.</summary>
internal sealed record RunIndex(
    ImmutableSortedSet<DatedRun> ByDay,
    ImmutableDictionary<Guid, RunLogged> FirstById,
    ImmutableDictionary<Guid, long> ShoeMeters,
    LoadCarry? Carried)
{
    public static RunIndex Build(IReadOnlyList<RunLogged> runs)
    {
        var byDay = ImmutableSortedSet.CreateRange(DatedRun.ByDayThenStart, runs.Select((run, seq) => new DatedRun(run, seq)));
        var firstById = ImmutableDictionary.CreateBuilder<Guid, RunLogged>();
        var shoeMeters = ImmutableDictionary.CreateBuilder<Guid, long>();
        foreach (var run in runs)
        {
            firstById.TryAdd(run.RunId, run);
            if (run.ShoeId is { } shoe)
            {
                shoeMeters[shoe] = shoeMeters.GetValueOrDefault(shoe) + run.DistanceMeters;
            }
        }

        return new RunIndex(byDay, firstById.ToImmutable(), shoeMeters.ToImmutable(), LoadCarry.Recompute(byDay));
    }

    /// <summary>With one more run, logged <paramref name="seq"/>th.</summary>
    public RunIndex With(RunLogged run, int seq)
    {
        var dated = new DatedRun(run, seq);
        var byDay = ByDay.Add(dated);
        return new RunIndex(
            byDay,
            FirstById.ContainsKey(run.RunId) ? FirstById : FirstById.Add(run.RunId, run),
            run.ShoeId is { } shoe ? ShoeMeters.SetItem(shoe, ShoeMeters.GetValueOrDefault(shoe) + run.DistanceMeters) : ShoeMeters,
            LoadCarry.After(Carried, byDay, dated.Day));
    }
}

/// <summary>A run with its training day and its place in the order runs were logged (which breaks ties).</summary>
internal sealed class DatedRun
{
    public static readonly IComparer<DatedRun> ByDayThenStart = Comparer<DatedRun>.Create(Compare);

    public DatedRun(RunLogged run, int seq)
    {
        Run = run;
        Day = LoadMetrics.LocalDate(run);
        Seq = seq;
    }

    private DatedRun(DateOnly day)
    {
        Run = null!;
        Day = day;
        Seq = int.MinValue;
    }

    public RunLogged Run { get; }

    public DateOnly Day { get; }

    public int Seq { get; }

    /// <summary>Sorts before every run on <paramref name="day"/>; never stored.</summary>
    public static DatedRun ProbeAt(DateOnly day) => new(day);

    /// <summary>Start, then id, then the order logged: the order a stable sort of the logged list by start and id gives.</summary>
    public static int CompareByStart(DatedRun x, DatedRun y)
    {
        var c = x.Run.StartedAt.CompareTo(y.Run.StartedAt);
        if (c == 0)
        {
            c = x.Run.RunId.CompareTo(y.Run.RunId);
        }

        return c != 0 ? c : x.Seq.CompareTo(y.Seq);
    }

    private static int Compare(DatedRun? x, DatedRun? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        var c = x!.Day.CompareTo(y!.Day);
        if (c != 0)
        {
            return c;
        }

        // A probe has no run and sorts before the day's runs.
        if (x.Seq == int.MinValue || y.Seq == int.MinValue)
        {
            return x.Seq.CompareTo(y.Seq);
        }

        return CompareByStart(x, y);
    }
}

/// <summary>
/// The EWMA acute and chronic load after every day from the first run through <see cref="Day"/>. Exponential
/// averages depend on every day since the first run, so instead of starting from the first run on each triage the
/// log carries them forward. The arithmetic is step for step the one <see cref="LoadMetrics.AcuteChronicRatio"/>
/// does, so the values are the same to the last bit.
/// </summary>
internal sealed record LoadCarry(DateOnly Day, double Acute, double Chronic)
{
    /// <summary>Carried to four weeks before the latest run, from the first run.</summary>
    public static LoadCarry? Recompute(ImmutableSortedSet<DatedRun> byDay)
    {
        if (byDay.Count == 0)
        {
            return null;
        }

        var first = byDay.Min!.Day;
        var to = byDay.Max!.Day.AddDays(-RunLog.LoadCarryMarginDays);
        if (to < first)
        {
            return null;
        }

        var (acute, chronic) = Advance(byDay, first, to, 0, 0, 0);
        return new LoadCarry(to, acute, chronic);
    }

    /// <summary>
    /// After a run on <paramref name="addedDay"/>: carried further when the run came after the days already carried,
    /// recomputed from the first run when it changed one of them.
    /// </summary>
    public static LoadCarry? After(LoadCarry? carried, ImmutableSortedSet<DatedRun> byDay, DateOnly addedDay)
    {
        if (carried is null || addedDay <= carried.Day)
        {
            return Recompute(byDay);
        }

        var to = byDay.Max!.Day.AddDays(-RunLog.LoadCarryMarginDays);
        if (to <= carried.Day)
        {
            return carried;
        }

        var from = carried.Day.AddDays(1);
        var start = byDay.IndexOf(DatedRun.ProbeAt(from));
        var (acute, chronic) = Advance(byDay, from, to, carried.Acute, carried.Chronic, start < 0 ? ~start : start);
        return new LoadCarry(to, acute, chronic);
    }

    /// <summary>
    /// Steps the averages through every day in [<paramref name="from"/>, <paramref name="to"/>]; a day's load is the
    /// sum of its runs' session loads in start order, rest days count as zero. <paramref name="index"/> is the first
    /// run on or after <paramref name="from"/>.
    /// </summary>
    public static (double Acute, double Chronic) Advance(ImmutableSortedSet<DatedRun> byDay, DateOnly from, DateOnly to, double acute, double chronic, int index)
    {
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            double load = 0;
            while (index < byDay.Count && byDay[index].Day == day)
            {
                load += LoadMetrics.SessionLoad(byDay[index].Run);
                index++;
            }

            (acute, chronic) = LoadMetrics.EwmaStep(acute, chronic, load);
        }

        return (acute, chronic);
    }
}
