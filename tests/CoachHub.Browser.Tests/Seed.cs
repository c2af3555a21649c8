using System.Net.Http.Json;
using System.Globalization;
using System.Text.Json;

namespace CoachHub.Browser.Tests;

public sealed record SeededSquad(ApiUser Coach, Guid SquadId, string InviteCode, ApiUser Maya, ApiUser Leo, ApiUser Sam);

/// <summary>A squad with a few weeks of history, written through the API: something to look at on the board and charts.</summary>
public static class Seed
{
    private static readonly object NoRedFlags = new
    {
        saddleNumbness = false, bladderOrBowelChange = false, bothLegsNumbOrWeak = false, legWeakness = false,
        feverOrUnwell = false, worseAtNight = false, unexplainedWeightLoss = false, afterFallOrImpact = false,
    };

    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public static DateOnly ThisMonday => Today.AddDays(-(((int)Today.DayOfWeek + 6) % 7));

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static async Task<SeededSquad> SquadAsync(WebAppServer server, string squadName = "Riverside Runners")
    {
        var coach = await server.CoachAsync("Róisín Coach");
        var squad = await WebAppServer.PostAsync(coach.Http(), "/api/squads", new { name = squadName });
        var squadId = squad.GetProperty("squadId").GetGuid();
        var code = (await WebAppServer.PostAsync(coach.Http(), $"/api/squads/{squadId}/invites", new { })).GetProperty("code").GetString()!;
        var maya = await server.AthleteAsync("Maya Lindqvist", code);
        var leo = await server.AthleteAsync("Leo Byrne", code);
        var sam = await server.AthleteAsync("Sam Okafor", code);

        var shoe = (await WebAppServer.PostAsync(maya.Http(), $"/api/athletes/{maya.Id}/shoes", new { name = "Daily trainers", startingDistanceMeters = 310_000 }))
            .GetProperty("shoeId").GetGuid();
        await WebAppServer.PostAsync(maya.Http(), $"/api/athletes/{maya.Id}/shoes", new { name = "Trail shoes", startingDistanceMeters = 120_000 });
        // Maya had a sore back a few weeks ago and none lately: green until today.
        await HistoryAsync(maya, shoe, pain: [2, 3, 2, 2, 1, 1, 0]);
        // Leo's back niggles during runs (1/10) and then settles: enough for the weekly job to suggest a lighter week.
        await HistoryAsync(leo, null, pain: [0], niggle: true);
        await HistoryAsync(sam, null, pain: [2, 2, 3, 3, 3, 4, 4, 5, 5, 5, 6, 6, 6, 7]);
        await PlanAsync(coach, maya, 24_000);
        await PlanAsync(coach, leo, 30_000);
        return new SeededSquad(coach, squadId, code, maya, leo, sam);
    }

    /// <summary>
    /// Three runs a week (Tuesday, Thursday, Sunday) for the last four weeks and this week so far, each with a
    /// post-run report: steady weeks, so that no load rule fires. <paramref name="pain"/> is per run, oldest first.
    /// </summary>
    private static readonly int[] RunDays = [1, 3, 6];

    private static async Task HistoryAsync(ApiUser athlete, Guid? shoeId, int[] pain, bool niggle = false)
    {
        var http = athlete.Http();
        var days = Enumerable.Range(0, 5).SelectMany(w => RunDays.Select(d => ThisMonday.AddDays(7 * (w - 4) + d)))
            .Where(d => d < Today).ToList();
        int[] distances = [6_500, 7_500, 10_000];
        for (var i = 0; i < days.Count; i++)
        {
            var started = new DateTimeOffset(days[i].ToDateTime(new TimeOnly(7, 30)), TimeSpan.Zero);
            var meters = distances[i % 3];
            var painNow = pain[Math.Min(i, pain.Length - 1)];
            var run = await WebAppServer.PostAsync(http, $"/api/athletes/{athlete.Id}/runs", new
            {
                startedAt = started, distanceMeters = meters, durationSeconds = meters * 6 / 20 + 120, workout = i % 3 == 2 ? "longRun" : "easy",
                surface = i % 3 == 1 ? "trail" : "road", sessionRpe = i % 3 == 2 ? 5 : 3, shoeId,
            });
            await WebAppServer.PostAsync(http, $"/api/athletes/{athlete.Id}/reports", new
            {
                runId = run.GetProperty("runId").GetGuid(),
                pain = new { painNow, worstDuringRun = painNow > 0 ? Math.Min(10, painNow + 1) : niggle ? 1 : 0 },
                redFlags = NoRedFlags,
                context = new { sleepHours = 7.5, stress = 2 },
            });
        }
    }

