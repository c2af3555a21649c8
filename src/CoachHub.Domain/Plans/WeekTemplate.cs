namespace CoachHub.Domain.Plans;

/// <summary>One session of a week template: a planned session with its day of the week (0 Monday to 6 Sunday) instead of a date.</summary>
public sealed record TemplateSession(
    int Day,
    SessionType Type,
    Intensity Intensity,
    int? DistanceMeters,
    int? DurationSeconds,
    string Description,
    IReadOnlyList<string> Exercises,
    WalkRunPattern? WalkRun = null,
    string? Notes = null);

/// <summary>
/// A coach's week saved under a name, for any athlete of the squad: its sessions by weekday, without ids or dates,
/// so applying it plans a new week with new sessions.
/// </summary>
public static class WeekTemplates
{
    public const int MaxSessions = 21;
    public const int MaxPerSquad = 50;
    public const int MaxNameLength = 80;

    /// <summary>
    /// The week's sessions by weekday. The note a pause puts on its cross-training is the paused athlete's, not the
    /// week's: it stays behind, as the coach's own notes do not.
    /// </summary>
    public static IReadOnlyList<TemplateSession> From(PlannedWeek week)
    {
        ArgumentNullException.ThrowIfNull(week);
        return week.Sessions.OrderBy(s => s.Date).ThenBy(s => s.SessionId, StringComparer.Ordinal)
            .Select(s => new TemplateSession(s.Date.DayNumber - week.WeekStart.DayNumber, s.Type, s.Intensity, s.DistanceMeters, s.DurationSeconds, s.Description,
                s.Exercises, s.WalkRun, s.Notes == SessionLibrary.PauseNote ? null : s.Notes))
            .ToArray();
    }

    /// <summary>The template's sessions in the week starting <paramref name="weekStart"/>, with ids new to that week.</summary>
    public static IReadOnlyList<PlannedSession> Into(IReadOnlyList<TemplateSession> sessions, DateOnly weekStart, Guid templateId)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var prefix = $"{weekStart:yyyyMMdd}-{templateId.ToString("N")[..6]}";
        return sessions.Select((s, i) => new PlannedSession($"{prefix}-{i + 1}", weekStart.AddDays(s.Day), s.Type, s.Intensity, s.DistanceMeters, s.DurationSeconds,
            s.Description, s.Exercises, s.WalkRun, s.Notes)).ToArray();
    }

    public static IReadOnlyList<FieldError> Validate(string? name, IReadOnlyList<TemplateSession>? sessions)
    {
        var errors = new FieldErrors()
            .Text("name", name, MaxNameLength)
            .Require(sessions is { Count: > 0 }, "sessions", "a template needs at least one session")
            .Require(sessions is null || sessions.Count <= MaxSessions, "sessions", $"a template holds at most {MaxSessions} sessions");
        for (var i = 0; i < (sessions?.Count ?? 0); i++)
        {
            if (sessions![i] is not { } s)
            {
                errors.Require(false, $"sessions[{i}]", "is required");
                continue;
            }

            errors.Range($"sessions[{i}].day", s.Day, 0, 6);
            var asPlanned = new PlannedSession("template", new DateOnly(2001, 1, 1), s.Type, s.Intensity, s.DistanceMeters, s.DurationSeconds, s.Description, s.Exercises,
                s.WalkRun, s.Notes);
            errors.Merge($"sessions[{i}]", PlannedSession.Validate(asPlanned));
        }

        return errors.ToList();
    }
}
