using System.Globalization;

namespace CoachHub.Domain.Plans;

/// <summary>One day of the week the athlete can train, and for how long at most (null: no limit).</summary>
public sealed record AvailableDay(DayOfWeek Day, int? MaxMinutes = null);

/// <summary>
/// The days an athlete can train and the time each allows. Days not listed are unavailable. Only the weekly
/// adjustment is bound by it: a coach planning by hand sees it and decides.
/// </summary>
public sealed record WeeklyAvailability(IReadOnlyList<AvailableDay> Days)
{
    public const int MinMinutes = 10;
    public const int MaxMinutes = 600;

    /// <summary>Every day, no limit: what an athlete who never said otherwise has.</summary>
    public static WeeklyAvailability Any { get; } = new(Enum.GetValues<DayOfWeek>().Select(d => new AvailableDay(d)).ToArray());

    public static IReadOnlyList<FieldError> Validate(WeeklyAvailability availability)
    {
        ArgumentNullException.ThrowIfNull(availability);
        var errors = new FieldErrors()
            .Require(availability.Days is { Count: > 0 }, "days", "choose at least one day")
            .Require(availability.Days is not { Count: > 7 }, "days", "each day may be listed once");
        if (availability.Days is null or { Count: > 7 }) return errors.ToList();
        for (var i = 0; i < availability.Days.Count; i++)
        {
            if (availability.Days[i] is not { } day)
            {
                errors.Require(false, $"days[{i}]", "is required");
                continue;
            }

            errors.Defined($"days[{i}].day", day.Day).Range($"days[{i}].maxMinutes", day.MaxMinutes, MinMinutes, MaxMinutes);
        }

        var named = availability.Days.Where(d => d is not null).Select(d => d.Day).ToList();
        return errors.Require(named.Distinct().Count() == named.Count, "days", "each day may be listed once").ToList();
    }

    /// <summary>Monday first, as the week reads.</summary>
    public WeeklyAvailability Normalized() => new(Days.OrderBy(d => TrainingCalendar.DaysFromMonday(d.Day)).ToArray());

    public bool SameAs(WeeklyAvailability other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Normalized().Days.SequenceEqual(other.Normalized().Days);
    }

    public bool IsAny => Days.Count == 7 && Days.All(d => d.MaxMinutes is null);

    public AvailableDay? On(DayOfWeek day) => Days.FirstOrDefault(d => d.Day == day);

    /// <summary>Seconds the day allows: 0 when unavailable, <see cref="int.MaxValue"/> without a limit.</summary>
    public int SecondsOn(DayOfWeek day) => On(day) switch
    {
        null => 0,
        { MaxMinutes: { } minutes } => minutes * 60,
        _ => int.MaxValue,
    };

    /// <summary>In the coach's words: "Mon, Wed (45 min), Sat".</summary>
    public string Describe() => string.Join(", ", Normalized().Days.Select(d => d.MaxMinutes is { } m ? $"{Short(d.Day)} ({m} min)" : Short(d.Day)));

    internal static string Short(DayOfWeek day) => CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedDayName(day);
}

/// <summary>
/// Lays a week the weekly adjustment generated onto the days the athlete can train: a session on an unavailable day
/// moves to the nearest free day that is, a run longer than its day allows is shortened, and what fits nowhere is
/// left out, each change said in words. Sessions the coach fixed keep their days and use up their days' time.
/// Runs are placed before strength and mobility, so the running volume never depends on them.
/// </summary>
public static class AvailabilityFit
{
    /// <summary>A run shorter than this is not worth going out for: it is left out instead.</summary>
    public const int ShortestRunSeconds = 15 * 60;

    /// <summary>The pace assumed for a run planned by distance when the athlete has no recent runs.</summary>
    public const int DefaultSecondsPerKm = 360;

    public sealed record Result(IReadOnlyList<PlannedSession> Sessions, IReadOnlyList<string> Changes);

