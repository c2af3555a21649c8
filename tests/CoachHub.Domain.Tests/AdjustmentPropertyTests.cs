using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;
using CoachHub.Domain.Tests.Support;
using CoachHub.Domain.Triage;
using FsCheck;
using FsCheck.Fluent;

namespace CoachHub.Domain.Tests;

/// <summary>Properties of the weekly adjustment over generated plans, histories, findings and coach edits.</summary>
public sealed class AdjustmentPropertyTests
{
    private static readonly string[] RuleIdPool = [RuleIds.Spike, RuleIds.NoRest, RuleIds.PainHigh, RuleIds.PainNextDay, RuleIds.Night, RuleIds.Saddle, RuleIds.Sleep, RuleIds.PainOk];

    private static readonly SessionType[] RunTypes = [SessionType.Easy, SessionType.LongRun, SessionType.Tempo, SessionType.Intervals, SessionType.Hills];

    [Fact]
    public void ProgressNeverExceedsTenPercentWeeklyVolumeOrTheLongRunCap() =>
        Prop.ForAll(Scenarios(Family.Progress), s =>
        {
            var decision = s.Decide();
            var free = s.FreeSessions(decision);
            var longestAllowed = s.LongestRecentRun * 110L / 100;
            return decision.Outcome == AdjustmentOutcome.Progress
                && WeekVolume.DistanceMeters(free) <= Math.Max(0, (s.PreviousDistance * 110L / 100) - s.FixedDistance())
                && (s.PreviousDuration == 0 || WeekVolume.DurationSeconds(free) <= Math.Max(0, (s.PreviousDuration * 110L / 100) - s.FixedDuration()))
                && (s.LongestRecentRun == 0 || free.Where(x => SessionTypes.IsRun(x.Type)).All(x => (x.DistanceMeters ?? 0) <= longestAllowed));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void DeloadNeverRaisesVolumeAndTakesAboutThirtyPercentOff() =>
        Prop.ForAll(Scenarios(Family.Deload), s =>
        {
            var decision = s.Decide();
            var free = s.FreeSessions(decision);
            return decision.Outcome == AdjustmentOutcome.Deload
                && WeekVolume.DistanceMeters(free) <= Math.Max(0, (s.PreviousDistance * 70L / 100) - s.FixedDistance())
                && WeekVolume.DurationSeconds(free) <= WeekVolume.DurationSeconds(s.Template)
                && !free.Any(x => x.Type is SessionType.Intervals or SessionType.Hills)
                && free.Any(x => x.Type == SessionType.Strength)
                && free.Any(x => x.Type == SessionType.Mobility);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void AnOpenEmergencyOrUrgentFindingAlwaysPausesAndPauseNeverRaisesVolume() =>
        Prop.ForAll(Scenarios(Family.Pause), s =>
        {
            var decision = s.Decide();
            var free = s.FreeSessions(decision);
            return decision.Outcome == AdjustmentOutcome.Pause
                && !free.Any(x => SessionTypes.IsRun(x.Type))
                && WeekVolume.DistanceMeters(decision.NextWeek) == s.FixedDistance()
                && WeekVolume.DistanceMeters(decision.NextWeek) <= Math.Max(s.PreviousDistance, s.FixedDistance())
                && decision.RuleIds.All(id => s.Open.Any(f => f.RuleId == id && f.Severity >= Severity.Urgent));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void TheAdjustmentIsDeterministic() =>
        Prop.ForAll(Scenarios(Family.Any), s =>
        {
            var once = EventJson.Of(s.Decide());
            var twice = EventJson.Of(s.Decide());
            var reordered = s with
            {
                History = s.History with { Runs = s.History.Runs.Reverse().ToList(), PainReports = s.History.PainReports.Reverse().ToList() },
                Open = s.Open.Reverse().ToList(),
            };
            return once == twice && once == EventJson.Of(reordered.Decide());
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void ManualEditsAndPastDaysSurviveAutomationApprovalAndRejection() =>
        Prop.ForAll(Scenarios(Family.Any), s =>
        {
            var now = Clock.At(s.History.Today, 18);
            var state = s.Plan;
            var before = state.WeekOf(s.WeekStart);
            state = Apply(state, PlanDecider.Decide(new AdjustWeek(s.WeekStart, s.History, s.Open, s.Settings), state, now));
            if (state.Pending.ContainsKey(s.WeekStart))
            {
                state = Apply(state, PlanDecider.Decide(new ApproveAdjustment(s.WeekStart, PlanFixtures.CoachId, []), state, now));
            }

            var ok = Survived(s, before, state.WeekOf(s.WeekStart));
            if (state.Adjustments.TryGetValue(s.WeekStart, out var applied) && applied.Outcome != AdjustmentOutcome.Pause)
            {
                state = Apply(state, PlanDecider.Decide(new RejectAdjustment(s.WeekStart, PlanFixtures.CoachId), state, now));
                ok &= Survived(s, before, state.WeekOf(s.WeekStart));
                ok &= before is null || SameSessions(before, state.WeekOf(s.WeekStart));
            }

            return ok && (state.WeekOf(s.WeekStart)?.Sessions ?? []).All(x => x.Date >= s.WeekStart && x.Date <= s.WeekStart.AddDays(6));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void WhatAutomationPlansLiesWithinTheAthletesAvailability() =>
        Prop.ForAll(Scenarios(Family.Any), AvailabilityGen().ToArbitrary(), (s, availability) =>
        {
            var limited = s with { History = s.History with { Availability = availability } };
            var decision = limited.Decide();
            var fixedIds = limited.FixedIds();
            var pace = AvailabilityFit.SecondsPerKm(s.History.Runs, s.WeekStart);
            return decision.NextWeek.Sessions.GroupBy(x => x.Date).All(day =>
            {
                var free = day.Where(x => !fixedIds.Contains(x.SessionId)).ToList();
                if (free.Count == 0) return true;
                var kept = day.Where(x => fixedIds.Contains(x.SessionId)).ToList();
                var allowed = availability.SecondsOn(day.Key.DayOfWeek);
                var main = free.Count(x => SessionTypes.IsRun(x.Type) || x.Type == SessionType.CrossTraining);
                return allowed > 0
                    && day.Sum(x => (long)AvailabilityFit.Seconds(x, pace)) <= allowed
                    && (main == 0 || (main == 1 && !kept.Any(x => SessionTypes.IsRun(x.Type) || x.Type == SessionType.CrossTraining)))
                    && free.GroupBy(x => x.Type).All(g => g.Count() == 1);
            });
        }).QuickCheckThrowOnFailure();

    private static Gen<WeeklyAvailability> AvailabilityGen() =>
        from days in Gen.SubListOf(Enum.GetValues<DayOfWeek>()).Where(d => d.Count > 0)
        from limits in Gen.CollectToList(days.Select(_ => Gen.Elements<int?>(null, 20, 30, 45, 60, 90, 120)))
        select new WeeklyAvailability(days.Zip(limits, (d, m) => new AvailableDay(d, m)).ToList());

    private static PlanState Apply(PlanState state, IReadOnlyList<object> events) => events.Aggregate(state, PlanDecider.Evolve);

    private static bool SameSessions(PlannedWeek expected, PlannedWeek? actual) =>
        actual is not null
        && EventJson.Of(expected.Sessions.OrderBy(x => x.SessionId, StringComparer.Ordinal).ToList())
            == EventJson.Of(actual.Sessions.OrderBy(x => x.SessionId, StringComparer.Ordinal).ToList());

    private static bool Survived(Scenario s, PlannedWeek? before, PlannedWeek? after)
    {
        var kept = (before?.Sessions ?? []).Where(x => s.Plan.EditedIn(s.WeekStart).Contains(x.SessionId) || x.Date < s.History.Today);
        return kept.All(k => after is not null && after.Sessions.Count(x => x.SessionId == k.SessionId) == 1
            && EventJson.Of(after.Sessions.Single(x => x.SessionId == k.SessionId)) == EventJson.Of(k));
    }

    // ---- Generators ---------------------------------------------------------------------------------------------

    internal enum Family
    {
        Any,
        Progress,
        Deload,
        Pause,
    }

    internal sealed record Scenario(
        PlanState Plan,
        AthleteHistory History,
        IReadOnlyList<Finding> Open,
        SquadSettings Settings,
        DateOnly WeekStart,
        int PreviousDistance,
        int PreviousDuration,
        int LongestRecentRun,
        IReadOnlyList<PlannedSession> Template)
    {
        public AdjustmentDecision Decide() => WeeklyAdjustment.Decide(Plan, History, Open, Settings, WeekStart);

        public HashSet<string> FixedIds() => Fixed().Select(x => x.SessionId).ToHashSet(StringComparer.Ordinal);

        private IEnumerable<PlannedSession> Fixed() =>
            (Plan.WeekOf(WeekStart)?.Sessions ?? []).Where(x => Plan.EditedIn(WeekStart).Contains(x.SessionId) || x.Date < History.Today);

        public int FixedDistance() => WeekVolume.DistanceMeters(Fixed());

        public int FixedDuration() => WeekVolume.DurationSeconds(Fixed());

        public List<PlannedSession> FreeSessions(AdjustmentDecision decision)
        {
            var fixedIds = Fixed().Select(x => x.SessionId).ToHashSet(StringComparer.Ordinal);
            return decision.NextWeek.Sessions.Where(x => !fixedIds.Contains(x.SessionId)).ToList();
        }

        public override string ToString() => EventJson.Of(new { WeekStart, Today = History.Today, Open, Weeks = Plan.Weeks.Values, Edited = Plan.EditedIn(WeekStart), History.Runs, History.PainReports });
    }

    private static Gen<List<T>> Many<T>(int min, int max, Func<int, Gen<T>> item) =>
        Gen.Choose(min, max).SelectMany(n => Gen.CollectToList(Enumerable.Range(0, n).Select(item))).Select(xs => xs.ToList());

    private static Gen<PlannedSession> SessionGen(string id, DateOnly weekStart, bool runOnly = false) =>
        from day in Gen.Choose(0, 6)
        from type in runOnly ? Gen.Elements(RunTypes) : Gen.Elements(RunTypes.Append(SessionType.Strength).Append(SessionType.Easy).ToArray())
        from hundreds in Gen.Choose(20, 250)
        from withDuration in Gen.Elements(true, false, false)
        from minutes in Gen.Choose(15, 150)
        select type == SessionType.Strength
            ? SessionLibrary.Strength(id, weekStart.AddDays(day))
            : new PlannedSession(id, weekStart.AddDays(day), type, SessionTypes.IsHard(type) ? Intensity.Hard : Intensity.Easy, hundreds * 100, withDuration ? minutes * 60 : null, "generated", []);

    private static Gen<List<PlannedSession>> WeekGen(string prefix, DateOnly weekStart) =>
        from first in SessionGen($"{prefix}0", weekStart, runOnly: true)
        from rest in Many(0, 5, i => SessionGen($"{prefix}{i + 1}", weekStart))
        select rest.Prepend(first).ToList();

    private static Gen<Finding> FindingGen(Family family, int i) =>
        from rule in Gen.Elements(RuleIdPool)
        from severity in family switch
        {
            Family.Progress => Gen.Constant(Severity.Info),
            Family.Deload => Gen.Elements(Severity.Info, Severity.Watch, Severity.Warning),
            _ => Gen.Elements(Severity.Info, Severity.Watch, Severity.Warning, Severity.Urgent, Severity.Emergency),
        }
        select PlanFixtures.FindingOf(rule, severity, $"k{i}");

    private static Arbitrary<Scenario> Scenarios(Family family) =>
        (from weeksIn in Gen.Choose(1, family == Family.Progress ? 3 : 9)
         from weekly in Gen.Choose(10, 80)
         from mondayOffset in Gen.Choose(0, 20)
         let weekStart = new DateOnly(2025, 6, 2).AddDays(7 * mondayOffset)
         from previous in WeekGen("p", weekStart.AddDays(-7))
         from targetPlanned in Gen.Elements(true, false)
         from target in WeekGen("t", weekStart)
         from todayOffset in family == Family.Any ? Gen.Choose(-1, 3) : Gen.Constant(-1)
         let today = weekStart.AddDays(todayOffset)
         from edits in targetPlanned ? Many(0, 3, i => SessionGen(i == 0 ? "t0" : $"e{i}", weekStart)) : Gen.Constant(new List<PlannedSession>())
         from olderRuns in Many(0, 8, i => from back in Gen.Choose(8, 35) from km in Gen.Choose(2, 30) from rpe in Gen.Choose(1, 10) select (Back: back, Km: km, Rpe: rpe))
         from pains in family is Family.Progress or Family.Deload ? Gen.Constant(new List<int>()) : Many(0, 3, _ => Gen.Choose(0, 8))
         from open in Many(family is Family.Any or Family.Progress ? 0 : 1, 3, i => FindingGen(family, i))
         from urgent in FindingGen(Family.Any, 99).Where(f => f.Severity >= Severity.Urgent)
         from warning in Gen.Elements(RuleIds.PainHigh, RuleIds.PainPersistent, RuleIds.Spike)
         from deloadEvery in Gen.Choose(4, 6)
         from approval in Gen.Elements(true, false)
         select Build(family, weeksIn, weekly, weekStart, previous, targetPlanned ? target : null, today, edits, olderRuns, pains, open, urgent, warning, deloadEvery, approval))
        .ToArbitrary();

    private static Scenario Build(
        Family family,
        int weeksIn,
        int weeklyKm,
        DateOnly weekStart,
        List<PlannedSession> previous,
        List<PlannedSession>? target,
        DateOnly today,
        List<PlannedSession> edits,
        List<(int Back, int Km, int Rpe)> olderRuns,
        List<int> pains,
        List<Finding> open,
        Finding urgent,
        string warning,
        int deloadEvery,
        bool approval)
    {
        var startDate = weekStart.AddDays(-7 * weeksIn);
        var events = new List<object>
        {
            new PlanStarted(PlanFixtures.AthleteId, "generated", startDate, weeklyKm * 1000, Clock.At(startDate.AddDays(-1), 12)),
            new WeekPlanned(weekStart.AddDays(-7), previous, PlanFixtures.CoachId, Clock.At(startDate, 12)),
        };
        if (target is not null)
        {
            events.Add(new WeekPlanned(weekStart, target, PlanFixtures.CoachId, Clock.At(startDate, 12)));
            events.AddRange(edits.Where(e => e.Date >= today).Select(e => new SessionEdited(weekStart, e, PlanFixtures.CoachId, Clock.At(startDate, 13))));
        }

        var plan = events.Aggregate(PlanDecider.Initial, PlanDecider.Evolve);

        var history = new HistoryBuilder(today);
        foreach (var done in previous.Where(x => SessionTypes.IsRun(x.Type)))
        {
            // The Progress family does last week's plan exactly, so compliance is 100%.
            if (family == Family.Progress || done.Date.DayNumber % 3 != 0)
            {
                history.Run(done.Date, (done.DistanceMeters ?? 5_000) / 1000.0, WorkoutType.Easy);
            }
        }

        foreach (var (back, km, rpe) in olderRuns)
        {
            history.Run(weekStart.AddDays(-back), km, rpe: rpe);
        }

        foreach (var (pain, i) in pains.Select((p, i) => (p, i)))
        {
            history.Report(weekStart.AddDays(-1 - i), pain);
        }

        var findings = family switch
        {
            Family.Pause => [.. open, urgent],
            Family.Deload => [.. open, PlanFixtures.FindingOf(warning, Severity.Warning, "forced")],
            _ => open,
        };

        var built = history.Build();
        var template = plan.WeekOf(weekStart)?.Sessions.Where(x => !plan.EditedIn(weekStart).Contains(x.SessionId) && x.Date >= today).ToList()
            ?? previous.Select(x => x with { Date = x.Date.AddDays(7) }).ToList();
        return new Scenario(
            plan,
            built,
            findings,
            SquadSettings.Default with { DeloadEveryBuildWeeks = deloadEvery, AdjustmentsNeedApproval = approval },
            weekStart,
            WeekVolume.DistanceMeters(previous),
            WeekVolume.DurationSeconds(previous),
            Load.LoadMetrics.LongestRunMeters(built.Runs, weekStart),
            template);
    }
}
