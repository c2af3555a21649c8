using System.Globalization;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Load;
using CoachHub.Domain.Squads;
using CoachHub.Domain.Triage;

namespace CoachHub.Domain.Plans;

/// <summary>What the weekly adjustment decided, why (rule ids and reasons), and the week it produced.</summary>
public sealed record AdjustmentDecision(
    AdjustmentOutcome Outcome,
    IReadOnlyList<string> RuleIds,
    IReadOnlyList<string> Reasons,
    PlannedWeek NextWeek,
    ReturnToRunStep? ReturnToRun);

/// <summary>Plan-level rule ids, for adjustments that no clinical finding drives.</summary>
public static class PlanRuleIds
{
    /// <summary>A coach recorded clearance by a professional: start the walk-run return.</summary>
    public const string Cleared = "PL-CLEARED";

    /// <summary>The walk-run return continues (progressing, repeating or completing a phase).</summary>
    public const string ReturnToRun = "PL-RETURN-TO-RUN";

    /// <summary>Running stays paused until clearance is recorded.</summary>
    public const string AwaitingClearance = "PL-AWAITING-CLEARANCE";

    /// <summary>Every Nth build week is a deload week (squad setting, 4-6).</summary>
    public const string DeloadCycle = "PL-DELOAD-CYCLE";

    /// <summary>Pain of 4-5/10 last week: hold.</summary>
    public const string ModeratePain = "PL-PAIN-MODERATE";

    /// <summary>Less than 80% of last week's plan was done: hold.</summary>
    public const string LowCompliance = "PL-COMPLIANCE";

    /// <summary>No previous planned week to progress from: hold at the starting volume.</summary>
    public const string Baseline = "PL-BASELINE";

    /// <summary>Pain 3/10 or less, nothing at warning or above, 80%+ compliance: progress.</summary>
    public const string Progress = "PL-PROGRESS";
}

/// <summary>
/// The weekly plan adjustment of clinical-rules.md, as one deterministic pure function: the first row that applies
/// wins (Pause, ReturnToRun, Deload, Hold, Progress). Volume is running distance (and duration, for sessions
/// planned by time), measured against last week's plan.
/// </summary>
public static class WeeklyAdjustment
{
    public const int ProgressPercent = 110;
    public const int DeloadPercent = 70;
    public const int ProgressComplianceMinimum = 80;
    public const int HoldPainFrom = 4;

    public static AdjustmentDecision Decide(PlanState plan, AthleteHistory history, IReadOnlyList<Finding> openFindings, SquadSettings settings, DateOnly weekStart)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(openFindings);
        ArgumentNullException.ThrowIfNull(settings);
        var week = new WeekContext(plan, history, weekStart);

        var pausing = openFindings.Where(f => RunningPauses.Pauses(f.Severity)).OrderBy(f => f.FindingId, StringComparer.Ordinal).ToList();
        if (pausing.Count > 0)
        {
            return Pause(week, RuleIdsOf(pausing), pausing.Select(f => $"{f.RuleId}: {f.CoachMessage}"));
        }

        var clearance = history.Clearances
            .Where(c => c.ClearedAt > (plan.ReturnToRun?.ClearedAt ?? plan.StartedAt))
            .OrderBy(c => c.ClearedAt)
            .LastOrDefault();
        if (clearance is not null)
        {
            var step = new ReturnToRunStep(ReturnToRunStepKind.Started, 0, 1, clearance.ClearedAt);
            return ReturnToRun(week, step, [PlanRuleIds.Cleared], $"Cleared to run after assessment by {clearance.AssessedBy} on {Key(clearance.AssessedOn)}: walk-run return starts at phase 1.");
        }

        var lastApplied = plan.Adjustments.Where(a => a.Key < weekStart).Select(a => a.Value).LastOrDefault();
        if (lastApplied?.Outcome == AdjustmentOutcome.Pause)
        {
            var ids = lastApplied.RuleIds.Append(PlanRuleIds.AwaitingClearance).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            return Pause(week, ids, ["Running stays paused until the coach records that a healthcare professional has cleared the athlete."]);
        }

        if (plan.ReturnToRun is { Completed: false } returning)
        {
            return ContinueReturn(week, returning);
        }

