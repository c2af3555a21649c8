using System.Collections.Immutable;

namespace CoachHub.Domain.Plans;

/// <summary>
/// One training plan per athlete. Weeks that are over are never changed; days already past in the current week
/// are kept as they were; sessions the coach edited are never overwritten by automation.
/// </summary>
public static class PlanDecider
{
    public static PlanState Initial { get; } = new(
        false,
        Guid.Empty,
        string.Empty,
        default,
        0,
        default,
        ImmutableSortedDictionary<DateOnly, PlannedWeek>.Empty,
        ImmutableDictionary<DateOnly, ImmutableHashSet<string>>.Empty,
        ImmutableSortedDictionary<DateOnly, WeekAdjustment>.Empty,
        ImmutableSortedDictionary<DateOnly, WeekAdjustment>.Empty,
        [],
        [],
        null);

    public static PlanState Evolve(PlanState state, object @event)
    {
        ArgumentNullException.ThrowIfNull(state);
        return @event switch
        {
            PlanStarted e => state with
            {
                Started = true,
                AthleteId = e.AthleteId,
                Goal = e.Goal,
                StartDate = e.StartDate,
                WeeklyDistanceMeters = e.WeeklyDistanceMeters,
                StartedAt = e.StartedAt,
            },
            WeekPlanned e => state with { Weeks = state.Weeks.SetItem(e.WeekStart, new PlannedWeek(e.WeekStart, e.Sessions)) },
            SessionEdited e => state with
            {
                Weeks = state.Weeks.SetItem(e.WeekStart, WithSession(state.WeekOf(e.WeekStart), e.WeekStart, e.Session)),
                EditedSessionIds = state.EditedSessionIds.SetItem(
                    e.WeekStart,
                    (state.EditedSessionIds.TryGetValue(e.WeekStart, out var ids) ? ids : ImmutableHashSet.Create<string>(StringComparer.Ordinal)).Add(e.Session.SessionId)),
            },
            SessionRemoved e => state with
            {
                Weeks = state.WeekOf(e.WeekStart) is { } removedFrom
                    ? state.Weeks.SetItem(e.WeekStart, removedFrom with { Sessions = [.. removedFrom.Sessions.Where(s => s.SessionId != e.SessionId)] })
                    : state.Weeks,
                EditedSessionIds = state.EditedSessionIds.SetItem(
                    e.WeekStart,
                    (state.EditedSessionIds.TryGetValue(e.WeekStart, out var edited) ? edited : ImmutableHashSet.Create<string>(StringComparer.Ordinal)).Add(e.SessionId)),
            },
            WeekAdjusted e => state with
            {
                Weeks = state.Weeks.SetItem(e.WeekStart, e.To),
                Adjustments = state.Adjustments.SetItem(e.WeekStart, new WeekAdjustment(e.WeekStart, e.Outcome, e.RuleIds, e.Reasons, e.From, e.To, e.ReturnToRun, e.AdjustedAt)),
                DecidedWeeks = state.DecidedWeeks.Add(e.WeekStart),
            },
            AdjustmentProposed e => state with
            {
                Pending = state.Pending.SetItem(e.WeekStart, new WeekAdjustment(e.WeekStart, e.Outcome, e.RuleIds, e.Reasons, e.From, e.To, e.ReturnToRun, e.ProposedAt)),
                DecidedWeeks = state.DecidedWeeks.Add(e.WeekStart),
            },
            AdjustmentApproved e when state.Pending.TryGetValue(e.WeekStart, out var pending) => state with
            {
                Weeks = state.Weeks.SetItem(e.WeekStart, e.Applied),
                Adjustments = state.Adjustments.SetItem(e.WeekStart, pending with { From = state.WeekOf(e.WeekStart), To = e.Applied }),
                Pending = state.Pending.Remove(e.WeekStart),
            },
            AdjustmentRejected e => state with
            {
                Weeks = e.Restored is null ? state.Weeks.Remove(e.WeekStart) : state.Weeks.SetItem(e.WeekStart, e.Restored),
                Adjustments = state.Pending.ContainsKey(e.WeekStart) ? state.Adjustments : state.Adjustments.Remove(e.WeekStart),
                Pending = state.Pending.Remove(e.WeekStart),
                RejectedWeeks = state.RejectedWeeks.Add(e.WeekStart),
            },
            ReturnToRunStarted e => state with { ReturnToRun = new ReturnToRunState(e.Phase, e.ClearedAt, false) },
            ReturnToRunProgressed e => state with
            {
                ReturnToRun = (state.ReturnToRun ?? new ReturnToRunState(e.FromPhase, default, false)) with { Phase = e.ToPhase, Completed = e.Completed },
            },
            _ => state,
        };
    }

