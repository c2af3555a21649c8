using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Tests.Support;
using CoachHub.Domain.Triage;

namespace CoachHub.Domain.Tests;

/// <summary>A finding that stays open shows its current figures, by a new event; the raising event is never rewritten.</summary>
public sealed class FindingUpdateTests
{
    private static readonly AthleteRegistered Registered = new(HistoryBuilder.Id(100), "Ana", "Europe/Dublin", Units.Kilometres, Clock.At(Clock.Today.AddDays(-60), 9));

    private static RunLogged Run(int id, DateOnly day, int meters, Guid? shoe = null) =>
        new(HistoryBuilder.Id(id), Clock.At(day), meters, meters * 6 / 10, WorkoutType.Easy, Surface.Trail, 4, ShoeId: shoe);

    private static LogRun Log(int id, DateOnly day, int meters, Guid? shoe = null) =>
        new(HistoryBuilder.Id(id), Clock.At(day, 18), meters, meters * 6 / 10, WorkoutType.Easy, Surface.Trail, 4, ShoeId: shoe);

    private static double Value(Finding finding, string label) => finding.Evidence.Values.Single(v => v.Label == label).Value;

    [Fact]
    public void AWeekThatKeepsRisingShowsTheDistanceItReached()
    {
        // 8 km last week; 13 km by Tuesday raises LD-WEEK; Wednesday's 14 km takes the week to 27 km.
        var lastWeek = Run(1, Clock.ThisMonday.AddDays(-5), 8_000);
        var monday = Run(2, Clock.ThisMonday, 13_000);
        var state = new object[] { Registered, lastWeek }.Aggregate(AthleteDecider.Initial, AthleteDecider.Evolve);
        var first = AthleteDecider.Decide(new LogRun(monday.RunId, monday.StartedAt, monday.DistanceMeters, monday.DurationSeconds, monday.Workout, monday.Surface, 4), state, Clock.Now.AddDays(-2));
        var raised = first.OfType<FindingRaised>().Single(e => e.Finding.RuleId == RuleIds.WeekIncrease);
        Assert.Equal(13_000, Value(raised.Finding, "week distance"));
        state = first.Aggregate(state, AthleteDecider.Evolve);

        var second = AthleteDecider.Decide(Log(3, Clock.Today, 14_000), state, Clock.Now.AddHours(9));
        var updated = Assert.Single(second.OfType<FindingUpdated>(), e => e.Finding.RuleId == RuleIds.WeekIncrease);
        Assert.Equal(raised.Finding.FindingId, updated.Finding.FindingId);
        Assert.Equal(27_000, Value(updated.Finding, "week distance"));
        Assert.Contains("27.0 km", updated.Finding.CoachMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(second, e => e is FindingRaised { Finding.RuleId: RuleIds.WeekIncrease });

        var after = second.Aggregate(state, AthleteDecider.Evolve);
        var open = after.OpenFindings.Single(f => f.Finding.RuleId == RuleIds.WeekIncrease);
        Assert.Equal(27_000, Value(open.Finding, "week distance"));
        Assert.Equal(raised.RaisedAt, open.RaisedAt);
        // The raising event still says what it said then.
        Assert.Equal(13_000, Value(raised.Finding, "week distance"));
    }

    [Fact]
    public void AShoeFindingShowsTheMileageAfterEveryRun()
    {
        var shoe = HistoryBuilder.Id(50);
        var state = new object[] { Registered, new ShoeAdded(shoe, "Trainers", 478_000, Clock.At(Clock.Today.AddDays(-30), 9)) }
            .Aggregate(AthleteDecider.Initial, AthleteDecider.Evolve);
        var first = AthleteDecider.Decide(Log(1, Clock.Today.AddDays(-1), 5_000, shoe), state, Clock.Now.AddDays(-1).AddHours(10));
        Assert.Equal(483_000, Value(first.OfType<FindingRaised>().Single(e => e.Finding.RuleId == RuleIds.ShoeWear).Finding, "shoe distance"));
        state = first.Aggregate(state, AthleteDecider.Evolve);

        var second = AthleteDecider.Decide(Log(2, Clock.Today, 6_000, shoe), state, Clock.Now.AddHours(10));
        var updated = Assert.Single(second.OfType<FindingUpdated>(), e => e.Finding.RuleId == RuleIds.ShoeWear);
        Assert.Equal(489_000, Value(updated.Finding, "shoe distance"));
        Assert.Contains("489.0 km", updated.Finding.AthleteMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void NothingIsUpdatedWhenTheFiguresStayTheSame()
    {
        var shoe = HistoryBuilder.Id(50);
        var state = new object[] { Registered, new ShoeAdded(shoe, "Trainers", 478_000, Clock.At(Clock.Today.AddDays(-30), 9)) }
            .Aggregate(AthleteDecider.Initial, AthleteDecider.Evolve);
        var first = AthleteDecider.Decide(Log(1, Clock.Today.AddDays(-1), 5_000, shoe), state, Clock.Now.AddDays(-1).AddHours(10));
        state = first.Aggregate(state, AthleteDecider.Evolve);
        // A run in another shoe changes nothing about this one.
        var second = AthleteDecider.Decide(Log(2, Clock.Today, 6_000), state, Clock.Now.AddHours(10));
        Assert.DoesNotContain(second, e => e is FindingUpdated { Finding.RuleId: RuleIds.ShoeWear });
    }
}
