using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Tests.Support;
using CoachHub.Domain.Triage;

namespace CoachHub.Domain.Tests;

public sealed class AthleteDeciderTests
{
    private static readonly Guid AthleteId = HistoryBuilder.Id(100);
    private static readonly Guid CoachId = HistoryBuilder.Id(1);
    private static readonly Guid ShoeId = HistoryBuilder.Id(200);
    private static readonly Guid RunId = HistoryBuilder.Id(300);
    private static readonly Guid ReportId = HistoryBuilder.Id(400);

    private static readonly AthleteRegistered Registered = new(AthleteId, "Aoife", "Europe/Dublin", Units.Kilometres, Clock.Now.AddDays(-60));

    private static LogRun Easy(Guid id, DateTimeOffset at, int meters = 8_000, Guid? shoe = null) =>
        new(id, at, meters, meters * 6 / 10, WorkoutType.Easy, Surface.Trail, 4, ShoeId: shoe);

    private static RunLogged Logged(Guid id, DateTimeOffset at, int meters = 8_000, Surface surface = Surface.Trail) =>
        new(id, at, meters, meters * 6 / 10, WorkoutType.Easy, surface, 4);

    private static SubmitPainReport Pain(int painNow, Guid? run = null, RedFlagAnswers? flags = null, Guid? id = null) =>
        new(id ?? ReportId, run, new PainScores(painNow), new PainDescription(), flags ?? RedFlagAnswers.None, new RecoveryContext());

    [Fact]
    public void RegisteringRecordsNameTimeZoneAndUnits() =>
        Spec.Athlete()
            .When(new RegisterAthlete(AthleteId, "Aoife", "Europe/Dublin", Units.Miles))
            .Then(new AthleteRegistered(AthleteId, "Aoife", "Europe/Dublin", Units.Miles, Clock.Now));

    [Theory]
    [InlineData("")]
    [InlineData("Europe Dublin")]
    [InlineData("/Dublin")]
    public void ATimeZoneMustLookLikeAnIanaId(string zone) =>
        Spec.Athlete().When(new RegisterAthlete(AthleteId, "Aoife", zone)).ThenRejectsField("timeZoneId");

    [Fact]
    public void AnotherAthleteCannotTakeOverTheStream() =>
        Spec.Athlete().Given(Registered).When(new RegisterAthlete(HistoryBuilder.Id(101), "Brian", "UTC")).ThenThrows("athlete.already-registered");

    [Fact]
    public void NothingHappensBeforeRegistration() =>
        Spec.Athlete().When(Easy(RunId, Clock.Now)).ThenThrows("athlete.not-registered");

    [Fact]
    public void AddingAndRetiringShoes()
    {
        Spec.Athlete().Given(Registered).When(new AddShoe(ShoeId, "Pegasus", 120_000)).Then(new ShoeAdded(ShoeId, "Pegasus", 120_000, Clock.Now));
        Spec.Athlete().Given(Registered, new ShoeAdded(ShoeId, "Pegasus", 0, Clock.Now)).When(new AddShoe(ShoeId, "Pegasus")).ThenThrows("shoe.already-added");
        Spec.Athlete().Given(Registered, new ShoeAdded(ShoeId, "Pegasus", 0, Clock.Now)).When(new RetireShoe(ShoeId)).Then(new ShoeRetired(ShoeId, Clock.Now));
        Spec.Athlete().Given(Registered).When(new RetireShoe(ShoeId)).ThenThrows("shoe.unknown");
    }

