using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;

namespace CoachHub.Server.Platform;

/// <summary>The domain's deciders in the shape the command pipeline takes.</summary>
public static class Deciders
{
    public static Decider<CoachState, CoachCommand> Coach { get; } = new(CoachDecider.Initial, CoachDecider.Evolve, CoachDecider.Decide);
    public static Decider<SquadState, SquadCommand> Squad { get; } = new(SquadDecider.Initial, SquadDecider.Evolve, SquadDecider.Decide);
    public static Decider<AthleteState, AthleteCommand> Athlete { get; } = new(AthleteDecider.Initial, AthleteDecider.Evolve, AthleteDecider.Decide);
    public static Decider<PlanState, PlanCommand> Plan { get; } = new(PlanDecider.Initial, PlanDecider.Evolve, PlanDecider.Decide);
}
