using System.Collections.Immutable;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Tests.Support;
using CoachHub.Domain.Triage;
using FsCheck;
using FsCheck.Fluent;
using WholeHistoryTriage = CoachHub.Domain.Tests.Reference.WholeHistoryTriage;

namespace CoachHub.Domain.Tests;

/// <summary>
/// Triage reads windows and the logs' indexes; the reference (Reference/) runs every rule over the whole history
/// as before. Over generated stories, short and a year or two long, with backdated and twin runs, streaks, painful
/// stretches, shoes and clearances, both must give exactly the same events, findings and resolutions.
/// </summary>
public sealed class TriageEquivalenceTests
{
    [Fact]
    public void DecidingMatchesTheWholeHistoryReferenceAtEveryStepOfShortStories() =>
        Prop.ForAll(TrainingStories.Stories(@long: false).ToArbitrary(), story => Replay(story, (_, _) => true))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(80));

    [Fact]
    public void DecidingMatchesTheWholeHistoryReferenceOverYearsOfHistory() =>
        Prop.ForAll(TrainingStories.Stories(@long: true).ToArbitrary(), story =>
        {
            // Every step of the last four months, and every fifth before: the reference is slow on long histories.
            var lastMonths = story.End.AddDays(-120);
            return Replay(story, (index, now) => index % 5 == 0 || TrainingCalendar.LocalDate(now) >= lastMonths);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(12));

    [Fact]
    public void TheEngineMatchesTheReferenceOnAnyDayInAnyListOrderWithAnyOpenAndRaisedFindings() =>
        Prop.ForAll(EngineCases().ToArbitrary(), c =>
        {
            var (story, shift, order, pick, raisedAs) = c;
            var facts = Facts(story);
            var today = story.Start.AddDays(shift);
            var runs = Ordered(facts.OfType<RunLogged>().ToList(), order);
            var reports = Ordered(facts.OfType<PainReportSubmitted>().ToList(), order);
            var clearances = facts.OfType<ClearedToRun>().ToList();
            var shoes = facts.Aggregate(AthleteDecider.Initial, AthleteDecider.Evolve).Shoes;
            var plain = new AthleteHistory(today, runs, reports, shoes, clearances, story.Units);

            var holding = WholeHistoryTriage.EvaluateAll(plain);
            Same(holding, ClinicalRules.EvaluateAll(plain));

            // Open: some of what holds, plus findings that no longer hold (to resolve) and urgent ones (never resolved).
            var open = holding.Where((_, i) => (i + pick) % 3 == 0)
                .Concat(holding.Where(f => f.Severity < Severity.Urgent).Select((f, i) => f with { FindingId = $"{f.FindingId}:old{i}" }).Where((_, i) => i % 2 == pick % 2))
                .Concat(holding.Where(f => f.Severity >= Severity.Urgent).Select(f => f with { FindingId = f.FindingId + ":cleared-before" }))
                .ToList();
            var raisedIds = holding.Where((_, i) => (i + pick) % 4 == 1).Select(f => f.FindingId).ToList();
            IReadOnlyCollection<string>? raised = raisedAs switch
            {
                0 => null,
                1 => raisedIds.ToImmutableHashSet(StringComparer.Ordinal),
                2 => raisedIds.ToHashSet(StringComparer.Ordinal),
                3 => raisedIds.ToHashSet(StringComparer.OrdinalIgnoreCase),
                _ => raisedIds,
            };
            Same(WholeHistoryTriage.Evaluate(plain, open, raised), TriageEngine.Evaluate(plain, open, raised));

            // The same facts folded into the athlete's state: the history then carries the logs' indexes.
            var state = (order == 0 ? facts : Ordered(facts.Where(f => f is RunLogged).ToList(), order).Concat(facts.Where(f => f is not RunLogged)))
                .Aggregate(AthleteDecider.Initial, AthleteDecider.Evolve);
            var logged = state.HistoryAsOf(today);
            Same(WholeHistoryTriage.EvaluateAll(logged), ClinicalRules.EvaluateAll(logged));
            Same(WholeHistoryTriage.Evaluate(logged, open, raised), TriageEngine.Evaluate(logged, open, raised));
            // The load carried forward is the whole-history EWMA to the last bit, on any day.
            foreach (var day in new[] { today, today.AddDays(-1), today.AddDays(-40), story.Start.AddDays(pick * 30), story.End.AddDays(pick) })
            {
                Assert.Equal(Reference.LoadMetrics.AcuteChronicRatio(runs, day), state.Runs.AcuteChronicAsOf(day));
            }

            foreach (var shoe in shoes)
            {
                Assert.Equal(logged.Runs.Where(r => r.ShoeId == shoe.ShoeId).Sum(r => (long)r.DistanceMeters), state.Runs.MetersInShoe(shoe.ShoeId));
            }

            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));

    /// <summary>
    /// Decides every step of the story on the production state and, where <paramref name="check"/> says so, on the
    /// reference state too; both then take the production events, so a difference shows at the step it appears.
    /// </summary>
    private static bool Replay(TrainingStory story, Func<int, DateTimeOffset, bool> check)
    {
        var state = AthleteDecider.Initial;
        var reference = WholeHistoryTriage.Fold([]);
        var index = 0;
        foreach (var step in TrainingStories.Steps(story))
        {
            if (step.Command(state) is not { } command)
            {
                continue;
            }

            var events = AthleteDecider.Decide(command, state, step.Now);
            if (check(index++, step.Now))
            {
                var expected = WholeHistoryTriage.Decide(command, reference, step.Now);
                Assert.Equal(expected.Select(EventJson.Canonical).ToList(), events.Select(EventJson.Canonical).ToList());
            }

            state = events.Aggregate(state, AthleteDecider.Evolve);
            reference = events.Aggregate(reference, WholeHistoryTriage.Evolve);
        }

        var last = story.End.AddDays(1);
        Assert.Equal(Reference.LoadMetrics.AcuteChronicRatio(reference.Runs, last), state.Runs.AcuteChronicAsOf(last));

        // The logs list runs and reports exactly as the plain lists did.
        Assert.Equal(reference.Runs, state.Runs);
        Assert.Equal(reference.PainReports, state.PainReports);
        Assert.Equal(EventJson.Of(reference.OpenFindings), EventJson.Of(state.OpenFindings));
        return true;
    }

    /// <summary>The facts the story records (runs, reports, shoes, clearances), without any finding events.</summary>
    private static List<object> Facts(TrainingStory story)
    {
        var state = AthleteDecider.Initial;
        var facts = new List<object>();
        foreach (var step in TrainingStories.Steps(story))
        {
            if (step.Command(state) is not { } command)
            {
                continue;
            }

            var events = AthleteDecider.Decide(command, state, step.Now);
            facts.AddRange(events.Where(e => e is not (FindingRaised or FindingResolved or AlertAcknowledged)));
            state = events.Aggregate(state, AthleteDecider.Evolve);
        }

        return facts;
    }

    private static Gen<(TrainingStory Story, int Shift, int Order, int Pick, int RaisedAs)> EngineCases() =>
        from @long in Gen.Elements(false, true)
        from story in TrainingStories.Stories(@long)
        from shift in Gen.Frequency((1, Gen.Choose(-5, story.Days.Count + 40)), (2, Gen.Choose(Math.Max(0, story.Days.Count - 10), story.Days.Count + 2)))
        from order in Gen.Choose(0, 2)
        from pick in Gen.Choose(0, 11)
        from raisedAs in Gen.Choose(0, 4)
        select (story, shift, order, pick, raisedAs);

    /// <summary>As logged (0), reversed (1), or interleaved from both ends (2): rules must not depend on list order.</summary>
    private static List<T> Ordered<T>(List<T> items, int order) => order switch
    {
        1 => Enumerable.Reverse(items).ToList(),
        2 => items.Select((item, i) => (item, key: i % 2 == 0 ? i : items.Count * 2 - i)).OrderBy(x => x.key).Select(x => x.item).ToList(),
        _ => items,
    };

    private static void Same(object expected, object actual) => Assert.Equal(EventJson.Of(expected), EventJson.Of(actual));
}
