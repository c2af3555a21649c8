using System.Collections.Immutable;
using CoachHub.Domain.Athletes;

namespace CoachHub.Domain.Triage;

/// <summary>One row of clinical-rules.md: id, what triggers it, its severity, what to do, where it comes from.</summary>
public sealed record ClinicalRule(
    string Id,
    string Group,
    string Trigger,
    string SeverityText,
    string Action,
    string Source,
    Func<AthleteHistory, IReadOnlyList<Finding>> Evaluate);

/// <summary>
/// What re-evaluation changes: findings to raise, open finding ids whose trigger no longer holds, and open findings
/// whose figures changed (shown as they are now).
/// </summary>
public sealed record TriageResult(IReadOnlyList<Finding> Raise, IReadOnlyList<string> ResolveFindingIds, IReadOnlyList<Finding> Update);

public static class ClinicalRules
{
    private const string Seed000 = "000_99304510ffe63da7.txt (Lower back discomfort after running: Understanding Lower Back Pain After Running)";
    private const string Seed001 = "001_0ec9d9433efbc3ac.txt (Low Back Pain and Running: Understanding Why It Happens and Why It Sticks Around)";
    private const string Seed002 = "002_6fb95cd575e9d26b.txt (Why Back Pain in Runners Can Derail Your Progress and How to Fix It)";
    private const string Seed003 = "003_2da8d7223dfd7dde.txt (Why Your Lower Back May Hurt After a Run - and How to Find Relief)";

