using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;
using CoachHub.Domain.Tests.Support;
using CoachHub.Domain.Triage;
using FsCheck;
using FsCheck.Fluent;
using static CoachHub.Domain.Tests.Support.PlanFixtures;

namespace CoachHub.Domain.Tests;

/// <summary>
/// A red flag stops all running at once: the rest of the week and every week after are suspended until clearance,
/// whoever planned the sessions; no running is planned meanwhile; proposals made before it are void.
/// </summary>
public sealed class PauseTests
{
    /// <summary>A red flag reported on Wednesday 26 March at 19:00 (the week after <see cref="NextMonday"/> starts).</summary>
    private static readonly DateTimeOffset RaisedAt = Clock.At(NextMonday.AddDays(2), 19);

    private static readonly RunningPause Open = new(Finding.IdFor(RuleIds.Night, "report:x"), RuleIds.Night, RaisedAt, null);

    private static readonly SquadSettings NeedsApproval = SquadSettings.Default with { AdjustmentsNeedApproval = true };

    [Fact]
    public void ARedFlagOpensAPauseFromItsOwnAppendAndClearanceClosesIt()
    {
        var reportId = HistoryBuilder.Id(7);
        var registered = new AthleteRegistered(AthleteId, "Ana", "Europe/Dublin", Units.Kilometres, Clock.At(PlanStart, 9));
        var state = Spec.Athlete().Given(registered).When(
            new SubmitPainReport(reportId, null, new PainScores(4), new PainDescription(), new RedFlagAnswers(WorseAtNight: true), new RecoveryContext()), RaisedAt)
            .StateAfterDecision();

        var pause = Assert.Single(state.Pauses);
        Assert.Equal(RuleIds.Night, pause.RuleId);
        Assert.Equal(RaisedAt, pause.RaisedAt);
        Assert.True(pause.IsOpen);

        var clearedAt = RaisedAt.AddDays(3);
        var cleared = new ClearToRun(CoachId, "Dr A. Murphy, GP", NextMonday.AddDays(5), null);
        var after = AthleteDecider.Decide(cleared, state, clearedAt).Aggregate(state, AthleteDecider.Evolve);
        var closed = Assert.Single(after.Pauses);
        Assert.Equal(clearedAt, closed.ClearedAt);
        Assert.DoesNotContain(after.Pauses, p => p.IsOpen);
    }

    [Fact]
    public void EveryRunningSessionFromTheRedFlagOnIsSuspendedCoachEditedOrNot()
    {
        var week = new PlannedWeek(NextMonday,
        [
            Session("tue", NextMonday.AddDays(1), SessionType.Easy, 6_000),
            Session("wed", NextMonday.AddDays(2), SessionType.Tempo, 6_000),
            Session("thu", NextMonday.AddDays(3), SessionType.Easy, 6_000),
            SessionLibrary.Strength("fri", NextMonday.AddDays(4)),
            Session("sat", NextMonday.AddDays(5), SessionType.LongRun, 9_000),
        ]);
        var state = StateOf(Started, Planned(week), new SessionEdited(NextMonday, week.Sessions[4], CoachId, Clock.At(NextMonday, 8)));

        var suspended = RunningPauses.Suspended(state.WeekOf(NextMonday), [Open]);

        // Tuesday is before the red flag; Wednesday's run is the rest of that day; strength stays.
        Assert.Equal(["wed", "thu", "sat"], suspended.Select(s => s.SessionId));
        Assert.All(suspended, s => Assert.Equal(RuleIds.Night, s.RuleId));
        Assert.Equal(["tue", "fri"], RunningPauses.Active(state.WeekOf(NextMonday), [Open])!.Sessions.Select(s => s.SessionId));
        // Kept as planned: nothing is deleted from the plan.
        Assert.Equal(5, state.WeekOf(NextMonday)!.Sessions.Count);
    }

