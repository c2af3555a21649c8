using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Tests.Support;
using CoachHub.Domain.Triage;

namespace CoachHub.Domain.Tests;

/// <summary>One written history per rule, with the findings it must (and must not) produce. Today is Wednesday 19 March 2025.</summary>
public sealed class TriageScenarioTests
{
    private static IReadOnlyList<Finding> Evaluate(string ruleId, HistoryBuilder history) =>
        ClinicalRules.All.Single(r => r.Id == ruleId).Evaluate(history.Build());

    private static Finding Single(string ruleId, HistoryBuilder history) => Assert.Single(Evaluate(ruleId, history));

    private static void None(string ruleId, HistoryBuilder history) => Assert.Empty(Evaluate(ruleId, history));

    [Fact]
    public void TheCatalogHoldsExactlyTheRuleIdsOfClinicalRules()
    {
        string[] expected =
        [
            "RF-SADDLE", "RF-BLADDER", "RF-BOTHLEGS", "RF-WEAKNESS", "RF-FEVER", "RF-NIGHT", "RF-WEIGHT", "RF-TRAUMA", "RF-RADIATING", "RF-ZINGY",
            "PM-OK", "PM-HIGH", "PM-NEXTDAY", "PM-PERSIST",
            "LD-SPIKE", "LD-WEEK", "LD-INTENSITY", "LD-ACWR", "LD-MONOTONY", "LD-NOREST",
            "CX-SHOE", "CX-SURFACE", "CX-SLEEP", "CX-STRESS", "CX-FEAR", "CX-SITTING", "CX-PATTERN",
        ];
        Assert.Equal(expected, ClinicalRules.All.Select(r => r.Id));
        Assert.All(ClinicalRules.All, r => Assert.False(string.IsNullOrWhiteSpace(r.Source)));
    }

    // ---- Red flags ----------------------------------------------------------------------------------------------

    private static RedFlagAnswers Flag(string ruleId) => ruleId switch
    {
        "RF-SADDLE" => new RedFlagAnswers(SaddleNumbness: true),
        "RF-BLADDER" => new RedFlagAnswers(BladderOrBowelChange: true),
        "RF-BOTHLEGS" => new RedFlagAnswers(BothLegsNumbOrWeak: true),
        "RF-WEAKNESS" => new RedFlagAnswers(LegWeakness: true),
        "RF-FEVER" => new RedFlagAnswers(FeverOrUnwell: true),
        "RF-NIGHT" => new RedFlagAnswers(WorseAtNight: true),
        "RF-WEIGHT" => new RedFlagAnswers(UnexplainedWeightLoss: true),
        "RF-TRAUMA" => new RedFlagAnswers(AfterFallOrImpact: true),
        _ => throw new ArgumentOutOfRangeException(nameof(ruleId)),
    };

    [Theory]
    [InlineData("RF-SADDLE", Severity.Emergency)]
    [InlineData("RF-BLADDER", Severity.Emergency)]
    [InlineData("RF-BOTHLEGS", Severity.Emergency)]
    [InlineData("RF-WEAKNESS", Severity.Urgent)]
    [InlineData("RF-FEVER", Severity.Urgent)]
    [InlineData("RF-NIGHT", Severity.Urgent)]
    [InlineData("RF-WEIGHT", Severity.Urgent)]
    [InlineData("RF-TRAUMA", Severity.Urgent)]
    public void EachRedFlagAnswerRaisesItsOwnRuleOnly(string ruleId, Severity severity)
    {
        var history = new HistoryBuilder();
        var report = history.Report(history.Today, 2, flags: Flag(ruleId));

        var findings = ClinicalRules.EvaluateAll(history.Build()).Where(f => f.RuleId.StartsWith("RF-", StringComparison.Ordinal)).ToList();

        var finding = Assert.Single(findings);
        Assert.Equal(ruleId, finding.RuleId);
        Assert.Equal(severity, finding.Severity);
        Assert.Equal([report], finding.Evidence.PainReportIds);
        Assert.Equal($"{ruleId}:report:{report}", finding.FindingId);
    }

    [Fact]
    public void AReportWithNoRedFlagsRaisesNone()
    {
        var history = new HistoryBuilder();
        history.Report(history.Today, 8, description: new PainDescription(Character: PainCharacter.Sharp, SpreadsTo: PainSpread.Buttock));
        Assert.DoesNotContain(ClinicalRules.EvaluateAll(history.Build()), f => f.Severity >= Severity.Urgent);
    }

