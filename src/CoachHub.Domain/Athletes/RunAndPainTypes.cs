namespace CoachHub.Domain.Athletes;

public enum WorkoutType
{
    Easy = 0,
    LongRun = 1,
    Tempo = 2,
    Intervals = 3,
    Hills = 4,
    Race = 5,
    WalkRun = 6,
}

public enum Surface
{
    Road = 0,
    Trail = 1,
    Track = 2,
    Treadmill = 3,
    Grass = 4,
}

public enum PainLocation
{
    Central = 0,
    Left = 1,
    Right = 2,
    BothSides = 3,
}

/// <summary>How far the pain travels; each value includes the ones before it.</summary>
public enum PainSpread
{
    None = 0,
    Buttock = 1,
    Thigh = 2,
    BelowKnee = 3,
}

public enum PainOnset
{
    DuringRun = 0,
    RightAfter = 1,
    NextDay = 2,
}

public enum PainCharacter
{
    DullAche = 0,
    Stiffness = 1,
    Sharp = 2,
    ShootingOrZingy = 3,
}

/// <summary>Pain on the 0-10 scale. Only "now" is always asked; the rest depend on when the report is made.</summary>
public sealed record PainScores(int PainNow, int? WorstDuringRun = null, int? NextMorningPain = null, int? PainBeforeRun = null)
{
    /// <summary>Pain now or worst during the run: the "during or after" reading (a method, so stored events keep their shape).</summary>
    public int PeakAfterRun() => Math.Max(PainNow, WorstDuringRun ?? 0);

    public static IReadOnlyList<FieldError> Validate(PainScores scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return new FieldErrors()
            .Range("painNow", scores.PainNow, 0, 10)
            .Range("worstDuringRun", scores.WorstDuringRun, 0, 10)
            .Range("nextMorningPain", scores.NextMorningPain, 0, 10)
            .Range("painBeforeRun", scores.PainBeforeRun, 0, 10)
            .ToList();
    }
}

/// <summary>
/// The self-check questions: where, how far it spreads, when it started, what it feels like, what makes it worse.
/// All optional: a question left unanswered stays null, never a default answer.
/// </summary>
public sealed record PainDescription(
    PainLocation? Location = null,
    PainSpread? SpreadsTo = null,
    PainOnset? Onset = null,
    PainCharacter? Character = null,
    bool? WorseWithSitting = null,
    bool? WorseWithStanding = null,
    bool? WorseWithBending = null,
    bool? HipTightness = null,
    bool? GluteTightness = null,
    bool? HamstringTightness = null)
{
    public static IReadOnlyList<FieldError> Validate(PainDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var errors = new FieldErrors();
        if (description.Location is { } location)
        {
            errors.Defined("location", location);
        }

        if (description.SpreadsTo is { } spread)
        {
            errors.Defined("spreadsTo", spread);
        }

        if (description.Onset is { } onset)
        {
            errors.Defined("onset", onset);
        }

        if (description.Character is { } character)
        {
            errors.Defined("character", character);
        }

        return errors.ToList();
    }
}

/// <summary>Asked on every pain report; any "yes" means professional care (see clinical-rules.md).</summary>
public sealed record RedFlagAnswers(
    bool SaddleNumbness = false,
    bool BladderOrBowelChange = false,
    bool BothLegsNumbOrWeak = false,
    bool LegWeakness = false,
    bool FeverOrUnwell = false,
    bool WorseAtNight = false,
    bool UnexplainedWeightLoss = false,
    bool AfterFallOrImpact = false)
{
    public static RedFlagAnswers None { get; } = new();
}