    public static Result Fit(DateOnly weekStart, DateOnly today, IReadOnlyList<PlannedSession> fixedSessions, IReadOnlyList<PlannedSession> generated,
        WeeklyAvailability? availability, int secondsPerKm)
    {
        ArgumentNullException.ThrowIfNull(fixedSessions);
        ArgumentNullException.ThrowIfNull(generated);
        if (availability is null || availability.IsAny) return new Result(generated, []);

        // A day the athlete cannot train, or one the plan keeps for rest, takes nothing, however short.
        var rest = fixedSessions.Concat(generated).Where(s => s.Type == SessionType.Rest).Select(s => s.Date).ToHashSet();
        var days = Enumerable.Range(0, 7).Select(weekStart.AddDays).Where(d => d >= today && availability.SecondsOn(d.DayOfWeek) > 0 && !rest.Contains(d)).ToList();
        var left = days.ToDictionary(d => d, d => (long)availability.SecondsOn(d.DayOfWeek) - fixedSessions.Where(s => s.Date == d).Sum(s => (long)Seconds(s, secondsPerKm)));
        var hasMain = days.ToDictionary(d => d, d => fixedSessions.Any(s => s.Date == d && IsMain(s)));
        var changes = new List<string>();
        var placed = new List<PlannedSession>();
        var outside = generated.Where(s => s.Date < today || s.Date < weekStart || s.Date > weekStart.AddDays(6) || s.Type == SessionType.Rest).ToList();
        var main = generated.Except(outside).Where(IsMain).OrderBy(s => s.Date).ThenBy(s => s.SessionId, StringComparer.Ordinal).ToList();
        var extras = generated.Except(outside).Where(s => !IsMain(s)).OrderBy(s => s.Date).ThenBy(s => s.SessionId, StringComparer.Ordinal).ToList();

        // Runs (and cross-training in their place), one a day, the week's key sessions first: each keeps its day if the
        // athlete has it, else takes the nearest free one. A walk-run phase is a protocol step, done whole or not at all.
        foreach (var session in main.OrderBy(Priority).ThenBy(s => s.Date).ThenBy(s => s.SessionId, StringComparer.Ordinal))
        {
            var need = Seconds(session, secondsPerKm);
            var whole = session.WalkRun is not null;
            bool Takes(DateOnly d) => left.ContainsKey(d) && !hasMain[d] && left[d] >= (whole ? need : Math.Min(need, ShortestRunSeconds));
            var day = Takes(session.Date) ? session.Date : Nearest(days, session.Date, Takes);
            if (day is not { } to)
            {
                changes.Add($"{Name(session)} left out: no free day it fits");
                continue;
            }

            var moved = session with { Date = to };
            if (need > left[to])
            {
                moved = Shorten(moved, (int)left[to], secondsPerKm);
                // Rounding down to 100 m can take a run under the shortest worth going out for.
                if (Seconds(moved, secondsPerKm) < Math.Min(need, ShortestRunSeconds))
                {
                    changes.Add($"{Name(session)} left out: no free day has {ShortestRunSeconds / 60} min for it");
                    continue;
                }
            }

            hasMain[to] = true;
            if (to != session.Date) changes.Add($"{Name(session)} moved to {Weekday(to)}");
            if (Seconds(moved, secondsPerKm) < need) changes.Add($"{Name(moved)} shortened to {Seconds(moved, secondsPerKm) / 60} min, all {Weekday(to)} allows");

            left[to] -= Seconds(moved, secondsPerKm);
            placed.Add(moved);
        }

        // Strength and mobility share a day with a run when its time allows, never two of a kind on one day.
        foreach (var session in extras)
        {
            var need = Seconds(session, secondsPerKm);
            bool Fits(DateOnly d) => left.TryGetValue(d, out var seconds) && seconds >= need && !placed.Any(p => p.Date == d && p.Type == session.Type);
            var day = Fits(session.Date) ? session.Date : Nearest(days, session.Date, Fits);
            if (day is not { } to)
            {
                changes.Add($"{Name(session)} left out: no day has {need / 60} min for it");
                continue;
            }

            left[to] -= need;
            placed.Add(session with { Date = to });
            if (to != session.Date) changes.Add($"{Name(session)} moved to {Weekday(to)}");
        }

        return new Result([.. outside, .. placed.OrderBy(s => s.Date).ThenBy(s => s.SessionId, StringComparer.Ordinal)], changes);
    }

    /// <summary>The athlete's own pace over the last six weeks' runs, or <see cref="DefaultSecondsPerKm"/>.</summary>
    public static int SecondsPerKm(IEnumerable<Athletes.RunLogged> runs, DateOnly before)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var recent = runs.Where(r => TrainingCalendar.LocalDate(r.StartedAt) < before && TrainingCalendar.LocalDate(r.StartedAt) >= before.AddDays(-42)).ToList();
        long meters = recent.Sum(r => (long)r.DistanceMeters), seconds = recent.Sum(r => (long)r.DurationSeconds);
        return meters >= 1000 ? (int)Math.Clamp(seconds * 1000 / meters, 150, 900) : DefaultSecondsPerKm;
    }

    /// <summary>How long a session takes: its duration, else its distance at the given pace.</summary>
    public static int Seconds(PlannedSession session, int secondsPerKm)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.DurationSeconds ?? (int)Math.Min((long)(session.DistanceMeters ?? 0) * secondsPerKm / 1000, int.MaxValue);
    }

    private static PlannedSession Shorten(PlannedSession session, int allowedSeconds, int secondsPerKm)
    {
        var need = Seconds(session, secondsPerKm);
        // Rounded down (a minute, 100 m) so the day's limit is never crossed by rounding.
        int? meters = session.DistanceMeters is { } m ? (int)((long)m * allowedSeconds / need / 100 * 100) : null;
        int? seconds = session.DurationSeconds is { } t ? (int)((long)t * allowedSeconds / need / 60 * 60) : null;
        return session with { DistanceMeters = meters is 0 ? null : meters, DurationSeconds = seconds is 0 ? null : seconds };
    }

    private static int Priority(PlannedSession session) => session.Type switch
    {
        SessionType.LongRun => 0,
        SessionType.WalkRun or SessionType.Race => 1,
        _ when SessionTypes.IsHard(session.Type) => 2,
        SessionType.CrossTraining => 4,
        _ => 3,
    };

    private static bool IsMain(PlannedSession session) => SessionTypes.IsRun(session.Type) || session.Type == SessionType.CrossTraining;

    /// <summary>The day closest to <paramref name="from"/> that qualifies, a later one before an earlier one at the same distance.</summary>
    private static DateOnly? Nearest(IReadOnlyList<DateOnly> days, DateOnly from, Func<DateOnly, bool> qualifies) =>
        days.Where(qualifies).OrderBy(d => Math.Abs(d.DayNumber - from.DayNumber)).ThenBy(d => d < from).Select(d => (DateOnly?)d).FirstOrDefault();

    private static string Name(PlannedSession session) => $"{Weekday(session.Date)}'s {Words(session.Type)}";

    private static string Weekday(DateOnly date) => date.DayOfWeek.ToString();

    private static string Words(SessionType type) => type switch
    {
        SessionType.LongRun => "long run",
        SessionType.WalkRun => "walk-run",
        SessionType.CrossTraining => "cross-training",
        SessionType.Easy => "easy run",
        SessionType.Tempo => "tempo run",
        SessionType.Race => "race",
        _ => type.ToString().ToLowerInvariant(),
    };
}
