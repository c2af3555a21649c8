using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using FsCheck;
using FsCheck.Fluent;

namespace CoachHub.Domain.Tests.Support;

/// <summary>A stretch of weeks with one character: rest, easy running, a daily streak, road only, pain, settling down.</summary>
internal enum Stretch
{
    Rest,
    Easy,
    Streak,
    RoadOnly,
    Painful,
    Settling,
}

/// <summary>How the back felt on a report.</summary>
internal sealed record Feeling(int PainNow, int? Worst, int? Before, RecoveryContext Context, PainDescription Description, RedFlagAnswers Flags);

/// <summary>
/// One run as it happened and as it was logged: <see cref="LateDays"/> days late (a backdated run), or with
/// <see cref="LoggedAhead"/> half a day before it started. A twin starts at the same instant as the run before it,
/// possibly on another offset (and so another local day). Travelling runs carry a far-away offset.
/// </summary>
internal sealed record PlannedRun(
    int Hour,
    int Minute,
    int Meters,
    int Minutes,
    WorkoutType Workout,
    Surface Surface,
    int Rpe,
    int Shoe,
    bool Travelling,
    int LateDays,
    bool LoggedAhead,
    bool Twin,
    Feeling? After,
    (int NextMorning, int PainNow, int? Before)? Morning);

/// <summary>A day: its runs, a report without a run, the daily sweep, what the coach did, shoes bought or retired.</summary>
internal sealed record StoryDay(IReadOnlyList<PlannedRun> Runs, Feeling? Standalone, bool Sweep, int CoachAction, int Pick, bool NewShoe, int RetireShoe);

/// <summary>One athlete's generated story: days from <see cref="Start"/>, on the athlete's own offset.</summary>
internal sealed record TrainingStory(DateOnly Start, TimeSpan Offset, int Salt, Units Units, IReadOnlyList<int> ShoeStartKm, IReadOnlyList<StoryDay> Days)
{
    public DateOnly End => Start.AddDays(Days.Count);

    public override string ToString() =>
        $"story from {Start} for {Days.Count} days at {Offset}, salt {Salt}: {Days.Sum(d => d.Runs.Count)} runs, " +
        $"{Days.Sum(d => d.Runs.Count(r => r.After is not null) + d.Runs.Count(r => r.Morning is not null) + (d.Standalone is null ? 0 : 1))} reports";
}

/// <summary>A command at a moment; some depend on the state (clear only when paused, acknowledge an open finding).</summary>
internal sealed record StoryStep(DateTimeOffset Now, Func<AthleteState, AthleteCommand?> Command);

/// <summary>Generates training stories, short and long (a year and more), and turns them into commands.</summary>
internal static class TrainingStories
{
    public static readonly Guid AthleteId = HistoryBuilder.Id(4242);
    public static readonly Guid CoachId = HistoryBuilder.Id(1);

    private static readonly TimeSpan[] Offsets =
        [TimeSpan.Zero, TimeSpan.FromHours(1), TimeSpan.FromHours(-5), new TimeSpan(5, 30, 0), new TimeSpan(9, 30, 0), TimeSpan.FromHours(13), TimeSpan.FromHours(-10)];

    /// <summary>
    /// Stories of a few days to a few months, or (when <paramref name="long"/>) of one to two years. A road runner
    /// never stops for long and runs only on road, so road-heavy stretches can last all year.
    /// </summary>
    public static Gen<TrainingStory> Stories(bool @long) =>
        from startOffset in Gen.Choose(0, 700)
        from offset in Gen.Elements(Offsets)
        from salt in Gen.Choose(0, int.MaxValue)
        from units in Gen.Elements(Units.Kilometres, Units.Miles)
        from shoes in Many(0, 3, _ => Gen.Elements(0, 0, 150, 450, 700, 790))
        from roadRunner in Percent().Select(p => p < 30)
        from blocks in Many(@long ? 14 : 1, @long ? 22 : 4, _ => Block(@long, roadRunner))
        select new TrainingStory(new DateOnly(2024, 1, 1).AddDays(startOffset), offset, salt, units, shoes, blocks.SelectMany(b => b).ToList());

