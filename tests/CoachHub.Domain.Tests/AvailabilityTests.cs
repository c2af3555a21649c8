using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;
using CoachHub.Domain.Tests.Support;
using CoachHub.Domain.Triage;
using static CoachHub.Domain.Tests.Support.PlanFixtures;

namespace CoachHub.Domain.Tests;

/// <summary>The weekly adjustment lays out the weeks it writes on the days and within the time the athlete has.</summary>
public sealed class AvailabilityTests
{
    private static readonly PlanState Building = StateOf(Started, Planned(StandardWeek(LastMonday)));

    private static WeeklyAvailability Days(params (DayOfWeek Day, int? Minutes)[] days) => new(days.Select(d => new AvailableDay(d.Day, d.Minutes)).ToList());

    private static AdjustmentDecision Adjust(PlanState plan, HistoryBuilder history, WeeklyAvailability? availability, params Finding[] open) =>
        WeeklyAdjustment.Decide(plan, history.Build() with { Availability = availability }, open, SquadSettings.Default, NextMonday);

    private static List<(DayOfWeek Day, SessionType Type, int? Meters)> Layout(AdjustmentDecision decision) =>
        decision.NextWeek.Sessions.Select(s => (s.Date.DayOfWeek, s.Type, s.DistanceMeters)).ToList();

    [Fact]
    public void RunsOnDaysTheAthleteCannotTrainMoveToTheNearestFreeDayKeepingTheVolume()
    {
        var decision = Adjust(Building, DidLastWeek(), Days((DayOfWeek.Monday, null), (DayOfWeek.Wednesday, null), (DayOfWeek.Saturday, null)));

        Assert.Equal(AdjustmentOutcome.Progress, decision.Outcome);
        Assert.Equal(
            [(DayOfWeek.Monday, SessionType.Easy, 8_800), (DayOfWeek.Wednesday, SessionType.Intervals, 8_800), (DayOfWeek.Saturday, SessionType.LongRun, 15_400)],
            Layout(decision));
        Assert.Contains(decision.Reasons, r => r.StartsWith("Fitted to the athlete's availability (Mon, Wed, Sat): ", StringComparison.Ordinal)
            && r.Contains("Tuesday's easy run moved to Monday", StringComparison.Ordinal)
            && r.Contains("Thursday's intervals moved to Wednesday", StringComparison.Ordinal));
        Assert.Contains(decision.Reasons, r => r.Contains("running 30.0 km to 33.0 km (+10%)", StringComparison.Ordinal));
    }

    [Fact]
    public void ARunLongerThanItsDayAllowsIsShortenedAndTheReasonStatesTheRealVolume()
    {
        // Last week's runs took 6 min/km, so the 15.4 km long run would take 92 min: Saturday allows 60.
        var decision = Adjust(Building, DidLastWeek(), Days((DayOfWeek.Tuesday, null), (DayOfWeek.Thursday, null), (DayOfWeek.Saturday, 60)));

        var longRun = decision.NextWeek.Sessions.Single(s => s.Type == SessionType.LongRun);
        Assert.Equal(10_000, longRun.DistanceMeters);
        Assert.Equal(27_600, RunDistance(decision.NextWeek));
        Assert.Contains(decision.Reasons, r => r.Contains("running 30.0 km to 27.6 km (-8%)", StringComparison.Ordinal));
        Assert.Contains(decision.Reasons, r => r.Contains("Saturday's long run shortened to 60 min, all Saturday allows", StringComparison.Ordinal)
            && r.Contains("(Tue, Thu, Sat (60 min))", StringComparison.Ordinal));
    }

    [Fact]
    public void WhatFitsNowhereIsLeftOutAndStrengthAndMobilityShareADayWhenTimeAllows()
    {
        var warning = FindingOf(RuleIds.PainHigh, Severity.Warning);
        var decision = Adjust(Building, DidLastWeek(), Days((DayOfWeek.Sunday, 120)), warning);

        // The long run (59 min at 6 min/km) comes first; the two easy runs find no other day.
        Assert.Equal(AdjustmentOutcome.Deload, decision.Outcome);
        Assert.Equal(
            [(DayOfWeek.Sunday, SessionType.LongRun, 9_800), (DayOfWeek.Sunday, SessionType.Mobility, null), (DayOfWeek.Sunday, SessionType.Strength, null)],
            Layout(decision));
        var fitted = Assert.Single(decision.Reasons, r => r.StartsWith("Fitted", StringComparison.Ordinal));
        Assert.Contains("Tuesday's easy run left out: no free day it fits", fitted, StringComparison.Ordinal);
        Assert.Contains(decision.Reasons, r => r.Contains("running 30.0 km to 9.8 km", StringComparison.Ordinal));
    }

