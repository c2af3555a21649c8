using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;
using CoachHub.Domain.Tests.Support;
using CoachHub.Domain.Triage;
using static CoachHub.Domain.Tests.Support.PlanFixtures;

namespace CoachHub.Domain.Tests;

/// <summary>The "Weekly plan adjustment" table of clinical-rules.md, row by row.</summary>
public sealed class WeeklyAdjustmentTests
{
    private static readonly PlanState Building = StateOf(Started, Planned(StandardWeek(LastMonday)));

    private static AdjustmentDecision Adjust(PlanState plan, HistoryBuilder history, params Finding[] open) =>
        WeeklyAdjustment.Decide(plan, history.Build(), open, SquadSettings.Default, NextMonday);

    private static IEnumerable<PlannedSession> Runs(AdjustmentDecision decision) =>
        decision.NextWeek.Sessions.Where(s => SessionTypes.IsRun(s.Type));

    [Fact]
    public void ProgressAddsAtMostTenPercent()
    {
        var decision = Adjust(Building, DidLastWeek());

        Assert.Equal(AdjustmentOutcome.Progress, decision.Outcome);
        Assert.Equal([PlanRuleIds.Progress], decision.RuleIds);
        Assert.Equal(
            new[] { ("20250324-1", 8_800), ("20250324-2", 8_800), ("20250324-3", 15_400) },
            Runs(decision).Select(s => (s.SessionId, s.DistanceMeters ?? 0)));
        Assert.Equal(33_000, RunDistance(decision.NextWeek));
        Assert.Equal([NextMonday.AddDays(1), NextMonday.AddDays(3), NextMonday.AddDays(5)], Runs(decision).Select(s => s.Date));
        Assert.Null(decision.ReturnToRun);
    }

    [Fact]
    public void ProgressNeverTakesTheLongRunPastTenPercentOverThe30DayLongest()
    {
        var history = new HistoryBuilder(Sunday);
        history.Run(LastMonday.AddDays(1), 8);
        history.Run(LastMonday.AddDays(3), 8, WorkoutType.Intervals);
        history.Run(LastMonday.AddDays(5), 12, WorkoutType.LongRun);
        history.Run(LastMonday.AddDays(6), 2);

        var decision = Adjust(Building, history);

        Assert.Equal(AdjustmentOutcome.Progress, decision.Outcome);
        Assert.Equal(13_200, Runs(decision).Max(s => s.DistanceMeters));
    }

    [Fact]
    public void ProgressKeepsACoachsPrePlannedWeekWhenItIsWithinTheCap()
    {
        var preplanned = StandardWeek(NextMonday, "next");
        var decision = Adjust(StateOf(Started, Planned(StandardWeek(LastMonday)), Planned(preplanned)), DidLastWeek());
        Assert.Equal(AdjustmentOutcome.Progress, decision.Outcome);
        Assert.Equal(EventJson.Of(preplanned), EventJson.Of(decision.NextWeek));
    }

    [Fact]
    public void ProgressCapsAPrePlannedWeekThatGrowsTooFast()
    {
        var tooBig = new PlannedWeek(NextMonday, [Session("big", NextMonday.AddDays(2), SessionType.Easy, 15_000), Session("bigger", NextMonday.AddDays(5), SessionType.LongRun, 25_000)]);
        var decision = Adjust(StateOf(Started, Planned(StandardWeek(LastMonday)), Planned(tooBig)), DidLastWeek());
        Assert.True(RunDistance(decision.NextWeek) <= 33_000);
        Assert.True(Runs(decision).All(s => s.DistanceMeters <= 15_400));
    }

    [Fact]
    public void LowComplianceHolds()
    {
        var history = new HistoryBuilder(Sunday);
        history.Run(LastMonday.AddDays(1), 8);
        history.Run(LastMonday.AddDays(5), 14, WorkoutType.LongRun);

        var decision = Adjust(Building, history);

        Assert.Equal(AdjustmentOutcome.Hold, decision.Outcome);
        Assert.Equal([PlanRuleIds.LowCompliance], decision.RuleIds);
        Assert.Equal(30_000, RunDistance(decision.NextWeek));
    }

