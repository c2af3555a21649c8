using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;

namespace CoachHub.Domain.Tests.Support;

/// <summary>Given events, when a command is decided at a moment, then these events (or this rule violation).</summary>
internal sealed class DeciderSpec<TState, TCommand>(
    TState initial,
    Func<TState, object, TState> evolve,
    Func<TCommand, TState, DateTimeOffset, IReadOnlyList<object>> decide)
{
    private readonly List<object> history = [];
    private TCommand? command;
    private DateTimeOffset now = Clock.Now;

    public DeciderSpec<TState, TCommand> Given(params object[] events)
    {
        history.AddRange(events);
        return this;
    }

    public DeciderSpec<TState, TCommand> When(TCommand next, DateTimeOffset? at = null)
    {
        command = next;
        now = at ?? Clock.Now;
        return this;
    }

    public TState State => history.Aggregate(initial, evolve);

    /// <summary>Exact events, compared as stored JSON.</summary>
    public IReadOnlyList<object> Then(params object[] expected)
    {
        var actual = Run();
        Assert.Equal(expected.Select(EventJson.Canonical).ToList(), actual.Select(EventJson.Canonical).ToList());
        return actual;
    }

    /// <summary>The decided events, for assertions on part of them.</summary>
    public IReadOnlyList<object> ThenEvents() => Run();

    public CoachingRuleViolation ThenThrows(string code)
    {
        var violation = Assert.Throws<CoachingRuleViolation>(() => Run());
        Assert.Equal(code, violation.Code);
        return violation;
    }

    public CoachingRuleViolation ThenRejectsField(string field)
    {
        var violation = ThenThrows(CoachingRuleViolation.ValidationFailed);
        Assert.Contains(violation.Errors, e => e.Field == field);
        return violation;
    }

    /// <summary>State after the given events and the decided ones.</summary>
    public TState StateAfterDecision() => Run().Aggregate(State, evolve);

    private IReadOnlyList<object> Run()
    {
        Assert.NotNull(command);
        var events = decide(command, State, now);
        foreach (var e in events)
        {
            Assert.Contains(e.GetType(), CoachingEvents.All);
            EventJson.AssertRoundTrips(e);
        }

        return events;
    }
}

internal static class Spec
{
    public static DeciderSpec<CoachState, CoachCommand> Coach() => new(CoachDecider.Initial, CoachDecider.Evolve, CoachDecider.Decide);

    public static DeciderSpec<SquadState, SquadCommand> Squad() => new(SquadDecider.Initial, SquadDecider.Evolve, SquadDecider.Decide);

    public static DeciderSpec<AthleteState, AthleteCommand> Athlete() => new(AthleteDecider.Initial, AthleteDecider.Evolve, AthleteDecider.Decide);

    public static DeciderSpec<PlanState, PlanCommand> Plan() => new(PlanDecider.Initial, PlanDecider.Evolve, PlanDecider.Decide);
}

/// <summary>A fixed "now": Wednesday 19 March 2025, 09:00 at UTC+1 (the athletes' local offset in these tests).</summary>
internal static class Clock
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(1);

    public static readonly DateOnly Today = new(2025, 3, 19);

    public static readonly DateOnly ThisMonday = new(2025, 3, 17);

    public static readonly DateTimeOffset Now = At(Today, 9);

    public static DateTimeOffset At(DateOnly day, int hour = 7, int minute = 0) =>
        new(day.ToDateTime(new TimeOnly(hour, minute)), Offset);
}