    [Fact]
    public void LaterWeeksStaySuspendedUntilClearanceAndAreRestoredByIt()
    {
        var later = StandardWeek(NextMonday.AddDays(14), "later");
        Assert.Equal(3, RunningPauses.Suspended(later, [Open]).Count);

        var cleared = Open with { ClearedAt = Clock.At(NextMonday.AddDays(15), 10) };
        // Cleared on the Tuesday of that week: Tuesday's session is active again, and so is the rest.
        Assert.Empty(RunningPauses.Suspended(later, [cleared]));
        Assert.Single(RunningPauses.Suspended(StandardWeek(NextMonday.AddDays(7), "between"), [cleared]), s => s.SessionId == "between-sat");
    }

    [Fact]
    public void WhilePausedACoachCannotAddOrEditARunningSession()
    {
        var given = new object[] { Started, Planned(StandardWeek(NextMonday)) };
        var violation = Spec.Plan().Given(given)
            .When(new EditSession(NextMonday, Session("w-sat", NextMonday.AddDays(5), SessionType.LongRun, 9_000), CoachId, [Open]), RaisedAt.AddHours(1))
            .ThenThrows("plan.running-paused");
        Assert.Equal(Open.FindingId, violation.FindingId);
        Assert.Equal(RuleIds.Night, violation.RuleId);
        Assert.Null(violation.Field);

        Spec.Plan().Given(given)
            .When(new PlanWeek(NextMonday.AddDays(7), [Session("x", NextMonday.AddDays(8), SessionType.Easy, 5_000)], CoachId, [Open]), RaisedAt.AddHours(1))
            .ThenThrows("plan.running-paused");
    }

    [Fact]
    public void WhilePausedCrossTrainingMobilityAndStrengthCanStillBePlanned()
    {
        var swim = SessionLibrary.CrossTraining("w-sat", NextMonday.AddDays(5), 0, 40 * 60);
        Spec.Plan().Given(Started, Planned(StandardWeek(NextMonday)))
            .When(new EditSession(NextMonday, swim, CoachId, [Open]), RaisedAt.AddHours(1))
            .Then(new SessionEdited(NextMonday, swim, CoachId, RaisedAt.AddHours(1)));
        var next = NextMonday.AddDays(7);
        Spec.Plan().Given(Started)
            .When(new PlanWeek(next, [SessionLibrary.Mobility("m", next), SessionLibrary.Strength("s", next.AddDays(2))], CoachId, [Open]), RaisedAt.AddHours(1))
            .ThenEvents();
    }

    [Fact]
    public void AfterClearanceRunningCanBePlannedAgain() =>
        Spec.Plan().Given(Started, Planned(StandardWeek(NextMonday)))
            .When(new EditSession(NextMonday, Session("w-sat", NextMonday.AddDays(5), SessionType.Easy, 4_000), CoachId, [Open with { ClearedAt = RaisedAt.AddHours(20) }]), RaisedAt.AddHours(21))
            .ThenEvents();

    [Fact]
    public void ARedFlagVoidsAProposalMadeBeforeItEvenOnceCleared()
    {
        var proposal = ProposalFor(NextMonday.AddDays(7), Clock.At(NextMonday.AddDays(6), 18));
        var given = new object[] { Started, Planned(StandardWeek(NextMonday)), proposal };
        var raised = Open with { RaisedAt = Clock.At(NextMonday.AddDays(6), 20) };

        var violation = Spec.Plan().Given(given).When(new ApproveAdjustment(proposal.WeekStart, CoachId, [raised]), raised.RaisedAt.AddHours(1))
            .ThenThrows("plan.proposal-void");
        Assert.Equal(raised.FindingId, violation.FindingId);

        Spec.Plan().Given(given).When(new ApproveAdjustment(proposal.WeekStart, CoachId, [raised with { ClearedAt = raised.RaisedAt.AddHours(10) }]), raised.RaisedAt.AddHours(11))
            .ThenThrows("plan.proposal-void");

        // Rejecting it is how the coach clears it away.
        Spec.Plan().Given(given).When(new RejectAdjustment(proposal.WeekStart, CoachId, "red flag"), raised.RaisedAt.AddHours(1)).ThenEvents();
    }