    /// <summary>Each rule with its evaluation over a shared view, in the order of clinical-rules.md.</summary>
    private static readonly (ClinicalRule Rule, Func<TriageView, IReadOnlyList<Finding>> OverView)[] Table =
    [
        Rule(RuleIds.Saddle, "red flag", "numbness around the genitals, buttocks or inner thighs", "emergency", "seek emergency care now; running paused until cleared", "NHS back-pain pathway (cauda equina signs)", RedFlagRules.Saddle),
        Rule(RuleIds.Bladder, "red flag", "new difficulty passing urine, or loss of bladder or bowel control", "emergency", "seek emergency care now; running paused until cleared", $"seed {Seed000} (\"bowel or bladder changes\"); NHS", RedFlagRules.Bladder),
        Rule(RuleIds.BothLegs, "red flag", "numbness, tingling or weakness in both legs", "emergency", "seek emergency care now; running paused until cleared", "NHS", RedFlagRules.BothLegs),
        Rule(RuleIds.Weakness, "red flag", "new or worsening leg weakness", "urgent", "stop running until seen by a healthcare provider", $"seed {Seed000} (\"numbness, weakness\"); NICE NG59", RedFlagRules.Weakness),
        Rule(RuleIds.Fever, "red flag", "fever or feeling generally unwell with the back pain", "urgent", "stop running until seen by a healthcare provider", $"seed {Seed000} (\"fever\"); NICE NG59 (infection)", RedFlagRules.Fever),
        Rule(RuleIds.Night, "red flag", "pain much worse at night or waking from sleep", "urgent", "stop running until seen by a healthcare provider", $"seed {Seed003} (\"hurts at night\"); NHS", RedFlagRules.Night),
        Rule(RuleIds.Weight, "red flag", "unexplained weight loss", "urgent", "stop running until seen by a healthcare provider", "NHS (malignancy screen)", RedFlagRules.Weight),
        Rule(RuleIds.Trauma, "red flag", "back pain after a fall or impact", "urgent", "stop running until seen by a healthcare provider", "NICE NG59 (fracture)", RedFlagRules.Trauma),
        Rule(RuleIds.Radiating, "red flag", "sharp or shooting pain >= 7/10 spreading to the thigh or below the knee", "urgent", "stop running until seen", $"seed {Seed003} (Wu: sharp, severe and travelling down the leg)", RedFlagRules.Radiating),
        Rule(RuleIds.Zingy, "red flag", "sharp or zingy pain spreading to the thigh or below the knee (below 7/10; RF-RADIATING takes precedence)", "urgent", "see a provider, don't wait", $"seed {Seed003} (Dicharry); seed {Seed002} (\"shoots down your legs\")", RedFlagRules.Zingy),
        Rule(RuleIds.PainOk, "pain monitoring", "latest pain <= 3/10 and not higher next morning", "info", "continue", $"seed {Seed001} (\"keep pain at 3-4/10 or below\"); pain-monitoring model (Silbernagel 2007)", PainMonitoringRules.Ok),
        Rule(RuleIds.PainHigh, "pain monitoring", "pain > 5/10 during, right after or the morning after a run", "warning", "reduce load", "pain-monitoring model (Silbernagel 2007)", PainMonitoringRules.High),
        Rule(RuleIds.PainNextDay, "pain monitoring", "next-morning pain higher than before the run", "warning", "reduce the next sessions", "pain-monitoring model (Silbernagel 2007)", PainMonitoringRules.NextDay),
        Rule(RuleIds.PainPersistent, "pain monitoring", "pain of 3/10 or more after 3+ runs within 14 days, or such reports spanning more than 14 days", "warning", "recommend a physical therapist", $"seed {Seed003} (Tyndall: a consistent problem, see a physical therapist); seed {Seed001} (most acute episodes improve within a few weeks)", PainMonitoringRules.Persistent),
        Rule(RuleIds.Spike, "load", "a run more than 10% longer than the longest run of the previous 30 days, against a baseline (2+ earlier runs in those 30 days, the earliest 14+ days back)", "watch (warning above 30%)", "keep single runs within 10% of the 30-day longest", "Frandsen et al. 2025, BJSM 59:1203", LoadRules.Spike),
        Rule(RuleIds.WeekIncrease, "load", "weekly distance more than 30% above the previous week", "watch", "hold weekly distance", $"Nielsen et al. 2014, JOSPT; seeds {Seed000}, {Seed001}, {Seed002} (sudden increases)", LoadRules.Week),
        Rule(RuleIds.IntensityAdded, "load", "hills, intervals or a longer long run added beyond the plan in a week whose volume also rose", "watch", "change one thing at a time", $"seed {Seed000} (\"suddenly adds speed work, long runs, or hill repeats\")", LoadRules.Intensity),
        Rule(RuleIds.AcuteChronic, "load", "EWMA acute:chronic ratio (N = 7 and 28) outside 0.8-1.3", "info", "context only; thresholds disputed", "Williams et al. 2017 BJSM 51:209; Gabbett 2016; Impellizzeri et al. 2020", LoadRules.AcuteChronic),
        Rule(RuleIds.Monotony, "load", "weekly monotony (mean daily load / SD) above 2.0, with strain", "info", "vary the week", "Foster 1998", LoadRules.Monotony),
        Rule(RuleIds.NoRest, "load", "no rest day in the last 7 days", "watch", "take a rest day", $"seed {Seed002} (\"insufficient rest days\")", LoadRules.NoRest),
        Rule(RuleIds.ShoeWear, "context", "a shoe past 480 km (300 mi): check; past 800 km (500 mi): replace", "watch", "check or replace the shoe", $"seed {Seed002} (300-500 miles)", ContextRules.Shoe),
        Rule(RuleIds.SurfaceMix, "context", "80% or more of the last 4 weeks' distance on road", "watch", "rotate terrain (grass, trail, track, treadmill)", $"seed {Seed002}; seed {Seed000} (cambered roads, downhills)", ContextRules.Surface),
        Rule(RuleIds.Sleep, "context", "under 7 h sleep on 3 of the last 7 reports", "watch", "prioritise sleep (7-9 h)", $"seed {Seed001} (poor sleep predicts persistent pain); seed {Seed002} (7-9 h)", ContextRules.Sleep),
        Rule(RuleIds.Stress, "context", "stress >= 4/5 on 2 of the last 3 reports", "watch", "keep sessions easy, prioritise recovery", $"seed {Seed001}", ContextRules.Stress),
        Rule(RuleIds.Fear, "context", "fear that running will harm the back >= 7/10", "watch", "coach prompt: reassure, graded exposure, avoid total rest", $"seed {Seed001} (fear-avoidance cycle); seed {Seed000} (the middle way)", ContextRules.Fear),
        Rule(RuleIds.Sitting, "context", "8+ h sitting on the day of a painful run", "info", "mobility before running", $"seed {Seed000}; seed {Seed002}", ContextRules.Sitting),
        Rule(RuleIds.Pattern, "context", "pain notably more often after one surface, workout type, shoe or time of day", "info", "an insight line for the coach", $"seed {Seed000} (self-check questions)", ContextRules.Pattern),
    ];

    /// <summary>Every rule, in the order of clinical-rules.md.</summary>
    public static IReadOnlyList<ClinicalRule> All { get; } = Table.Select(row => row.Rule).ToList();

    private static readonly HashSet<string> LoadRuleIds = [.. Table.Where(row => row.Rule.Group == LoadGroup).Select(row => row.Rule.Id)];

    private const string LoadGroup = "load";

