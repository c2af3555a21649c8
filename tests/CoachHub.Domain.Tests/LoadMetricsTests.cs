using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Load;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Tests.Support;

namespace CoachHub.Domain.Tests;

public sealed class LoadMetricsTests
{
    private static RunLogged Run(DateTimeOffset startedAt, int meters, int minutes = 30, int rpe = 5, WorkoutType workout = WorkoutType.Easy, Surface surface = Surface.Road, Guid? shoe = null, string? planned = null) =>
        new(Guid.NewGuid(), startedAt, meters, minutes * 60, workout, surface, rpe, ShoeId: shoe, PlannedSessionId: planned);

    [Fact]
    public void ARunCountsOnTheAthletesLocalDateNotTheUtcDate()
    {
        // 00:30 on Monday in Sydney is still Sunday in UTC.
        var sydney = new DateTimeOffset(2025, 3, 17, 0, 30, 0, TimeSpan.FromHours(11));
        var run = Run(sydney, 10_000);
        Assert.Equal(new DateOnly(2025, 3, 17), LoadMetrics.LocalDate(run));
        Assert.Equal(10_000, LoadMetrics.WeeklyDistanceMeters([run], new DateOnly(2025, 3, 17)));
        Assert.Equal(0, LoadMetrics.WeeklyDistanceMeters([run], new DateOnly(2025, 3, 16)));
    }

    [Fact]
    public void WeeksRunMondayToSunday()
    {
        Assert.Equal(new DateOnly(2025, 3, 17), TrainingCalendar.WeekStartOf(new DateOnly(2025, 3, 23)));
        Assert.Equal(new DateOnly(2025, 3, 17), TrainingCalendar.WeekStartOf(new DateOnly(2025, 3, 17)));
        Assert.Equal(new DateOnly(2024, 12, 30), TrainingCalendar.WeekStartOf(new DateOnly(2025, 1, 1)));

        var runs = new[]
        {
            Run(Clock.At(new DateOnly(2025, 3, 16), 18), 5_000, 25),
            Run(Clock.At(new DateOnly(2025, 3, 17)), 8_000, 45),
            Run(Clock.At(new DateOnly(2025, 3, 23), 21), 12_000, 70),
        };
        Assert.Equal(20_000, LoadMetrics.WeeklyDistanceMeters(runs, new DateOnly(2025, 3, 19)));
    }

    [Fact]
    public void SessionLoadIsRpeTimesMinutes() =>
        Assert.Equal(350, LoadMetrics.SessionLoad(Run(Clock.Now, 10_000, minutes: 50, rpe: 7)));

    [Fact]
    public void EwmaUsesLambdaTwoOverNPlusOne()
    {
        Assert.Equal(0.25, LoadMetrics.Lambda(7));
        Assert.Equal(2.0 / 29, LoadMetrics.Lambda(28));

        // One session of load 100 yesterday, nothing today.
        var load = LoadMetrics.AcuteChronicRatio([Run(Clock.At(Clock.Today.AddDays(-1)), 5_000, minutes: 20, rpe: 5)], Clock.Today);
        Assert.Equal(100 * 0.25 * 0.75, load.Acute, 9);
        Assert.Equal(100 * (2.0 / 29) * (27.0 / 29), load.Chronic, 9);
        Assert.Equal(load.Acute / load.Chronic, load.Ratio!.Value, 9);
    }

    [Fact]
    public void WithoutRunsThereIsNoRatio() =>
        Assert.Null(LoadMetrics.AcuteChronicRatio([], Clock.Today).Ratio);

    [Fact]
    public void MonotonyIsMeanOverStandardDeviationAndStrainIsLoadTimesMonotony()
    {
        var runs = Enumerable.Range(1, 6).Select(d => Run(Clock.At(Clock.Today.AddDays(-d)), 5_000, minutes: 50, rpe: 2)).ToList();
        var week = LoadMetrics.MonotonyAndStrain(runs, Clock.Today);
        Assert.Equal(600, week.WeeklyLoad);
        Assert.Equal(600 / 7.0, week.MeanDailyLoad, 9);
        var sd = Math.Sqrt(((6 * Math.Pow(100 - (600 / 7.0), 2)) + Math.Pow(600 / 7.0, 2)) / 7);
        Assert.Equal(sd, week.StandardDeviation, 9);
        Assert.Equal(600 / 7.0 / sd, week.Monotony!.Value, 9);
        Assert.Equal(600 * week.Monotony.Value, week.Strain!.Value, 9);
    }

    [Fact]
    public void MonotonyIsUndefinedWhenEveryDayIsTheSame() =>
        Assert.Null(LoadMetrics.MonotonyAndStrain([], Clock.Today).Monotony);