    [Fact]
    public void ACorrectionReplacesTheRunUnderItsIdAndADeletionLeavesItOut()
    {
        var logged = Logged(RunId, Clock.Now.AddHours(-2));
        var fix = new CorrectRun(RunId, logged.StartedAt, 10_000, logged.DurationSeconds, WorkoutType.Easy, Surface.Trail, 4, Notes: " watch lost GPS ");
        var corrected = Spec.Athlete().Given(Registered, logged).When(fix);
        var run = Assert.IsType<RunCorrected>(corrected.ThenEvents()[0]).Run;
        Assert.Equal((10_000, "watch lost GPS", RunId), (run.DistanceMeters, run.Notes, run.RunId));
        Assert.Equal(10_000, corrected.StateAfterDecision().Runs.Find(RunId)!.DistanceMeters);
        Assert.Single(corrected.StateAfterDecision().Runs);
        Spec.Athlete().Given(Registered, logged, new RunCorrected(run, Clock.Now)).When(fix).Then(); // the same again
        Spec.Athlete().Given(Registered).When(fix).ThenThrows("run.not-found");
        Spec.Athlete().Given(Registered, logged).When(fix with { DistanceMeters = 0 }).ThenRejectsField("distanceMeters");

        var deleted = Spec.Athlete().Given(Registered, logged).When(new DeleteRun(RunId));
        Assert.IsType<RunDeleted>(deleted.ThenEvents()[0]);
        Assert.Empty(deleted.StateAfterDecision().Runs);
        Spec.Athlete().Given(Registered, logged, new RunDeleted(RunId, Clock.Now)).When(new DeleteRun(RunId)).Then();
        var report = new PainReportSubmitted(ReportId, RunId, Clock.Now, new PainScores(2), new PainDescription(), RedFlagAnswers.None, new RecoveryContext());
        Spec.Athlete().Given(Registered, logged, report).When(new DeleteRun(RunId)).ThenThrows("run.has-reports");
    }

    [Fact]
    public void ACoachMatchesARunToASessionOrToNoneAndTheSameAgainIsNothing()
    {
        var logged = Logged(RunId, Clock.Now.AddHours(-2));
        var spec = Spec.Athlete().Given(Registered, logged).When(new MatchRun(RunId, "tue", CoachId));
        spec.Then(new RunMatched(RunId, "tue", CoachId, Clock.Now));
        Assert.Equal("tue", spec.StateAfterDecision().Runs.Find(RunId)!.PlannedSessionId);
        Spec.Athlete().Given(Registered, logged, new RunMatched(RunId, "tue", CoachId, Clock.Now)).When(new MatchRun(RunId, "tue", CoachId)).Then();
        Spec.Athlete().Given(Registered).When(new MatchRun(RunId, "tue", CoachId)).ThenThrows("run.not-found");
        Spec.Athlete().Given(Registered, logged).When(new MatchRun(RunId, "", CoachId)).ThenRejectsField("sessionId");
    }

    [Fact]
    public void AReportIsCorrectedButNeverItsRedFlagsAndAReportWithARedFlagStays()
    {
        var report = new PainReportSubmitted(ReportId, null, Clock.Now.AddHours(-1), new PainScores(6), new PainDescription(), RedFlagAnswers.None, new RecoveryContext());
        var fix = new CorrectPainReport(ReportId, new PainScores(2), new PainDescription(), new RecoveryContext());
        var corrected = Assert.IsType<PainReportCorrected>(Spec.Athlete().Given(Registered, report).When(fix).ThenEvents()[0]).Report;
        Assert.Equal((2, RedFlagAnswers.None), (corrected.Pain.PainNow, corrected.RedFlags));
        Spec.Athlete().Given(Registered, report).When(fix with { Pain = new PainScores(11) }).ThenRejectsField("pain.painNow");
        Spec.Athlete().Given(Registered).When(fix).ThenThrows("report.not-found");
        Assert.IsType<PainReportDeleted>(Spec.Athlete().Given(Registered, report).When(new DeletePainReport(ReportId)).ThenEvents()[0]);

        // Left out, the description and context stay; a red flag read from the description cannot be corrected away.
        var radiating = report with { Description = new PainDescription(SpreadsTo: PainSpread.BelowKnee, Character: PainCharacter.ShootingOrZingy) };
        var kept = Assert.IsType<PainReportCorrected>(Spec.Athlete().Given(Registered, radiating)
            .When(new CorrectPainReport(ReportId, new PainScores(3))).ThenEvents()[0]).Report;
        Assert.Equal(radiating.Description, kept.Description);
        Assert.True(Triage.RedFlagRules.IsRedFlag(radiating));
        Spec.Athlete().Given(Registered, radiating).When(new CorrectPainReport(ReportId, new PainScores(3), new PainDescription())).ThenThrows("report.red-flag-stays");

        var flagged = report with { RedFlags = RedFlagAnswers.None with { SaddleNumbness = true } };
        Spec.Athlete().Given(Registered, flagged).When(new DeletePainReport(ReportId)).ThenThrows("report.red-flag-stays");
        var stillFlagged = Assert.IsType<PainReportCorrected>(Spec.Athlete().Given(Registered, flagged).When(fix).ThenEvents()[0]).Report;
        Assert.True(stillFlagged.RedFlags.SaddleNumbness);
    }

