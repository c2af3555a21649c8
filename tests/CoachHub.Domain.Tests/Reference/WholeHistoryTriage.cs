using CoachHub.Domain.Athletes;
using CoachHub.Domain.Triage;

namespace CoachHub.Domain.Tests.Reference;

/// <summary>
/// Triage as it was before it read windows: all 27 rules over the athlete's whole, unwindowed history, each rule
/// ordering it again. The files in this folder are that code, copied unchanged but for namespaces; the production
/// path must give exactly the same findings and resolutions. The benchmark links them too, for its reference figure.
/// </summary>
internal static class WholeHistoryTriage
{
    public static IReadOnlyList<Finding> EvaluateAll(AthleteHistory history) => ClinicalRules.EvaluateAll(history);

    public static TriageResult Evaluate(AthleteHistory history, IReadOnlyList<Finding> openFindings, IReadOnlyCollection<string>? everRaisedFindingIds = null) =>
        TriageEngine.Evaluate(history, openFindings, everRaisedFindingIds);

    /// <summary>The athlete stream's state as it was folded before: plain lists of runs and reports.</summary>
    public static AthleteState Fold(IEnumerable<object> events) => events.Aggregate(AthleteDecider.Initial, AthleteDecider.Evolve);

    public static AthleteState Evolve(AthleteState state, object @event) => AthleteDecider.Evolve(state, @event);

    public static IReadOnlyList<object> Decide(AthleteCommand command, AthleteState state, DateTimeOffset now) => AthleteDecider.Decide(command, state, now);
}
