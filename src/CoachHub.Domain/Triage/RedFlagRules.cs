using CoachHub.Domain.Athletes;

namespace CoachHub.Domain.Triage;

/// <summary>
/// Red flags, asked on every pain report. Each "yes" raises an emergency or urgent finding for that report.
/// Reports made before the latest clearance are covered by it and are not looked at again.
/// </summary>
public static class RedFlagRules
{
    public const string EmergencyAction =
        "Stop training and get emergency medical care now: call your local emergency number or go to the nearest " +
        "emergency department. Running stays paused until a healthcare professional has assessed you and your coach " +
        "records the all-clear.";

    public const string UrgentAction =
        "Stop running and see a healthcare professional (your doctor or a physiotherapist) as soon as you can. If " +
        "things get suddenly worse, call your local emergency number. Running stays paused until your coach records " +
        "that a professional has cleared you.";

    /// <summary>How much pain, out of 10, makes sharp pain down the leg "severe".</summary>
    public const int SeverePain = 7;

    public static IReadOnlyList<Finding> Saddle(AthleteHistory history) => Saddle(TriageView.Of(history));

    internal static IReadOnlyList<Finding> Saddle(TriageView view) => Emergency(
        view,
        RuleIds.Saddle,
        r => r.RedFlags.SaddleNumbness,
        "You told us about numbness around your groin, buttocks or inner thighs. Together with back pain this needs emergency medical attention now.",
        "Red flag: numbness in the saddle area reported with back pain. Running is paused; make sure the athlete is getting emergency care now.");

    public static IReadOnlyList<Finding> Bladder(AthleteHistory history) => Bladder(TriageView.Of(history));

    internal static IReadOnlyList<Finding> Bladder(TriageView view) => Emergency(
        view,
        RuleIds.Bladder,
        r => r.RedFlags.BladderOrBowelChange,
        "You told us about new trouble passing urine, or losing control of your bladder or bowel. Together with back pain this needs emergency medical attention now.",
        "Red flag: new bladder or bowel changes reported with back pain. Running is paused; make sure the athlete is getting emergency care now.");

    public static IReadOnlyList<Finding> BothLegs(AthleteHistory history) => BothLegs(TriageView.Of(history));

    internal static IReadOnlyList<Finding> BothLegs(TriageView view) => Emergency(
        view,
        RuleIds.BothLegs,
        r => r.RedFlags.BothLegsNumbOrWeak,
        "You told us about numbness, pins and needles or weakness in both legs. Together with back pain this needs emergency medical attention now.",
        "Red flag: numbness, tingling or weakness in both legs. Running is paused; make sure the athlete is getting emergency care now.");

    public static IReadOnlyList<Finding> Weakness(AthleteHistory history) => Weakness(TriageView.Of(history));

    internal static IReadOnlyList<Finding> Weakness(TriageView view) => Urgent(
        view,
        RuleIds.Weakness,
        r => r.RedFlags.LegWeakness,
        _ => "You told us a leg feels newly weak, or weaker than before. Please stop running and have a healthcare professional check you soon.",
        "Red flag: new or worsening leg weakness. Running is paused until a professional has assessed the athlete.");

    public static IReadOnlyList<Finding> Fever(AthleteHistory history) => Fever(TriageView.Of(history));

    internal static IReadOnlyList<Finding> Fever(TriageView view) => Urgent(
        view,
        RuleIds.Fever,
        r => r.RedFlags.FeverOrUnwell,
        _ => "You told us you have a fever or feel generally unwell along with the back pain. Please stop running and have a healthcare professional check you.",
        "Red flag: fever or feeling unwell with back pain. Running is paused until a professional has assessed the athlete.");

    public static IReadOnlyList<Finding> Night(AthleteHistory history) => Night(TriageView.Of(history));

    internal static IReadOnlyList<Finding> Night(TriageView view) => Urgent(
        view,
        RuleIds.Night,
        r => r.RedFlags.WorseAtNight,
        _ => "You told us the pain is much worse at night or wakes you from sleep. Please stop running and have a healthcare professional check you.",
        "Red flag: back pain much worse at night or waking the athlete. Running is paused until a professional has assessed the athlete.");

    public static IReadOnlyList<Finding> Weight(AthleteHistory history) => Weight(TriageView.Of(history));

    internal static IReadOnlyList<Finding> Weight(TriageView view) => Urgent(
        view,
        RuleIds.Weight,
        r => r.RedFlags.UnexplainedWeightLoss,
        _ => "You told us you have lost weight without trying. Alongside back pain that is worth a check: please stop running and see a healthcare professional.",
        "Red flag: unexplained weight loss with back pain. Running is paused until a professional has assessed the athlete.");