    [Fact]
    public void CommentsGoOnAnExistingRunOrReportOnceAndNotesOnAFindingTheAthleteHasHad()
    {
        var logged = Logged(RunId, Clock.Now.AddHours(-2));
        var comment = new PostComment(HistoryBuilder.Id(600), ThreadKind.Run, RunId, CoachId, " Coach Kim ", true, " How did the hills feel? ");
        Spec.Athlete().Given(Registered, logged).When(comment)
            .Then(new CommentPosted(comment.CommentId, ThreadKind.Run, RunId, CoachId, "Coach Kim", true, "How did the hills feel?", Clock.Now));
        Spec.Athlete().Given(Registered, logged, new CommentPosted(comment.CommentId, ThreadKind.Run, RunId, CoachId, "Coach Kim", true, "x", Clock.Now))
            .When(comment).Then();
        Spec.Athlete().Given(Registered, logged).When(comment with { Thread = ThreadKind.Report }).ThenThrows("comment.thread-unknown");
        Spec.Athlete().Given(Registered).When(comment).ThenThrows("comment.thread-unknown");
        Spec.Athlete().Given(Registered, logged).When(comment with { Text = " " }).ThenRejectsField("text");
        Spec.Athlete().Given(Registered, logged).When(comment with { Text = new string('a', PostComment.MaxLength + 1) }).ThenRejectsField("text");

        var finding = new FindingRaised(new Finding("PM-01:x", "PM-01", Severity.Warning, "a", "b", "c", new FindingEvidence([], [], [], []), "x"), Clock.Now.AddDays(-1));
        Spec.Athlete().Given(Registered, finding).When(new NoteOnFinding("PM-01:x", CoachId, "Coach Kim", "Called her, physio on Tuesday"))
            .Then(new FindingNoted("PM-01:x", CoachId, "Coach Kim", "Called her, physio on Tuesday", Clock.Now));
        Spec.Athlete().Given(Registered).When(new NoteOnFinding("PM-01:x", CoachId, "Coach Kim", "x")).ThenThrows("finding.not-found");
    }

    [Fact]
    public void ANewCalendarFeedEndsTheOneBeforeItAndStoppingIsOnce()
    {
        var (first, second) = (HistoryBuilder.Id(500), HistoryBuilder.Id(501));
        Spec.Athlete().Given(Registered).When(new StartCalendarFeed(first)).Then(new CalendarFeedStarted(first, Clock.Now));
        Spec.Athlete().Given(Registered, new CalendarFeedStarted(first, Clock.Now)).When(new StartCalendarFeed(first)).Then();
        Spec.Athlete().Given(Registered, new CalendarFeedStarted(first, Clock.Now)).When(new StartCalendarFeed(second))
            .Then(new CalendarFeedStopped(first, Clock.Now), new CalendarFeedStarted(second, Clock.Now));
        Spec.Athlete().Given(Registered, new CalendarFeedStarted(first, Clock.Now)).When(new StopCalendarFeed()).Then(new CalendarFeedStopped(first, Clock.Now));
        Spec.Athlete().Given(Registered, new CalendarFeedStarted(first, Clock.Now), new CalendarFeedStopped(first, Clock.Now)).When(new StopCalendarFeed()).Then();
        Spec.Athlete().Given(Registered).When(new StartCalendarFeed(Guid.Empty)).ThenRejectsField("feedId");
    }

