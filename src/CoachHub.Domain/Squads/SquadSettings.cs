namespace CoachHub.Domain.Squads;

/// <summary>How a coach wants automation to behave for a squad.</summary>
/// <param name="DeloadEveryBuildWeeks">A deload week after this many build weeks (4-6).</param>
/// <param name="AdjustmentsNeedApproval">Automated plan changes wait for the coach (pauses never wait).</param>
/// <param name="Units">Kilometres or miles for everything the squad sees.</param>
/// <param name="WeeklyAdjustmentDay">Local day the next week is adjusted.</param>
/// <param name="WeeklyAdjustmentHour">Local hour (0-23) the next week is adjusted.</param>
public sealed record SquadSettings(
    int DeloadEveryBuildWeeks = 4,
    bool AdjustmentsNeedApproval = false,
    Units Units = Units.Kilometres,
    DayOfWeek WeeklyAdjustmentDay = DayOfWeek.Sunday,
    int WeeklyAdjustmentHour = 18,
    string? TimeZone = null)
{
    public const int MinDeloadEvery = 4;
    public const int MaxDeloadEvery = 6;

    public static SquadSettings Default { get; } = new();

    public static IReadOnlyList<FieldError> Validate(SquadSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new FieldErrors()
            .Range("deloadEveryBuildWeeks", settings.DeloadEveryBuildWeeks, MinDeloadEvery, MaxDeloadEvery)
            .Defined("units", settings.Units)
            .Defined("weeklyAdjustmentDay", settings.WeeklyAdjustmentDay)
            .Range("weeklyAdjustmentHour", settings.WeeklyAdjustmentHour, 0, 23)
            .Require(settings.TimeZone is null || Athletes.RegisterAthlete.LooksLikeTimeZoneId(settings.TimeZone), "timeZone",
                "must be an IANA time-zone id such as Europe/Dublin")
            .ToList();
    }
}
