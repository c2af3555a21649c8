namespace CoachHub.Domain.Squads;

public sealed record CoachState(bool Registered, Guid CoachId, string Name, string Email);

public abstract record CoachCommand
{
    internal abstract IReadOnlyList<FieldError> Errors(DateTimeOffset now);
}

public sealed record RegisterCoach(Guid CoachId, string Name, string Email) : CoachCommand
{
    public static IReadOnlyList<FieldError> Validate(RegisterCoach command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new FieldErrors()
            .NotEmpty("coachId", command.CoachId)
            .Text("name", command.Name, 80)
            .Text("email", command.Email, 254)
            .Require(command.Email is null || command.Email.Contains('@', StringComparison.Ordinal), "email", "must be an email address")
            .ToList();
    }

    internal override IReadOnlyList<FieldError> Errors(DateTimeOffset now) => Validate(this, now);
}

/// <summary>The coach's own stream: only registration lives here; squads have their own streams.</summary>
public static class CoachDecider
{
    public static CoachState Initial { get; } = new(false, Guid.Empty, string.Empty, string.Empty);

    public static CoachState Evolve(CoachState state, object @event)
    {
        ArgumentNullException.ThrowIfNull(state);
        return @event switch
        {
            CoachRegistered e => new CoachState(true, e.CoachId, e.Name, e.Email),
            _ => state,
        };
    }

    public static IReadOnlyList<object> Decide(CoachCommand command, CoachState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(state);
        FieldErrors.ThrowIfAny(command.Errors(now));
        return command switch
        {
            RegisterCoach c when state.Registered && state.CoachId == c.CoachId && state.Name == c.Name && state.Email == c.Email => [],
            RegisterCoach when state.Registered =>
                throw new CoachingRuleViolation("coach.already-registered", "This coach is already registered."),
            RegisterCoach c => [new CoachRegistered(c.CoachId, c.Name.Trim(), c.Email.Trim(), now)],
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown coach command."),
        };
    }
}
