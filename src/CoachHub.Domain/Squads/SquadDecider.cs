using System.Collections.Immutable;

namespace CoachHub.Domain.Squads;

/// <param name="Revoked">Withdrawn by a coach: nobody joins with it, and the code is not handed out again.</param>
public sealed record SquadInvite(string Code, string? Email, bool SingleUse, DateTimeOffset ExpiresAt, int Uses, bool Revoked = false);

public sealed record SquadState(
    bool Created,
    Guid SquadId,
    Guid CoachId,
    string Name,
    SquadSettings Settings,
    ImmutableDictionary<string, SquadInvite> Invites,
    ImmutableHashSet<Guid> Members,
    ImmutableHashSet<Guid> AssistantCoaches,
    ImmutableHashSet<DateOnly> AdjustedWeeks,
    bool Closed = false,
    ImmutableDictionary<Guid, string>? Templates = null)
{
    /// <summary>The squad's week templates by id, with their names.</summary>
    public ImmutableDictionary<Guid, string> WeekTemplates => Templates ?? ImmutableDictionary<Guid, string>.Empty;

    public bool IsMember(Guid athleteId) => Members.Contains(athleteId);

    /// <summary>The head coach (who created the squad) and every coach added to it.</summary>
    public bool IsCoach(Guid coachId) => coachId == CoachId || AssistantCoaches.Contains(coachId);
}

public abstract record SquadCommand
{
    internal abstract IReadOnlyList<FieldError> Errors(DateTimeOffset now);
}