    private static Gen<List<StoryDay>> Block(bool @long, bool roadRunner) =>
        from stretch in roadRunner
            ? Gen.Elements(Stretch.Easy, Stretch.Streak, Stretch.RoadOnly, Stretch.Painful, Stretch.Settling)
            : Gen.Elements(Stretch.Rest, Stretch.Easy, Stretch.Easy, Stretch.Easy, Stretch.Streak, Stretch.RoadOnly, Stretch.RoadOnly, Stretch.Painful, Stretch.Settling)
        from length in stretch == Stretch.Streak ? Gen.Choose(5, @long ? 90 : 30) : Gen.Choose(2, @long ? 45 : 25)
        from days in Gen.CollectToList(Enumerable.Range(0, length).Select(_ => Day(stretch, roadRunner)))
        select days.ToList();

    private static Gen<StoryDay> Day(Stretch stretch, bool roadRunner) =>
        from count in Percent().Select(p => stretch switch
        {
            Stretch.Rest => p < 10 ? 1 : 0,
            Stretch.Streak => p < 90 ? 1 : 2,
            _ => p < 45 ? 0 : p < 95 ? 1 : 2,
        })
        from runs in Gen.CollectToList(Enumerable.Range(0, count).Select(_ => Run(stretch, roadRunner)))
        from standalone in Percent().SelectMany(p => p < 10 ? Feel(stretch).Select(f => (Feeling?)f) : Gen.Constant<Feeling?>(null))
        from sweep in Percent().Select(p => p < 25)
        from coach in Percent().Select(p => p < 4 ? 1 : p < 8 ? 2 : 0)
        from pick in Gen.Choose(0, 50)
        from shoeEvent in Percent()
        from retire in Gen.Choose(0, 4)
        select new StoryDay(runs.ToList(), standalone, sweep, coach, pick, shoeEvent == 0, shoeEvent == 1 ? retire : -1);

    private static Gen<PlannedRun> Run(Stretch stretch, bool roadRunner) =>
        from hour in Gen.Choose(5, 21)
        from minute in Gen.Elements(0, 15, 30, 45)
        from workout in Gen.Elements(WorkoutType.Easy, WorkoutType.Easy, WorkoutType.Easy, WorkoutType.LongRun, WorkoutType.Tempo, WorkoutType.Intervals, WorkoutType.Hills, WorkoutType.Race, WorkoutType.WalkRun)
        from km10 in workout == WorkoutType.LongRun ? Gen.Choose(120, 350) : Gen.Choose(20, 160)
        from pace in Gen.Choose(45, 75)
        from surface in roadRunner
            ? Gen.Constant(Surface.Road)
            : stretch == Stretch.RoadOnly
            ? Gen.Elements(Surface.Road, Surface.Road, Surface.Road, Surface.Road, Surface.Road, Surface.Road, Surface.Road, Surface.Road, Surface.Road, Surface.Trail)
            : Gen.Elements(Surface.Road, Surface.Road, Surface.Road, Surface.Road, Surface.Trail, Surface.Track, Surface.Treadmill, Surface.Grass)
        from rpe in Gen.Choose(1, 10)
        from shoe in Gen.Choose(-1, 3)
        from travel in Percent().Select(p => p < 3)
        from late in Percent().SelectMany(p => p < 80 ? Gen.Constant(0) : p < 94 ? Gen.Choose(1, 3) : Gen.Choose(7, 45))
        from ahead in Percent().Select(p => p < 3)
        from twin in Percent().Select(p => p < 4)
        from after in Percent().SelectMany(p => p < (stretch is Stretch.Painful or Stretch.Settling ? 85 : 35) ? Feel(stretch).Select(f => (Feeling?)f) : Gen.Constant<Feeling?>(null))
        from morning in Percent().SelectMany(p => p < 25
            ? (from next in Pain(stretch) from now in Pain(stretch) from before in Gen.Choose(-2, 3) select ((int, int, int?)?)(next, now, before < 0 ? null : before))
            : Gen.Constant<(int, int, int?)?>(null))
        select new PlannedRun(hour, minute, km10 * 100, Math.Max(1, km10 * pace / 100), workout, surface, rpe, shoe, travel, late, ahead && late == 0, twin, after, morning);