    [Fact]
    public void RetiringAWornShoeResolvesItsShoeFinding()
    {
        var spec = Spec.Athlete()
            .Given(Registered)
            .Given(AthleteDecider.Decide(new AddShoe(ShoeId, "Pegasus", 900_000), AthleteDecider.Evolve(AthleteDecider.Initial, Registered), Clock.Now).ToArray());
        Assert.Contains(spec.State.OpenFindings, f => f.Finding.RuleId == RuleIds.ShoeWear);

        var events = spec.When(new RetireShoe(ShoeId)).ThenEvents();
        Assert.IsType<ShoeRetired>(events[0]);
        var resolved = Assert.IsType<FindingResolved>(events[1]);
        Assert.Equal(FindingResolution.NoLongerTrue, resolved.Resolution);
        Assert.Equal(RuleIds.ShoeWear, resolved.RuleId);
    }

    [Fact]
    public void LoggingARunRecordsIt() =>
        Spec.Athlete()
            .Given(Registered, new ShoeAdded(ShoeId, "Pegasus", 0, Clock.Now))
            .When(Easy(RunId, Clock.At(Clock.Today, 7), shoe: ShoeId) with { Notes = "  felt good ", TreadmillInclinePercent = null })
            .Then(new RunLogged(RunId, Clock.At(Clock.Today, 7), 8_000, 4_800, WorkoutType.Easy, Surface.Trail, 4, 0, null, ShoeId, "felt good"));

    [Fact]
    public void LoggingTheSameRunTwiceIsARetry() =>
        Spec.Athlete().Given(Registered, Logged(RunId, Clock.At(Clock.Today))).When(Easy(RunId, Clock.At(Clock.Today))).Then();

    [Theory]
    [InlineData(0, 1800, 5, 0, "distanceMeters")]
    [InlineData(400_001, 1800, 5, 0, "distanceMeters")]
    [InlineData(5_000, 0, 5, 0, "durationSeconds")]
    [InlineData(5_000, 1800, 0, 0, "sessionRpe")]
    [InlineData(5_000, 1800, 11, 0, "sessionRpe")]
    [InlineData(5_000, 1800, 5, 25, "startedAt")]
    public void RunInputOutOfRangeNamesTheField(int meters, int seconds, int rpe, int hoursAhead, string field) =>
        Spec.Athlete()
            .Given(Registered)
            .When(new LogRun(RunId, Clock.Now.AddHours(hoursAhead), meters, seconds, WorkoutType.Easy, Surface.Road, rpe))
            .ThenRejectsField(field);

    [Fact]
    public void TheLongestAllowedRunAndUpToADayAheadAreAccepted()
    {
        var events = Spec.Athlete()
            .Given(Registered)
            .When(new LogRun(RunId, Clock.Now.AddDays(1), 400_000, 40 * 3600, WorkoutType.Race, Surface.Road, 10))
            .ThenEvents();
        Assert.IsType<RunLogged>(events[0]);
    }

    [Fact]
    public void AnInclineOnlyAppliesToTreadmillRuns() =>
        Spec.Athlete()
            .Given(Registered)
            .When(Easy(RunId, Clock.Now) with { TreadmillInclinePercent = 2.5 })
            .ThenRejectsField("treadmillInclinePercent");

    [Fact]
    public void UnknownOrRetiredShoesAreRefused()
    {
        Spec.Athlete().Given(Registered).When(Easy(RunId, Clock.Now, shoe: ShoeId)).ThenThrows("shoe.unknown");
        Spec.Athlete()
            .Given(Registered, new ShoeAdded(ShoeId, "Pegasus", 0, Clock.Now), new ShoeRetired(ShoeId, Clock.Now))
            .When(Easy(RunId, Clock.Now, shoe: ShoeId))
            .ThenThrows("shoe.retired");
    }

    [Fact]
    public void ARunThatSpikesRaisesTheFindingInTheSameDecision()
    {
        var events = Spec.Athlete()
            .Given(Registered, Logged(HistoryBuilder.Id(302), Clock.At(Clock.Today.AddDays(-20)), 8_000), Logged(HistoryBuilder.Id(301), Clock.At(Clock.Today.AddDays(-10)), 10_000))
            .When(Easy(RunId, Clock.At(Clock.Today), 14_000))
            .ThenEvents();
        Assert.IsType<RunLogged>(events[0]);
        var raised = Assert.IsType<FindingRaised>(Assert.Single(events, e => e is FindingRaised { Finding.RuleId: RuleIds.Spike }));
        Assert.Equal(Severity.Warning, raised.Finding.Severity);
        Assert.Equal(Clock.Now, raised.RaisedAt);
    }