    [Fact]
    public void AProposalMadeAfterAClearedPauseCanBeApproved()
    {
        var cleared = Open with { RaisedAt = Clock.At(NextMonday, 9), ClearedAt = Clock.At(NextMonday.AddDays(2), 9) };
        var proposal = ProposalFor(NextMonday.AddDays(7), Clock.At(NextMonday.AddDays(6), 18));
        var events = Spec.Plan().Given(Started, Planned(StandardWeek(NextMonday)), proposal)
            .When(new ApproveAdjustment(proposal.WeekStart, CoachId, [cleared]), Clock.At(NextMonday.AddDays(6), 19))
            .ThenEvents();
        Assert.IsType<AdjustmentApproved>(Assert.Single(events));
    }

    [Fact]
    public void AfterAMidWeekRedFlagIsClearedTheNextAdjustmentIsReturnToRun()
    {
        // The red flag came and was cleared between two weekly runs: no Pause week was ever applied.
        var clearedAt = Clock.At(LastMonday.AddDays(5), 10);
        var history = DidLastWeek().Clearance(clearedAt).Build();
        var events = Spec.Plan().Given(Started, Planned(StandardWeek(LastMonday)))
            .When(new AdjustWeek(NextMonday, history, [], SquadSettings.Default), JobRuns)
            .ThenEvents();
        Assert.Equal(AdjustmentOutcome.ReturnToRun, Assert.IsType<WeekAdjusted>(events[0]).Outcome);
    }

    // ---- Properties ----------------------------------------------------------------------------------------------

    private static readonly SessionType[] AnyType = Enum.GetValues<SessionType>();

    /// <summary>
    /// Whatever the coach and automation did before and after the red flag (plans, edits, adjustments, approvals,
    /// rejections, whether the decider accepted them or not), no running session is active on a day from the
    /// red flag on while it is open.
    /// </summary>
    [Fact]
    public void NoActiveRunningSessionInAnyWeekWhileAPausingFindingIsOpen() =>
        Prop.ForAll(Stories().ToArbitrary(), story =>
        {
            var state = story.Play();
            var raisedDay = TrainingCalendar.LocalDate(story.Pause.RaisedAt);
            return state.Weeks.Values.All(week =>
                RunningPauses.Active(week, [story.Pause])!.Sessions.All(s => !SessionTypes.IsRun(s.Type) || s.Date < raisedDay));
        }).QuickCheckThrowOnFailure();

