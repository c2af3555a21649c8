namespace CoachHub.Domain;

/// <summary>Calendar rules shared by load metrics and plans: ISO weeks starting on Monday, local dates.</summary>
public static class TrainingCalendar
{
    public static DateOnly WeekStartOf(DateOnly date) => date.AddDays(-DaysFromMonday(date.DayOfWeek));

    /// <summary>Where a weekday falls in a training week: Monday 0 to Sunday 6.</summary>
    public static int DaysFromMonday(DayOfWeek day) => ((int)day + 6) % 7;

    /// <summary>
    /// The date on the local clock of the offset the instant carries. Runs carry the athlete's offset, so this
    /// is the athlete's calendar day; callers pass "now" in the athlete's offset for the same reason.
    /// </summary>
    public static DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(at.DateTime);

    public static bool IsWeekStart(DateOnly date) => date.DayOfWeek == DayOfWeek.Monday;

    public static int DaysBetween(DateOnly from, DateOnly to) => to.DayNumber - from.DayNumber;
}
