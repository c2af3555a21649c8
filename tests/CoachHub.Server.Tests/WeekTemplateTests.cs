using System.Net;
using System.Text.Json;

namespace CoachHub.Server.Tests;

/// <summary>A coach saves an athlete's week as the squad's template and plans another athlete's week from it.</summary>
public sealed class WeekTemplateTests(MidweekApp app) : IClassFixture<MidweekApp>
{
    private static readonly DateOnly NextMonday = new(2026, 6, 8);
    private static readonly string[] Squats = ["Squats"];

    private static IEnumerable<(DayOfWeek, string, int?)> Layout(JsonElement week) => week.GetProperty("sessions").EnumerateArray().Select(s => (
        DateOnly.Parse(s.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture).DayOfWeek, s.GetProperty("type").GetString()!,
        s.TryGetProperty("distanceMeters", out var m) ? m.GetInt32() : (int?)null));

    [Fact]
    public async Task A_saved_week_plans_any_athlete_of_the_squad_and_nobody_elses()
    {
        var (coach, squadId, code) = await app.SquadAsync("Template Squad");
        var ana = await app.AthleteAsync(code, "Ana Template");
        var ben = await app.AthleteAsync(code, "Ben Template");
        foreach (var athlete in new[] { ana, ben })
            await coach.Api.PostOkAsync($"/api/athletes/{athlete.Id}/plan", new { goal = "10k", startDate = NextMonday, weeklyDistanceMeters = 24_000 });
        object Run(string id, int day, int meters) =>
            new { sessionId = id, date = NextMonday.AddDays(day), type = "easy", intensity = "easy", distanceMeters = meters, description = id, exercises = Array.Empty<string>() };
        await coach.Api.PutOkAsync($"/api/athletes/{ana.Id}/plan/weeks/{NextMonday:yyyy-MM-dd}", new
        {
            sessions = new object[] { Run("tue", 1, 8_000), Run("sat", 5, 14_000), new { sessionId = "str", date = NextMonday.AddDays(2), type = "strength", intensity = "easy", description = "Strength", exercises = Squats } },
        });
        var templates = $"/api/squads/{squadId}/templates";

        var saved = await coach.Api.PostOkAsync(templates, new { name = "Base week", athleteId = ana.Id, weekStart = NextMonday });
        var templateId = saved.GetProperty("templateId").GetGuid();
        var listed = Assert.Single((await coach.Api.GetOkAsync(templates)).EnumerateArray());
        Assert.Equal(("Base week", 22_000, 3), (listed.GetProperty("name").GetString(), listed.GetProperty("runningMeters").GetInt32(), listed.GetProperty("sessions").GetArrayLength()));

        // Refusals name the field and write nothing.
        var (otherCoach, otherSquad, otherCode) = await app.SquadAsync("Other Template Squad");
        var stranger = await app.AthleteAsync(otherCode, "Cai Elsewhere");
        var before = await app.EventCountAsync();
        async Task<IReadOnlyList<string>> SaveAsync(object body) =>
            await ApiClient.BadFieldsAsync(await coach.Api.SendAsync(HttpMethod.Post, templates, JsonSerializer.Serialize(body, JsonSerializerOptions.Web)));
        Assert.Equal(["name"], await SaveAsync(new { name = "base WEEK", athleteId = ana.Id, weekStart = NextMonday }));
        Assert.Equal(["weekStart"], await SaveAsync(new { name = "Empty", athleteId = ana.Id, weekStart = NextMonday.AddDays(7) }));
        Assert.Equal(["athleteId", "weekStart"], await SaveAsync(new { name = "Nothing" }));
        Assert.Equal(["athleteId"], await SaveAsync(new { name = "Theirs", athleteId = stranger.Id, weekStart = NextMonday }));
        Assert.Equal(before, await app.EventCountAsync());

        // A template id of zeros names none.
        Assert.Equal(["templateId"], await ApiClient.BadFieldsAsync(await coach.Api.SendAsync(HttpMethod.Post, $"/api/athletes/{ben.Id}/plan/weeks/{NextMonday.AddDays(7):yyyy-MM-dd}/template",
            """{"templateId":"00000000-0000-0000-0000-000000000000"}""")));

        // Ben's unplanned week, from the template: the same days and sessions, new ids.
        var apply = (Guid athleteId, DateOnly monday) => $"/api/athletes/{athleteId}/plan/weeks/{monday:yyyy-MM-dd}/template";
        var planned = await coach.Api.PostOkAsync(apply(ben.Id, NextMonday.AddDays(7)), new { templateId });
        Assert.Equal([(DayOfWeek.Tuesday, "easy", (int?)8_000), (DayOfWeek.Wednesday, "strength", null), (DayOfWeek.Saturday, "easy", 14_000)], Layout(planned));
        Assert.DoesNotContain(planned.GetProperty("sessions").EnumerateArray(), s => s.GetProperty("sessionId").GetString() is "tue" or "sat" or "str");
        Assert.Equal("2026-06-16", planned.GetProperty("sessions")[0].GetProperty("date").GetString());

        // A week already planned is edited, not replaced; another squad's coach neither sees nor uses the template.
        Assert.Equal(["weekStart"], await ApiClient.BadFieldsAsync(await coach.Api.SendAsync(HttpMethod.Post, apply(ben.Id, NextMonday.AddDays(7)), $$"""{"templateId":"{{templateId}}"}""")));
        Assert.Equal(HttpStatusCode.NotFound, (await otherCoach.Api.Http.GetAsync(templates)).StatusCode);
        await otherCoach.Api.PostOkAsync($"/api/athletes/{stranger.Id}/plan", new { goal = "5k", startDate = NextMonday, weeklyDistanceMeters = 15_000 });
        Assert.Equal(["templateId"], await ApiClient.BadFieldsAsync(await otherCoach.Api.SendAsync(HttpMethod.Post, apply(stranger.Id, NextMonday), $$"""{"templateId":"{{templateId}}"}""")));
        Assert.Empty((await otherCoach.Api.GetOkAsync($"/api/squads/{otherSquad}/templates")).EnumerateArray());

        // Deleted: no longer offered, and the week planned from it keeps its sessions.
        Assert.Equal(HttpStatusCode.OK, (await coach.Api.Http.DeleteAsync($"{templates}/{templateId}")).StatusCode);
        Assert.Empty((await coach.Api.GetOkAsync(templates)).EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await coach.Api.Http.DeleteAsync($"{templates}/{templateId}")).StatusCode);
        Assert.Equal(["templateId"], await ApiClient.BadFieldsAsync(await coach.Api.SendAsync(HttpMethod.Post, apply(ana.Id, NextMonday.AddDays(14)), $$"""{"templateId":"{{templateId}}"}""")));
        var benWeek = await coach.Api.GetOkAsync($"/api/athletes/{ben.Id}/plan?from={NextMonday.AddDays(7):yyyy-MM-dd}&weeks=1");
        Assert.Equal(3, benWeek.GetProperty("weeks")[0].GetProperty("sessions").GetArrayLength());
    }
}
