using CoachHub.Domain;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;
using CoachHub.Domain.Tests.Support;
using CoachHub.Domain.Triage;
using static CoachHub.Domain.Tests.Support.PlanFixtures;

namespace CoachHub.Domain.Tests;

public sealed class PlanDeciderTests
{
    private static readonly SquadSettings NeedsApproval = SquadSettings.Default with { AdjustmentsNeedApproval = true };

    private static AdjustWeek AdjustNext(SquadSettings? settings = null, params Finding[] open) =>
        new(NextMonday, DidLastWeek().Build(), open, settings ?? SquadSettings.Default);

    [Fact]
    public void StartingAPlanRecordsGoalAndVolume() =>
        Spec.Plan()
            .When(new StartPlan(AthleteId, "Dublin half marathon", PlanStart, 30_000), Clock.At(PlanStart.AddDays(-1), 12))
            .Then(Started);

    [Fact]
    public void APlanCannotBeStartedTwiceDifferently() =>
        Spec.Plan().Given(Started).When(new StartPlan(AthleteId, "Marathon", PlanStart, 50_000), Clock.At(PlanStart, 12)).ThenThrows("plan.already-started");

    [Fact]
    public void NothingCanBePlannedWithoutAPlan() =>
        Spec.Plan().When(new PlanWeek(NextMonday, [], CoachId, []), JobRuns).ThenThrows("plan.not-started");

    [Fact]
    public void PlanningAWeekRecordsItsSessions()
    {
        var week = StandardWeek(NextMonday);
        Spec.Plan().Given(Started).When(new PlanWeek(NextMonday, week.Sessions.Reverse().ToList(), CoachId, []), JobRuns)
            .Then(new WeekPlanned(NextMonday, week.Sessions, CoachId, JobRuns));
    }

    [Fact]
    public void AWeekStartsOnMonday() =>
        Spec.Plan().Given(Started).When(new PlanWeek(NextMonday.AddDays(1), [], CoachId, []), JobRuns).ThenRejectsField("weekStart");

    [Fact]
    public void SessionsMustFallInsideTheWeek() =>
        Spec.Plan().Given(Started)
            .When(new PlanWeek(NextMonday, [Session("x", NextMonday.AddDays(7), SessionType.Easy, 5_000)], CoachId, []), JobRuns)
            .ThenRejectsField("sessions[0].date");

    [Fact]
    public void ARunNeedsADistanceOrADuration() =>
        Spec.Plan().Given(Started)
            .When(new PlanWeek(NextMonday, [Session("x", NextMonday, SessionType.Easy, 5_000) with { DistanceMeters = null }], CoachId, []), JobRuns)
            .ThenRejectsField("sessions[0].distanceMeters");

    [Fact]
    public void AWeekIsPlannedOnce() =>
        Spec.Plan().Given(Started, Planned(StandardWeek(NextMonday)))
            .When(new PlanWeek(NextMonday, [], CoachId, []), JobRuns)
            .ThenThrows("plan.week-already-planned");

    [Fact]
    public void WeeksThatAreOverCannotBePlanned() =>
        Spec.Plan().Given(Started).When(new PlanWeek(LastMonday.AddDays(-7), [], CoachId, []), JobRuns).ThenThrows("plan.week-in-past");

    [Fact]
    public void ACoachCanEditAFutureSession()
    {
        var edited = Session("w-thu", NextMonday.AddDays(3), SessionType.Tempo, 9_000);
        var spec = Spec.Plan().Given(Started, Planned(StandardWeek(NextMonday))).When(new EditSession(NextMonday, edited, CoachId, []), JobRuns);
        spec.Then(new SessionEdited(NextMonday, edited, CoachId, JobRuns));
        var state = spec.StateAfterDecision();
        Assert.Contains("w-thu", state.EditedIn(NextMonday));
        Assert.Equal(EventJson.Of(edited), EventJson.Of(state.WeekOf(NextMonday)!.Sessions.Single(s => s.SessionId == "w-thu")));
    }