    private static Gen<int> Pain(Stretch stretch) => stretch switch
    {
        Stretch.Painful => Gen.Choose(2, 9),
        Stretch.Settling => Gen.Choose(0, 3),
        _ => Gen.Elements(0, 0, 0, 1, 1, 2, 2, 3, 4, 6),
    };

    private static Gen<Feeling> Feel(Stretch stretch) =>
        from pain in Pain(stretch)
        from worstExtra in Gen.Choose(-1, 2)
        from before in Gen.Choose(-3, 3)
        from sleep in Gen.Choose(30, 95)
        from hasSleep in Percent()
        from stress in Gen.Choose(0, 5)
        from fear in Gen.Choose(-4, 10)
        from sitting in Gen.Choose(-4, 12)
        from character in Gen.Elements(PainCharacter.DullAche, PainCharacter.DullAche, PainCharacter.Stiffness, PainCharacter.Sharp, PainCharacter.ShootingOrZingy)
        from spread in Gen.Elements(PainSpread.None, PainSpread.None, PainSpread.None, PainSpread.Buttock, PainSpread.Thigh, PainSpread.BelowKnee)
        from flag in Gen.Choose(0, 299)
        select new Feeling(
            pain,
            worstExtra < 0 ? null : Math.Min(10, pain + worstExtra),
            before < 0 ? null : before,
            new RecoveryContext(hasSleep < 40 ? null : sleep / 10.0, stress == 0 ? null : stress, fear < 0 ? null : fear, sitting < 0 ? null : sitting),
            new PainDescription(Character: character, SpreadsTo: spread),
            Flag(flag));

    private static RedFlagAnswers Flag(int roll) => roll switch
    {
        0 => new RedFlagAnswers(SaddleNumbness: true),
        1 => new RedFlagAnswers(BladderOrBowelChange: true),
        2 => new RedFlagAnswers(BothLegsNumbOrWeak: true),
        3 => new RedFlagAnswers(LegWeakness: true),
        4 => new RedFlagAnswers(FeverOrUnwell: true),
        5 => new RedFlagAnswers(WorseAtNight: true),
        6 => new RedFlagAnswers(UnexplainedWeightLoss: true),
        7 => new RedFlagAnswers(AfterFallOrImpact: true),
        _ => RedFlagAnswers.None,
    };

    private static Gen<int> Percent() => Gen.Choose(0, 99);

    private static Gen<List<T>> Many<T>(int min, int max, Func<int, Gen<T>> item) =>
        Gen.Choose(min, max).SelectMany(n => Gen.CollectToList(Enumerable.Range(0, n).Select(item))).Select(xs => xs.ToList());