        var pain = PeakPain(history, weekStart.AddDays(-7), weekStart.AddDays(-1));
        var warnings = openFindings.Where(f => f.Severity == Severity.Warning).OrderBy(f => f.FindingId, StringComparer.Ordinal).ToList();
        if (warnings.Count > 0 || pain > PainMonitoringRules.AcceptableMax)
        {
            var ids = RuleIdsOf(warnings);
            var reasons = warnings.Select(f => $"{f.RuleId}: {f.CoachMessage}").ToList();
            if (pain > PainMonitoringRules.AcceptableMax && !ids.Contains(RuleIds.PainHigh))
            {
                ids = [.. ids.Append(RuleIds.PainHigh).Order(StringComparer.Ordinal)];
                reasons.Add($"Pain reached {pain}/10 last week.");
            }

            return Deload(week, ids, reasons);
        }

        var buildWeeks = BuildWeeks(plan, weekStart);
        if (buildWeeks >= settings.DeloadEveryBuildWeeks)
        {
            return Deload(week, [PlanRuleIds.DeloadCycle], [$"Planned deload week after {buildWeeks} build weeks (every {settings.DeloadEveryBuildWeeks})."]);
        }

        // Load watches (LD-*) hold; context watches (CX-*) are explained beside the outcome but do not block progress.
        var watching = openFindings.Where(f => f.Severity == Severity.Watch && ClinicalRules.HoldsProgress(f.RuleId)).OrderBy(f => f.FindingId, StringComparer.Ordinal).ToList();
        var context = openFindings.Where(f => f.Severity == Severity.Watch && !ClinicalRules.HoldsProgress(f.RuleId)).OrderBy(f => f.FindingId, StringComparer.Ordinal)
            .Select(f => $"{f.RuleId} (context, does not hold progress): {f.CoachMessage}").ToList();
        if (watching.Count > 0 || pain >= HoldPainFrom)
        {
            var ids = RuleIdsOf(watching);
            var reasons = watching.Select(f => $"{f.RuleId}: {f.CoachMessage}").Concat(context).ToList();
            if (pain >= HoldPainFrom)
            {
                ids = [.. ids.Append(PlanRuleIds.ModeratePain).Order(StringComparer.Ordinal)];
                reasons.Add($"Pain reached {pain}/10 last week: acceptable, but not the time to build.");
            }

            return Hold(week, ids, reasons);
        }

        if (week.PreviousPlanned is null)
        {
            return Hold(week, [PlanRuleIds.Baseline], ["No planned week before this one: holding at the starting volume.", .. context]);
        }

        var compliance = LoadMetrics.WeekCompliance(week.PreviousPlanned, history.Runs);
        if (compliance is null || compliance.Percent < ProgressComplianceMinimum)
        {
            return Hold(week, [PlanRuleIds.LowCompliance], [$"Last week {compliance?.Percent ?? 0}% of the plan was done; progress needs {ProgressComplianceMinimum}% or more.", .. context]);
        }

        var progressIds = new List<string> { PlanRuleIds.Progress };
        if (openFindings.Any(f => f.RuleId == RuleIds.PainOk))
        {
            progressIds.Add(RuleIds.PainOk);
        }