    public static IReadOnlyList<object> Decide(PlanCommand command, PlanState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(state);
        FieldErrors.ThrowIfAny(command.Errors(now));

        if (command is StartPlan start)
        {
            if (state.Started)
            {
                return state.AthleteId == start.AthleteId && state.Goal == start.Goal.Trim() && state.StartDate == start.StartDate && state.WeeklyDistanceMeters == start.WeeklyDistanceMeters
                    ? []
                    : throw new CoachingRuleViolation("plan.already-started", "This athlete already has a plan.");
            }

            return [new PlanStarted(start.AthleteId, start.Goal.Trim(), start.StartDate, start.WeeklyDistanceMeters, now)];
        }

        if (!state.Started)
        {
            throw new CoachingRuleViolation("plan.not-started", "This athlete has no plan yet.");
        }

        var today = TrainingCalendar.LocalDate(now);
        return command switch
        {
            PlanWeek c => PlanWeek(c, state, now, today),
            EditSession c => EditSession(c, state, now, today),
            RemoveSession c => RemoveSession(c, state, now, today),
            AdjustWeek c => AdjustWeek(c, state, now, today),
            ApproveAdjustment c => Approve(c, state, now, today),
            RejectAdjustment c => Reject(c, state, now, today),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown plan command."),
        };
    }

    private static IReadOnlyList<object> PlanWeek(PlanWeek c, PlanState state, DateTimeOffset now, DateOnly today)
    {
        EnsureNotOver(c.WeekStart, today);
        if (state.Weeks.ContainsKey(c.WeekStart))
        {
            throw new CoachingRuleViolation("plan.week-already-planned", "This week is already planned; edit its sessions instead.", "weekStart");
        }

        if (c.Sessions.FirstOrDefault(s => SessionTypes.IsRun(s.Type)) is not null)
        {
            EnsureRunningAllowed(c.Pauses);
        }

        var sessions = c.Sessions.OrderBy(s => s.Date).ThenBy(s => s.SessionId, StringComparer.Ordinal).ToArray();
        return [new WeekPlanned(c.WeekStart, sessions, c.CoachId, now)];
    }

    private static IReadOnlyList<object> RemoveSession(RemoveSession c, PlanState state, DateTimeOffset now, DateOnly today)
    {
        EnsureNotOver(c.WeekStart, today);
        var session = state.WeekOf(c.WeekStart)?.Sessions.FirstOrDefault(s => s.SessionId == c.SessionId);
        if (session is null) return state.EditedIn(c.WeekStart).Contains(c.SessionId) ? [] // removed already: a retry
            : throw new CoachingRuleViolation("plan.session-unknown", "There is no such session in this week.", "sessionId");
        if (session.Date < today)
        {
            throw new CoachingRuleViolation("plan.session-in-past", "Sessions on days already past cannot be changed.", "sessionId");
        }

        return [new SessionRemoved(c.WeekStart, c.SessionId, c.CoachId, now)];
    }

    private static IReadOnlyList<object> EditSession(EditSession c, PlanState state, DateTimeOffset now, DateOnly today)
    {
        EnsureNotOver(c.WeekStart, today);
        var week = state.WeekOf(c.WeekStart)
            ?? throw new CoachingRuleViolation("plan.week-not-planned", "This week has not been planned yet.", "weekStart");
        var existing = week.Sessions.FirstOrDefault(s => s.SessionId == c.Session.SessionId);
        if (c.Session.Date < today || existing?.Date < today)
        {
            throw new CoachingRuleViolation("plan.session-in-past", "Sessions on days already past cannot be changed.", "session.date");
        }

        if (SessionTypes.IsRun(c.Session.Type))
        {
            EnsureRunningAllowed(c.Pauses);
        }

        return [new SessionEdited(c.WeekStart, c.Session, c.CoachId, now)];
    }

    private static List<object> AdjustWeek(AdjustWeek c, PlanState state, DateTimeOffset now, DateOnly today)
    {
        if (state.DecidedWeeks.Contains(c.WeekStart))
        {
            // One adjustment per athlete-week: a repeated job run changes nothing.
            return [];
        }

        EnsureNotOver(c.WeekStart, today);
        var decision = WeeklyAdjustment.Decide(state, c.History, c.OpenFindings, c.Settings, c.WeekStart);
        var from = state.WeekOf(c.WeekStart);

        // Pauses protect the athlete, so they apply at once even where changes otherwise wait for the coach.
        if (c.Settings.AdjustmentsNeedApproval && decision.Outcome != AdjustmentOutcome.Pause)
        {
            return [new AdjustmentProposed(c.WeekStart, decision.Outcome, decision.RuleIds, decision.Reasons, from, decision.NextWeek, decision.ReturnToRun, now)];
        }

        var events = new List<object>
        {
            new WeekAdjusted(c.WeekStart, decision.Outcome, decision.RuleIds, decision.Reasons, from, decision.NextWeek, decision.ReturnToRun, now),
        };
        events.AddRange(ReturnToRunEvents(c.WeekStart, decision.ReturnToRun));
        return events;
    }

