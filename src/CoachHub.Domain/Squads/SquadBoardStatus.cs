namespace CoachHub.Domain.Squads;

/// <summary>An athlete's traffic light on the squad board.</summary>
public enum StatusLight
{
    Green = 0,
    Amber = 1,
    Red = 2,
}

/// <summary>The board's rules, in one place: what colour an athlete shows.</summary>
public static class SquadBoardStatus
{
    /// <summary>Red while running is paused (urgent or emergency), amber for a warning or watch, green otherwise.</summary>
    public static StatusLight Of(Severity? worstOpenFinding) => worstOpenFinding switch
    {
        { } worst when Plans.RunningPauses.Pauses(worst) => StatusLight.Red,
        Severity.Warning or Severity.Watch => StatusLight.Amber,
        _ => StatusLight.Green,
    };
}
