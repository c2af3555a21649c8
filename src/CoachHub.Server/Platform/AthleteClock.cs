using CoachHub.Domain;

namespace CoachHub.Server.Platform;

/// <summary>
/// The time on an athlete's clock. The domain reads days and weeks from the offset an instant carries, so commands
/// and jobs hand it "now" in the athlete's time zone: a run sent in UTC from New York at 21:00 on Sunday stays on Sunday.
/// </summary>
public sealed class AthleteClock(TimeProvider time)
{
    /// <summary>Now on the athlete's clock.</summary>
    public DateTimeOffset Now(string timeZone) => OnClockOf(timeZone, time.GetUtcNow());

    /// <summary>The athlete's date today.</summary>
    public DateOnly Today(string timeZone) => TrainingCalendar.LocalDate(Now(timeZone));

    /// <summary>The same instant with the offset the athlete's time zone has then (unchanged for an unknown zone).</summary>
    public static DateTimeOffset OnClockOf(string timeZone, DateTimeOffset instant) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) ? TimeZoneInfo.ConvertTime(instant, zone) : instant;
}
