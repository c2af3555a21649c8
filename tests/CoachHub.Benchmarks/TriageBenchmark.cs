using System.Diagnostics;
using CoachHub.Domain.Athletes;
using ReferenceState = CoachHub.Domain.Tests.Reference.AthleteState;
using WholeHistoryTriage = CoachHub.Domain.Tests.Reference.WholeHistoryTriage;

namespace CoachHub.Benchmarks;

/// <summary>
/// ./coachhub bench triage: CPU per pain-report decision (<c>AthleteDecider.Decide</c> of a SubmitPainReport, triage
/// included) for an athlete with a short history and one with two years of it, in process, one thread, no
/// database. The same figures for the whole-history reference (tests/CoachHub.Domain.Tests/Reference, linked
/// here) show what reading windows saves.
/// </summary>
internal static class TriageBenchmark
{
    private static readonly TimeSpan Offset = TimeSpan.FromHours(1);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    public static int Run()
    {
        // The short histories are the last weeks of the long one: the same recent weeks, less before them.
        var large = History(0, (_, events) => events >= 1_000);
        var small = LastWeeksOf(large, 50);
        var middle = LastWeeksOf(large, 250);
        Report.Note($"histories: the last {small.Weeks} weeks, {small.Events.Count} events ({small.Runs} runs, {small.Reports} reports), and all {large.Weeks} weeks, {large.Events.Count} events ({large.Runs} runs, {large.Reports} reports)");

        // Warm-up, so that what is timed runs tiered-up code.
        foreach (var athlete in new[] { small, middle, large })
        {
            Time(athlete, reference: false, TimeSpan.FromSeconds(1));
            Time(athlete, reference: true, TimeSpan.FromSeconds(1));
        }

        var decide50 = Time(small, reference: false, Window);
        var decide1000 = Time(large, reference: false, Window);
        Report.Figure("triage.decide_50_us", decide50, "us", $"CPU per report decision, {small.Events.Count} events of history");
        Report.Figure("triage.decide_1000_us", decide1000, "us", $"CPU per report decision, {large.Events.Count} events of history");
        Report.Figure("triage.ratio_1000_to_50", decide1000 / decide50, "x", "target <= 1.5");
        Report.Note($"{middle.Events.Count} events ({middle.Weeks} weeks, every rule's window full): {Time(middle, reference: false, Window):0.0} us");
        InSequence(large, TimeSpan.FromSeconds(1));
        var sequence = InSequence(large, Window);
        Report.Figure("triage.report_after_report_us", sequence, "us",
            "each decision on the state the previous one left, as the server's command pipeline does; must stay near decide_1000");

        var reference50 = Time(small, reference: true, Window);
        var reference1000 = Time(large, reference: true, Window);
        Report.Figure("triage.reference.decide_50_us", reference50, "us", "every rule over the whole history, as before");
        Report.Figure("triage.reference.decide_1000_us", reference1000, "us");
        Report.Figure("triage.reference.ratio_1000_to_50", reference1000 / reference50, "x");

        const int folds = 100;
        var folded = 0;
        for (var warm = Stopwatch.StartNew(); warm.Elapsed < TimeSpan.FromSeconds(2);)
        {
            // Warm-up: these paths run once per fold, so they would otherwise be timed before tiering up.
            var cold = large.Events.Aggregate(AthleteDecider.Initial, AthleteDecider.Evolve);
            folded += AthleteDecider.Decide(NextReport(large), cold, large.Now).Count + WholeHistoryTriage.Fold(large.Events).Runs.Count;
        }

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < folds; i++)
        {
            folded += large.Events.Aggregate(AthleteDecider.Initial, AthleteDecider.Evolve).Runs.Count;
        }

        var foldMs = clock.Elapsed.TotalMilliseconds / folds;
        clock.Restart();
        for (var i = 0; i < folds; i++)
        {
            folded += WholeHistoryTriage.Fold(large.Events).Runs.Count;
        }

        var referenceFoldMs = clock.Elapsed.TotalMilliseconds / folds;
        clock.Restart();
        for (var i = 0; i < folds; i++)
        {
            var cold = large.Events.Aggregate(AthleteDecider.Initial, AthleteDecider.Evolve);
            folded += AthleteDecider.Decide(NextReport(large), cold, large.Now).Count;
        }