    [Fact]
    public void RedFlagsReportedBeforeTheLatestClearanceAreCoveredByIt()
    {
        var history = new HistoryBuilder();
        history.Report(history.DaysAgo(5), 3, flags: Flag("RF-NIGHT"));
        history.Clearance(Clock.At(history.DaysAgo(2), 12));
        None("RF-NIGHT", history);

        history.Report(history.Today, 3, flags: Flag("RF-NIGHT"));
        Single("RF-NIGHT", history);
    }

    [Theory]
    [InlineData(PainCharacter.Sharp, PainSpread.Thigh, 7, true, false)]
    [InlineData(PainCharacter.ShootingOrZingy, PainSpread.BelowKnee, 9, true, false)]
    [InlineData(PainCharacter.Sharp, PainSpread.BelowKnee, 6, false, true)]
    [InlineData(PainCharacter.ShootingOrZingy, PainSpread.Thigh, 2, false, true)]
    [InlineData(PainCharacter.Sharp, PainSpread.Buttock, 9, false, false)]
    [InlineData(PainCharacter.DullAche, PainSpread.BelowKnee, 8, false, false)]
    [InlineData(PainCharacter.Stiffness, PainSpread.Thigh, 7, false, false)]
    public void PainDownTheLegIsRadiatingWhenSevereAndZingyOtherwise(PainCharacter character, PainSpread spread, int pain, bool radiating, bool zingy)
    {
        var history = new HistoryBuilder();
        history.Report(history.Today, pain, description: new PainDescription(SpreadsTo: spread, Character: character));
        Assert.Equal(radiating ? 1 : 0, RedFlagRules.Radiating(history.Build()).Count);
        Assert.Equal(zingy ? 1 : 0, RedFlagRules.Zingy(history.Build()).Count);
    }

    [Fact]
    public void SevereIsJudgedOnTheWorstPainDuringTheRunToo()
    {
        var history = new HistoryBuilder();
        var run = history.Run(history.Today, 8);
        history.Report(history.Today, 4, worst: 8, run: run, description: new PainDescription(SpreadsTo: PainSpread.Thigh, Character: PainCharacter.Sharp));
        var finding = Single("RF-RADIATING", history);
        Assert.Equal([run], finding.Evidence.RunIds);
    }

    [Fact]
    public void EveryUrgentOrEmergencyFindingAdvisesProfessionalCare()
    {
        var history = new HistoryBuilder();
        foreach (var id in new[] { "RF-SADDLE", "RF-BLADDER", "RF-BOTHLEGS", "RF-WEAKNESS", "RF-FEVER", "RF-NIGHT", "RF-WEIGHT", "RF-TRAUMA" })
        {
            history.Report(history.Today, 3, flags: Flag(id));
        }

        history.Report(history.Today, 8, description: new PainDescription(SpreadsTo: PainSpread.Thigh, Character: PainCharacter.Sharp));
        history.Report(history.Today, 3, description: new PainDescription(SpreadsTo: PainSpread.Thigh, Character: PainCharacter.Sharp));

        var serious = ClinicalRules.EvaluateAll(history.Build()).Where(f => f.Severity >= Severity.Urgent).ToList();
        Assert.Equal(10, serious.Select(f => f.RuleId).Distinct().Count());
        Assert.All(serious, f =>
        {
            Assert.True(AdvisesCare(f.AthleteMessage), $"{f.RuleId}: {f.AthleteMessage}");
            Assert.True(AdvisesCare(f.RecommendedAction), $"{f.RuleId}: {f.RecommendedAction}");
        });
        Assert.All(serious.Where(f => f.Severity == Severity.Emergency), f => Assert.Contains("emergency", f.RecommendedAction, StringComparison.Ordinal));
    }

