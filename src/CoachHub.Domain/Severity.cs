namespace CoachHub.Domain;

/// <summary>How serious a finding is; ordered so that comparisons (>= Urgent) read naturally.</summary>
public enum Severity
{
    Info = 0,
    Watch = 1,
    Warning = 2,
    Urgent = 3,
    Emergency = 4,
}