    [Fact]
    public void TheLongestRunLooksAtThe30DaysBeforeTheDay()
    {
        var runs = new[]
        {
            Run(Clock.At(Clock.Today.AddDays(-31)), 30_000),
            Run(Clock.At(Clock.Today.AddDays(-30)), 14_000),
            Run(Clock.At(Clock.Today.AddDays(-2)), 12_000),
            Run(Clock.At(Clock.Today), 20_000),
        };
        Assert.Equal(14_000, LoadMetrics.LongestRunMeters(runs, Clock.Today));
        Assert.Equal(0, LoadMetrics.LongestRunMeters([], Clock.Today));
    }

    [Fact]
    public void TheSurfaceMixSplitsDistanceBySurface()
    {
        var runs = new[]
        {
            Run(Clock.At(Clock.Today.AddDays(-3)), 6_000, workout: WorkoutType.Intervals, surface: Surface.Track),
            Run(Clock.At(Clock.Today.AddDays(-2)), 10_000),
            Run(Clock.At(Clock.Today.AddDays(-1)), 4_000, surface: Surface.Grass),
        };
        Assert.Equal(
            new[] { new MixShare<Surface>(Surface.Road, 10_000, 0.5), new MixShare<Surface>(Surface.Track, 6_000, 0.3), new MixShare<Surface>(Surface.Grass, 4_000, 0.2) },
            LoadMetrics.SurfaceMix(runs, Clock.Today.AddDays(-7), Clock.Today));
    }

    [Theory]
    [InlineData(0, ComplianceStatus.Red)]
    [InlineData(49, ComplianceStatus.Red)]
    [InlineData(50, ComplianceStatus.Amber)]
    [InlineData(79, ComplianceStatus.Amber)]
    [InlineData(80, ComplianceStatus.Green)]
    [InlineData(100, ComplianceStatus.Green)]
    [InlineData(120, ComplianceStatus.Green)]
    [InlineData(121, ComplianceStatus.Amber)]
    [InlineData(150, ComplianceStatus.Amber)]
    [InlineData(151, ComplianceStatus.Red)]
    public void ComplianceBandsFollowThePlanPercentages(int percent, ComplianceStatus expected) =>
        Assert.Equal(expected, LoadMetrics.ClassifyCompliance(percent));

    [Fact]
    public void WeekComplianceComparesAllRunningWithThePlan()
    {
        var monday = Clock.ThisMonday;
        var week = new PlannedWeek(monday,
        [
            new PlannedSession("a", monday.AddDays(1), SessionType.Easy, Intensity.Easy, 8_000, null, "Easy", []),
            new PlannedSession("b", monday.AddDays(5), SessionType.LongRun, Intensity.Easy, 12_000, null, "Long", []),
            SessionLibrary.Mobility("c", monday),
        ]);
        var runs = new[] { Run(Clock.At(monday.AddDays(1)), 8_000), Run(Clock.At(monday.AddDays(6)), 13_000), Run(Clock.At(monday.AddDays(7)), 10_000) };
        var compliance = LoadMetrics.WeekCompliance(week, runs);
        Assert.Equal(new Compliance(ComplianceStatus.Green, 1.05, 105, ComplianceMeasure.DistanceMeters, 20_000, 21_000), compliance);
        Assert.Null(LoadMetrics.WeekCompliance(new PlannedWeek(monday, []), runs));
    }

    [Theory]
    // Monday morning: nothing is due yet, so nobody is off plan.
    [InlineData(0, false, 0, null)]
    // Monday, having run the day's session already.
    [InlineData(0, true, 6_000, ComplianceStatus.Green)]
    // Wednesday: Monday's and Tuesday's 14 km were due.
    [InlineData(2, false, 14_000, ComplianceStatus.Green)]
    [InlineData(2, false, 8_000, ComplianceStatus.Amber)]
    [InlineData(2, false, 0, ComplianceStatus.Red)]
    // Sunday evening after the long run: the whole week was due.
    [InlineData(6, true, 26_000, ComplianceStatus.Green)]
    // Sunday before the long run: it is not due until run, or until the day is over.
    [InlineData(6, false, 14_000, ComplianceStatus.Green)]
    public void TheWeekSoFarComparesRunningWithWhatWasDueByNow(int dayOfWeek, bool ranToday, int doneMeters, ComplianceStatus? expected)
    {
        var monday = Clock.ThisMonday;
        var week = new PlannedWeek(monday,
        [
            new PlannedSession("mon", monday, SessionType.Easy, Intensity.Easy, 6_000, null, "Easy", []),
            new PlannedSession("tue", monday.AddDays(1), SessionType.Tempo, Intensity.Moderate, 8_000, null, "Tempo", []),
            SessionLibrary.Mobility("wed", monday.AddDays(2)),
            new PlannedSession("sun", monday.AddDays(6), SessionType.LongRun, Intensity.Easy, 12_000, null, "Long", []),
        ]);
        Assert.Equal(expected, LoadMetrics.DistanceSoFar(week, doneMeters, monday.AddDays(dayOfWeek), ranToday));
        Assert.Null(LoadMetrics.DistanceSoFar(null, doneMeters, monday.AddDays(dayOfWeek), ranToday));
    }
}