    private static bool AdvisesCare(string text) =>
        text.Contains("healthcare professional", StringComparison.OrdinalIgnoreCase)
        || text.Contains("emergency medical", StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void TheDisclaimerSaysGuidanceNotMedicalAdvice()
    {
        Assert.Contains("not medical advice", Disclaimer.Text, StringComparison.Ordinal);
        Assert.Contains("emergency number", Disclaimer.Text, StringComparison.Ordinal);
    }

    // ---- Pain monitoring ----------------------------------------------------------------------------------------

    [Fact]
    public void PainOfThreeIsOkAndNotHigh()
    {
        var history = new HistoryBuilder();
        var run = history.Run(history.Today, 6);
        history.Report(history.Today, 3, worst: 3, run: run);
        Assert.Equal(Severity.Info, Single("PM-OK", history).Severity);
        None("PM-HIGH", history);
    }

    [Fact]
    public void PainOfFourIsNeitherOkNorHigh()
    {
        var history = new HistoryBuilder();
        history.Report(history.Today, 4);
        None("PM-OK", history);
        None("PM-HIGH", history);
    }

    [Fact]
    public void PainThatIsHigherNextMorningIsNotOk()
    {
        var history = new HistoryBuilder();
        var run = history.Run(history.DaysAgo(1), 6);
        history.Report(history.DaysAgo(1), 2, worst: 2, before: 1, run: run);
        history.Report(history.Today, 2, nextMorning: 3, run: run, hour: 7);
        None("PM-OK", history);
    }

    [Theory]
    [InlineData(5, false)]
    [InlineData(6, true)]
    public void PainAboveFiveDuringARunIsHigh(int worst, bool fires)
    {
        var history = new HistoryBuilder();
        var run = history.Run(history.Today, 6);
        history.Report(history.Today, 2, worst: worst, run: run);
        Assert.Equal(fires ? 1 : 0, Evaluate("PM-HIGH", history).Count);
        if (fires)
        {
            Assert.Equal(Severity.Warning, Single("PM-HIGH", history).Severity);
        }
    }

    [Fact]
    public void HighPainStopsHoldingOnceALaterReportIsLower()
    {
        var history = new HistoryBuilder();
        history.Report(history.DaysAgo(2), 7);
        Single("PM-HIGH", history);
        history.Report(history.Today, 2);
        None("PM-HIGH", history);
    }

    [Fact]
    public void HighPainAgesOutAfterAWeek()
    {
        var history = new HistoryBuilder();
        history.Report(history.DaysAgo(7), 7);
        None("PM-HIGH", history);
    }

    [Fact]
    public void NextMorningPainAboveThePainBeforeTheRunIsFlagged()
    {
        var history = new HistoryBuilder();
        var run = history.Run(history.DaysAgo(1), 8);
        history.Report(history.DaysAgo(1), 2, worst: 3, before: 1, run: run);
        history.Report(history.Today, 3, nextMorning: 3, run: run, hour: 7);
        var finding = Single("PM-NEXTDAY", history);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains(finding.Evidence.Values, v => v.Label == "pain before the run" && v.Value == 1);
    }

    [Fact]
    public void NextMorningPainNoHigherThanBeforeIsFine()
    {
        var history = new HistoryBuilder();
        var run = history.Run(history.DaysAgo(1), 8);
        history.Report(history.DaysAgo(1), 2, worst: 3, before: 2, run: run);
        history.Report(history.Today, 2, nextMorning: 2, run: run, hour: 7);
        None("PM-NEXTDAY", history);
    }

    [Fact]
    public void WithoutAStatedBaselineTheLastReportBeforeTheRunIsUsed()
    {
        var history = new HistoryBuilder();
        history.Report(history.DaysAgo(2), 3);
        var run = history.Run(history.DaysAgo(1), 8);
        history.Report(history.Today, 3, nextMorning: 3, run: run, hour: 7);
        None("PM-NEXTDAY", history);
    }

    [Fact]
    public void PainAfterThreeRunsInTwoWeeksIsPersistent()
    {
        var history = new HistoryBuilder();
        foreach (var daysAgo in new[] { 12, 8, 4 })
        {
            var run = history.Run(history.DaysAgo(daysAgo), 6);
            history.Report(history.DaysAgo(daysAgo), 3, run: run);
        }

        var finding = Single("PM-PERSIST", history);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(3, finding.Evidence.RunIds.Count);
        Assert.Contains("physical therapist", finding.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void PainAfterTwoRunsIsNotYetPersistent()
    {
        var history = new HistoryBuilder();
        foreach (var daysAgo in new[] { 8, 4 })
        {
            var run = history.Run(history.DaysAgo(daysAgo), 6);
            history.Report(history.DaysAgo(daysAgo), 2, run: run);
        }

        None("PM-PERSIST", history);
    }

    [Theory]
    [InlineData(16, true)]
    [InlineData(15, false)]
    public void PainReportsSpanningMoreThanFourteenDaysArePersistent(int firstDaysAgo, bool fires)
    {
        var history = new HistoryBuilder();
        history.Report(history.DaysAgo(firstDaysAgo), 3);
        history.Report(history.DaysAgo(9), 4);
        history.Report(history.DaysAgo(1), 3);
        Assert.Equal(fires ? 1 : 0, Evaluate("PM-PERSIST", history).Count);
    }

    [Fact]
    public void LowPainIsNotPersistentPainHoweverOftenItIsReported()
    {
        // Four reports of 1/10 after four runs: comfortable, fine to continue, and no physical therapist.
        var history = new HistoryBuilder();
        foreach (var daysAgo in new[] { 10, 7, 4, 1 })
        {
            var run = history.Run(history.DaysAgo(daysAgo), 6);
            history.Report(history.DaysAgo(daysAgo), 1, run: run);
        }

        None("PM-PERSIST", history);
        Single("PM-OK", history);
        Assert.DoesNotContain(ClinicalRules.EvaluateAll(history.Build()), f => f.Severity >= Severity.Warning);
    }

    [Fact]
    public void AReportBelowThreeEndsAPersistentEpisode()
    {
        var history = new HistoryBuilder();
        history.Report(history.DaysAgo(16), 4);
        history.Report(history.DaysAgo(9), 2);
        history.Report(history.DaysAgo(1), 4);
        None("PM-PERSIST", history);
    }

    [Fact]
    public void APainFreeReportEndsPersistence()
    {
        var history = new HistoryBuilder();
        history.Report(history.DaysAgo(16), 2);
        history.Report(history.DaysAgo(9), 3);
        history.Report(history.DaysAgo(1), 0);
        None("PM-PERSIST", history);
    }

    // ---- Load ---------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(11.0, null)]
    [InlineData(11.1, Severity.Watch)]
    [InlineData(13.0, Severity.Watch)]
    [InlineData(13.1, Severity.Warning)]
    public void ARunMoreThanTenPercentOverTheThirtyDayLongestIsASpike(double km, Severity? expected)
    {
        var history = new HistoryBuilder();
        history.Run(history.DaysAgo(10), 10);
        history.Run(history.DaysAgo(20), 8);
        var run = history.Run(history.DaysAgo(1), km);
        var findings = Evaluate("LD-SPIKE", history);
        if (expected is null)
        {
            Assert.Empty(findings);
            return;
        }

        var finding = Assert.Single(findings);
        Assert.Equal(expected, finding.Severity);
        Assert.Equal([run], finding.Evidence.RunIds);
        Assert.Contains(finding.Evidence.Values, v => v.Label == "longest run, previous 30 days" && v.Value == 10_000);
    }

    [Fact]
    public void ANewAthletesOrdinaryFirstWeekRaisesNoSpike()
    {
        // 6, 7, 6, 8 km in the first week: each run is compared with a run or two of days before, which is no baseline.
        var history = new HistoryBuilder();
        history.Run(history.DaysAgo(6), 6);
        history.Run(history.DaysAgo(4), 7);
        history.Run(history.DaysAgo(3), 6);
        history.Run(history.DaysAgo(1), 8);
        None("LD-SPIKE", history);
    }

    [Theory]
    [InlineData(new[] { 10 }, false)] // one earlier run
    [InlineData(new[] { 13, 10 }, false)] // two, but the earliest only 12 days before the run
    [InlineData(new[] { 15, 10 }, true)] // two, the earliest 14 days before the run
    public void ASpikeNeedsTwoEarlierRunsTheEarliestFourteenDaysBack(int[] earlierDaysAgo, bool fires)
    {
        var history = new HistoryBuilder();
        foreach (var daysAgo in earlierDaysAgo)
        {
            history.Run(history.DaysAgo(daysAgo), 10);
        }

        history.Run(history.DaysAgo(1), 14);
        Assert.Equal(fires ? 1 : 0, Evaluate("LD-SPIKE", history).Count);
    }

    /// <summary>Last week 4 + 6.5 km; this week 5 + 7.1 km, the long run as an automated Progress week prescribed it.</summary>
    private static (HistoryBuilder History, DateOnly Monday) LongRunExtended(Plans.PrescribedSession? prescribed, double longKm = 7.1)
    {
        var history = new HistoryBuilder(new DateOnly(2025, 3, 23));
        var monday = new DateOnly(2025, 3, 17);
        history.Run(monday.AddDays(-6), 4);
        history.Run(monday.AddDays(-2), 6.5, WorkoutType.LongRun);
        history.Run(monday.AddDays(1), 5);
        history.Run(monday.AddDays(5), longKm, WorkoutType.LongRun, prescribed: prescribed);
        return (history, monday);
    }

    [Fact]
    public void ALongerLongRunAddedBeyondThePlanIsNewIntensity() =>
        Single("LD-INTENSITY", LongRunExtended(null).History);

    [Fact]
    public void ALongRunThePlanPrescribedIsNotAddedIntensity() =>
        None("LD-INTENSITY", LongRunExtended(new Plans.PrescribedSession("20250317-3", Plans.SessionType.LongRun, 7_100, null)).History);

    [Fact]
    public void ARunWellBeyondWhatThePlanPrescribedIsStillAdded() =>
        Single("LD-INTENSITY", LongRunExtended(new Plans.PrescribedSession("20250317-3", Plans.SessionType.LongRun, 7_100, null), longKm: 8.0).History);

    [Fact]
    public void IntervalsThePlanPrescribedAreNotAddedButIntervalsInsteadOfAnEasyRunAre()
    {
        var history = new HistoryBuilder(new DateOnly(2025, 3, 23));
        var monday = new DateOnly(2025, 3, 17);
        history.Run(monday.AddDays(-6), 5);
        history.Run(monday.AddDays(-2), 5);
        history.Run(monday.AddDays(1), 6);
        history.Run(monday.AddDays(3), 6, WorkoutType.Intervals, prescribed: new Plans.PrescribedSession("thu", Plans.SessionType.Intervals, 6_000, null));
        None("LD-INTENSITY", history);

        history.Run(monday.AddDays(5), 5, WorkoutType.Hills, prescribed: new Plans.PrescribedSession("sat", Plans.SessionType.Easy, 5_000, null));
        Single("LD-INTENSITY", history);
    }

    [Fact]
    public void ARunWithNothingInThePrevious30DaysHasNoBaseline()
    {
        var history = new HistoryBuilder();
        history.Run(history.DaysAgo(32), 5);
        history.Run(history.DaysAgo(1), 15);
        None("LD-SPIKE", history);
    }

    [Fact]
    public void ASpikeIsNoLongerTrueAfterAWeek()
    {
        var history = new HistoryBuilder();
        history.Run(history.DaysAgo(15), 10);
        history.Run(history.DaysAgo(7), 15);
        None("LD-SPIKE", history);
    }

    [Theory]
    [InlineData(26.0, false)]
    [InlineData(26.1, true)]
    public void WeeklyDistanceMoreThanThirtyPercentAboveLastWeekIsFlagged(double thisWeekKm, bool fires)
    {
        var history = new HistoryBuilder();
        history.Run(new DateOnly(2025, 3, 11), 10);
        history.Run(new DateOnly(2025, 3, 13), 10);
        history.Run(new DateOnly(2025, 3, 17), 13);
        history.Run(new DateOnly(2025, 3, 18), thisWeekKm - 13);
        var findings = Evaluate("LD-WEEK", history);
        Assert.Equal(fires ? 1 : 0, findings.Count);
        if (fires)
        {
            Assert.Equal("week:2025-03-17", findings[0].EvidenceKey);
            Assert.Equal(Severity.Watch, findings[0].Severity);
        }
    }

    [Fact]
    public void AFirstWeekHasNothingToCompareWith()
    {
        var history = new HistoryBuilder();
        history.Run(new DateOnly(2025, 3, 17), 30);
        None("LD-WEEK", history);
    }

    [Fact]
    public void IntervalsAddedInAWeekWhoseVolumeRoseAreFlagged()
    {
        var history = new HistoryBuilder();
        history.Run(new DateOnly(2025, 3, 11), 10);
        history.Run(new DateOnly(2025, 3, 13), 10);
        history.Run(new DateOnly(2025, 3, 17), 10);
        var intervals = history.Run(new DateOnly(2025, 3, 18), 12, WorkoutType.Intervals);
        var finding = Single("LD-INTENSITY", history);
        Assert.Equal([intervals], finding.Evidence.RunIds);
    }

    [Fact]
    public void IntervalsInAWeekWhoseVolumeDidNotRiseAreNotFlagged()
    {
        var history = new HistoryBuilder();
        history.Run(new DateOnly(2025, 3, 11), 10);
        history.Run(new DateOnly(2025, 3, 13), 10);
        history.Run(new DateOnly(2025, 3, 17), 10);
        history.Run(new DateOnly(2025, 3, 18), 10, WorkoutType.Intervals);
        None("LD-INTENSITY", history);
    }

    [Fact]
    public void IntervalsAlreadyInLastWeekAreNotNew()
    {
        var history = new HistoryBuilder();
        history.Run(new DateOnly(2025, 3, 11), 10, WorkoutType.Intervals);
        history.Run(new DateOnly(2025, 3, 13), 10);
        history.Run(new DateOnly(2025, 3, 17), 10);
        history.Run(new DateOnly(2025, 3, 18), 12, WorkoutType.Intervals);
        None("LD-INTENSITY", history);
    }

    [Fact]
    public void ALongerLongRunInAWeekWhoseVolumeRoseIsFlagged()
    {
        var history = new HistoryBuilder();
        history.Run(new DateOnly(2025, 3, 11), 8);
        history.Run(new DateOnly(2025, 3, 15), 12, WorkoutType.LongRun);
        history.Run(new DateOnly(2025, 3, 17), 8);
        var longer = history.Run(new DateOnly(2025, 3, 18), 14, WorkoutType.LongRun);
        Assert.Equal([longer], Single("LD-INTENSITY", history).Evidence.RunIds);
    }

    [Fact]
    public void SteadyLoadGivesNoAcwrFinding()
    {
        var history = new HistoryBuilder();
        for (var d = 40; d >= 0; d--)
        {
            history.Run(history.DaysAgo(d), 5, minutes: 30, rpe: 4);
        }

        None("LD-ACWR", history);
    }

    [Fact]
    public void AJumpInLoadGivesAnInformationalAcwrFinding()
    {
        var history = new HistoryBuilder();
        for (var d = 40; d >= 7; d--)
        {
            history.Run(history.DaysAgo(d), 5, minutes: 30, rpe: 4);
        }

        for (var d = 6; d >= 0; d--)
        {
            history.Run(history.DaysAgo(d), 15, minutes: 90, rpe: 7);
        }

        var finding = Single("LD-ACWR", history);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Contains(finding.Evidence.Values, v => v.Label == "ratio" && v.Value > 1.3);
    }

    [Fact]
    public void LessThanFourWeeksOfHistoryGivesNoAcwrFinding()
    {
        var history = new HistoryBuilder();
        for (var d = 20; d >= 7; d--)
        {
            history.Run(history.DaysAgo(d), 5, minutes: 30, rpe: 4);
        }

        for (var d = 6; d >= 0; d--)
        {
            history.Run(history.DaysAgo(d), 15, minutes: 90, rpe: 7);
        }

        None("LD-ACWR", history);
    }

    [Fact]
    public void SameLoadSixDaysOutOfSevenIsMonotonous()
    {
        var history = new HistoryBuilder();
        foreach (var d in new[] { 6, 5, 4, 2, 1, 0 })
        {
            history.Run(history.DaysAgo(d), 10, minutes: 60, rpe: 5);
        }

        var finding = Single("LD-MONOTONY", history);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Contains(finding.Evidence.Values, v => v.Label == "monotony" && Math.Abs(v.Value - 2.45) < 0.01);
    }

    [Fact]
    public void AlternatingDaysAreNotMonotonous()
    {
        var history = new HistoryBuilder();
        foreach (var d in new[] { 6, 4, 2, 0 })
        {
            history.Run(history.DaysAgo(d), 10, minutes: 60, rpe: 5);
        }

        None("LD-MONOTONY", history);
    }

    [Fact]
    public void SevenRunningDaysInARowMeanNoRest()
    {
        var history = new HistoryBuilder();
        for (var d = 7; d >= 1; d--)
        {
            history.Run(history.DaysAgo(d), 5);
        }

        var finding = Single("LD-NOREST", history);
        Assert.Equal(Severity.Watch, finding.Severity);
        Assert.Equal("streak:2025-03-12", finding.EvidenceKey);
    }

    [Fact]
    public void SixRunningDaysInARowAreFine()
    {
        var history = new HistoryBuilder();
        for (var d = 6; d >= 1; d--)
        {
            history.Run(history.DaysAgo(d), 5);
        }

        None("LD-NOREST", history);
    }

    [Fact]
    public void ARestDayBreaksTheStreak()
    {
        var history = new HistoryBuilder();
        foreach (var d in new[] { 8, 7, 6, 5, 3, 2, 1 })
        {
            history.Run(history.DaysAgo(d), 5);
        }

        None("LD-NOREST", history);
    }

    [Fact]
    public void AStreakThatEndedTwoDaysAgoIsOver()
    {
        var history = new HistoryBuilder();
        for (var d = 9; d >= 2; d--)
        {
            history.Run(history.DaysAgo(d), 5);
        }

        None("LD-NOREST", history);
    }

    // ---- Context ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(470, 10, null)]
    [InlineData(470, 11, "check")]
    [InlineData(790, 10, "check")]
    [InlineData(790, 11, "replace")]
    public void ShoesAreCheckedPast480KmAndReplacedPast800Km(double startingKm, double runKm, string? expected)
    {
        var history = new HistoryBuilder();
        var shoe = history.Shoe("Pegasus", startingKm);
        history.Run(history.DaysAgo(1), runKm, shoe: shoe);
        var findings = Evaluate("CX-SHOE", history);
        if (expected is null)
        {
            Assert.Empty(findings);
            return;
        }

        var finding = Assert.Single(findings);
        Assert.Equal($"shoe:{shoe}:{expected}", finding.EvidenceKey);
        Assert.Equal([shoe], finding.Evidence.ShoeIds);
    }

    [Fact]
    public void RetiredShoesAreIgnored()
    {
        var history = new HistoryBuilder();
        history.Shoe("Old pair", 900, retired: true);
        None("CX-SHOE", history);
    }

    [Fact]
    public void AlmostAllRunningOnRoadSuggestsRotatingTerrain()
    {
        var history = new HistoryBuilder();
        foreach (var d in new[] { 20, 13, 6, 1 })
        {
            history.Run(history.DaysAgo(d), 5);
        }

        history.Run(history.DaysAgo(3), 5, surface: Surface.Trail);
        var finding = Single("CX-SURFACE", history);
        Assert.Contains(finding.Evidence.Values, v => v.Value == 80);
    }

    [Fact]
    public void ThreeQuartersOnRoadIsFine()
    {
        var history = new HistoryBuilder();
        foreach (var d in new[] { 13, 6, 1 })
        {
            history.Run(history.DaysAgo(d), 5);
        }

        history.Run(history.DaysAgo(3), 5, surface: Surface.Grass);
        None("CX-SURFACE", history);
    }

    [Fact]
    public void TooFewRunsSayNothingAboutSurfaces()
    {
        var history = new HistoryBuilder();
        foreach (var d in new[] { 13, 6, 1 })
        {
            history.Run(history.DaysAgo(d), 5);
        }

        None("CX-SURFACE", history);
    }

    [Theory]
    [InlineData(new[] { 6.0, 8, 6, 8, 6 }, true)]
    [InlineData(new[] { 6.0, 8, 6, 8, 8 }, false)]
    [InlineData(new[] { 7.0, 7, 7, 7 }, false)]
    [InlineData(new[] { 6.0, 6, 6, 8, 8, 8, 8, 8, 8 }, false)]
    public void ShortSleepOnThreeOfTheLastSevenReportsIsFlagged(double[] sleep, bool fires)
    {
        var history = new HistoryBuilder();
        for (var i = 0; i < sleep.Length; i++)
        {
            history.Report(history.DaysAgo(sleep.Length - i), 1, context: new RecoveryContext(SleepHours: sleep[i]));
        }

        Assert.Equal(fires ? 1 : 0, Evaluate("CX-SLEEP", history).Count);
    }

    [Theory]
    [InlineData(new[] { 4, 3, 5 }, true)]
    [InlineData(new[] { 4, 3, 3 }, false)]
    [InlineData(new[] { 5, 5, 2, 2, 2 }, false)]
    public void HighStressOnTwoOfTheLastThreeReportsIsFlagged(int[] stress, bool fires)
    {
        var history = new HistoryBuilder();
        for (var i = 0; i < stress.Length; i++)
        {
            history.Report(history.DaysAgo(stress.Length - i), 1, context: new RecoveryContext(Stress: stress[i]));
        }

        Assert.Equal(fires ? 1 : 0, Evaluate("CX-STRESS", history).Count);
    }

    [Theory]
    [InlineData(7, true)]
    [InlineData(6, false)]
    public void StrongFearThatRunningHarmsTheBackPromptsTheCoach(int fear, bool fires)
    {
        var history = new HistoryBuilder();
        history.Report(history.Today, 2, context: new RecoveryContext(FearOfHarm: fear));
        var findings = Evaluate("CX-FEAR", history);
        Assert.Equal(fires ? 1 : 0, findings.Count);
        if (fires)
        {
            Assert.Contains("avoid total rest", findings[0].RecommendedAction, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(2, 8.0, true, true)]
    [InlineData(2, 7.5, true, false)]
    [InlineData(0, 9.0, true, false)]
    [InlineData(3, 9.0, false, false)]
    public void LongSittingOnTheDayOfAPainfulRunSuggestsMobility(int pain, double sitting, bool forRun, bool fires)
    {
        var history = new HistoryBuilder();
        var run = history.Run(history.Today, 6);
        history.Report(history.Today, pain, run: forRun ? run : null, context: new RecoveryContext(SittingHours: sitting));
        Assert.Equal(fires ? 1 : 0, Evaluate("CX-SITTING", history).Count);
    }

    [Fact]
    public void PainMostlyAfterTrailRunsIsAPattern()
    {
        var history = new HistoryBuilder();
        foreach (var d in new[] { 30, 20, 10 })
        {
            var trail = history.Run(history.DaysAgo(d), 8, surface: Surface.Trail);
            history.Report(history.DaysAgo(d), 3, run: trail);
            history.Run(history.DaysAgo(d - 3), 8);
        }

        var finding = Single("CX-PATTERN", history);
        Assert.Equal("surface:Trail", finding.EvidenceKey);
        Assert.Equal(3, finding.Evidence.RunIds.Count);
    }

    [Fact]
    public void PainSpreadEvenlyIsNoPattern()
    {
        var history = new HistoryBuilder();
        foreach (var d in new[] { 40, 30, 20, 10 })
        {
            var trail = history.Run(history.DaysAgo(d), 8, surface: Surface.Trail);
            if (d != 40)
            {
                history.Report(history.DaysAgo(d), 3, run: trail);
            }
        }

        foreach (var d in new[] { 35, 25, 15 })
        {
            var road = history.Run(history.DaysAgo(d), 8);
            if (d != 35)
            {
                history.Report(history.DaysAgo(d), 3, run: road);
            }
        }

        None("CX-PATTERN", history);
    }

    // ---- Engine -------------------------------------------------------------------------------------------------

    [Fact]
    public void AFindingIsRaisedOncePerEvidence()
    {
        var history = new HistoryBuilder();
        history.Report(history.Today, 3, flags: Flag("RF-FEVER"));
        var built = history.Build();

        var first = TriageEngine.Evaluate(built, []);
        var fever = Assert.Single(first.Raise, f => f.RuleId == "RF-FEVER");

        Assert.DoesNotContain(TriageEngine.Evaluate(built, [fever]).Raise, f => f.FindingId == fever.FindingId);
        Assert.DoesNotContain(TriageEngine.Evaluate(built, [], [fever.FindingId]).Raise, f => f.FindingId == fever.FindingId);
    }

    [Fact]
    public void AFindingWhoseTriggerNoLongerHoldsIsResolved()
    {
        var history = new HistoryBuilder();
        history.Report(history.DaysAgo(1), 7);
        var high = Assert.Single(TriageEngine.Evaluate(history.Build(), []).Raise, f => f.RuleId == "PM-HIGH");

        history.Report(history.Today, 2);
        var later = TriageEngine.Evaluate(history.Build(), [high], [high.FindingId]);
        Assert.Equal([high.FindingId], later.ResolveFindingIds);
        Assert.Contains(later.Raise, f => f.RuleId == "PM-OK");
    }

    [Fact]
    public void UrgentFindingsAreNeverResolvedByReevaluation()
    {
        var history = new HistoryBuilder();
        history.Report(history.DaysAgo(3), 3, flags: Flag("RF-WEIGHT"));
        var weight = Assert.Single(TriageEngine.Evaluate(history.Build(), []).Raise, f => f.RuleId == "RF-WEIGHT");

        history.Clearance(Clock.At(history.DaysAgo(1)));
        Assert.Empty(TriageEngine.Evaluate(history.Build(), [weight], [weight.FindingId]).ResolveFindingIds);
    }

    [Fact]
    public void EvaluationIsDeterministic()
    {
        var history = new HistoryBuilder();
        for (var d = 30; d >= 0; d -= 2)
        {
            var run = history.Run(history.DaysAgo(d), 5 + (d % 7), d % 3 == 0 ? WorkoutType.Intervals : WorkoutType.Easy);
            history.Report(history.DaysAgo(d), d % 6, run: run, context: new RecoveryContext(5, 4, 7, 9));
        }

        var built = history.Build();
        var reversed = built with { Runs = built.Runs.Reverse().ToList(), PainReports = built.PainReports.Reverse().ToList() };
        Assert.Equal(EventJson.Of(ClinicalRules.EvaluateAll(built)), EventJson.Of(ClinicalRules.EvaluateAll(reversed)));
    }
}
