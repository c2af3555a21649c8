using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;
using CoachHub.Domain.Tests.Support;
using static CoachHub.Domain.Tests.Support.PlanFixtures;

namespace CoachHub.Domain.Tests;

/// <summary>A week saved as a squad's template, and planned again from it in another week.</summary>
public sealed class WeekTemplateTests
{
    private static readonly Guid SquadId = HistoryBuilder.Id(10);
    private static readonly Guid Assistant = HistoryBuilder.Id(4);
    private static readonly Guid Stranger = HistoryBuilder.Id(5);
    private static readonly Guid TemplateId = HistoryBuilder.Id(20);
    private static readonly SquadCreated Created = new(SquadId, CoachId, "Tuesday Harriers", SquadSettings.Default, Clock.Now.AddDays(-30));
    private static readonly IReadOnlyList<TemplateSession> Standard = WeekTemplates.From(StandardWeek(LastMonday));

    [Fact]
    public void A_template_keeps_each_session_by_weekday_and_plans_it_into_any_week_with_new_ids()
    {
        var week = StandardWeek(LastMonday) with
        {
            Sessions = [.. StandardWeek(LastMonday).Sessions, SessionLibrary.Strength("w-str", LastMonday.AddDays(6)), SessionLibrary.WalkRun("w-wr", LastMonday, 3)],
        };
        var template = WeekTemplates.From(week);
        Assert.Equal([0, 1, 3, 5, 6], template.Select(s => s.Day));

        var planned = WeekTemplates.Into(template, NextMonday, TemplateId);
        Assert.Equal(week.Sessions.OrderBy(s => s.Date).Select(s => s.Date.AddDays(7)), planned.Select(s => s.Date));
        Assert.Equal(planned.Count, planned.Select(s => s.SessionId).Distinct().Count());
        Assert.All(planned, s => Assert.StartsWith("20250324-", s.SessionId, StringComparison.Ordinal));
        // Everything but the id and the date is the week as saved.
        var sorted = week.Sessions.OrderBy(s => s.Date).ThenBy(s => s.SessionId, StringComparer.Ordinal).ToList();
        Assert.Equal(sorted.Select(s => EventJson.Of(s with { SessionId = "", Date = default })),
            planned.Select(s => EventJson.Of(s with { SessionId = "", Date = default })));
    }

    [Fact]
    public void A_coach_of_the_squad_saves_and_deletes_templates_under_names_unique_in_the_squad()
    {
        var saved = new WeekTemplateSaved(TemplateId, "Base week", Standard, CoachId, Clock.Now);
        Spec.Squad().Given(Created).When(new SaveWeekTemplate(TemplateId, " Base week ", Standard, CoachId)).Then(saved);
        // A retry records nothing; another template of the same name (any case) is refused, naming the field.
        Spec.Squad().Given(Created, saved).When(new SaveWeekTemplate(TemplateId, "Base week", Standard, CoachId)).Then();
        Spec.Squad().Given(Created, saved).When(new SaveWeekTemplate(HistoryBuilder.Id(21), "BASE WEEK", Standard, CoachId)).ThenThrows("template.name-taken");
        Spec.Squad().Given(Created, new CoachAdded(Assistant, CoachId, Clock.Now), saved)
            .When(new SaveWeekTemplate(HistoryBuilder.Id(21), "Hills week", Standard, Assistant))
            .Then(new WeekTemplateSaved(HistoryBuilder.Id(21), "Hills week", Standard, Assistant, Clock.Now));
        Spec.Squad().Given(Created).When(new SaveWeekTemplate(TemplateId, "Base week", Standard, Stranger)).ThenThrows("squad.not-coach");

        Spec.Squad().Given(Created, saved).When(new DeleteWeekTemplate(TemplateId, CoachId)).Then(new WeekTemplateDeleted(TemplateId, CoachId, Clock.Now));
        Spec.Squad().Given(Created, saved, new WeekTemplateDeleted(TemplateId, CoachId, Clock.Now)).When(new DeleteWeekTemplate(TemplateId, CoachId))
            .ThenThrows("template.not-found");
        // Its name is free again once it is deleted.
        Spec.Squad().Given(Created, saved, new WeekTemplateDeleted(TemplateId, CoachId, Clock.Now))
            .When(new SaveWeekTemplate(HistoryBuilder.Id(22), "Base week", Standard, CoachId))
            .Then(new WeekTemplateSaved(HistoryBuilder.Id(22), "Base week", Standard, CoachId, Clock.Now));
    }

    [Fact]
    public void A_template_is_named_holds_sessions_and_each_is_a_valid_session_on_a_weekday()
    {
        Spec.Squad().Given(Created).When(new SaveWeekTemplate(TemplateId, " ", Standard, CoachId)).ThenRejectsField("name");
        Spec.Squad().Given(Created).When(new SaveWeekTemplate(TemplateId, "Empty", [], CoachId)).ThenRejectsField("sessions");
        Spec.Squad().Given(Created).When(new SaveWeekTemplate(TemplateId, "Sunday+1", [Standard[0] with { Day = 7 }], CoachId)).ThenRejectsField("sessions[0].day");
        Spec.Squad().Given(Created).When(new SaveWeekTemplate(TemplateId, "No distance", [Standard[0] with { DistanceMeters = null }], CoachId))
            .ThenRejectsField("sessions[0].distanceMeters");
    }

    [Fact]
    public void A_squad_keeps_at_most_fifty_templates()
    {
        var fifty = Enumerable.Range(0, WeekTemplates.MaxPerSquad)
            .Select(i => (object)new WeekTemplateSaved(HistoryBuilder.Id(100 + i), $"Week {i}", Standard, CoachId, Clock.Now)).ToArray();
        Spec.Squad().Given([Created, .. fifty]).When(new SaveWeekTemplate(TemplateId, "One more", Standard, CoachId)).ThenThrows("template.too-many");
    }
}