    [Fact]
    public void ACoachRemovesAFutureSessionOnceAndAnApprovalNeverBringsItBack()
    {
        var spec = Spec.Plan().Given(Started, Planned(StandardWeek(NextMonday))).When(new RemoveSession(NextMonday, "w-thu", CoachId), JobRuns);
        spec.Then(new SessionRemoved(NextMonday, "w-thu", CoachId, JobRuns));
        var state = spec.StateAfterDecision();
        Assert.DoesNotContain(state.WeekOf(NextMonday)!.Sessions, s => s.SessionId == "w-thu");
        Assert.Contains("w-thu", state.EditedIn(NextMonday));
        var removed = new SessionRemoved(NextMonday, "w-thu", CoachId, JobRuns);
        Spec.Plan().Given(Started, Planned(StandardWeek(NextMonday)), removed).When(new RemoveSession(NextMonday, "w-thu", CoachId), JobRuns).Then();
        Spec.Plan().Given(Started, Planned(StandardWeek(NextMonday))).When(new RemoveSession(NextMonday, "nope", CoachId), JobRuns).ThenThrows("plan.session-unknown");
        Spec.Plan().Given(Started, Planned(StandardWeek(LastMonday)))
            .When(new RemoveSession(LastMonday, "w-tue", CoachId), Clock.At(LastMonday.AddDays(3), 12)).ThenThrows("plan.session-in-past");

        // A proposal made before the removal holds the session: merging it keeps the coach's removal.
        var merged = WeeklyAdjustment.Merge(NextMonday, state.WeekOf(NextMonday), StandardWeek(NextMonday), state.EditedIn(NextMonday), Sunday);
        Assert.DoesNotContain(merged!.Sessions, s => s.SessionId == "w-thu");
        Assert.Equal(StandardWeek(NextMonday).Sessions.Count - 1, merged.Sessions.Count);
    }

    [Fact]
    public void SessionsOnDaysAlreadyPastCannotBeEdited() =>
        Spec.Plan().Given(Started, Planned(StandardWeek(LastMonday)))
            .When(new EditSession(LastMonday, Session("w-tue", LastMonday.AddDays(1), SessionType.Easy, 3_000), CoachId, []), Clock.At(LastMonday.AddDays(3), 12))
            .ThenThrows("plan.session-in-past");

    [Fact]
    public void AnUnplannedWeekHasNoSessionsToEdit() =>
        Spec.Plan().Given(Started)
            .When(new EditSession(NextMonday, Session("x", NextMonday, SessionType.Easy, 3_000), CoachId, []), JobRuns)
            .ThenThrows("plan.week-not-planned");

    [Fact]
    public void TheWeeklyAdjustmentIsRecordedWithItsRulesAndBothWeeks()
    {
        var events = Spec.Plan().Given(Started, Planned(StandardWeek(LastMonday))).When(AdjustNext(), JobRuns).ThenEvents();
        var adjusted = Assert.IsType<WeekAdjusted>(Assert.Single(events));
        Assert.Equal(AdjustmentOutcome.Progress, adjusted.Outcome);
        Assert.Equal([PlanRuleIds.Progress], adjusted.RuleIds);
        Assert.Null(adjusted.From);
        Assert.Equal(33_000, RunDistance(adjusted.To));
        Assert.Equal(JobRuns, adjusted.AdjustedAt);
    }

    [Fact]
    public void AdjustingAnAdjustedWeekAgainChangesNothing()
    {
        var first = Spec.Plan().Given(Started, Planned(StandardWeek(LastMonday))).When(AdjustNext(), JobRuns).ThenEvents();
        Spec.Plan().Given(Started, Planned(StandardWeek(LastMonday))).Given(first.ToArray())
            .When(AdjustNext(null, FindingOf(RuleIds.Night, Severity.Urgent)), JobRuns.AddHours(1))
            .Then();
    }

    [Fact]
    public void WeeksThatAreOverAreNeverAdjusted() =>
        Spec.Plan().Given(Started).When(AdjustNext(), Clock.At(NextMonday.AddDays(7))).ThenThrows("plan.week-in-past");

    [Fact]
    public void WhenTheSquadWantsApprovalTheChangeIsProposed()
    {
        var spec = Spec.Plan().Given(Started, Planned(StandardWeek(LastMonday))).When(AdjustNext(NeedsApproval), JobRuns);
        var proposed = Assert.IsType<AdjustmentProposed>(Assert.Single(spec.ThenEvents()));
        Assert.Equal(AdjustmentOutcome.Progress, proposed.Outcome);
        var state = spec.StateAfterDecision();
        Assert.Null(state.WeekOf(NextMonday));
        Assert.True(state.Pending.ContainsKey(NextMonday));
    }