    /// <summary>A proposal made before a red flag never becomes the plan, before or after clearance, however often approved.</summary>
    [Fact]
    public void AVoidedProposalCanNeverBeApplied() =>
        Prop.ForAll(Stories().ToArbitrary(), Gen.Elements(true, false).ToArbitrary(), (story, cleared) =>
        {
            var pause = cleared ? story.Pause with { ClearedAt = story.Pause.RaisedAt.AddDays(2) } : story.Pause;
            var state = story.Play(pause);
            var voided = state.Pending.Values.Where(p => p.DecidedAt < pause.RaisedAt).ToList();
            foreach (var proposal in voided)
            {
                try
                {
                    var events = PlanDecider.Decide(new ApproveAdjustment(proposal.WeekStart, CoachId, [pause]), state, pause.RaisedAt.AddDays(3));
                    if (events.OfType<AdjustmentApproved>().Any())
                    {
                        return false;
                    }
                }
                catch (CoachingRuleViolation violation) when (violation.Code is "plan.proposal-void" or "plan.week-in-past")
                {
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();

    private static AdjustmentProposed ProposalFor(DateOnly weekStart, DateTimeOffset at) =>
        new(weekStart, AdjustmentOutcome.Hold, [RuleIds.Sleep], ["generated"], null, StandardWeek(weekStart, "proposed"), null, at);

    internal sealed record Story(List<Step> Before, RunningPause Pause, List<Step> After)
    {
        public PlanState Play() => Play(Pause);

        public PlanState Play(RunningPause pause)
        {
            var state = StateOf(Started);
            foreach (var step in Before.Concat(After))
            {
                var pauses = step.At >= pause.RaisedAt ? new[] { pause } : [];
                try
                {
                    state = PlanDecider.Decide(step.Command(pauses), state, step.At).Aggregate(state, PlanDecider.Evolve);
                }
                catch (CoachingRuleViolation)
                {
                    // Refused: the plan stays as it was, which is what the property must hold for.
                }
            }

            return state;
        }

        public override string ToString() => $"pause at {Pause.RaisedAt:O}; {Before.Count} steps before, {After.Count} after: {string.Join(", ", Before.Concat(After).Select(s => s.Name))}";
    }

    internal sealed record Step(string Name, DateTimeOffset At, Func<IReadOnlyList<RunningPause>, PlanCommand> Command);

    private static Gen<PlannedSession> SessionGen(string id, DateOnly weekStart) =>
        from day in Gen.Choose(0, 6)
        from type in Gen.Elements(AnyType)
        from hundreds in Gen.Choose(20, 200)
        select SessionTypes.IsRun(type)
            ? Session(id, weekStart.AddDays(day), type, hundreds * 100)
            : new PlannedSession(id, weekStart.AddDays(day), type, Intensity.Easy, null, type == SessionType.Rest ? null : 1800, "generated", []);

    private static Gen<Step> StepGen(int i, DateOnly start, int span) =>
        from kind in Gen.Choose(0, 4)
        from dayOffset in Gen.Choose(0, span)
        from hour in Gen.Choose(6, 22)
        from weekOffset in Gen.Choose(0, 2)
        from session in SessionGen($"s{i % 4}", TrainingCalendar.WeekStartOf(start.AddDays(dayOffset)).AddDays(7 * weekOffset))
        from sessions in Gen.Choose(0, 4).SelectMany(n => Gen.CollectToList(Enumerable.Range(0, n).Select(k => SessionGen($"p{i}-{k}", TrainingCalendar.WeekStartOf(start.AddDays(dayOffset)).AddDays(7 * weekOffset)))))
        from approval in Gen.Elements(true, false)
        let at = Clock.At(start.AddDays(dayOffset), hour)
        let week = TrainingCalendar.WeekStartOf(start.AddDays(dayOffset)).AddDays(7 * weekOffset)
        let nextWeek = TrainingCalendar.WeekStartOf(start.AddDays(dayOffset)).AddDays(7)
        select kind switch
        {
            0 => new Step($"plan {week}", at, pauses => new PlanWeek(week, sessions, CoachId, pauses)),
            1 => new Step($"edit {session.SessionId} {session.Type} {session.Date}", at, pauses => new EditSession(TrainingCalendar.WeekStartOf(session.Date), session, CoachId, pauses)),
            2 => new Step($"adjust {nextWeek}", at, _ => new AdjustWeek(nextWeek, AthleteHistory.Empty(TrainingCalendar.LocalDate(at)), [], approval ? NeedsApproval : SquadSettings.Default)),
            3 => new Step($"approve {nextWeek}", at, pauses => new ApproveAdjustment(nextWeek, CoachId, pauses)),
            _ => new Step($"reject {nextWeek}", at, _ => new RejectAdjustment(nextWeek, CoachId)),
        };

    private static Gen<Story> Stories() =>
        from before in Gen.Choose(0, 8).SelectMany(n => Gen.CollectToList(Enumerable.Range(0, n).Select(i => StepGen(i, PlanStart, 20))))
        from pauseDay in Gen.Choose(0, 27)
        from pauseHour in Gen.Choose(0, 23)
        from after in Gen.Choose(0, 8).SelectMany(n => Gen.CollectToList(Enumerable.Range(0, n).Select(i => StepGen(100 + i, PlanStart.AddDays(pauseDay), 14))))
        let raisedAt = Clock.At(PlanStart.AddDays(pauseDay), pauseHour)
        select new Story(
            [.. before.Where(s => s.At < raisedAt).OrderBy(s => s.At)],
            new RunningPause(Finding.IdFor(RuleIds.Saddle, "report:gen"), RuleIds.Saddle, raisedAt, null),
            [.. after.Where(s => s.At >= raisedAt).OrderBy(s => s.At)]);
}
