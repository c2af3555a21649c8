using CoachHub.Domain.Athletes;
using CoachHub.Domain.Squads;
using CoachHub.Domain.Triage;

namespace CoachHub.Domain.Plans;

public abstract record PlanCommand
{
    internal abstract IReadOnlyList<FieldError> Errors(DateTimeOffset now);
}

public sealed record StartPlan(Guid AthleteId, string Goal, DateOnly StartDate, int WeeklyDistanceMeters) : PlanCommand
{
    public const int MaxWeeklyDistanceMeters = 500_000;

    public static IReadOnlyList<FieldError> Validate(StartPlan command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors()
            .NotEmpty("athleteId", command.AthleteId)
            .Text("goal", command.Goal, 200)
            .Range("weeklyDistanceMeters", command.WeeklyDistanceMeters, 1, MaxWeeklyDistanceMeters)
            .Require(command.StartDate >= TrainingCalendar.LocalDate(now).AddDays(-7), "startDate", "must not be more than a week in the past")
            .ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>The coach plans a week that has no plan yet (Monday to Sunday).</summary>
/// <param name="Pauses">The athlete's pauses (<see cref="AthleteState.Pauses"/>): no running is planned while one is open.</param>
public sealed record PlanWeek(DateOnly WeekStart, IReadOnlyList<PlannedSession> Sessions, Guid CoachId, IReadOnlyList<RunningPause> Pauses) : PlanCommand
{
    public static IReadOnlyList<FieldError> Validate(PlanWeek command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        var errors = new FieldErrors()
            .Require(TrainingCalendar.IsWeekStart(command.WeekStart), "weekStart", "must be a Monday")
            .NotEmpty("coachId", command.CoachId)
            .Require(command.Sessions is not null, "sessions", "is required (may be empty)")
            .Require(command.Pauses is not null, "pauses", "is required");
        if (command.Sessions is null)
        {
            return errors.ToList();
        }

        for (var i = 0; i < command.Sessions.Count; i++)
        {
            var session = command.Sessions[i];
            if (session is null)
            {
                errors.Require(false, $"sessions[{i}]", "is required");
                continue;
            }

            errors.Merge($"sessions[{i}]", PlannedSession.Validate(session))
                .Require(InWeek(session.Date, command.WeekStart), $"sessions[{i}].date", "must be within the week");
        }

        var ids = command.Sessions.Where(s => s?.SessionId is not null).Select(s => s.SessionId).ToList();
        errors.Require(ids.Distinct(StringComparer.Ordinal).Count() == ids.Count, "sessions", "session ids must be unique");
        return errors.ToList();
    }

    internal static bool InWeek(DateOnly date, DateOnly weekStart) => date >= weekStart && date <= weekStart.AddDays(6);

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>The coach changes (or adds) one session of a planned week. Editing a session to Rest removes it in effect.</summary>
/// <param name="Pauses">The athlete's pauses: no running session is added or edited while one is open.</param>
public sealed record EditSession(DateOnly WeekStart, PlannedSession Session, Guid CoachId, IReadOnlyList<RunningPause> Pauses) : PlanCommand
{
    public static IReadOnlyList<FieldError> Validate(EditSession command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        var errors = new FieldErrors()
            .Require(TrainingCalendar.IsWeekStart(command.WeekStart), "weekStart", "must be a Monday")
            .NotEmpty("coachId", command.CoachId)
            .Require(command.Session is not null, "session", "is required")
            .Require(command.Pauses is not null, "pauses", "is required");
        if (command.Session is not null)
        {
            errors.Merge("session", PlannedSession.Validate(command.Session))
                .Require(PlanWeek.InWeek(command.Session.Date, command.WeekStart), "session.date", "must be within the week");
        }

        return errors.ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>A coach takes one session out of a week (not of a day already past).</summary>
public sealed record RemoveSession(DateOnly WeekStart, string SessionId, Guid CoachId) : PlanCommand
{
    public static IReadOnlyList<FieldError> Validate(RemoveSession command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors()
            .Require(TrainingCalendar.IsWeekStart(command.WeekStart), "weekStart", "must be a Monday")
            .Text("sessionId", command.SessionId, 64)
            .NotEmpty("coachId", command.CoachId)
            .ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>
/// The weekly adjustment for the week starting <see cref="WeekStart"/>: the server loads the athlete's history
/// (as of the athlete's local today) and open findings and the squad's settings and passes them in.
/// </summary>
public sealed record AdjustWeek(DateOnly WeekStart, AthleteHistory History, IReadOnlyList<Finding> OpenFindings, SquadSettings Settings) : PlanCommand
{
    public static IReadOnlyList<FieldError> Validate(AdjustWeek command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        var errors = new FieldErrors()
            .Require(TrainingCalendar.IsWeekStart(command.WeekStart), "weekStart", "must be a Monday")
            .Require(command.History is not null, "history", "is required")
            .Require(command.OpenFindings is not null, "openFindings", "is required")
            .Require(command.Settings is not null, "settings", "is required");
        if (command.Settings is not null)
        {
            errors.Merge("settings", SquadSettings.Validate(command.Settings));
        }

        return errors.ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <param name="Pauses">The athlete's pauses: a red flag raised after the proposal (or still open) voids it.</param>
public sealed record ApproveAdjustment(DateOnly WeekStart, Guid CoachId, IReadOnlyList<RunningPause> Pauses) : PlanCommand
{
    public static IReadOnlyList<FieldError> Validate(ApproveAdjustment command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors()
            .Require(TrainingCalendar.IsWeekStart(command.WeekStart), "weekStart", "must be a Monday")
            .NotEmpty("coachId", command.CoachId)
            .Require(command.Pauses is not null, "pauses", "is required")
            .ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>Rejects a pending proposal, or undoes an applied automated change, restoring the week before it.</summary>
public sealed record RejectAdjustment(DateOnly WeekStart, Guid CoachId, string? Reason = null) : PlanCommand
{
    public static IReadOnlyList<FieldError> Validate(RejectAdjustment command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors()
            .Require(TrainingCalendar.IsWeekStart(command.WeekStart), "weekStart", "must be a Monday")
            .NotEmpty("coachId", command.CoachId)
            .Text("reason", command.Reason, 2000, required: false)
            .ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}