    [Fact]
    public void APauseAppliesAtOnceEvenWhenChangesNeedApproval()
    {
        var events = Spec.Plan().Given(Started, Planned(StandardWeek(LastMonday)))
            .When(AdjustNext(NeedsApproval, FindingOf(RuleIds.Saddle, Severity.Emergency)), JobRuns)
            .ThenEvents();
        var adjusted = Assert.IsType<WeekAdjusted>(Assert.Single(events));
        Assert.Equal(AdjustmentOutcome.Pause, adjusted.Outcome);
        Assert.Equal([RuleIds.Saddle], adjusted.RuleIds);
    }

    [Fact]
    public void ApprovingAppliesTheProposal()
    {
        var proposal = Spec.Plan().Given(Started, Planned(StandardWeek(LastMonday))).When(AdjustNext(NeedsApproval), JobRuns).ThenEvents();
        var proposed = (AdjustmentProposed)proposal[0];
        var spec = Spec.Plan().Given(Started, Planned(StandardWeek(LastMonday))).Given(proposal.ToArray()).When(new ApproveAdjustment(NextMonday, CoachId, []), JobRuns.AddHours(2));
        spec.Then(new AdjustmentApproved(NextMonday, CoachId, proposed.To, JobRuns.AddHours(2)));
        var state = spec.StateAfterDecision();
        Assert.Equal(EventJson.Of(proposed.To), EventJson.Of(state.WeekOf(NextMonday)!));
        Assert.Empty(state.Pending);
        Assert.True(state.Adjustments.ContainsKey(NextMonday));
    }

    [Fact]
    public void ApprovalKeepsEditsMadeWhileTheProposalWaited()
    {
        var preplanned = StandardWeek(NextMonday, "next");
        var given = new object[] { Started, Planned(StandardWeek(LastMonday)), Planned(preplanned) };
        var proposal = Spec.Plan().Given(given).When(AdjustNext(NeedsApproval, FindingOf(RuleIds.PainHigh, Severity.Warning)), JobRuns).ThenEvents();
        var edited = Session("next-sat", NextMonday.AddDays(5), SessionType.LongRun, 16_000);
        var events = Spec.Plan().Given(given).Given(proposal.ToArray()).Given(new SessionEdited(NextMonday, edited, CoachId, JobRuns))
            .When(new ApproveAdjustment(NextMonday, CoachId, []), JobRuns.AddHours(2))
            .ThenEvents();
        var applied = Assert.IsType<AdjustmentApproved>(Assert.Single(events)).Applied;
        Assert.Equal(EventJson.Of(edited), EventJson.Of(applied.Sessions.Single(s => s.SessionId == "next-sat")));
    }

    [Fact]
    public void ThereMustBeAProposalToApprove() =>
        Spec.Plan().Given(Started).When(new ApproveAdjustment(NextMonday, CoachId, []), JobRuns).ThenThrows("plan.no-pending-adjustment");

    [Fact]
    public void RejectingAProposalLeavesTheWeekAsItWas()
    {
        var preplanned = StandardWeek(NextMonday, "next");
        var given = new object[] { Started, Planned(StandardWeek(LastMonday)), Planned(preplanned) };
        var proposal = Spec.Plan().Given(given).When(AdjustNext(NeedsApproval, FindingOf(RuleIds.PainHigh, Severity.Warning)), JobRuns).ThenEvents();
        var spec = Spec.Plan().Given(given).Given(proposal.ToArray()).When(new RejectAdjustment(NextMonday, CoachId, "She feels fine"), JobRuns.AddHours(1));
        spec.Then(new AdjustmentRejected(NextMonday, CoachId, "She feels fine", preplanned, JobRuns.AddHours(1)));
        Assert.Empty(spec.StateAfterDecision().Pending);
    }

    [Fact]
    public void RejectingAnAppliedChangeRestoresThePreviousWeek()
    {
        var preplanned = StandardWeek(NextMonday, "next");
        var given = new object[] { Started, Planned(StandardWeek(LastMonday)), Planned(preplanned) };
        var adjusted = Spec.Plan().Given(given).When(AdjustNext(null, FindingOf(RuleIds.PainHigh, Severity.Warning)), JobRuns).ThenEvents();
        Assert.Equal(AdjustmentOutcome.Deload, ((WeekAdjusted)adjusted[0]).Outcome);

        var spec = Spec.Plan().Given(given).Given(adjusted.ToArray()).When(new RejectAdjustment(NextMonday, CoachId), JobRuns.AddHours(1));
        spec.Then(new AdjustmentRejected(NextMonday, CoachId, null, preplanned, JobRuns.AddHours(1)));
        var state = spec.StateAfterDecision();
        Assert.Equal(EventJson.Of(preplanned), EventJson.Of(state.WeekOf(NextMonday)!));
        Assert.False(state.Adjustments.ContainsKey(NextMonday));
    }