    [Fact]
    public void ARedFlagOnAPainReportRaisesAnEmergencyInTheSameDecision()
    {
        var events = Spec.Athlete()
            .Given(Registered)
            .When(Pain(3, flags: new RedFlagAnswers(SaddleNumbness: true)))
            .ThenEvents();
        Assert.Equal(new PainReportSubmitted(ReportId, null, Clock.Now, new PainScores(3), new PainDescription(), new RedFlagAnswers(SaddleNumbness: true), new RecoveryContext()), events[0]);
        var raised = events.OfType<FindingRaised>().Select(e => e.Finding).Single(f => f.RuleId == RuleIds.Saddle);
        Assert.Equal(Severity.Emergency, raised.Severity);
    }

    [Fact]
    public void AReportForAnUnknownRunIsRefused() =>
        Spec.Athlete().Given(Registered).When(Pain(2, run: RunId)).ThenThrows("run.unknown");

    [Theory]
    [InlineData(11, null, "pain.painNow")]
    [InlineData(-1, null, "pain.painNow")]
    [InlineData(3, 0, "context.stress")]
    [InlineData(3, 6, "context.stress")]
    public void PainInputOutOfRangeNamesTheField(int pain, int? stress, string field) =>
        Spec.Athlete()
            .Given(Registered)
            .When(Pain(pain) with { Context = new RecoveryContext(Stress: stress) })
            .ThenRejectsField(field);

    [Fact]
    public void RedFlagAnswersAreRequired() =>
        Spec.Athlete().Given(Registered).When(Pain(3) with { RedFlags = null! }).ThenRejectsField("redFlags");

    [Fact]
    public void HighPainResolvesWhenALaterReportIsComfortable()
    {
        var first = AthleteDecider.Decide(Pain(7, id: HistoryBuilder.Id(401)), AthleteDecider.Evolve(AthleteDecider.Initial, Registered), Clock.Now.AddDays(-1));
        var high = first.OfType<FindingRaised>().Single(e => e.Finding.RuleId == RuleIds.PainHigh);

        var events = Spec.Athlete()
            .Given(Registered)
            .Given(first.ToArray())
            .When(Pain(2))
            .ThenEvents();
        Assert.Contains(events, e => e is FindingResolved r && r.FindingId == high.Finding.FindingId && r.Resolution == FindingResolution.NoLongerTrue);
        Assert.Contains(events, e => e is FindingRaised { Finding.RuleId: RuleIds.PainOk });
    }

    [Fact]
    public void AcknowledgingAWatchFindingResolvesItAndItIsNotRaisedAgain()
    {
        var runs = Enumerable.Range(1, 7).Select(d => (object)Logged(HistoryBuilder.Id(500 + d), Clock.At(Clock.Today.AddDays(-d)), 5_000)).ToArray();
        var state = runs.Aggregate(AthleteDecider.Evolve(AthleteDecider.Initial, Registered), AthleteDecider.Evolve);
        var sweep = AthleteDecider.Decide(new SweepTimeBasedFindings(Clock.Today), state, Clock.Now);
        var noRest = sweep.OfType<FindingRaised>().Single(e => e.Finding.RuleId == RuleIds.NoRest).Finding;

        var spec = Spec.Athlete().Given(Registered).Given(runs).Given(sweep.ToArray()).When(new AcknowledgeAlert(noRest.FindingId, CoachId, "Talked to her"));
        spec.Then(
            new AlertAcknowledged(noRest.FindingId, CoachId, "Talked to her", Clock.Now),
            new FindingResolved(noRest.FindingId, RuleIds.NoRest, FindingResolution.Acknowledged, Clock.Now));

        var after = spec.StateAfterDecision();
        var again = AthleteDecider.Decide(new SweepTimeBasedFindings(Clock.Today), after, Clock.Now);
        Assert.DoesNotContain(again, e => e is FindingRaised { Finding.RuleId: RuleIds.NoRest });
    }

