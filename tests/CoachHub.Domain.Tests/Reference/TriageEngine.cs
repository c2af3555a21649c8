using CoachHub.Domain.Athletes;
using CoachHub.Domain.Triage;

namespace CoachHub.Domain.Tests.Reference;

internal static class ClinicalRules
{
    private const string Seed000 = "000_99304510ffe63da7.txt (Lower back discomfort after running: Understanding Lower Back Pain After Running)";
    private const string Seed001 = "001_0ec9d9433efbc3ac.txt (Low Back Pain and Running: Understanding Why It Happens and Why It Sticks Around)";
    private const string Seed002 = "002_6fb95cd575e9d26b.txt (Why Back Pain in Runners Can Derail Your Progress and How to Fix It)";
    private const string Seed003 = "003_2da8d7223dfd7dde.txt (Why Your Lower Back May Hurt After a Run - and How to Find Relief)";

    /// <summary>Every rule, in the order of clinical-rules.md.</summary>
    public static IReadOnlyList<ClinicalRule> All { get; } =
    [
        new(RuleIds.Saddle, "red flag", "numbness around the genitals, buttocks or inner thighs", "emergency", "seek emergency care now; running paused until cleared", "NHS back-pain pathway (cauda equina signs)", RedFlagRules.Saddle),
        new(RuleIds.Bladder, "red flag", "new difficulty passing urine, or loss of bladder or bowel control", "emergency", "seek emergency care now; running paused until cleared", $"seed {Seed000} (\"bowel or bladder changes\"); NHS", RedFlagRules.Bladder),
        new(RuleIds.BothLegs, "red flag", "numbness, tingling or weakness in both legs", "emergency", "seek emergency care now; running paused until cleared", "NHS", RedFlagRules.BothLegs),
        new(RuleIds.Weakness, "red flag", "new or worsening leg weakness", "urgent", "stop running until seen by a healthcare provider", $"seed {Seed000} (\"numbness, weakness\"); NICE NG59", RedFlagRules.Weakness),
        new(RuleIds.Fever, "red flag", "fever or feeling generally unwell with the back pain", "urgent", "stop running until seen by a healthcare provider", $"seed {Seed000} (\"fever\"); NICE NG59 (infection)", RedFlagRules.Fever),
        new(RuleIds.Night, "red flag", "pain much worse at night or waking from sleep", "urgent", "stop running until seen by a healthcare provider", $"seed {Seed003} (\"hurts at night\"); NHS", RedFlagRules.Night),
        new(RuleIds.Weight, "red flag", "unexplained weight loss", "urgent", "stop running until seen by a healthcare provider", "NHS (malignancy screen)", RedFlagRules.Weight),
        new(RuleIds.Trauma, "red flag", "back pain after a fall or impact", "urgent", "stop running until seen by a healthcare provider", "NICE NG59 (fracture)", RedFlagRules.Trauma),
        new(RuleIds.Radiating, "red flag", "sharp or shooting pain >= 7/10 spreading to the thigh or below the knee", "urgent", "stop running until seen", $"seed {Seed003} (Wu: sharp, severe and travelling down the leg)", RedFlagRules.Radiating),
        new(RuleIds.Zingy, "red flag", "sharp or zingy pain spreading to the thigh or below the knee (below 7/10; RF-RADIATING takes precedence)", "urgent", "see a provider, don't wait", $"seed {Seed003} (Dicharry); seed {Seed002} (\"shoots down your legs\")", RedFlagRules.Zingy),
        new(RuleIds.PainOk, "pain monitoring", "latest pain <= 3/10 and not higher next morning", "info", "continue", $"seed {Seed001} (\"keep pain at 3-4/10 or below\"); pain-monitoring model (Silbernagel 2007)", PainMonitoringRules.Ok),
        new(RuleIds.PainHigh, "pain monitoring", "pain > 5/10 during, right after or the morning after a run", "warning", "reduce load", "pain-monitoring model (Silbernagel 2007)", PainMonitoringRules.High),
        new(RuleIds.PainNextDay, "pain monitoring", "next-morning pain higher than before the run", "warning", "reduce the next sessions", "pain-monitoring model (Silbernagel 2007)", PainMonitoringRules.NextDay),
        new(RuleIds.PainPersistent, "pain monitoring", "pain after 3+ runs within 14 days, or painful reports spanning more than 14 days", "warning", "recommend a physical therapist", $"seed {Seed003} (Tyndall: a consistent problem, see a physical therapist); seed {Seed001} (most acute episodes improve within a few weeks)", PainMonitoringRules.Persistent),
        new(RuleIds.Spike, "load", "a run more than 10% longer than the longest run of the previous 30 days", "watch (warning above 30%)", "keep single runs within 10% of the 30-day longest", "Frandsen et al. 2025, BJSM 59:1203", LoadRules.Spike),
        new(RuleIds.WeekIncrease, "load", "weekly distance more than 30% above the previous week", "watch", "hold weekly distance", $"Nielsen et al. 2014, JOSPT; seeds {Seed000}, {Seed001}, {Seed002} (sudden increases)", LoadRules.Week),
        new(RuleIds.IntensityAdded, "load", "hills, intervals or a longer long run added in a week whose volume also rose", "watch", "change one thing at a time", $"seed {Seed000} (\"suddenly adds speed work, long runs, or hill repeats\")", LoadRules.Intensity),
        new(RuleIds.AcuteChronic, "load", "EWMA acute:chronic ratio (N = 7 and 28) outside 0.8-1.3", "info", "context only; thresholds disputed", "Williams et al. 2017 BJSM 51:209; Gabbett 2016; Impellizzeri et al. 2020", LoadRules.AcuteChronic),
        new(RuleIds.Monotony, "load", "weekly monotony (mean daily load / SD) above 2.0, with strain", "info", "vary the week", "Foster 1998", LoadRules.Monotony),
        new(RuleIds.NoRest, "load", "no rest day in the last 7 days", "watch", "take a rest day", $"seed {Seed002} (\"insufficient rest days\")", LoadRules.NoRest),
        new(RuleIds.ShoeWear, "context", "a shoe past 480 km (300 mi): check; past 800 km (500 mi): replace", "watch", "check or replace the shoe", $"seed {Seed002} (300-500 miles)", ContextRules.Shoe),
        new(RuleIds.SurfaceMix, "context", "80% or more of the last 4 weeks' distance on road", "watch", "rotate terrain (grass, trail, track, treadmill)", $"seed {Seed002}; seed {Seed000} (cambered roads, downhills)", ContextRules.Surface),
        new(RuleIds.Sleep, "context", "under 7 h sleep on 3 of the last 7 reports", "watch", "prioritise sleep (7-9 h)", $"seed {Seed001} (poor sleep predicts persistent pain); seed {Seed002} (7-9 h)", ContextRules.Sleep),
        new(RuleIds.Stress, "context", "stress >= 4/5 on 2 of the last 3 reports", "watch", "keep sessions easy, prioritise recovery", $"seed {Seed001}", ContextRules.Stress),
        new(RuleIds.Fear, "context", "fear that running will harm the back >= 7/10", "watch", "coach prompt: reassure, graded exposure, avoid total rest", $"seed {Seed001} (fear-avoidance cycle); seed {Seed000} (the middle way)", ContextRules.Fear),
        new(RuleIds.Sitting, "context", "8+ h sitting on the day of a painful run", "info", "mobility before running", $"seed {Seed000}; seed {Seed002}", ContextRules.Sitting),
        new(RuleIds.Pattern, "context", "pain notably more often after one surface, workout type, shoe or time of day", "info", "an insight line for the coach", $"seed {Seed000} (self-check questions)", ContextRules.Pattern),
    ];

