namespace CoachHub.Domain.Plans;

public enum SessionType
{
    Easy = 0,
    LongRun = 1,
    Tempo = 2,
    Intervals = 3,
    Hills = 4,
    Race = 5,
    WalkRun = 6,
    Strength = 7,
    Mobility = 8,
    CrossTraining = 9,
    Rest = 10,
}

public enum Intensity
{
    Rest = 0,
    Easy = 1,
    Moderate = 2,
    Hard = 3,
}

/// <summary>One walk-run block: jog, then walk, repeated.</summary>
public sealed record WalkRunPattern(int JogSeconds, int WalkSeconds, int Repeats);

/// <summary>
/// One planned session. Runs give a distance, a duration or both; strength, mobility and cross-training list
/// their exercises or activities. Ids are unique within a plan and let a coach's edit be recognised later.
/// </summary>
public sealed record PlannedSession(
    string SessionId,
    DateOnly Date,
    SessionType Type,
    Intensity Intensity,
    int? DistanceMeters,
    int? DurationSeconds,
    string Description,
    IReadOnlyList<string> Exercises,
    WalkRunPattern? WalkRun = null,
    string? Notes = null)
{
    public const int MaxDistanceMeters = 400_000;
    public const int MaxDurationSeconds = 24 * 3600;

    public static IReadOnlyList<FieldError> Validate(PlannedSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var errors = new FieldErrors()
            .Text("sessionId", session.SessionId, 64)
            .Defined("type", session.Type)
            .Defined("intensity", session.Intensity)
            .Range("distanceMeters", session.DistanceMeters, 1, MaxDistanceMeters)
            .Range("durationSeconds", session.DurationSeconds, 1, MaxDurationSeconds)
            .Text("description", session.Description, 500, required: false)
            .Text("notes", session.Notes, 2000, required: false)
            .Require(session.Exercises is not null, "exercises", "is required (may be empty)")
            .Require(session.Exercises is null || session.Exercises.All(e => !string.IsNullOrWhiteSpace(e) && e.Length <= 200), "exercises",
                "each entry must be a name of 1 to 200 characters")
            // A rest day is no training at all: a distance or a time on it would count as load it never was.
            .Require(session.Type != SessionType.Rest || (session.DistanceMeters is null && session.DurationSeconds is null && session.WalkRun is null),
                "type", "a rest day has no distance, duration or walk-run blocks");
        if (SessionTypes.IsRun(session.Type))
        {
            errors.Require(session.DistanceMeters is not null || session.DurationSeconds is not null, "distanceMeters", "a run needs a distance or a duration");
        }

        if (session.WalkRun is { } pattern)
        {
            errors.Range("walkRun.jogSeconds", pattern.JogSeconds, 1, 3600)
                .Range("walkRun.walkSeconds", pattern.WalkSeconds, 0, 3600)
                .Range("walkRun.repeats", pattern.Repeats, 1, 50);
        }

        return errors.ToList();
    }
}

/// <summary>A Monday-to-Sunday week of sessions.</summary>
public sealed record PlannedWeek(DateOnly WeekStart, IReadOnlyList<PlannedSession> Sessions);

public static class SessionTypes
{
    public static bool IsRun(SessionType type) => type <= SessionType.WalkRun;

    /// <summary>Sessions that add intensity; Hold and Deload never add new ones.</summary>
    public static bool IsHard(SessionType type) => type is SessionType.Tempo or SessionType.Intervals or SessionType.Hills or SessionType.Race;
}

/// <summary>Running volume of a planned week: what the +10% / -30% rules are measured on.</summary>
public static class WeekVolume
{
    public static int DistanceMeters(IEnumerable<PlannedSession> sessions) =>
        Clamp(sessions.Where(s => SessionTypes.IsRun(s.Type)).Sum(s => (long)(s.DistanceMeters ?? 0)));

    public static int DurationSeconds(IEnumerable<PlannedSession> sessions) =>
        Clamp(sessions.Where(s => SessionTypes.IsRun(s.Type)).Sum(s => (long)(s.DurationSeconds ?? 0)));

    public static int DistanceMeters(PlannedWeek? week) => week is null ? 0 : DistanceMeters(week.Sessions);

    public static int DurationSeconds(PlannedWeek? week) => week is null ? 0 : DurationSeconds(week.Sessions);

    public static int LongestRunMeters(IEnumerable<PlannedSession> sessions) =>
        sessions.Where(s => SessionTypes.IsRun(s.Type)).Select(s => s.DistanceMeters ?? 0).DefaultIfEmpty(0).Max();

    private static int Clamp(long value) => (int)Math.Min(value, int.MaxValue);
}