    [Fact]
    public void AcknowledgingAnUrgentFindingKeepsItOpen()
    {
        var first = AthleteDecider.Decide(Pain(3, flags: new RedFlagAnswers(WorseAtNight: true)), AthleteDecider.Evolve(AthleteDecider.Initial, Registered), Clock.Now);
        var night = first.OfType<FindingRaised>().Single(e => e.Finding.RuleId == RuleIds.Night).Finding;
        var spec = Spec.Athlete().Given(Registered).Given(first.ToArray()).When(new AcknowledgeAlert(night.FindingId, CoachId));
        spec.Then(new AlertAcknowledged(night.FindingId, CoachId, null, Clock.Now));
        var open = Assert.Single(spec.StateAfterDecision().OpenFindings, f => f.Finding.FindingId == night.FindingId);
        Assert.True(open.Acknowledged);
        Assert.Contains(spec.StateAfterDecision().Pauses, p => p.IsOpen);
    }

    [Fact]
    public void AcknowledgingSomethingNotOpenFails() =>
        Spec.Athlete().Given(Registered).When(new AcknowledgeAlert("LD-NOREST:streak:2025-03-01", CoachId)).ThenThrows("finding.not-open");

    [Fact]
    public void ClearanceResolvesUrgentAndEmergencyFindings()
    {
        var first = AthleteDecider.Decide(Pain(3, flags: new RedFlagAnswers(SaddleNumbness: true, FeverOrUnwell: true)), AthleteDecider.Evolve(AthleteDecider.Initial, Registered), Clock.Now.AddDays(-3));
        var serious = first.OfType<FindingRaised>().Select(e => e.Finding).Where(f => f.Severity >= Severity.Urgent).OrderBy(f => f.FindingId, StringComparer.Ordinal).ToList();
        Assert.Equal(2, serious.Count);

        var clearedOn = Clock.Today.AddDays(-1);
        var spec = Spec.Athlete().Given(Registered).Given(first.ToArray()).When(new ClearToRun(CoachId, "Dr Byrne, GP", clearedOn, "Imaging clear"));
        var events = spec.ThenEvents();
        Assert.Equal(new ClearedToRun(CoachId, "Dr Byrne, GP", clearedOn, "Imaging clear", Clock.Now), events[0]);
        Assert.Equal(
            serious.Select(f => new FindingResolved(f.FindingId, f.RuleId, FindingResolution.Cleared, Clock.Now)),
            events.Skip(1).Cast<FindingResolved>().OrderBy(r => r.FindingId, StringComparer.Ordinal));
        Assert.DoesNotContain(spec.StateAfterDecision().Pauses, p => p.IsOpen);
    }

    [Fact]
    public void ThereIsNothingToClearWithoutAnUrgentFinding() =>
        Spec.Athlete().Given(Registered).When(new ClearToRun(CoachId, "physio", Clock.Today)).ThenThrows("athlete.nothing-to-clear");

    [Fact]
    public void AnAssessmentCannotBeInTheFuture() =>
        Spec.Athlete().Given(Registered).When(new ClearToRun(CoachId, "physio", Clock.Today.AddDays(2))).ThenRejectsField("assessedOn");

    [Theory]
    [InlineData(-4, true)] // the day before the red flag
    [InlineData(-3, false)] // the day it was raised
    public void AnAssessmentDatedBeforeTheRedFlagCannotClearIt(int assessedDaysAgo, bool refused)
    {
        var first = AthleteDecider.Decide(Pain(3, flags: new RedFlagAnswers(SaddleNumbness: true)), AthleteDecider.Evolve(AthleteDecider.Initial, Registered), Clock.Now.AddDays(-3));
        var spec = Spec.Athlete().Given(Registered).Given(first.ToArray()).When(new ClearToRun(CoachId, "Dr Byrne, GP", Clock.Today.AddDays(assessedDaysAgo)));
        if (refused)
        {
            Assert.Equal("assessedOn", spec.ThenThrows("athlete.clearance-before-finding").Field);
            Spec.Athlete().Given(Registered).Given(first.ToArray()).When(new ClearToRun(CoachId, "Dr Byrne, GP", DateOnly.MinValue)).ThenThrows("athlete.clearance-before-finding");
        }
        else
        {
            Assert.IsType<ClearedToRun>(spec.ThenEvents()[0]);
        }
    }

