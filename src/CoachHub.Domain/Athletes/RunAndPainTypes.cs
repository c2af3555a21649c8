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