    /// <summary>The story as the commands the athlete and the coach send, in the order they arrive.</summary>
    public static List<StoryStep> Steps(TrainingStory story)
    {
        var steps = new List<StoryStep>();
        var offset = story.Offset;
        var far = offset >= TimeSpan.Zero ? TimeSpan.FromHours(-12) : TimeSpan.FromHours(14);
        var ids = 0;
        Guid NextId() => Id(story.Salt, ++ids);
        DateTimeOffset At(DateOnly day, int hour, int minute = 0) => new(day.ToDateTime(new TimeOnly(hour, minute)), offset);
        Guid ShoeId(int k) => Id(story.Salt, 1_000_000 + k);

        steps.Add(new(At(story.Start.AddDays(-2), 9), _ => new RegisterAthlete(AthleteId, "Story", "Europe/Dublin", story.Units)));
        var shoes = story.ShoeStartKm.Count;
        for (var k = 0; k < shoes; k++)
        {
            var shoe = ShoeId(k);
            var km = story.ShoeStartKm[k];
            steps.Add(new(At(story.Start.AddDays(-1), 9, k), _ => new AddShoe(shoe, $"Shoe {k}", km * 1000)));
        }

        DateTimeOffset? previousStart = null;
        for (var d = 0; d < story.Days.Count; d++)
        {
            var day = story.Start.AddDays(d);
            var plan = story.Days[d];
            if (plan.Sweep)
            {
                steps.Add(new(At(day, 0, 10), _ => new SweepTimeBasedFindings(day)));
            }

            if (plan.NewShoe)
            {
                var shoe = ShoeId(shoes++);
                steps.Add(new(At(day, 8), _ => new AddShoe(shoe, "New pair", 0)));
            }

            if (plan.RetireShoe >= 0)
            {
                var shoe = ShoeId(plan.RetireShoe);
                steps.Add(new(At(day, 8, 30), state => state.Shoes.Any(s => s.ShoeId == shoe) ? new RetireShoe(shoe) : null));
            }

            foreach (var run in plan.Runs)
            {
                var runId = NextId();
                var runOffset = run.Travelling ? far : offset;
                var startedAt = run.Twin && previousStart is { } twin
                    ? twin.ToOffset(runOffset)
                    : new DateTimeOffset(day.ToDateTime(new TimeOnly(run.Hour, run.Minute)), runOffset);
                previousStart = startedAt;
                var loggedAt = run.LoggedAhead
                    ? startedAt.AddHours(-12).ToOffset(offset)
                    : startedAt.AddMinutes(run.Minutes + 10).ToOffset(offset).AddDays(run.LateDays);
                var wanted = run.Shoe < 0 ? (Guid?)null : ShoeId(run.Shoe);
                steps.Add(new(loggedAt, state => new LogRun(
                    runId,
                    startedAt,
                    run.Meters,
                    run.Minutes * 60,
                    run.Workout,
                    run.Surface,
                    run.Rpe,
                    run.Meters / 200,
                    ShoeId: state.Shoes.Any(s => s.ShoeId == wanted && !s.Retired) ? wanted : null)));
                if (run.After is { } after)
                {
                    var reportId = NextId();
                    steps.Add(new(loggedAt.AddMinutes(20), _ => Report(reportId, runId, after)));
                }

                if (run.Morning is { } morning)
                {
                    var reportId = NextId();
                    var nextMorning = At(day.AddDays(1), 7, 30);
                    var at = nextMorning > loggedAt.AddHours(1) ? nextMorning : loggedAt.AddHours(1);
                    steps.Add(new(at, _ => new SubmitPainReport(
                        reportId,
                        runId,
                        new PainScores(morning.PainNow, NextMorningPain: morning.NextMorning, PainBeforeRun: morning.Before),
                        new PainDescription(),
                        RedFlagAnswers.None,
                        new RecoveryContext())));
                }
            }

            if (plan.Standalone is { } feeling)
            {
                var reportId = NextId();
                steps.Add(new(At(day, 12, 30), _ => Report(reportId, null, feeling)));
            }

            if (plan.CoachAction == 1)
            {
                steps.Add(new(At(day, 18), state => state.Pauses.Any(p => p.IsOpen) ? new ClearToRun(CoachId, "physiotherapist", day, "cleared") : null));
            }
            else if (plan.CoachAction == 2)
            {
                var pick = plan.Pick;
                steps.Add(new(At(day, 18, 5), state => state.OpenFindings.Count == 0 ? null : new AcknowledgeAlert(state.OpenFindings[pick % state.OpenFindings.Count].Finding.FindingId, CoachId)));
            }
        }

        // Stable: moments that coincide keep the order they were written in.
        return steps.OrderBy(s => s.Now.UtcDateTime).ToList();
    }

    private static SubmitPainReport Report(Guid reportId, Guid? runId, Feeling feeling) =>
        new(reportId, runId, new PainScores(feeling.PainNow, feeling.Worst, PainBeforeRun: feeling.Before), feeling.Description, feeling.Flags, feeling.Context);

    /// <summary>Ids whose order has nothing to do with the order they were made in.</summary>
    private static Guid Id(int salt, int n)
    {
        var mixed = unchecked((uint)(n * 2654435761u) ^ (uint)salt);
        return new Guid(unchecked((int)mixed), (short)(n >> 16), (short)n, (byte)(salt >> 24), (byte)(salt >> 16), (byte)(salt >> 8), (byte)salt, 0, 0, (byte)(n >> 8), (byte)n);
    }
}