    [Theory]
    [InlineData(5_000, 11, false)]
    [InlineData(172_800, 1_800, false)]
    [InlineData(10_000, 1_539, true)] // 6.5 m/s: a world-class 10 km
    [InlineData(400, 40, true)] // under a kilometre a sprint may be fast
    public void ARunFasterThanAnyoneRunsIsRefused(int meters, int seconds, bool accepted)
    {
        var spec = Spec.Athlete().Given(Registered).When(new LogRun(RunId, Clock.At(Clock.Today), meters, seconds, WorkoutType.Easy, Surface.Road, 5));
        if (accepted)
        {
            Assert.IsType<RunLogged>(spec.ThenEvents()[0]);
        }
        else
        {
            spec.ThenRejectsField("durationSeconds");
        }
    }

    [Fact]
    public void AShoeCannotStartBeyondFiveThousandKilometres()
    {
        Spec.Athlete().Given(Registered).When(new AddShoe(HistoryBuilder.Id(9), "Old faithful", 5_000_001)).ThenRejectsField("startingDistanceMeters");
        Assert.IsType<ShoeAdded>(Spec.Athlete().Given(Registered).When(new AddShoe(HistoryBuilder.Id(9), "Old faithful", 5_000_000)).ThenEvents()[0]);
    }

    [Fact]
    public void UnansweredDescriptionQuestionsStayUnanswered()
    {
        var report = Assert.IsType<PainReportSubmitted>(Spec.Athlete().Given(Registered).When(Pain(2)).ThenEvents()[0]);
        Assert.Equal(new PainDescription(null, null, null, null, null, null, null, null, null, null), report.Description);
        var json = EventJson.Canonical(report);
        Assert.DoesNotContain("central", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("dullAche", json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TheDailySweepResolvesFindingsThatAgedOut()
    {
        var first = AthleteDecider.Decide(
            Easy(RunId, Clock.At(Clock.Today), 14_000),
            new object[] { Registered, Logged(HistoryBuilder.Id(302), Clock.At(Clock.Today.AddDays(-20)), 8_000), Logged(HistoryBuilder.Id(301), Clock.At(Clock.Today.AddDays(-10)), 10_000) }
                .Aggregate(AthleteDecider.Initial, AthleteDecider.Evolve),
            Clock.Now);
        var spike = first.OfType<FindingRaised>().Single(e => e.Finding.RuleId == RuleIds.Spike).Finding;

        var spec = Spec.Athlete()
            .Given(Registered, Logged(HistoryBuilder.Id(302), Clock.At(Clock.Today.AddDays(-20)), 8_000), Logged(HistoryBuilder.Id(301), Clock.At(Clock.Today.AddDays(-10)), 10_000))
            .Given(first.ToArray());
        Assert.DoesNotContain(spec.When(new SweepTimeBasedFindings(Clock.Today.AddDays(6)), Clock.Now.AddDays(6)).ThenEvents(), e => e is FindingResolved r && r.FindingId == spike.FindingId);
        Assert.Contains(spec.When(new SweepTimeBasedFindings(Clock.Today.AddDays(7)), Clock.Now.AddDays(7)).ThenEvents(), e => e is FindingResolved r && r.FindingId == spike.FindingId);
    }

    [Fact]
    public void TheSweepDateMustBeAroundToday() =>
        Spec.Athlete().Given(Registered).When(new SweepTimeBasedFindings(Clock.Today.AddDays(3))).ThenRejectsField("today");

    [Fact]
    public void HistoryCarriesEverythingTheRulesNeed()
    {
        var state = new object[]
        {
            Registered,
            new ShoeAdded(ShoeId, "Pegasus", 0, Clock.Now),
            Logged(RunId, Clock.At(Clock.Today)),
            new PainReportSubmitted(ReportId, RunId, Clock.Now, new PainScores(2), new PainDescription(), RedFlagAnswers.None, new RecoveryContext()),
        }.Aggregate(AthleteDecider.Initial, AthleteDecider.Evolve);
        var history = state.HistoryAsOf(Clock.Today);
        Assert.Equal(Clock.Today, history.Today);
        Assert.Single(history.Runs);
        Assert.Single(history.PainReports);
        Assert.Single(history.Shoes);
        Assert.Equal(Units.Kilometres, history.Units);
    }
}