    private static List<object> Approve(ApproveAdjustment c, PlanState state, DateTimeOffset now, DateOnly today)
    {
        if (!state.Pending.TryGetValue(c.WeekStart, out var pending))
        {
            throw new CoachingRuleViolation("plan.no-pending-adjustment", "There is no proposed change waiting for this week.", "weekStart");
        }

        EnsureNotOver(c.WeekStart, today);
        if (RunningPauses.Voiding(pending.DecidedAt, c.Pauses) is { } pause)
        {
            throw new CoachingRuleViolation(
                "plan.proposal-void",
                $"This proposal was made before {pause.RuleId} was raised: a red flag voids it. Reject it; after clearance the next weekly adjustment starts the return to running.")
            {
                FindingId = pause.FindingId,
                RuleId = pause.RuleId,
            };
        }

        var applied = WeeklyAdjustment.Merge(c.WeekStart, state.WeekOf(c.WeekStart), pending.To, state.EditedIn(c.WeekStart), today)
            ?? new PlannedWeek(c.WeekStart, []);
        var events = new List<object> { new AdjustmentApproved(c.WeekStart, c.CoachId, applied, now) };
        events.AddRange(ReturnToRunEvents(c.WeekStart, pending.ReturnToRun));
        return events;
    }

    private static IReadOnlyList<object> Reject(RejectAdjustment c, PlanState state, DateTimeOffset now, DateOnly today)
    {
        var reason = string.IsNullOrWhiteSpace(c.Reason) ? null : c.Reason.Trim();
        if (state.Pending.ContainsKey(c.WeekStart))
        {
            return [new AdjustmentRejected(c.WeekStart, c.CoachId, reason, state.WeekOf(c.WeekStart), now)];
        }

        if (!state.Adjustments.TryGetValue(c.WeekStart, out var applied))
        {
            return state.RejectedWeeks.Contains(c.WeekStart)
                ? []
                : throw new CoachingRuleViolation("plan.no-adjustment", "There is no automated change to reject for this week.", "weekStart");
        }

        if (applied.Outcome == AdjustmentOutcome.Pause)
        {
            throw new CoachingRuleViolation(
                "plan.pause-not-rejectable",
                "A pause ends when a healthcare professional has cleared the athlete and you record it (clear to run).",
                "weekStart");
        }

        EnsureNotOver(c.WeekStart, today);
        var restored = WeeklyAdjustment.Merge(c.WeekStart, state.WeekOf(c.WeekStart), applied.From, state.EditedIn(c.WeekStart), today);
        return [new AdjustmentRejected(c.WeekStart, c.CoachId, reason, restored, now)];
    }

    private static IEnumerable<object> ReturnToRunEvents(DateOnly weekStart, ReturnToRunStep? step) => step switch
    {
        { Kind: ReturnToRunStepKind.Started, ClearedAt: { } clearedAt } => [new ReturnToRunStarted(weekStart, step.ToPhase, clearedAt)],
        { Kind: ReturnToRunStepKind.Progressed } => [new ReturnToRunProgressed(weekStart, step.FromPhase, step.ToPhase, false)],
        { Kind: ReturnToRunStepKind.Completed } => [new ReturnToRunProgressed(weekStart, step.FromPhase, step.ToPhase, true)],
        _ => [],
    };

    /// <summary>While an urgent or emergency finding is open, nobody plans running: 409 naming the finding.</summary>
    private static void EnsureRunningAllowed(IReadOnlyList<RunningPause> pauses)
    {
        if (RunningPauses.Open(pauses) is { } open)
        {
            throw new CoachingRuleViolation(
                "plan.running-paused",
                $"Running is paused until a healthcare professional has assessed the athlete ({open.RuleId}) and you record the clearance. Cross-training, mobility and strength sessions can still be planned.")
            {
                FindingId = open.FindingId,
                RuleId = open.RuleId,
            };
        }
    }

    private static void EnsureNotOver(DateOnly weekStart, DateOnly today)
    {
        if (weekStart.AddDays(7) <= today)
        {
            throw new CoachingRuleViolation("plan.week-in-past", "Weeks that are over cannot be changed.", "weekStart");
        }
    }

    private static PlannedWeek WithSession(PlannedWeek? week, DateOnly weekStart, PlannedSession session)
    {
        var others = (week?.Sessions ?? []).Where(s => s.SessionId != session.SessionId);
        return new PlannedWeek(weekStart, others.Append(session).OrderBy(s => s.Date).ThenBy(s => s.SessionId, StringComparer.Ordinal).ToArray());
    }
}