public sealed record CreateSquad(Guid SquadId, Guid CoachId, string Name) : SquadCommand
{
    public static IReadOnlyList<FieldError> Validate(CreateSquad command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors()
            .NotEmpty("squadId", command.SquadId)
            .NotEmpty("coachId", command.CoachId)
            .Text("name", command.Name, SquadDecider.MaxNameLength)
            .ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

public sealed record RenameSquad(string Name) : SquadCommand
{
    public static IReadOnlyList<FieldError> Validate(RenameSquad command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors().Text("name", command.Name, SquadDecider.MaxNameLength).ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>The invite code is an input (the server generates it) so the decider stays deterministic.</summary>
public sealed record InviteAthlete(string InviteCode, DateTimeOffset ExpiresAt, bool SingleUse = true, string? Email = null) : SquadCommand
{
    /// <summary>The longest an invite code stays valid.</summary>
    public const int LongestValidDays = 90;

    public static IReadOnlyList<FieldError> Validate(InviteAthlete command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors()
            .Text("inviteCode", command.InviteCode, 32)
            .Require(
                command.InviteCode is null || (command.InviteCode.Length >= 6 && command.InviteCode.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-')),
                "inviteCode",
                "must be at least 6 letters, digits or dashes")
            .Require(command.ExpiresAt > now, "expiresAt", "must be in the future")
            .Require(command.ExpiresAt <= now.AddDays(LongestValidDays), "expiresAt", $"must be within {LongestValidDays} days")
            .Email("email", command.Email, required: false)
            .ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>
/// An athlete joins with an invite code. An athlete trains in one squad at a time: the server passes the squad the
/// athlete is in now, and joining another is refused until the athlete confirms the move.
/// </summary>
/// <summary>A coach of the squad withdraws an invite code.</summary>
public sealed record RevokeInvite(string InviteCode, Guid RevokedBy) : SquadCommand
{
    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) =>
        new FieldErrors().NotEmpty("revokedBy", RevokedBy).Text("inviteCode", InviteCode, 64).ToList();
}

public sealed record JoinSquad(Guid AthleteId, string InviteCode, Guid? CurrentSquadId = null, bool ConfirmMove = false) : SquadCommand
{
    public static IReadOnlyList<FieldError> Validate(JoinSquad command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors()
            .NotEmpty("athleteId", command.AthleteId)
            .Text("inviteCode", command.InviteCode, 32)
            .ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>The athlete leaves (RemovedBy null), a coach of the squad removes them, or a confirmed move takes them elsewhere.</summary>
public sealed record LeaveSquad(Guid AthleteId, Guid? RemovedBy = null, Guid? MovedTo = null) : SquadCommand
{
    public static IReadOnlyList<FieldError> Validate(LeaveSquad command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors().NotEmpty("athleteId", command.AthleteId).ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>
/// A coach stops coaching the squad: the head coach takes an added coach off, or an added coach steps down. Nobody
/// removes the head coach, who hands the squad over instead.
/// </summary>
public sealed record RemoveCoach(Guid CoachId, Guid RemovedBy) : SquadCommand
{
    public static IReadOnlyList<FieldError> Validate(RemoveCoach command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors().NotEmpty("coachId", command.CoachId).NotEmpty("removedBy", command.RemovedBy).ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>The head coach makes one of the squad's added coaches its head coach.</summary>
public sealed record HandOverSquad(Guid ToCoachId, Guid By) : SquadCommand
{
    public static IReadOnlyList<FieldError> Validate(HandOverSquad command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors().NotEmpty("coachId", command.ToCoachId).NotEmpty("by", command.By).ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>The head coach closes the squad: its athletes leave it, its codes stop working, and nothing changes it again.</summary>
public sealed record CloseSquad(Guid By) : SquadCommand
{
    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => new FieldErrors().NotEmpty("by", By).ToList();
}

/// <summary>The head coach adds another registered coach to the squad's coaching.</summary>
public sealed record AddCoach(Guid CoachId, Guid AddedBy) : SquadCommand
{
    public static IReadOnlyList<FieldError> Validate(AddCoach command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors().NotEmpty("coachId", command.CoachId).NotEmpty("addedBy", command.AddedBy).ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>The weekly job tells the squad's coaches, once per week, that every athlete's next week is decided.</summary>
/// <summary>A coach of the squad saves a week's sessions as a named template (names are unique within the squad).</summary>
public sealed record SaveWeekTemplate(Guid TemplateId, string Name, IReadOnlyList<Plans.TemplateSession> Sessions, Guid CoachId) : SquadCommand
{
    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) =>
        new FieldErrors().NotEmpty("templateId", TemplateId).NotEmpty("coachId", CoachId).Also(Plans.WeekTemplates.Validate(Name, Sessions)).ToList();
}

public sealed record DeleteWeekTemplate(Guid TemplateId, Guid CoachId) : SquadCommand
{
    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => new FieldErrors().NotEmpty("templateId", TemplateId).NotEmpty("coachId", CoachId).ToList();
}

public sealed record RecordWeekAdjustments(DateOnly WeekStart, WeekAdjustmentCounts Counts) : SquadCommand
{
    public static IReadOnlyList<FieldError> Validate(RecordWeekAdjustments command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        var c = command.Counts;
        return new FieldErrors()
            .Require(command.WeekStart.DayOfWeek == DayOfWeek.Monday, "weekStart", "must be a Monday")
            .Require(c is not null && new[] { c.Progressed, c.Held, c.Deloaded, c.Paused, c.ReturningToRun, c.WaitingForApproval, c.Unchanged }.All(n => n >= 0),
                "counts", "must be none or more of each")
            .ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

public sealed record ChangeSquadSettings(SquadSettings Settings) : SquadCommand
{
    public static IReadOnlyList<FieldError> Validate(ChangeSquadSettings command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.Settings is null
            ? [new FieldError("settings", "is required")]
            : SquadSettings.Validate(command.Settings);
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>One squad's stream: its name, settings, invites and members.</summary>
public static class SquadDecider
{
    public const int MaxNameLength = 80;

    public static SquadState Initial { get; } = new(
        false,
        Guid.Empty,
        Guid.Empty,
        string.Empty,
        SquadSettings.Default,
        ImmutableDictionary.Create<string, SquadInvite>(StringComparer.Ordinal),
        [],
        [],
        []);

    /// <summary>Codes are matched case-insensitively because people type them from a message.</summary>
    public static string NormalizeCode(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return code.Trim().ToUpperInvariant();
    }

    public static SquadState Evolve(SquadState state, object @event)
    {
        ArgumentNullException.ThrowIfNull(state);
        return @event switch
        {
            SquadCreated e => state with { Created = true, SquadId = e.SquadId, CoachId = e.CoachId, Name = e.Name, Settings = e.Settings },
            SquadRenamed e => state with { Name = e.Name },
            AthleteInvited e => state with
            {
                Invites = state.Invites.SetItem(
                    NormalizeCode(e.InviteCode),
                    new SquadInvite(NormalizeCode(e.InviteCode), e.Email, e.SingleUse, e.ExpiresAt, 0)),
            },
            InviteRevoked e when state.Invites.TryGetValue(NormalizeCode(e.InviteCode), out var revoked) => state with
            {
                Invites = state.Invites.SetItem(revoked.Code, revoked with { Revoked = true }),
            },
            AthleteJoined e => state with
            {
                Members = state.Members.Add(e.AthleteId),
                Invites = state.Invites.TryGetValue(NormalizeCode(e.InviteCode), out var invite)
                    ? state.Invites.SetItem(invite.Code, invite with { Uses = invite.Uses + 1 })
                    : state.Invites,
            },
            AthleteLeft e => state with { Members = state.Members.Remove(e.AthleteId) },
            CoachAdded e => state with { AssistantCoaches = state.AssistantCoaches.Add(e.CoachId) },
            CoachRemoved e => state with { AssistantCoaches = state.AssistantCoaches.Remove(e.CoachId) },
            SquadHandedOver e => state with { CoachId = e.ToCoachId, AssistantCoaches = state.AssistantCoaches.Remove(e.ToCoachId).Add(e.FromCoachId) },
            WeekAdjustmentsCompleted e => state with { AdjustedWeeks = state.AdjustedWeeks.Add(e.WeekStart) },
            SquadClosed => state with { Closed = true },
            WeekTemplateSaved e => state with { Templates = state.WeekTemplates.SetItem(e.TemplateId, e.Name) },
            WeekTemplateDeleted e => state with { Templates = state.WeekTemplates.Remove(e.TemplateId) },
            SquadSettingsChanged e => state with
            {
                Settings = new SquadSettings(e.DeloadEveryBuildWeeks, e.AdjustmentsNeedApproval, e.Units, e.WeeklyAdjustmentDay, e.WeeklyAdjustmentHour, e.TimeZone),
            },
            _ => state,
        };
    }

    public static IReadOnlyList<object> Decide(SquadCommand command, SquadState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(state);
        FieldErrors.ThrowIfAny(command.Errors(now));

        if (command is CreateSquad create)
        {
            if (state.Created)
            {
                return state.SquadId == create.SquadId && state.CoachId == create.CoachId && state.Name == create.Name.Trim()
                    ? []
                    : throw new CoachingRuleViolation("squad.already-exists", "This squad already exists.");
            }

            return [new SquadCreated(create.SquadId, create.CoachId, create.Name.Trim(), SquadSettings.Default, now)];
        }

        if (!state.Created)
        {
            throw new CoachingRuleViolation("squad.not-found", "This squad does not exist.");
        }

        if (state.Closed)
        {
            // Closing again is a retry; anything else finds no squad.
            return command is CloseSquad ? [] : throw new CoachingRuleViolation("squad.not-found", "This squad was closed.");
        }

        return command switch
        {
            CloseSquad c => Close(c, state, now),
            RenameSquad c => c.Name.Trim() == state.Name ? [] : [new SquadRenamed(c.Name.Trim(), now)],
            InviteAthlete c => Invite(c, state, now),
            RevokeInvite c => Revoke(c, state, now),
            JoinSquad c => Join(c, state, now),
            LeaveSquad c => Leave(c, state, now),
            AddCoach c => AddCoach(c, state, now),
            RemoveCoach c => RemoveCoach(c, state, now),
            HandOverSquad c => HandOver(c, state, now),
            SaveWeekTemplate c => SaveTemplate(c, state, now),
            DeleteWeekTemplate c => !state.IsCoach(c.CoachId)
                ? throw new CoachingRuleViolation("squad.not-coach", "Only a coach of the squad can delete its templates.")
                : state.WeekTemplates.ContainsKey(c.TemplateId) ? [new WeekTemplateDeleted(c.TemplateId, c.CoachId, now)]
                : throw new CoachingRuleViolation("template.not-found", "The squad has no such template."),
            // Once per week: a later run for the same week (a catch-up, another node) says nothing new.
            RecordWeekAdjustments c => state.AdjustedWeeks.Contains(c.WeekStart) ? [] : [new WeekAdjustmentsCompleted(c.WeekStart, c.Counts, now)],
            ChangeSquadSettings c => c.Settings == state.Settings
                ? []
                : [new SquadSettingsChanged(c.Settings.DeloadEveryBuildWeeks, c.Settings.AdjustmentsNeedApproval, c.Settings.Units, c.Settings.WeeklyAdjustmentDay,
                    c.Settings.WeeklyAdjustmentHour, now, c.Settings.TimeZone)],
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown squad command."),
        };
    }

    private static IReadOnlyList<object> SaveTemplate(SaveWeekTemplate command, SquadState state, DateTimeOffset now)
    {
        if (!state.IsCoach(command.CoachId))
        {
            throw new CoachingRuleViolation("squad.not-coach", "Only a coach of the squad can save its templates.");
        }

        var name = command.Name.Trim();
        if (state.WeekTemplates.TryGetValue(command.TemplateId, out var saved))
        {
            // The same template again is a retry.
            return saved == name ? [] : throw new CoachingRuleViolation("template.id-taken", "Another template has this id.", "templateId");
        }

        if (state.WeekTemplates.Values.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new CoachingRuleViolation("template.name-taken", "The squad already has a template of this name: choose another, or delete that one first.", "name");
        }

        if (state.WeekTemplates.Count >= Plans.WeekTemplates.MaxPerSquad)
        {
            throw new CoachingRuleViolation("template.too-many", $"A squad keeps at most {Plans.WeekTemplates.MaxPerSquad} templates: delete one first.");
        }

        return [new WeekTemplateSaved(command.TemplateId, name, command.Sessions, command.CoachId, now)];
    }

    private static IReadOnlyList<object> Invite(InviteAthlete command, SquadState state, DateTimeOffset now)
    {
        var code = NormalizeCode(command.InviteCode);
        if (state.Invites.ContainsKey(code))
        {
            throw new CoachingRuleViolation("squad.invite-code-taken", "This invite code is already in use.", "inviteCode");
        }

        return [new AthleteInvited(code, command.Email?.Trim(), command.SingleUse, command.ExpiresAt, now)];
    }

    private static IReadOnlyList<object> Revoke(RevokeInvite command, SquadState state, DateTimeOffset now)
    {
        if (!state.IsCoach(command.RevokedBy))
        {
            throw new CoachingRuleViolation("squad.not-coach", "Only a coach of the squad can withdraw its invite codes.");
        }

        if (!state.Invites.TryGetValue(NormalizeCode(command.InviteCode), out var invite))
        {
            throw new CoachingRuleViolation("squad.invite-unknown", "This invite code is not one of the squad's.");
        }

        // Withdrawing twice is a retry.
        return invite.Revoked ? [] : [new InviteRevoked(invite.Code, command.RevokedBy, now)];
    }

    private static IReadOnlyList<object> Leave(LeaveSquad command, SquadState state, DateTimeOffset now)
    {
        if (!state.IsMember(command.AthleteId))
        {
            throw new CoachingRuleViolation("squad.not-member", "This athlete is not in the squad.", "athleteId");
        }

        if (command.RemovedBy is { } coach && !state.IsCoach(coach))
        {
            throw new CoachingRuleViolation("squad.not-coach", "Only a coach of the squad can remove an athlete from it.");
        }

        return [new AthleteLeft(command.AthleteId, now, command.RemovedBy, command.MovedTo)];
    }

    private static IReadOnlyList<object> AddCoach(AddCoach command, SquadState state, DateTimeOffset now)
    {
        if (command.AddedBy != state.CoachId)
        {
            throw new CoachingRuleViolation("squad.not-head-coach", "Only the coach who created the squad can add coaches to it.");
        }

        return state.IsCoach(command.CoachId) ? [] : [new CoachAdded(command.CoachId, command.AddedBy, now)];
    }

    private static List<object> Close(CloseSquad command, SquadState state, DateTimeOffset now)
    {
        if (command.By != state.CoachId)
        {
            throw new CoachingRuleViolation("squad.not-head-coach", "Only the head coach can close the squad.");
        }

        var events = new List<object>();
        events.AddRange(state.Members.Order().Select(athlete => new AthleteLeft(athlete, now, RemovedBy: command.By)));
        events.AddRange(state.Invites.Values.Where(i => !i.Revoked).OrderBy(i => i.Code, StringComparer.Ordinal)
            .Select(i => new InviteRevoked(i.Code, command.By, now)));
        events.Add(new SquadClosed(command.By, now, [state.CoachId, .. state.AssistantCoaches.Order()]));
        return events;
    }

    private static IReadOnlyList<object> RemoveCoach(RemoveCoach command, SquadState state, DateTimeOffset now)
    {
        if (command.CoachId == state.CoachId)
        {
            throw new CoachingRuleViolation("squad.head-coach-stays", "The head coach cannot be removed; the head coach can hand the squad over.", "coachId");
        }

        if (command.RemovedBy != state.CoachId && command.RemovedBy != command.CoachId)
        {
            throw new CoachingRuleViolation("squad.not-head-coach", "Only the head coach can take another coach off the squad.");
        }

        return state.AssistantCoaches.Contains(command.CoachId) ? [new CoachRemoved(command.CoachId, command.RemovedBy, now)] : [];
    }

    private static IReadOnlyList<object> HandOver(HandOverSquad command, SquadState state, DateTimeOffset now)
    {
        if (command.By != state.CoachId)
        {
            throw new CoachingRuleViolation("squad.not-head-coach", "Only the head coach can hand the squad over.");
        }

        if (command.ToCoachId == state.CoachId) return [];
        return state.AssistantCoaches.Contains(command.ToCoachId)
            ? [new SquadHandedOver(state.CoachId, command.ToCoachId, now)]
            : throw new CoachingRuleViolation("squad.not-a-coach", "Add the coach to the squad first: a squad is handed to one of its coaches.", "coachId");
    }

    private static IReadOnlyList<object> Join(JoinSquad command, SquadState state, DateTimeOffset now)
    {
        if (state.IsMember(command.AthleteId))
        {
            // Joining twice is a retry, not a conflict.
            return [];
        }

        if (command.CurrentSquadId is { } current && current != state.SquadId && !command.ConfirmMove)
        {
            // One squad at a time: moving takes the athlete away from their coach, so it is asked, never assumed.
            throw new CoachingRuleViolation(
                "squad.move-needs-confirmation",
                $"You already train in another squad. Joining {state.Name} moves you: your current coach will no longer see your runs and reports. Confirm the move to join.");
        }

        var code = NormalizeCode(command.InviteCode);
        if (!state.Invites.TryGetValue(code, out var invite))
        {
            throw new CoachingRuleViolation("squad.invite-unknown", "This invite code is not valid for the squad.", "inviteCode");
        }

        if (invite.Revoked)
        {
            throw new CoachingRuleViolation("squad.invite-revoked", "The coach has withdrawn this invite; ask them for a new one.", "inviteCode");
        }

        if (now >= invite.ExpiresAt)
        {
            throw new CoachingRuleViolation("squad.invite-expired", "This invite has expired; ask the coach for a new one.", "inviteCode");
        }

        if (invite.SingleUse && invite.Uses > 0)
        {
            throw new CoachingRuleViolation("squad.invite-used", "This invite has already been used.", "inviteCode");
        }

        return [new AthleteJoined(command.AthleteId, code, now)];
    }
}