        GC.KeepAlive(folded);
        var coldMs = (clock.Elapsed.TotalMilliseconds / folds) - foldMs;
        Report.Note($"folding the {large.Events.Count}-event stream: {foldMs:0.00} ms ({referenceFoldMs:0.00} ms with the reference's plain lists); the first decision on it, which builds the logs' indexes, {coldMs:0.00} ms");
        return 0;
    }

    /// <summary>Mean CPU time, in microseconds, of deciding one more pain report on the same state, over <paramref name="window"/>.</summary>
    private static double Time(Athlete athlete, bool reference, TimeSpan window)
    {
        var process = Process.GetCurrentProcess();
        var clock = Stopwatch.StartNew();
        var cpu0 = process.TotalProcessorTime;
        long decisions = 0;
        var raised = 0;
        while (clock.Elapsed < window)
        {
            for (var i = 0; i < 100; i++, decisions++)
            {
                raised += reference
                    ? WholeHistoryTriage.Decide(NextReport(athlete), athlete.ReferenceState, athlete.Now).Count
                    : AthleteDecider.Decide(NextReport(athlete), athlete.State, athlete.Now).Count;
            }
        }

        process.Refresh();
        GC.KeepAlive(raised);
        return (process.TotalProcessorTime - cpu0).TotalMicroseconds / decisions;
    }

    /// <summary>
    /// Mean CPU time, in microseconds, of a report decided on the state the previous decision's events left (the
    /// indexes must carry over from state to state, not be rebuilt), in runs of 200 from the same starting state.
    /// </summary>
    private static double InSequence(Athlete athlete, TimeSpan window)
    {
        var process = Process.GetCurrentProcess();
        var clock = Stopwatch.StartNew();
        var cpu0 = process.TotalProcessorTime;
        long decisions = 0;
        while (clock.Elapsed < window)
        {
            var state = athlete.State;
            for (var i = 0; i < 200; i++, decisions++)
            {
                var decided = AthleteDecider.Decide(NextReport(athlete), state, athlete.Now);
                state = decided.Aggregate(state, AthleteDecider.Evolve);
            }
        }

        process.Refresh();
        return (process.TotalProcessorTime - cpu0).TotalMicroseconds / decisions;
    }

    /// <summary>A mildly sore report after the latest run, as most reports are.</summary>
    private static SubmitPainReport NextReport(Athlete athlete) =>
        new(Guid.NewGuid(), athlete.LastRunId, new PainScores(2, 3), new PainDescription(), RedFlagAnswers.None, new RecoveryContext(7.5, 2, 1, 6));

    private sealed record Athlete(List<object> Events, AthleteState State, ReferenceState ReferenceState, Guid LastRunId, DateTimeOffset Now, int Runs, int Reports, int FirstWeek, int Weeks);

    /// <summary>The last weeks of <paramref name="athlete"/>'s plan whose history comes nearest to <paramref name="events"/> events.</summary>
    private static Athlete LastWeeksOf(Athlete athlete, int events)
    {
        Athlete? nearest = null;
        for (var weeks = 1; nearest is null || nearest.Events.Count < events; weeks++)
        {
            var last = History(athlete.FirstWeek + athlete.Weeks - weeks, (done, _) => done == weeks);
            if (nearest is null || Math.Abs(last.Events.Count - events) <= Math.Abs(nearest.Events.Count - events))
            {
                nearest = last;
            }
            else
            {
                break;
            }
        }

        return nearest;
    }

    /// <summary>
    /// Weeks of four runs (easy Tuesday, quality Thursday, a long Saturday run, easy Sunday) on mostly road, a report
    /// after the Thursday and Saturday runs and now and then the next morning, from week <paramref name="firstWeek"/>
    /// of the calendar on, each decided as the server would, triage events included, until <paramref name="done"/>
    /// (weeks, events) says so.
    /// </summary>
    private static Athlete History(int firstWeek, Func<int, int, bool> done)
    {
        var state = AthleteDecider.Initial;
        var all = new List<object>();
        var monday = new DateOnly(2024, 1, 1);
        var shoes = new[] { Guid.NewGuid(), Guid.NewGuid() };
        Guid lastRun = default;
        int runs = 0, reports = 0, weeks = 0;
        void Do(AthleteCommand command, DateTimeOffset now)
        {
            var decided = AthleteDecider.Decide(command, state, now);
            state = decided.Aggregate(state, AthleteDecider.Evolve);
            all.AddRange(decided);
        }

        DateTimeOffset At(DateOnly day, int hour) => new(day.ToDateTime(new TimeOnly(hour, 0)), Offset);
        var start = monday.AddDays(7 * firstWeek);
        Do(new RegisterAthlete(Guid.NewGuid(), "Bench Athlete", "Europe/Dublin"), At(start.AddDays(-1), 9));
        Do(new AddShoe(shoes[0], "Daily trainer", 120_000), At(start.AddDays(-1), 10));
        Do(new AddShoe(shoes[1], "Racer"), At(start.AddDays(-1), 11));
        while (weeks == 0 || !done(weeks, all.Count))
        {
            var week = firstWeek + weeks++;
            var plan = new (int Day, int Km, WorkoutType Workout, Surface Surface, int Rpe)[]
            {
                (1, 8, WorkoutType.Easy, Surface.Road, 4),
                (3, 9, week % 2 == 0 ? WorkoutType.Intervals : WorkoutType.Tempo, week % 3 == 0 ? Surface.Track : Surface.Road, 7),
                (5, 14 + (week % 4), WorkoutType.LongRun, week % 3 == 2 ? Surface.Trail : Surface.Road, 6),
                (6, 6, WorkoutType.Easy, week % 2 == 0 ? Surface.Grass : Surface.Road, 3),
            };
            foreach (var (day, km, workout, surface, rpe) in plan)
            {
                var date = monday.AddDays((7 * week) + day);
                lastRun = Guid.NewGuid();
                Do(new LogRun(lastRun, At(date, 7), km * 1000, km * 330, workout, surface, rpe, km * 10, ShoeId: shoes[workout == WorkoutType.Intervals ? 1 : 0]), At(date, 9));
                runs++;
                if (day is 3 or 5)
                {
                    var pain = ((week + day) % 7) switch { 0 => 4, 1 => 2, 3 => 3, 5 => 1, _ => 0 };
                    Do(new SubmitPainReport(Guid.NewGuid(), lastRun, new PainScores(pain, pain + 1), new PainDescription(), RedFlagAnswers.None, new RecoveryContext(7, 2, 2, 7)), At(date, 20));
                    reports++;
                    if (week % 3 == 0)
                    {
                        Do(new SubmitPainReport(Guid.NewGuid(), lastRun, new PainScores(pain, NextMorningPain: pain), new PainDescription(), RedFlagAnswers.None, new RecoveryContext(7.5)), At(date.AddDays(1), 7));
                        reports++;
                    }
                }
            }
        }

        return new Athlete(all, state, WholeHistoryTriage.Fold(all), lastRun, At(monday.AddDays((7 * (firstWeek + weeks)) - 1), 20), runs, reports, firstWeek, weeks);
    }
}