    [Fact]
    public void AWalkRunPhaseIsDoneWholeOrNotAtAll()
    {
        var cleared = new HistoryBuilder(Sunday).Clearance(Clock.At(Sunday, 9));
        var decision = Adjust(Building, cleared, Days((DayOfWeek.Tuesday, 20), (DayOfWeek.Thursday, 30), (DayOfWeek.Saturday, 45)));

        Assert.Equal(AdjustmentOutcome.ReturnToRun, decision.Outcome);
        // Phase 1 takes 24 minutes: not on Tuesday (20), so on Thursday and Saturday; the cross-training gives way and is shortened.
        var walkRuns = decision.NextWeek.Sessions.Where(s => s.Type == SessionType.WalkRun).ToList();
        Assert.Equal([DayOfWeek.Thursday, DayOfWeek.Saturday], walkRuns.Select(s => s.Date.DayOfWeek));
        Assert.All(walkRuns, s => Assert.Equal(24 * 60, s.DurationSeconds));
        var cross = decision.NextWeek.Sessions.Single(s => s.Type == SessionType.CrossTraining);
        Assert.Equal((DayOfWeek.Tuesday, 20 * 60), (cross.Date.DayOfWeek, cross.DurationSeconds));
    }

    [Fact]
    public void TheCoachsOwnSessionsKeepTheirDaysAndUseUpTheirTime()
    {
        var edited = Session("mine", NextMonday.AddDays(5), SessionType.LongRun, 12_000, 70 * 60);
        var plan = StateOf(Started, Planned(StandardWeek(LastMonday)), Planned(StandardWeek(NextMonday, "next")),
            new SessionEdited(NextMonday, edited, CoachId, Clock.At(Sunday, 9)));

        var decision = Adjust(plan, DidLastWeek(), Days((DayOfWeek.Tuesday, null), (DayOfWeek.Saturday, 90)));

        Assert.Contains(decision.NextWeek.Sessions, s => s.SessionId == "mine" && s.Date == NextMonday.AddDays(5) && s.DurationSeconds == 70 * 60);
        // The 20 minutes Saturday has left take no run: Tuesday holds one, the Thursday intervals fit nowhere.
        Assert.Equal([DayOfWeek.Tuesday, DayOfWeek.Saturday], decision.NextWeek.Sessions.Select(s => s.Date.DayOfWeek));
    }

    [Fact]
    public void AWeekThatFitsIsLaidOutAsWithoutAvailability()
    {
        // Every day, ten hours each: the fitting runs (a limit is set) and must change nothing.
        var roomy = new WeeklyAvailability(Enum.GetValues<DayOfWeek>().Select(d => new AvailableDay(d, 600)).ToList());
        var fitted = Adjust(Building, DidLastWeek(), roomy, FindingOf(RuleIds.PainHigh, Severity.Warning));
        var unbound = Adjust(Building, DidLastWeek(), null, FindingOf(RuleIds.PainHigh, Severity.Warning));
        Assert.Equal(EventJson.Of(unbound), EventJson.Of(fitted));
        Assert.DoesNotContain(fitted.Reasons, r => r.StartsWith("Fitted", StringComparison.Ordinal));
    }

    [Fact]
    public void ASessionWithoutATimeStillLeavesADayTheAthleteLacksAndNothingGoesOnARestDay()
    {
        // The coach's week: strength with exercises only on Thursday, a rest day on Friday, runs Tuesday and Saturday.
        var strength = new PlannedSession("next-str", NextMonday.AddDays(3), SessionType.Strength, Intensity.Easy, null, null, "Strength", ["Squats"]);
        var rest = new PlannedSession("next-rest", NextMonday.AddDays(4), SessionType.Rest, Intensity.Rest, null, null, "Rest", []);
        var week = new PlannedWeek(NextMonday, [.. StandardWeek(NextMonday, "next").Sessions.Where(s => s.Type != SessionType.Intervals), strength, rest]);
        var plan = StateOf(Started, Planned(StandardWeek(LastMonday)), Planned(week));

        // Thursday is not the athlete's; Friday is, but the plan keeps it for rest.
        var decision = Adjust(plan, DidLastWeek(), Days((DayOfWeek.Tuesday, null), (DayOfWeek.Wednesday, 30), (DayOfWeek.Friday, null), (DayOfWeek.Saturday, null)));

        Assert.Equal((DayOfWeek.Wednesday, SessionType.Strength), decision.NextWeek.Sessions.Where(s => s.Type == SessionType.Strength).Select(s => (s.Date.DayOfWeek, s.Type)).Single());
        Assert.Equal([SessionType.Rest], decision.NextWeek.Sessions.Where(s => s.Date.DayOfWeek == DayOfWeek.Friday).Select(s => s.Type));
    }