    [Fact]
    public void ModeratePainHoldsWithoutNewIntensity()
    {
        var history = DidLastWeek();
        history.Report(LastMonday.AddDays(5), 4, worst: 5);
        var preplanned = new PlannedWeek(NextMonday,
        [
            Session("a", NextMonday.AddDays(1), SessionType.Hills, 8_000),
            Session("b", NextMonday.AddDays(3), SessionType.Intervals, 8_000),
            Session("c", NextMonday.AddDays(5), SessionType.LongRun, 14_000),
        ]);

        var decision = Adjust(StateOf(Started, Planned(StandardWeek(LastMonday)), Planned(preplanned)), history);

        Assert.Equal(AdjustmentOutcome.Hold, decision.Outcome);
        Assert.Equal([PlanRuleIds.ModeratePain], decision.RuleIds);
        Assert.Equal(30_000, RunDistance(decision.NextWeek));
        Assert.Equal([SessionType.Easy, SessionType.Intervals, SessionType.LongRun], Runs(decision).Select(s => s.Type));
    }

    [Theory]
    [InlineData(RuleIds.PainHigh, Severity.Warning, AdjustmentOutcome.Deload)]
    [InlineData(RuleIds.NoRest, Severity.Watch, AdjustmentOutcome.Hold)]
    [InlineData(RuleIds.PainOk, Severity.Info, AdjustmentOutcome.Progress)]
    public void TheReasonStatesTheRealChangeInDistance(string ruleId, Severity severity, AdjustmentOutcome outcome)
    {
        var history = DidLastWeek().Build();
        var decision = WeeklyAdjustment.Decide(Building, history, [FindingOf(ruleId, severity)], SquadSettings.Default, NextMonday);
        Assert.Equal(outcome, decision.Outcome);
        var after = WeekVolume.DistanceMeters(decision.NextWeek);
        var expected = $"running {new Distance(30_000).Format(Units.Kilometres)} to {new Distance(after).Format(Units.Kilometres)} (";
        Assert.Contains(decision.Reasons, r => r.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(decision.Reasons, r => r.Contains("about 30%", StringComparison.Ordinal));
    }

    [Fact]
    public void AContextWatchIsExplainedButDoesNotHoldProgress()
    {
        var decision = Adjust(Building, DidLastWeek(), FindingOf(RuleIds.ShoeWear, Severity.Watch), FindingOf(RuleIds.Sleep, Severity.Watch));
        Assert.Equal(AdjustmentOutcome.Progress, decision.Outcome);
        Assert.DoesNotContain(RuleIds.ShoeWear, decision.RuleIds);
        Assert.Contains(decision.Reasons, r => r.StartsWith("CX-SHOE (context, does not hold progress)", StringComparison.Ordinal));
        Assert.Contains(decision.Reasons, r => r.StartsWith("CX-SLEEP (context, does not hold progress)", StringComparison.Ordinal));
    }

    [Fact]
    public void OnlyLoadRulesHoldProgress()
    {
        Assert.All(ClinicalRules.All.Where(r => r.Id.StartsWith("LD-", StringComparison.Ordinal)), r => Assert.True(ClinicalRules.HoldsProgress(r.Id), r.Id));
        Assert.All(ClinicalRules.All.Where(r => !r.Id.StartsWith("LD-", StringComparison.Ordinal)), r => Assert.False(ClinicalRules.HoldsProgress(r.Id), r.Id));
    }

    [Fact]
    public void AWatchFindingHolds()
    {
        var decision = Adjust(Building, DidLastWeek(), FindingOf(RuleIds.NoRest, Severity.Watch), FindingOf(RuleIds.PainOk, Severity.Info));
        Assert.Equal(AdjustmentOutcome.Hold, decision.Outcome);
        Assert.Equal([RuleIds.NoRest], decision.RuleIds);
        Assert.Equal(30_000, RunDistance(decision.NextWeek));
    }

    [Fact]
    public void InfoFindingsDoNotBlockProgress()
    {
        var decision = Adjust(Building, DidLastWeek(), FindingOf(RuleIds.PainOk, Severity.Info), FindingOf(RuleIds.Monotony, Severity.Info));
        Assert.Equal(AdjustmentOutcome.Progress, decision.Outcome);
        Assert.Equal([PlanRuleIds.Progress, RuleIds.PainOk], decision.RuleIds);
    }

    [Fact]
    public void AWarningFindingDeloads()
    {
        var decision = Adjust(Building, DidLastWeek(), FindingOf(RuleIds.PainNextDay, Severity.Warning));

        Assert.Equal(AdjustmentOutcome.Deload, decision.Outcome);
        Assert.Equal([RuleIds.PainNextDay], decision.RuleIds);
        Assert.Equal(21_000, RunDistance(decision.NextWeek));
        Assert.DoesNotContain(decision.NextWeek.Sessions, s => s.Type is SessionType.Intervals or SessionType.Hills);
        var strength = Assert.Single(decision.NextWeek.Sessions, s => s.Type == SessionType.Strength);
        Assert.Equal(["glute bridges", "dead bugs", "side planks", "bird dogs"], strength.Exercises);
        var mobility = Assert.Single(decision.NextWeek.Sessions, s => s.Type == SessionType.Mobility);
        Assert.Equal(["leg swings", "butt kicks", "hip CARs", "figure-4 stretch"], mobility.Exercises);
        Assert.Equal(NextMonday.AddDays(2), strength.Date);
        Assert.Equal(NextMonday, mobility.Date);
    }

    [Fact]
    public void ADeloadAfterADeloadStillHasOneStrengthAndOneMobilitySessionOnDaysOfTheirOwn()
    {
        // Last week was itself a deload: its strength and mobility sessions are in the template this week starts from.
        var deloaded = StandardWeek(LastMonday);
        var lastWeek = new PlannedWeek(LastMonday,
        [
            .. deloaded.Sessions,
            SessionLibrary.Mobility("m-1", LastMonday),
            SessionLibrary.Mobility("m-2", LastMonday),
            SessionLibrary.Strength("s-1", LastMonday.AddDays(2)),
        ]);

        var decision = Adjust(StateOf(Started, Planned(lastWeek)), DidLastWeek(), FindingOf(RuleIds.PainNextDay, Severity.Warning));

        Assert.Equal(AdjustmentOutcome.Deload, decision.Outcome);
        Assert.Single(decision.NextWeek.Sessions, s => s.Type == SessionType.Strength);
        Assert.Single(decision.NextWeek.Sessions, s => s.Type == SessionType.Mobility);
        // As a coach would write it: no day holds two sessions of one kind.
        Assert.All(decision.NextWeek.Sessions.GroupBy(s => (s.Date, s.Type)), g => Assert.Single(g));
    }

    [Fact]
    public void ADeloadNeverPutsItsStrengthOnTheDayOfTheCoachsOwnWhenEveryDayIsTaken()
    {
        // A run every day, and the coach's own strength session on Wednesday (an edit: automation keeps it).
        var everyDay = new PlannedWeek(NextMonday, [.. Enumerable.Range(0, 7).Select(d => Session($"run-{d}", NextMonday.AddDays(d), SessionType.Easy, 4_000))]);
        var mine = SessionLibrary.Strength("mine", NextMonday.AddDays(2));
        var plan = StateOf(Started, Planned(StandardWeek(LastMonday)), Planned(everyDay), new SessionEdited(NextMonday, mine, CoachId, Clock.At(Sunday, 9)));

        var decision = Adjust(plan, DidLastWeek(), FindingOf(RuleIds.PainNextDay, Severity.Warning));

        Assert.Equal(AdjustmentOutcome.Deload, decision.Outcome);
        Assert.Contains(decision.NextWeek.Sessions, s => s.SessionId == "mine");
        Assert.Equal(2, decision.NextWeek.Sessions.Count(s => s.Type == SessionType.Strength));
        Assert.All(decision.NextWeek.Sessions.GroupBy(s => (s.Date, s.Type)), g => Assert.Single(g));
    }

    [Fact]
    public void PainAboveFiveDeloadsEvenWithoutAnOpenFinding()
    {
        var history = DidLastWeek();
        history.Report(LastMonday.AddDays(3), 6);
        var decision = Adjust(Building, history);
        Assert.Equal(AdjustmentOutcome.Deload, decision.Outcome);
        Assert.Equal([RuleIds.PainHigh], decision.RuleIds);
    }

    [Theory]
    [InlineData(4, AdjustmentOutcome.Deload)]
    [InlineData(5, AdjustmentOutcome.Progress)]
    public void EveryNthBuildWeekIsADeload(int every, AdjustmentOutcome expected)
    {
        var longPlan = StateOf(Started with { StartDate = NextMonday.AddDays(-28) }, Planned(StandardWeek(LastMonday)));
        var decision = WeeklyAdjustment.Decide(longPlan, DidLastWeek().Build(), [], SquadSettings.Default with { DeloadEveryBuildWeeks = every }, NextMonday);
        Assert.Equal(expected, decision.Outcome);
        if (expected == AdjustmentOutcome.Deload)
        {
            Assert.Equal([PlanRuleIds.DeloadCycle], decision.RuleIds);
        }
    }

    [Fact]
    public void BuildWeeksCountFromTheLastDeload()
    {
        var deloaded = StateOf(
            Started with { StartDate = NextMonday.AddDays(-70) },
            new WeekAdjusted(NextMonday.AddDays(-21), AdjustmentOutcome.Deload, [PlanRuleIds.DeloadCycle], [], null, new PlannedWeek(NextMonday.AddDays(-21), []), null, Clock.Now));
        Assert.Equal(2, WeeklyAdjustment.BuildWeeks(deloaded, NextMonday));
        Assert.Equal(10, WeeklyAdjustment.BuildWeeks(StateOf(Started with { StartDate = NextMonday.AddDays(-70) }), NextMonday));
    }

    [Theory]
    [InlineData(Severity.Urgent)]
    [InlineData(Severity.Emergency)]
    public void AnOpenUrgentOrEmergencyFindingPauses(Severity severity)
    {
        var decision = Adjust(Building, DidLastWeek(), FindingOf(RuleIds.PainHigh, Severity.Warning), FindingOf(RuleIds.Night, severity));

        Assert.Equal(AdjustmentOutcome.Pause, decision.Outcome);
        Assert.Equal([RuleIds.Night], decision.RuleIds);
        Assert.Empty(Runs(decision));
        var cross = decision.NextWeek.Sessions.Where(s => s.Type == SessionType.CrossTraining).ToList();
        Assert.Equal(3, cross.Count);
        Assert.Equal(["swimming", "cycling", "elliptical"], cross.Select(s => s.Exercises.Single()));
        Assert.All(cross, s => Assert.Equal(SessionLibrary.PauseNote, s.Notes));
    }

    [Fact]
    public void APauseStaysUntilClearanceIsRecorded()
    {
        var paused = StateOf(
            Started,
            new WeekAdjusted(LastMonday, AdjustmentOutcome.Pause, [RuleIds.Night], [], null, new PlannedWeek(LastMonday, []), null, Clock.Now));
        var decision = Adjust(paused, new HistoryBuilder(Sunday));
        Assert.Equal(AdjustmentOutcome.Pause, decision.Outcome);
        Assert.Equal([PlanRuleIds.AwaitingClearance, RuleIds.Night], decision.RuleIds);
        Assert.Empty(Runs(decision));
    }

    [Fact]
    public void ClearanceStartsAWalkRunReturn()
    {
        var paused = StateOf(
            Started,
            new WeekAdjusted(LastMonday, AdjustmentOutcome.Pause, [RuleIds.Night], [], null, new PlannedWeek(LastMonday, []), null, Clock.Now));
        var clearedAt = Clock.At(LastMonday.AddDays(4), 16);
        var decision = Adjust(paused, new HistoryBuilder(Sunday).Clearance(clearedAt));

        Assert.Equal(AdjustmentOutcome.ReturnToRun, decision.Outcome);
        Assert.Equal([PlanRuleIds.Cleared], decision.RuleIds);
        Assert.Equal(new ReturnToRunStep(ReturnToRunStepKind.Started, 0, 1, clearedAt), decision.ReturnToRun);
        var walkRuns = decision.NextWeek.Sessions.Where(s => s.Type == SessionType.WalkRun).ToList();
        Assert.Equal(2, walkRuns.Count);
        Assert.All(walkRuns, s =>
        {
            Assert.Equal(new WalkRunPattern(60, 120, 8), s.WalkRun);
            Assert.Contains("2-3% incline", s.Notes, StringComparison.Ordinal);
        });
        Assert.Contains(decision.NextWeek.Sessions, s => s.Type == SessionType.CrossTraining);
        Assert.Contains(decision.NextWeek.Sessions, s => s.Type == SessionType.Strength);
        Assert.Contains(decision.NextWeek.Sessions, s => s.Type == SessionType.Mobility);
    }

    private static PlanState Returning(int phase) => StateOf(
        Started,
        new WeekAdjusted(LastMonday, AdjustmentOutcome.ReturnToRun, [PlanRuleIds.Cleared], [], null, new PlannedWeek(LastMonday, []), null, Clock.Now),
        new ReturnToRunStarted(LastMonday, 1, Clock.At(LastMonday.AddDays(-3))),
        new ReturnToRunProgressed(LastMonday, 1, phase, false));

    private static readonly int[] WalkRunDays = [1, 3, 5];

    private static HistoryBuilder WalkRunsLastWeek(int count, int pain = 1)
    {
        var history = new HistoryBuilder(Sunday).Clearance(Clock.At(LastMonday.AddDays(-3)));
        foreach (var day in WalkRunDays.Take(count))
        {
            var run = history.Run(LastMonday.AddDays(day), 2.5, WorkoutType.WalkRun, minutes: 24);
            history.Report(LastMonday.AddDays(day), pain, run: run);
        }

        return history;
    }

    [Fact]
    public void APhaseDoneTwiceWithoutMorePainProgresses()
    {
        var decision = Adjust(Returning(1), WalkRunsLastWeek(2));
        Assert.Equal(AdjustmentOutcome.ReturnToRun, decision.Outcome);
        Assert.Equal(new ReturnToRunStep(ReturnToRunStepKind.Progressed, 1, 2, null), decision.ReturnToRun);
        Assert.All(decision.NextWeek.Sessions.Where(s => s.Type == SessionType.WalkRun), s => Assert.Equal(new WalkRunPattern(120, 120, 6), s.WalkRun));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void APhaseIsRepeatedWhenPainRose(int pain)
    {
        var history = WalkRunsLastWeek(2, pain);
        var decision = Adjust(Returning(3), history);
        Assert.Equal(new ReturnToRunStep(ReturnToRunStepKind.Repeated, 3, 3, null), decision.ReturnToRun);
        Assert.Contains(decision.Reasons, r => r.Contains("pain rose", StringComparison.Ordinal));
    }

    [Fact]
    public void PainThatStaysAtThreeIsNotARise()
    {
        var history = WalkRunsLastWeek(2, pain: 3);
        history.Report(LastMonday.AddDays(-3), 3);
        var decision = Adjust(Returning(3), history);
        Assert.Equal(new ReturnToRunStep(ReturnToRunStepKind.Progressed, 3, 4, null), decision.ReturnToRun);
    }

    [Fact]
    public void APhaseIsRepeatedWhenItWasNotDoneTwice()
    {
        var decision = Adjust(Returning(2), WalkRunsLastWeek(1));
        Assert.Equal(new ReturnToRunStep(ReturnToRunStepKind.Repeated, 2, 2, null), decision.ReturnToRun);
    }

    [Fact]
    public void TheLastPhaseDoneTwiceCompletesTheReturn()
    {
        var decision = Adjust(Returning(SessionLibrary.LastPhase), WalkRunsLastWeek(2));
        Assert.Equal(new ReturnToRunStep(ReturnToRunStepKind.Completed, 8, 8, null), decision.ReturnToRun);
        Assert.Equal(3, decision.NextWeek.Sessions.Count(s => s.Type == SessionType.Easy && s.DurationSeconds == 1800));
    }

    [Fact]
    public void AnUrgentFindingDuringTheReturnPausesAgain()
    {
        var decision = Adjust(Returning(4), WalkRunsLastWeek(2), FindingOf(RuleIds.Zingy, Severity.Urgent));
        Assert.Equal(AdjustmentOutcome.Pause, decision.Outcome);
    }

    [Fact]
    public void SessionsTheCoachEditedAreKeptExactly()
    {
        var edited = Session("next-thu", NextMonday.AddDays(3), SessionType.Tempo, 11_000) with { Notes = "Club tempo night" };
        var plan = StateOf(
            Started,
            Planned(StandardWeek(LastMonday)),
            Planned(StandardWeek(NextMonday, "next")),
            new SessionEdited(NextMonday, edited, CoachId, Clock.Now));

        var decision = Adjust(plan, DidLastWeek(), FindingOf(RuleIds.PainHigh, Severity.Warning));

        Assert.Equal(AdjustmentOutcome.Deload, decision.Outcome);
        Assert.Equal(EventJson.Of(edited), EventJson.Of(decision.NextWeek.Sessions.Single(s => s.SessionId == "next-thu")));
        Assert.True(RunDistance(decision.NextWeek) <= 21_000);
    }

    [Fact]
    public void DaysAlreadyPastAreNotRewritten()
    {
        var thisWeek = StandardWeek(LastMonday, "this");
        var plan = StateOf(Started, Planned(StandardWeek(LastMonday.AddDays(-7))), Planned(thisWeek));
        var wednesday = LastMonday.AddDays(2);
        var history = new HistoryBuilder(wednesday);
        var decision = WeeklyAdjustment.Decide(plan, history.Build(), [FindingOf(RuleIds.PainHigh, Severity.Warning)], SquadSettings.Default, LastMonday);

        Assert.Equal(EventJson.Of(thisWeek.Sessions[0]), EventJson.Of(decision.NextWeek.Sessions.Single(s => s.SessionId == "this-tue")));
        Assert.DoesNotContain(decision.NextWeek.Sessions, s => s.Date < wednesday && s.SessionId != "this-tue");
    }

    [Fact]
    public void WithNothingPlannedTheFirstWeekHoldsAtTheStartingVolume()
    {
        var decision = Adjust(StateOf(Started), new HistoryBuilder(Sunday));
        Assert.Equal(AdjustmentOutcome.Hold, decision.Outcome);
        Assert.Equal([PlanRuleIds.Baseline], decision.RuleIds);
        Assert.Equal(30_000, RunDistance(decision.NextWeek));
    }
}