    /// <summary>
    /// Whether an open watch of this rule holds a week that would progress: load and training-pattern watches
    /// (LD-*) do; context watches (CX-*) are explained but do not (clinical-rules.md, severity ladder).
    /// </summary>
    public static bool HoldsProgress(string ruleId) => LoadRuleIds.Contains(ruleId);

    /// <summary>Every finding that holds for the history right now, in rule order.</summary>
    public static IReadOnlyList<Finding> EvaluateAll(AthleteHistory history) => EvaluateAll(TriageView.Of(history));

    /// <summary>Every rule over one view, so the history is ordered and windowed once per evaluation, not once per rule.</summary>
    internal static List<Finding> EvaluateAll(TriageView view)
    {
        var findings = new List<Finding>();
        foreach (var (_, overView) in Table)
        {
            findings.AddRange(overView(view));
        }

        return findings;
    }

    private static (ClinicalRule, Func<TriageView, IReadOnlyList<Finding>>) Rule(
        string id, string group, string trigger, string severity, string action, string source, Func<TriageView, IReadOnlyList<Finding>> overView) =>
        (new ClinicalRule(id, group, trigger, severity, action, source, history => overView(TriageView.Of(history))), overView);
}

/// <summary>
/// Turns "what holds now" into changes. A finding is raised once per evidence key: never while an identical one is
/// open, and never again once it was raised before (acknowledged or resolved). Open findings below urgent are
/// resolved when their trigger no longer holds; urgent and emergency findings only resolve through clearance.
/// </summary>
public static class TriageEngine
{
    public static TriageResult Evaluate(
        AthleteHistory history,
        IReadOnlyList<Finding> openFindings,
        IReadOnlyCollection<string>? everRaisedFindingIds = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(openFindings);
        var openIds = openFindings.Select(f => f.FindingId).ToHashSet(StringComparer.Ordinal);
        var everRaised = OrdinalSet(everRaisedFindingIds);

        // Findings raised before and closed since are only looked up by id below: the rules return them bare. Open
        // ones are written out in full, so that their figures can be compared with what they show.
        var holding = ClinicalRules.EvaluateAll(TriageView.Of(history, id => !openIds.Contains(id) && everRaised.Contains(id)));
        var holdingIds = holding.Select(f => f.FindingId).ToHashSet(StringComparer.Ordinal);
        var raisedNow = new HashSet<string>(StringComparer.Ordinal);

        var raise = new List<Finding>();
        foreach (var finding in holding)
        {
            if (!openIds.Contains(finding.FindingId) && !everRaised.Contains(finding.FindingId) && raisedNow.Add(finding.FindingId))
            {
                raise.Add(finding);
            }
        }

        var resolve = openFindings
            .Where(f => f.Severity < Severity.Urgent && !holdingIds.Contains(f.FindingId))
            .Select(f => f.FindingId)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new TriageResult(raise, resolve, Changed(holding, openFindings));
    }

    /// <summary>Open findings that still hold with other figures or severity: each is shown again as it is now, once.</summary>
    public static IReadOnlyList<Finding> Changed(IReadOnlyList<Finding> holding, IReadOnlyList<Finding> openFindings)
    {
        ArgumentNullException.ThrowIfNull(holding);
        ArgumentNullException.ThrowIfNull(openFindings);
        var open = new Dictionary<string, Finding>(StringComparer.Ordinal);
        foreach (var finding in openFindings)
        {
            open.TryAdd(finding.FindingId, finding);
        }

        var changed = new List<Finding>();
        foreach (var finding in holding)
        {
            if (open.Remove(finding.FindingId, out var shown) && !SameFigures(shown, finding))
            {
                changed.Add(finding);
            }
        }

        return changed;
    }

    private static bool SameFigures(Finding shown, Finding now) =>
        shown.Severity == now.Severity && shown.Evidence.Values.SequenceEqual(now.Evidence.Values);

    /// <summary>
    /// The ids ever raised, read in place when they already are a set compared ordinally (the athlete stream's is),
    /// since copying them would cost as much as the history is long.
    /// </summary>
    private static IReadOnlySet<string> OrdinalSet(IReadOnlyCollection<string>? ids) => ids switch
    {
        null => NoIds,
        ImmutableHashSet<string> set when IsOrdinal(set.KeyComparer) => set,
        HashSet<string> set when IsOrdinal(set.Comparer) => set,
        _ => new HashSet<string>(ids, StringComparer.Ordinal),
    };

    private static bool IsOrdinal(IEqualityComparer<string> comparer) =>
        ReferenceEquals(comparer, StringComparer.Ordinal) || ReferenceEquals(comparer, EqualityComparer<string>.Default);

    private static readonly HashSet<string> NoIds = new(StringComparer.Ordinal);
}