    public static IReadOnlyList<Finding> Trauma(AthleteHistory history) => Trauma(TriageView.Of(history));

    internal static IReadOnlyList<Finding> Trauma(TriageView view) => Urgent(
        view,
        RuleIds.Trauma,
        r => r.RedFlags.AfterFallOrImpact,
        _ => "Your back pain began after a fall or a knock. Please stop running and have a healthcare professional check you before you run again.",
        "Red flag: back pain after a fall or impact. Running is paused until a professional has assessed the athlete.");

    /// <summary>Sharp or shooting pain of at least 7/10 that travels into the thigh or below the knee.</summary>
    public static IReadOnlyList<Finding> Radiating(AthleteHistory history) => Radiating(TriageView.Of(history));

    internal static IReadOnlyList<Finding> Radiating(TriageView view) => Urgent(
        view,
        RuleIds.Radiating,
        IsRadiating,
        r => $"You described sharp pain of {r.PeakAfterRun()}/10 travelling down your leg. Stop running until a healthcare professional has seen you.",
        "Red flag: sharp, severe pain travelling down the leg. Running is paused until a professional has assessed the athlete.");

    /// <summary>
    /// Sharp or "zingy" pain shooting down the leg below the severity of <see cref="Radiating"/>, which takes
    /// precedence so one report does not raise both.
    /// </summary>
    public static IReadOnlyList<Finding> Zingy(AthleteHistory history) => Zingy(TriageView.Of(history));

    internal static IReadOnlyList<Finding> Zingy(TriageView view) => Urgent(
        view,
        RuleIds.Zingy,
        r => ShootsDownLeg(r) && !IsRadiating(r),
        _ => "You described sharp or 'zingy' pain shooting down the back of your leg. Don't wait for it to settle: stop running and get it checked by a healthcare professional.",
        "Red flag: sharp or zingy pain shooting down the leg. Running is paused until a professional has assessed the athlete.");

    /// <summary>
    /// CoachHub's one definition of a red-flag report: a yes to any red-flag question, or sharp or shooting pain
    /// travelling to the thigh or below the knee (RF-RADIATING or RF-ZINGY). Every view asks this.
    /// </summary>
    public static bool IsRedFlag(PainReportSubmitted report) =>
        report.RedFlags is { SaddleNumbness: true } or { BladderOrBowelChange: true } or { BothLegsNumbOrWeak: true } or { LegWeakness: true }
            or { FeverOrUnwell: true } or { WorseAtNight: true } or { UnexplainedWeightLoss: true } or { AfterFallOrImpact: true }
        || ShootsDownLeg(report);

    private static bool ShootsDownLeg(PainReportSubmitted report) =>
        report.Description.Character is PainCharacter.Sharp or PainCharacter.ShootingOrZingy
        && report.Description.SpreadsTo >= PainSpread.Thigh;

    private static bool IsRadiating(PainReportSubmitted report) =>
        ShootsDownLeg(report) && report.PeakAfterRun() >= SeverePain;

    private static List<Finding> Emergency(TriageView view, string ruleId, Func<PainReportSubmitted, bool> trigger, string athleteMessage, string coachMessage) =>
        Raise(view, ruleId, Severity.Emergency, trigger, _ => athleteMessage, coachMessage, EmergencyAction);

    private static List<Finding> Urgent(TriageView view, string ruleId, Func<PainReportSubmitted, bool> trigger, Func<PainReportSubmitted, string> athleteMessage, string coachMessage) =>
        Raise(view, ruleId, Severity.Urgent, trigger, athleteMessage, coachMessage, UrgentAction);

    private static List<Finding> Raise(
        TriageView view,
        string ruleId,
        Severity severity,
        Func<PainReportSubmitted, bool> trigger,
        Func<PainReportSubmitted, string> athleteMessage,
        string coachMessage,
        string action)
    {
        return view.RedFlagReportsAfter(view.History.LastClearanceAt())
            .Where(trigger)
            .Select(r => view.AlreadyRaised(ruleId, severity, Findings.ReportKey(r.ReportId)) ?? Findings.Create(
                ruleId,
                severity,
                Findings.ReportKey(r.ReportId),
                athleteMessage(r),
                coachMessage,
                action,
                runs: Findings.RunOf(r),
                reports: [r.ReportId],
                values: [new EvidenceValue("pain (0-10)", r.Peak(), "/10")]))
            .ToList();
    }
}