    /// <summary>Every finding that holds for the history right now, in rule order.</summary>
    public static IReadOnlyList<Finding> EvaluateAll(AthleteHistory history) =>
        All.SelectMany(rule => rule.Evaluate(history)).ToList();
}

/// <summary>
/// Turns "what holds now" into changes. A finding is raised once per evidence key: never while an identical one is
/// open, and never again once it was raised before (acknowledged or resolved). Open findings below urgent are
/// resolved when their trigger no longer holds; urgent and emergency findings only resolve through clearance.
/// </summary>
internal static class TriageEngine
{
    public static TriageResult Evaluate(
        AthleteHistory history,
        IReadOnlyList<Finding> openFindings,
        IReadOnlyCollection<string>? everRaisedFindingIds = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(openFindings);
        var holding = ClinicalRules.EvaluateAll(history);
        var holdingIds = holding.Select(f => f.FindingId).ToHashSet(StringComparer.Ordinal);
        var openIds = openFindings.Select(f => f.FindingId).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(everRaisedFindingIds ?? [], StringComparer.Ordinal);

        var raise = new List<Finding>();
        foreach (var finding in holding)
        {
            if (!openIds.Contains(finding.FindingId) && seen.Add(finding.FindingId))
            {
                raise.Add(finding);
            }
        }

        var resolve = openFindings
            .Where(f => f.Severity < Severity.Urgent && !holdingIds.Contains(f.FindingId))
            .Select(f => f.FindingId)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new TriageResult(raise, resolve, CoachHub.Domain.Triage.TriageEngine.Changed(holding, openFindings));
    }
}