/// <summary>
/// The red-flag questions as the athlete answers them: each must be answered yes or no, because a missing answer
/// read as "no" could hide an emergency. <see cref="Answers"/> gives the report's answers once all are there.
/// </summary>
public sealed record RedFlagQuestions(bool? SaddleNumbness, bool? BladderOrBowelChange, bool? BothLegsNumbOrWeak, bool? LegWeakness,
    bool? FeverOrUnwell, bool? WorseAtNight, bool? UnexplainedWeightLoss, bool? AfterFallOrImpact)
{
    /// <summary>Each unanswered question as a field error, named under <paramref name="prefix"/>.</summary>
    public IReadOnlyList<FieldError> Unanswered(string prefix) =>
    [
        .. new (string Question, bool? Answer)[]
        {
            ("saddleNumbness", SaddleNumbness), ("bladderOrBowelChange", BladderOrBowelChange), ("bothLegsNumbOrWeak", BothLegsNumbOrWeak),
            ("legWeakness", LegWeakness), ("feverOrUnwell", FeverOrUnwell), ("worseAtNight", WorseAtNight),
            ("unexplainedWeightLoss", UnexplainedWeightLoss), ("afterFallOrImpact", AfterFallOrImpact),
        }.Where(q => q.Answer is null).Select(q => new FieldError($"{prefix}.{q.Question}", "is required.")),
    ];

    /// <summary>The answers; a <see cref="CoachingRuleViolation"/> naming every question left unanswered.</summary>
    public RedFlagAnswers Answers()
    {
        var unanswered = Unanswered("redFlags");
        if (unanswered.Count > 0) throw new CoachingRuleViolation(unanswered);
        return new RedFlagAnswers(SaddleNumbness!.Value, BladderOrBowelChange!.Value, BothLegsNumbOrWeak!.Value, LegWeakness!.Value,
            FeverOrUnwell!.Value, WorseAtNight!.Value, UnexplainedWeightLoss!.Value, AfterFallOrImpact!.Value);
    }
}

/// <summary>Recovery and mindset context that shapes how pain behaves.</summary>
public sealed record RecoveryContext(double? SleepHours = null, int? Stress = null, int? FearOfHarm = null, double? SittingHours = null)
{
    public static IReadOnlyList<FieldError> Validate(RecoveryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new FieldErrors()
            .Range("sleepHours", context.SleepHours, 0, 24)
            .Range("stress", context.Stress, 1, 5)
            .Range("fearOfHarm", context.FearOfHarm, 0, 10)
            .Range("sittingHours", context.SittingHours, 0, 24)
            .ToList();
    }
}

public sealed record Shoe(Guid ShoeId, string Name, int StartingDistanceMeters, bool Retired);

/// <summary>Where an imported run came from: the file's format and the SHA-256 of its bytes, which makes a second upload of it a no-op.</summary>
public sealed record RunSource(string Format, string FileSha256)
{
    public static readonly IReadOnlyList<string> Formats = ["gpx", "tcx", "fit"];

    public static IReadOnlyList<FieldError> Validate(RunSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new FieldErrors()
            .Require(source.Format is not null && Formats.Contains(source.Format), "format", "must be gpx, tcx or fit")
            .Require(source.FileSha256 is { Length: 64 } && source.FileSha256.All(char.IsAsciiHexDigitLower), "fileSha256", "must be 64 lower-case hex digits")
            .ToList();
    }
}

/// <param name="Seconds">Elapsed since the start.</param>
/// <param name="Meters">Covered since the start.</param>
public sealed record TrackPoint(int Seconds, int Meters, int? HeartRate = null, int? ElevationMeters = null)
{
    // Enough for a chart; small enough that a run posted with its track stays under the API's 64 KB body.
    public const int MaxPoints = 500;

    public static IReadOnlyList<FieldError> Validate(IReadOnlyList<TrackPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var inOrder = true;
        for (var i = 1; i < points.Count && inOrder; i++)
            inOrder = points[i] is not null && points[i - 1] is not null && points[i].Seconds >= points[i - 1].Seconds && points[i].Meters >= points[i - 1].Meters;
        return new FieldErrors()
            .Require(points.Count <= MaxPoints, "track", $"has at most {MaxPoints} points")
            .Require(points.All(p => p is not null), "track", "has no empty points")
            .Require(inOrder, "track", "runs forward: seconds and meters never decrease")
            .Require(points.All(p => p is null || p.Seconds is >= 0 and <= LogRun.MaxDurationSeconds), "track", "seconds are between 0 and 48 hours")
            .Require(points.All(p => p is null || p.Meters is >= 0 and <= LogRun.MaxDistanceMeters), "track", "meters are between 0 and 400 km")
            .Require(points.All(p => p is null || p.HeartRate is null or (>= LogRun.MinHeartRate and <= LogRun.MaxHeartRate)), "track",
                $"heart rates are between {LogRun.MinHeartRate} and {LogRun.MaxHeartRate}")
            .Require(points.All(p => p is null || p.ElevationMeters is null or (>= -500 and <= 9000)), "track", "elevations are between -500 and 9,000 m")
            .ToList();
    }

    /// <summary>At most <paramref name="max"/> points, evenly picked, the last always kept.</summary>
    public static IReadOnlyList<TrackPoint> Thin(IReadOnlyList<TrackPoint> points, int max = MaxPoints)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count <= max) return points;
        var step = (double)(points.Count - 1) / (max - 1);
        return [.. Enumerable.Range(0, max).Select(i => points[(int)Math.Round(i * step)])];
    }
}