    private static async Task PlanAsync(ApiUser coach, ApiUser athlete, int weeklyMeters)
    {
        var http = coach.Http();
        await WebAppServer.PostAsync(http, $"/api/athletes/{athlete.Id}/plan", new { goal = "Autumn 10k", startDate = Iso(ThisMonday), weeklyDistanceMeters = weeklyMeters });
        foreach (var monday in new[] { ThisMonday, ThisMonday.AddDays(7) })
        {
            var planned = await http.PutAsJsonAsync($"/api/athletes/{athlete.Id}/plan/weeks/{Iso(monday)}", new { sessions = WeekOf(monday, weeklyMeters) });
            if (planned.IsSuccessStatusCode) continue;
            // The weekly job (every second here) may have adjusted this week first: the coach's sessions go in as edits.
            if (!(await planned.Content.ReadAsStringAsync()).Contains("plan.week-already-planned", StringComparison.Ordinal))
                await WebAppServer.OkAsync(planned);
            foreach (var session in WeekOf(monday, weeklyMeters))
            {
                var id = (string)session.GetType().GetProperty("sessionId")!.GetValue(session)!;
                // Days already past are kept as automation left them.
                if (string.CompareOrdinal((string)session.GetType().GetProperty("date")!.GetValue(session)!, Iso(Today)) < 0) continue;
                await WebAppServer.PutAsync(http, $"/api/athletes/{athlete.Id}/plan/weeks/{Iso(monday)}/sessions/{id}", session);
            }
        }
    }

    public static object[] WeekOf(DateOnly monday, int meters) =>
    [
        Session(monday.AddDays(1), "tue", "easy", "easy", meters * 25 / 100, "Easy run, conversational pace"),
        Session(monday.AddDays(3), "thu", "tempo", "moderate", meters * 30 / 100, "15 min steady in the middle"),
        Session(monday.AddDays(4), "fri", "mobility", "easy", null, "Hips and hamstrings, 20 min"),
        Session(monday.AddDays(6), "sun", "longRun", "easy", meters * 45 / 100, "Long run, relaxed"),
    ];

    private static object Session(DateOnly date, string id, string type, string intensity, int? meters, string description) => new
    {
        sessionId = $"{date:yyyyMMdd}-{id}", date = Iso(date), type, intensity, distanceMeters = meters,
        durationSeconds = meters is null ? 1200 : (int?)null, description, exercises = Array.Empty<string>(),
    };

    public static Guid Id(JsonElement element, string property) => element.GetProperty(property).GetGuid();

    /// <summary>
    /// Changes wait for the coach, and the week closes on Monday at midnight: by now it has, whatever day this runs,
    /// so the weekly job (every second here) proposes next week's change. Returns next Monday, once it has.
    /// </summary>
    public static async Task<string> ProposalWaitingAsync(SeededSquad squad, ApiUser athlete)
    {
        await WebAppServer.PutAsync(squad.Coach.Http(), $"/api/squads/{squad.SquadId}/settings",
            new { adjustmentsNeedApproval = true, weeklyAdjustmentDay = "monday", weeklyAdjustmentHour = 0 });
        var nextMonday = Iso(ThisMonday.AddDays(7));
        await CoachHub.Testing.Eventually.TrueAsync(async () =>
        {
            var calendar = await WebAppServer.GetAsync(athlete.Http(), $"/api/athletes/{athlete.Id}/plan?from={nextMonday}&weeks=1");
            return calendar.GetProperty("weeks")[0].TryGetProperty("proposal", out _);
        }, TimeSpan.FromSeconds(30), "the weekly job proposes a change to next week");
        return nextMonday;
    }
}
