namespace CoachHub.Domain.Triage;

/// <summary>A labelled number a rule used, e.g. ("longest run, previous 30 days", 12000, "m").</summary>
public sealed record EvidenceValue(string Label, double Value, string Unit);

/// <summary>What a finding rests on: the runs, reports and shoes involved and the numbers computed.</summary>
public sealed record FindingEvidence(
    IReadOnlyList<Guid> RunIds,
    IReadOnlyList<Guid> PainReportIds,
    IReadOnlyList<Guid> ShoeIds,
    IReadOnlyList<EvidenceValue> Values);

/// <summary>
/// One thing a rule noticed. <see cref="EvidenceKey"/> names the evidence (a report, a run, a week, an episode)
/// so the same evidence never raises the same rule twice; <see cref="FindingId"/> is "RuleId:EvidenceKey".
/// </summary>
public sealed record Finding(
    string FindingId,
    string RuleId,
    Severity Severity,
    string AthleteMessage,
    string CoachMessage,
    string RecommendedAction,
    FindingEvidence Evidence,
    string EvidenceKey)
{
    public static string IdFor(string ruleId, string evidenceKey) => $"{ruleId}:{evidenceKey}";
}

public enum FindingResolution
{
    /// <summary>The coach recorded that a professional cleared the athlete to run.</summary>
    Cleared = 0,

    /// <summary>The coach acknowledged an info or watch finding.</summary>
    Acknowledged = 1,

    /// <summary>Re-evaluation found the trigger no longer holds.</summary>
    NoLongerTrue = 2,
}

/// <summary>The stable rule ids of clinical-rules.md.</summary>
public static class RuleIds
{
    public const string Saddle = "RF-SADDLE";
    public const string Bladder = "RF-BLADDER";
    public const string BothLegs = "RF-BOTHLEGS";
    public const string Weakness = "RF-WEAKNESS";
    public const string Fever = "RF-FEVER";
    public const string Night = "RF-NIGHT";
    public const string Weight = "RF-WEIGHT";
    public const string Trauma = "RF-TRAUMA";
    public const string Radiating = "RF-RADIATING";
    public const string Zingy = "RF-ZINGY";
    public const string PainOk = "PM-OK";
    public const string PainHigh = "PM-HIGH";
    public const string PainNextDay = "PM-NEXTDAY";
    public const string PainPersistent = "PM-PERSIST";
    public const string Spike = "LD-SPIKE";
    public const string WeekIncrease = "LD-WEEK";
    public const string IntensityAdded = "LD-INTENSITY";
    public const string AcuteChronic = "LD-ACWR";
    public const string Monotony = "LD-MONOTONY";
    public const string NoRest = "LD-NOREST";
    public const string ShoeWear = "CX-SHOE";
    public const string SurfaceMix = "CX-SURFACE";
    public const string Sleep = "CX-SLEEP";
    public const string Stress = "CX-STRESS";
    public const string Fear = "CX-FEAR";
    public const string Sitting = "CX-SITTING";
    public const string Pattern = "CX-PATTERN";
}
