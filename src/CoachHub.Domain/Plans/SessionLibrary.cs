using System.Globalization;

namespace CoachHub.Domain.Plans;

/// <summary>The non-running sessions automation adds, and the walk-run protocol for returning after a pause.</summary>
public static class SessionLibrary
{
    public static IReadOnlyList<string> StrengthExercises { get; } = ["glute bridges", "dead bugs", "side planks", "bird dogs"];

    public static IReadOnlyList<string> MobilityExercises { get; } = ["leg swings", "butt kicks", "hip CARs", "figure-4 stretch"];

    public static IReadOnlyList<string> CrossTrainingActivities { get; } = ["swimming", "cycling", "elliptical", "brisk walking"];

    public const string PauseNote =
        "Optional, and only if it causes no pain. Follow any advice from the healthcare professional who assesses you; " +
        "if they say rest, rest.";

    public const string WalkRunNote =
        "Option: run on a treadmill at 2-3% incline. Stop and log it if pain rises above 3/10.";

    /// <summary>
    /// Walk-run phases, from 1 min jog / 2 min walk to 30 min continuous. Each phase is done twice in a week and
    /// only advances when both were done and pain did not rise.
    /// </summary>
    public static IReadOnlyList<WalkRunPattern> WalkRunPhases { get; } =
    [
        new(60, 120, 8),
        new(120, 120, 6),
        new(180, 120, 5),
        new(300, 120, 4),
        new(480, 120, 3),
        new(600, 60, 3),
        new(1200, 0, 1),
        new(1800, 0, 1),
    ];

    public static int LastPhase => WalkRunPhases.Count;

    public static WalkRunPattern Phase(int phase) => WalkRunPhases[Math.Clamp(phase, 1, LastPhase) - 1];

    public static int Seconds(WalkRunPattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return (pattern.JogSeconds + pattern.WalkSeconds) * pattern.Repeats;
    }

    public static string Describe(WalkRunPattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return pattern.WalkSeconds == 0
            ? $"{Minutes(pattern.JogSeconds)} min continuous easy running"
            : $"{Minutes(pattern.JogSeconds)} min jog / {Minutes(pattern.WalkSeconds)} min walk x {pattern.Repeats}";
    }

    public static PlannedSession Strength(string id, DateOnly date) =>
        new(id, date, SessionType.Strength, Intensity.Easy, null, 20 * 60, "Strength: 2-3 rounds, controlled and pain-free", StrengthExercises);

    public static PlannedSession Mobility(string id, DateOnly date) =>
        new(id, date, SessionType.Mobility, Intensity.Easy, null, 15 * 60, "Mobility: gentle, within comfort", MobilityExercises);

    public static PlannedSession CrossTraining(string id, DateOnly date, int index, int durationSeconds, string? notes = null)
    {
        var activity = CrossTrainingActivities[Math.Abs(index) % CrossTrainingActivities.Count];
        return new(id, date, SessionType.CrossTraining, Intensity.Easy, null, durationSeconds, $"Cross-training: {activity}, easy", [activity], null, notes);
    }

    public static PlannedSession WalkRun(string id, DateOnly date, int phase)
    {
        var pattern = Phase(phase);
        return new(id, date, SessionType.WalkRun, Intensity.Easy, null, Seconds(pattern), $"Return to run, phase {phase}: {Describe(pattern)}", [], pattern, WalkRunNote);
    }

    private static string Minutes(int seconds) => (seconds / 60.0).ToString("0.#", CultureInfo.InvariantCulture);
}