    [Fact]
    public void RejectingTwiceIsARetry()
    {
        var adjusted = Spec.Plan().Given(Started, Planned(StandardWeek(LastMonday))).When(AdjustNext(), JobRuns).ThenEvents();
        Spec.Plan().Given(Started, Planned(StandardWeek(LastMonday))).Given(adjusted.ToArray())
            .Given(new AdjustmentRejected(NextMonday, CoachId, null, null, JobRuns))
            .When(new RejectAdjustment(NextMonday, CoachId), JobRuns.AddHours(1))
            .Then();
    }

    [Fact]
    public void APauseCannotBeRejected()
    {
        var paused = Spec.Plan().Given(Started, Planned(StandardWeek(LastMonday)))
            .When(AdjustNext(null, FindingOf(RuleIds.Fever, Severity.Urgent)), JobRuns).ThenEvents();
        Spec.Plan().Given(Started, Planned(StandardWeek(LastMonday))).Given(paused.ToArray())
            .When(new RejectAdjustment(NextMonday, CoachId), JobRuns.AddHours(1))
            .ThenThrows("plan.pause-not-rejectable");
    }

    [Fact]
    public void NothingToRejectWithoutAnAdjustment() =>
        Spec.Plan().Given(Started).When(new RejectAdjustment(NextMonday, CoachId), JobRuns).ThenThrows("plan.no-adjustment");

    [Fact]
    public void ClearanceAfterAPauseStartsTheReturnToRun()
    {
        var pause = new WeekAdjusted(LastMonday, AdjustmentOutcome.Pause, [RuleIds.Night], [], null, new PlannedWeek(LastMonday, []), null, Clock.At(LastMonday.AddDays(-1), 18));
        var clearedAt = Clock.At(LastMonday.AddDays(4), 16);
        var history = new HistoryBuilder(Sunday).Clearance(clearedAt).Build();

        var spec = Spec.Plan().Given(Started, pause).When(new AdjustWeek(NextMonday, history, [], SquadSettings.Default), JobRuns);
        var events = spec.ThenEvents();
        Assert.Equal(AdjustmentOutcome.ReturnToRun, Assert.IsType<WeekAdjusted>(events[0]).Outcome);
        Assert.Equal(new ReturnToRunStarted(NextMonday, 1, clearedAt), events[1]);
        Assert.Equal(new ReturnToRunState(1, clearedAt, false), spec.StateAfterDecision().ReturnToRun);
    }

    [Fact]
    public void AnApprovedReturnToRunStepIsRecordedOnApproval()
    {
        var pause = new WeekAdjusted(LastMonday, AdjustmentOutcome.Pause, [RuleIds.Night], [], null, new PlannedWeek(LastMonday, []), null, Clock.At(LastMonday.AddDays(-1), 18));
        var clearedAt = Clock.At(LastMonday.AddDays(4), 16);
        var history = new HistoryBuilder(Sunday).Clearance(clearedAt).Build();
        var proposal = Spec.Plan().Given(Started, pause).When(new AdjustWeek(NextMonday, history, [], NeedsApproval), JobRuns).ThenEvents();
        Assert.IsType<AdjustmentProposed>(Assert.Single(proposal));

        var events = Spec.Plan().Given(Started, pause).Given(proposal.ToArray()).When(new ApproveAdjustment(NextMonday, CoachId, []), JobRuns.AddHours(1)).ThenEvents();
        Assert.IsType<AdjustmentApproved>(events[0]);
        Assert.Equal(new ReturnToRunStarted(NextMonday, 1, clearedAt), events[1]);
    }

    [Fact]
    public void InvalidSettingsAreRefused() =>
        Spec.Plan().Given(Started).When(AdjustNext(SquadSettings.Default with { DeloadEveryBuildWeeks = 9 }), JobRuns).ThenRejectsField("settings.deloadEveryBuildWeeks");
}