    [Fact]
    public void AShortenedRunIsNeverUnderFifteenMinutesAndTheReasonGivesItsRealTime()
    {
        // 6:42 a km: 15 minutes is 2.24 km, which rounds down to 2.2 km (14:44), too short: left out.
        var history = new HistoryBuilder(Sunday);
        history.Run(LastMonday.AddDays(1), 10, minutes: 67);
        var decision = Adjust(Building, history, Days((DayOfWeek.Tuesday, 15), (DayOfWeek.Thursday, null), (DayOfWeek.Saturday, null)));
        Assert.DoesNotContain(decision.NextWeek.Sessions, s => s.Date.DayOfWeek == DayOfWeek.Tuesday);
        Assert.Contains(decision.Reasons, r => r.Contains("Tuesday's easy run left out", StringComparison.Ordinal));

        // 20 minutes: 2.9 km (19:25), said as 19 min.
        decision = Adjust(Building, history, Days((DayOfWeek.Tuesday, 20), (DayOfWeek.Thursday, null), (DayOfWeek.Saturday, null)));
        Assert.Equal(2_900, decision.NextWeek.Sessions.Single(s => s.Date.DayOfWeek == DayOfWeek.Tuesday).DistanceMeters);
        Assert.Contains(decision.Reasons, r => r.Contains("Tuesday's easy run shortened to 19 min, all Tuesday allows", StringComparison.Ordinal));
    }

    [Fact]
    public void TheAthletesPaceSetsHowLongARunPlannedByDistanceTakes()
    {
        var history = new HistoryBuilder(Sunday);
        history.Run(LastMonday.AddDays(1), 10, minutes: 50);
        Assert.Equal(300, AvailabilityFit.SecondsPerKm(history.Runs, NextMonday));
        Assert.Equal(AvailabilityFit.DefaultSecondsPerKm, AvailabilityFit.SecondsPerKm([], NextMonday));
        // Runs of more than six weeks ago say nothing about today's pace.
        Assert.Equal(AvailabilityFit.DefaultSecondsPerKm, AvailabilityFit.SecondsPerKm(history.Runs, NextMonday.AddDays(60)));
    }

    [Fact]
    public void SettingAvailabilityIsAnEventOnlyWhenItChanges()
    {
        var registered = new AthleteRegistered(AthleteId, "Aoife", "Europe/Dublin", Units.Kilometres, Clock.At(PlanStart, 9));
        var twoDays = Days((DayOfWeek.Saturday, 60), (DayOfWeek.Tuesday, null));
        var set = new AvailabilityChanged(Days((DayOfWeek.Tuesday, null), (DayOfWeek.Saturday, 60)), AthleteId, Clock.Now);

        Spec.Athlete().Given(registered).When(new SetAvailability(twoDays, AthleteId)).Then(set);
        Spec.Athlete().Given(registered, set).When(new SetAvailability(twoDays, CoachId)).Then();
        Spec.Athlete().Given(registered).When(new SetAvailability(WeeklyAvailability.Any, AthleteId)).Then();
        Spec.Athlete().Given(registered).When(new SetAvailability(new WeeklyAvailability([]), AthleteId)).ThenRejectsField("days");
        Spec.Athlete().Given(registered).When(new SetAvailability(Days((DayOfWeek.Monday, 5)), AthleteId)).ThenRejectsField("days[0].maxMinutes");
        Spec.Athlete().Given(registered).When(new SetAvailability(Days((DayOfWeek.Monday, null), (DayOfWeek.Monday, 30)), AthleteId)).ThenRejectsField("days");
        Spec.Athlete().Given(registered).When(new SetAvailability(Days(((DayOfWeek)9, null)), AthleteId)).ThenRejectsField("days[0].day");
        var eightDays = Enumerable.Range(0, 8).Select(i => (DayOfWeek.Monday, (int?)null)).ToArray();
        Spec.Athlete().Given(registered).When(new SetAvailability(Days(eightDays), AthleteId)).ThenRejectsField("days");
    }
}