        return Progress(week, [.. progressIds.Order(StringComparer.Ordinal)], [$"Pain {pain}/10, no finding at warning or above, {compliance.Percent}% of last week done: up to +10% volume.", .. context]);
    }

    /// <summary>
    /// The week as automation may leave it: sessions the coach edited and sessions on days already past come from
    /// <paramref name="current"/>; everything else from <paramref name="proposed"/>. Null when nothing remains of
    /// an unplanned week.
    /// </summary>
    public static PlannedWeek? Merge(DateOnly weekStart, PlannedWeek? current, PlannedWeek? proposed, IReadOnlySet<string> editedIds, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(editedIds);
        var kept = (current?.Sessions ?? []).Where(s => editedIds.Contains(s.SessionId) || s.Date < today).ToList();
        var keptIds = kept.Select(s => s.SessionId).ToHashSet(StringComparer.Ordinal);
        var sessions = kept
            // A coach's edit wins, and so does a coach's removal: an edited id missing from the week stays missing.
            .Concat((proposed?.Sessions ?? []).Where(s => !keptIds.Contains(s.SessionId) && !editedIds.Contains(s.SessionId) && s.Date >= today))
            .OrderBy(s => s.Date)
            .ThenBy(s => s.SessionId, StringComparer.Ordinal)
            .ToArray();
        return proposed is null && sessions.Length == 0 ? null : new PlannedWeek(weekStart, sessions);
    }

    /// <summary>How many days into the week it adjusts a missed weekly run may still be caught up.</summary>
    public const int CatchUpDays = 3;

    /// <summary>
    /// The Monday of the week whose closing moment (the squad's day and hour, on the athlete's clock) is the latest
    /// one passed, while the week it adjusts (the next) is still within its first <see cref="CatchUpDays"/> days;
    /// otherwise null. The weekly job adjusts the week after it, once.
    /// </summary>
    public static DateOnly? ClosedWeek(DateTimeOffset localNow, SquadSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var today = TrainingCalendar.LocalDate(localNow);
        var monday = TrainingCalendar.WeekStartOf(today);
        var offset = TrainingCalendar.DaysFromMonday(settings.WeeklyAdjustmentDay);
        var closing = monday.AddDays(offset).ToDateTime(new TimeOnly(settings.WeeklyAdjustmentHour, 0));
        // Before this week's closing moment, the latest closed week is last week.
        var closed = localNow.DateTime >= closing ? monday : monday.AddDays(-7);
        return today < closed.AddDays(7 + CatchUpDays) ? closed : null;
    }

    /// <summary>Highest pain on reports dated within [from, to].</summary>
    public static int PeakPain(AthleteHistory history, DateOnly from, DateOnly to)
    {
        ArgumentNullException.ThrowIfNull(history);
        return history.PainReports.Where(r => r.Day() >= from && r.Day() <= to).Select(r => r.Peak()).DefaultIfEmpty(0).Max();
    }

    /// <summary>Weeks since the last deload, pause or return-to-run week (or since the plan began).</summary>
    public static int BuildWeeks(PlanState plan, DateOnly weekStart)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var lastBreak = plan.Adjustments.Values
            .Where(a => a.WeekStart < weekStart && a.Outcome is AdjustmentOutcome.Deload or AdjustmentOutcome.Pause or AdjustmentOutcome.ReturnToRun)
            .Select(a => a.WeekStart)
            .DefaultIfEmpty(TrainingCalendar.WeekStartOf(plan.StartDate).AddDays(-7))
            .Max();
        return Math.Max(0, TrainingCalendar.DaysBetween(lastBreak.AddDays(7), weekStart) / 7);
    }

    private static AdjustmentDecision Pause(WeekContext week, IReadOnlyList<string> ruleIds, IEnumerable<string> reasons)
    {
        var sessions = new List<PlannedSession>();
        var index = 0;
        foreach (var session in week.FreeTemplate.Where(s => SessionTypes.IsRun(s.Type)))
        {
            sessions.Add(SessionLibrary.CrossTraining(session.SessionId, session.Date, index++, CrossTrainingSeconds(session), SessionLibrary.PauseNote));
        }

        if (sessions.Count == 0)
        {
            foreach (var offset in new[] { 1, 3, 5 })
            {
                sessions.Add(SessionLibrary.CrossTraining(week.NewId($"cross-{index + 1}"), week.WeekStart.AddDays(offset), index, 30 * 60, SessionLibrary.PauseNote));
                index++;
            }
        }

        return week.Finish(
            AdjustmentOutcome.Pause,
            ruleIds,
            [.. reasons, "No running this week; easy cross-training is offered instead."],
            sessions,
            null);
    }

    private static AdjustmentDecision ReturnToRun(WeekContext week, ReturnToRunStep step, IReadOnlyList<string> ruleIds, string reason)
    {
        List<PlannedSession> sessions;
        if (step.Kind == ReturnToRunStepKind.Completed)
        {
            sessions =
            [
                SessionLibrary.Mobility(week.NewId("mobility"), week.WeekStart),
                EasyMinutes(week.NewId("easy-1"), week.WeekStart.AddDays(1), 30),
                SessionLibrary.Strength(week.NewId("strength"), week.WeekStart.AddDays(2)),
                EasyMinutes(week.NewId("easy-2"), week.WeekStart.AddDays(3), 30),
                EasyMinutes(week.NewId("easy-3"), week.WeekStart.AddDays(5), 30),
            ];
        }
        else
        {
            sessions =
            [
                SessionLibrary.Mobility(week.NewId("mobility"), week.WeekStart),
                SessionLibrary.WalkRun(week.NewId("walk-run-1"), week.WeekStart.AddDays(1), step.ToPhase),
                SessionLibrary.Strength(week.NewId("strength"), week.WeekStart.AddDays(2)),
                SessionLibrary.WalkRun(week.NewId("walk-run-2"), week.WeekStart.AddDays(3), step.ToPhase),
                SessionLibrary.CrossTraining(week.NewId("cross-1"), week.WeekStart.AddDays(5), 0, 30 * 60),
            ];
        }

        return week.Finish(AdjustmentOutcome.ReturnToRun, ruleIds, [reason], sessions, step);
    }

    private static AdjustmentDecision ContinueReturn(WeekContext week, ReturnToRunState returning)
    {
        var lastReturnWeek = week.Plan.Adjustments.Values
            .Where(a => a.WeekStart < week.WeekStart && a.Outcome == AdjustmentOutcome.ReturnToRun)
            .Select(a => (DateOnly?)a.WeekStart)
            .LastOrDefault();
        var runsDone = lastReturnWeek is { } start ? LoadMetrics.Between(week.History.Runs, start, start.AddDays(6)).Count() : 0;
        var painLast = PeakPain(week.History, week.WeekStart.AddDays(-7), week.WeekStart.AddDays(-1));
        var painBefore = PeakPain(week.History, week.WeekStart.AddDays(-14), week.WeekStart.AddDays(-8));
        // A rise that stays within 0-2/10 is noise; anything above 3/10 is too much for a return, rise or not.
        var painRose = painLast > PainMonitoringRules.ComfortableMax || (painLast > painBefore && painLast > 2);
        var phase = returning.Phase;

        if (runsDone >= 2 && !painRose)
        {
            if (phase >= SessionLibrary.LastPhase)
            {
                var done = new ReturnToRunStep(ReturnToRunStepKind.Completed, phase, phase, null);
                return ReturnToRun(week, done, [PlanRuleIds.ReturnToRun], "Walk-run return complete: a week of short, easy continuous runs before normal building resumes.");
            }

            var next = new ReturnToRunStep(ReturnToRunStepKind.Progressed, phase, phase + 1, null);
            return ReturnToRun(week, next, [PlanRuleIds.ReturnToRun], $"Phase {phase} done twice without more pain: moving to phase {phase + 1} ({SessionLibrary.Describe(SessionLibrary.Phase(phase + 1))}).");
        }

        var why = painRose
            ? $"pain rose to {painLast}/10 (from {painBefore}/10)"
            : $"{runsDone} of 2 walk-run sessions were logged";
        var repeat = new ReturnToRunStep(ReturnToRunStepKind.Repeated, phase, phase, null);
        return ReturnToRun(week, repeat, [PlanRuleIds.ReturnToRun], $"Repeating phase {phase} ({SessionLibrary.Describe(SessionLibrary.Phase(phase))}) because {why}.");
    }

    private static AdjustmentDecision Deload(WeekContext week, IReadOnlyList<string> ruleIds, IEnumerable<string> reasons)
    {
        // The deload prescribes one strength and one mobility session: those a template brings (an earlier deload's)
        // are replaced, not added to, or every deload in a row would stack another of each on the same days.
        var easier = week.FreeTemplate
            .Where(s => s.Type is not (SessionType.Strength or SessionType.Mobility))
            .Select(s => s.Type is SessionType.Intervals or SessionType.Hills ? ToEasy(s) : s)
            .ToList();
        var scaled = week.Scale(easier, capPercent: DeloadPercent, maxPercent: 100);
        var change = week.VolumeChange(scaled);
        scaled.Add(SessionLibrary.Strength(week.NewId("strength"), week.FreeDay(scaled, SessionType.Strength, [DayOfWeek.Wednesday, DayOfWeek.Friday, DayOfWeek.Tuesday, DayOfWeek.Thursday, DayOfWeek.Monday, DayOfWeek.Saturday, DayOfWeek.Sunday])));
        scaled.Add(SessionLibrary.Mobility(week.NewId("mobility"), week.FreeDay(scaled, SessionType.Mobility, [DayOfWeek.Monday, DayOfWeek.Thursday, DayOfWeek.Saturday, DayOfWeek.Tuesday, DayOfWeek.Friday, DayOfWeek.Sunday, DayOfWeek.Wednesday])));
        return week.Finish(
            AdjustmentOutcome.Deload,
            ruleIds,
            [.. reasons, $"Deload: {change}; intervals and hills swapped for easy running, strength and mobility added."],
            scaled,
            null);
    }

    private static AdjustmentDecision Hold(WeekContext week, IReadOnlyList<string> ruleIds, IEnumerable<string> reasons)
    {
        var knownHard = (week.PreviousPlanned?.Sessions ?? []).Where(s => SessionTypes.IsHard(s.Type)).Select(s => s.Type).ToHashSet();
        var steady = week.FreeTemplate
            .Select(s => SessionTypes.IsHard(s.Type) && !knownHard.Contains(s.Type) ? ToEasy(s) : s)
            .ToList();
        var held = week.Scale(steady, capPercent: 100, maxPercent: 100);
        return week.Finish(
            AdjustmentOutcome.Hold,
            ruleIds,
            [.. reasons, $"Hold: {week.VolumeChange(held)} (never more than last week), no new intensity."],
            held,
            null);
    }

    private static AdjustmentDecision Progress(WeekContext week, IReadOnlyList<string> ruleIds, IEnumerable<string> reasons)
    {
        var built = week.Scale(week.FreeTemplate, capPercent: ProgressPercent, maxPercent: week.TemplateIsPlanned ? 100 : ProgressPercent);
        return week.Finish(
            AdjustmentOutcome.Progress,
            ruleIds,
            [.. reasons, $"Progress: {week.VolumeChange(built)} (at most +10%), and no run more than 10% over the longest of the last 30 days."],
            built,
            null);
    }

    private static PlannedSession ToEasy(PlannedSession session) =>
        session with
        {
            Type = SessionType.Easy,
            Intensity = Intensity.Easy,
            Description = $"Easy run (instead of {HistoryViews.Words(session.Type.ToString())})",
        };

    private static PlannedSession EasyMinutes(string id, DateOnly date, int minutes) =>
        new(id, date, SessionType.Easy, Intensity.Easy, null, minutes * 60, $"Easy continuous run, {minutes} min", []);

    private static int CrossTrainingSeconds(PlannedSession run)
    {
        // Roughly the time the run would have taken (6 min/km when only a distance is planned), 20-60 min.
        var seconds = run.DurationSeconds ?? (run.DistanceMeters is { } m ? m * 360 / 1000 : 1800);
        return Math.Clamp(seconds / 300 * 300, 20 * 60, 60 * 60);
    }

    private static List<string> RuleIdsOf(IEnumerable<Finding> findings) =>
        findings.Select(f => f.RuleId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    private static string Key(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Everything the outcomes share about the week being adjusted.</summary>
    private sealed class WeekContext
    {
        public WeekContext(PlanState plan, AthleteHistory history, DateOnly weekStart)
        {
            Plan = plan;
            History = history;
            WeekStart = weekStart;
            Today = history.Today;
            Current = plan.WeekOf(weekStart);
            PreviousPlanned = plan.WeekOf(weekStart.AddDays(-7));
            Edited = plan.EditedIn(weekStart);
            Fixed = (Current?.Sessions ?? []).Where(s => Edited.Contains(s.SessionId) || s.Date < Today).ToList();
            var fixedIds = Fixed.Select(s => s.SessionId).ToHashSet(StringComparer.Ordinal);

            var previousDone = LoadMetrics.DistanceMeters(history.Runs, weekStart.AddDays(-7), weekStart.AddDays(-1));
            var plannedDistance = WeekVolume.DistanceMeters(PreviousPlanned);
            ReferenceDistance = plannedDistance > 0 ? plannedDistance : previousDone > 0 ? previousDone : plan.WeeklyDistanceMeters;
            var plannedDuration = WeekVolume.DurationSeconds(PreviousPlanned);
            var doneDuration = LoadMetrics.DurationSeconds(history.Runs, weekStart.AddDays(-7), weekStart.AddDays(-1));
            ReferenceDuration = plannedDuration > 0 ? plannedDuration : doneDuration;
            LongestRecentRun = LoadMetrics.LongestRunMeters(history.Runs, weekStart);

            if (Current is not null)
            {
                TemplateIsPlanned = true;
                FreeTemplate = Current.Sessions.Where(s => !fixedIds.Contains(s.SessionId)).ToList();
            }
            else if (PreviousPlanned is not null)
            {
                FreeTemplate = PreviousPlanned.Sessions
                    .OrderBy(s => s.Date)
                    .ThenBy(s => s.SessionId, StringComparer.Ordinal)
                    .Select((s, i) => s with { SessionId = NewId((i + 1).ToString(CultureInfo.InvariantCulture)), Date = s.Date.AddDays(7) })
                    .ToList();
            }
            else
            {
                FreeTemplate = StarterWeek(ReferenceDistance);
            }
        }

        public PlanState Plan { get; }

        public AthleteHistory History { get; }

        public DateOnly WeekStart { get; }

        public DateOnly Today { get; }

        public PlannedWeek? Current { get; }

        public PlannedWeek? PreviousPlanned { get; }

        public IReadOnlySet<string> Edited { get; }

        /// <summary>Sessions automation must leave exactly as they are: the coach's edits and past days.</summary>
        public List<PlannedSession> Fixed { get; }

        /// <summary>The sessions automation starts from: this week's plan, else last week's moved on a week.</summary>
        public List<PlannedSession> FreeTemplate { get; } = [];

        public bool TemplateIsPlanned { get; }

        public int ReferenceDistance { get; }

        public int ReferenceDuration { get; }

        public int LongestRecentRun { get; }

        /// <summary>
        /// The running distance the week will have (kept and generated sessions) against the reference, in words:
        /// the reason states the real change, never a nominal one.
        /// </summary>
        public string VolumeChange(IReadOnlyList<PlannedSession> generated)
        {
            var after = WeekVolume.DistanceMeters(Fixed.Concat(Fitted(generated).Sessions.Where(s => s.Date >= Today)));
            var before = ReferenceDistance;
            var change = before > 0 ? (after - before) / (double)before : 0;
            var sign = change > 0 ? "+" : string.Empty;
            return before > 0
                ? $"running {History.Distance(before)} to {History.Distance(after)} ({sign}{HistoryViews.Percent(change)})"
                : $"running {History.Distance(after)}";
        }

        /// <summary>The generated sessions laid onto the days and times the athlete has (unchanged without a limit).</summary>
        public AvailabilityFit.Result Fitted(IReadOnlyList<PlannedSession> generated) =>
            History.Availability is not { IsAny: false } availability ? new AvailabilityFit.Result(generated, [])
                : AvailabilityFit.Fit(WeekStart, Today, Fixed, generated, availability, pace ??= AvailabilityFit.SecondsPerKm(History.Runs, WeekStart));

        // The athlete's pace, read from the runs once, and only for an athlete whose time is limited.
        private int? pace;

        public string NewId(string suffix) => $"{WeekStart.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-{suffix}";

        /// <summary>
        /// Scales the running sessions so fixed + scaled stays within capPercent of last week's volume, never
        /// growing a session by more than maxPercent, and caps every run at 110% of the 30-day longest run.
        /// Integer arithmetic, rounded down, so a cap is never crossed by rounding.
        /// </summary>
        public List<PlannedSession> Scale(IReadOnlyList<PlannedSession> sessions, int capPercent, int maxPercent)
        {
            var distance = FactorFor(ReferenceDistance, WeekVolume.DistanceMeters(Fixed), WeekVolume.DistanceMeters(sessions), capPercent, maxPercent);
            (long Num, long Den) duration = ReferenceDuration > 0
                ? FactorFor(ReferenceDuration, WeekVolume.DurationSeconds(Fixed), WeekVolume.DurationSeconds(sessions), capPercent, maxPercent)
                : ((long)Math.Min(capPercent, 100), 100L);
            long longestAllowed = LongestRecentRun > 0 ? LongestRecentRun * (long)ProgressPercent / 100 / 100 * 100 : long.MaxValue;

            var result = new List<PlannedSession>();
            foreach (var session in sessions)
            {
                if (!SessionTypes.IsRun(session.Type))
                {
                    result.Add(session);
                    continue;
                }

                int? meters = session.DistanceMeters is { } d ? (int)Math.Min(d * distance.Num / distance.Den / 100 * 100, longestAllowed) : null;
                int? seconds = session.DurationSeconds is { } t ? (int)(t * duration.Num / duration.Den / 60 * 60) : null;
                if (meters is null or 0 && seconds is null or 0)
                {
                    continue;
                }

                result.Add(session with { DistanceMeters = meters is 0 ? null : meters, DurationSeconds = seconds is 0 ? null : seconds });
            }

            return result;
        }

        /// <summary>
        /// The first preferred day to come with nothing on it; else the first without a session of the same kind (a
        /// coach's own included), so no day holds two of a kind.
        /// </summary>
        public DateOnly FreeDay(IReadOnlyList<PlannedSession> planned, SessionType type, IReadOnlyList<DayOfWeek> preference)
        {
            var all = planned.Concat(Fixed).ToList();
            var open = preference.Select(Day).Where(d => d >= Today).ToList();
            return open.FirstOrDefault(d => all.All(s => s.Date != d),
                open.FirstOrDefault(d => all.All(s => s.Date != d || s.Type != type), open.Count > 0 ? open[0] : WeekStart.AddDays(6)));
        }

        public AdjustmentDecision Finish(AdjustmentOutcome outcome, IReadOnlyList<string> ruleIds, IReadOnlyList<string> reasons, IEnumerable<PlannedSession> generated, ReturnToRunStep? step)
        {
            var fixedIds = Fixed.Select(s => s.SessionId).ToHashSet(StringComparer.Ordinal);
            var fitted = Fitted(generated.ToList());
            if (fitted.Changes.Count > 0)
            {
                reasons = [.. reasons, $"Fitted to the athlete's availability ({History.Availability!.Describe()}): {string.Join("; ", fitted.Changes)}."];
            }

            var fresh = fitted.Sessions
                .Where(s => s.Date >= Today && s.Date >= WeekStart && s.Date <= WeekStart.AddDays(6))
                .Select(s => fixedIds.Contains(s.SessionId) ? s with { SessionId = s.SessionId + "-auto" } : s)
                .Where(s => !fixedIds.Contains(s.SessionId));
            var sessions = Fixed.Concat(fresh)
                .OrderBy(s => s.Date)
                .ThenBy(s => s.SessionId, StringComparer.Ordinal)
                .ToArray();
            return new AdjustmentDecision(outcome, ruleIds, reasons, new PlannedWeek(WeekStart, sessions), step);
        }

        private static (long Num, long Den) FactorFor(long reference, long fixedAmount, long free, int capPercent, int maxPercent)
        {
            if (free <= 0)
            {
                return (maxPercent, 100);
            }

            var available = Math.Max(0, (reference * capPercent / 100) - fixedAmount);

            // available / free against maxPercent / 100, compared by cross-multiplying.
            return available * 100 < maxPercent * free ? (available, free) : (maxPercent, 100);
        }

        private DateOnly Day(DayOfWeek day) => WeekStart.AddDays(TrainingCalendar.DaysFromMonday(day));

        private List<PlannedSession> StarterWeek(int weeklyMeters)
        {
            int Part(int percent) => weeklyMeters * percent / 100 / 100 * 100;
            return
            [
                new(NewId("1"), WeekStart.AddDays(1), SessionType.Easy, Intensity.Easy, Part(30), null, "Easy run", []),
                new(NewId("2"), WeekStart.AddDays(3), SessionType.Easy, Intensity.Easy, Part(30), null, "Easy run", []),
                new(NewId("3"), WeekStart.AddDays(5), SessionType.LongRun, Intensity.Easy, Part(40), null, "Long run, easy pace", []),
            ];
        }
    }
}
