using System.Net.Http.Json;
using System.Text.Json;

namespace CoachHub.Testing;

/// <summary>
/// A server with something to attack: two coaches with squads, an athlete with a plan, a run, a report and a shoe, an
/// admin; the callers (every role, a forged token, nobody) and the ids the fuzzer may put in routes.
/// </summary>
public static class FuzzSetup
{
    public const string Password = "correct horse battery";

    /// <summary>Events stored by now, Marten's record of lost races left out.</summary>
    public const string EventHeadSql = "select coalesce(max(seq_id), 0) from events.mt_events where stream_id <> 'mt_tombstone'";

    public static async Task<(IReadOnlyList<FuzzCaller> Callers, IReadOnlyDictionary<string, string[]> Known)> SeedAsync(Uri server, string connectionString)
    {
        using var http = new HttpClient { BaseAddress = server };
        async Task<JsonElement> PostAsync(string path, object body, string? token = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            if (token is not null) request.Headers.Authorization = new("Bearer", token);
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
        async Task<string> SignInAsync(string email) => (await PostAsync("/api/auth/signin", new { email, password = Password })).GetProperty("accessToken").GetString()!;
        async Task<(Guid Id, string Token)> CoachAsync(string name)
        {
            var email = $"fuzz-{Guid.NewGuid():N}@example.com";
            var id = (await PostAsync("/api/auth/coaches", new { email, password = Password, name })).GetProperty("userId").GetGuid();
            return (id, await SignInAsync(email));
        }

        var (_, coach) = await CoachAsync("Cora Coach");
        var squad = (await PostAsync("/api/squads", new { name = "Fuzzed Milers" }, coach)).GetProperty("squadId").GetString()!;
        var code = (await PostAsync($"/api/squads/{squad}/invites", new { }, coach)).GetProperty("code").GetString()!;
        var (_, otherCoach) = await CoachAsync("Oscar Other");
        var otherSquad = (await PostAsync("/api/squads", new { name = "Elsewhere" }, otherCoach)).GetProperty("squadId").GetString()!;

        var athleteEmail = $"fuzz-{Guid.NewGuid():N}@example.com";
        var athleteId = (await PostAsync("/api/auth/athletes", new { email = athleteEmail, password = Password, name = "Ana Runner", timeZone = "Europe/Dublin", inviteCode = code }))
            .GetProperty("userId").GetString()!;
        var athlete = await SignInAsync(athleteEmail);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        await PostAsync($"/api/athletes/{athleteId}/plan", new { goal = "10k", startDate = monday, weeklyDistanceMeters = 20_000 }, coach);
        var run = (await PostAsync($"/api/athletes/{athleteId}/runs", new { startedAt = DateTimeOffset.UtcNow.AddHours(-2), distanceMeters = 8_000, durationSeconds = 2_700, workout = "easy", surface = "road", sessionRpe = 4 }, athlete)).GetProperty("runId").GetString()!;
        var shoe = Guid.NewGuid().ToString();
        await PostAsync($"/api/athletes/{athleteId}/shoes", new { shoeId = shoe, name = "Daily trainers" }, athlete);
        var noRedFlags = new { saddleNumbness = false, bladderOrBowelChange = false, bothLegsNumbOrWeak = false, legWeakness = false, feverOrUnwell = false, worseAtNight = false, unexplainedWeightLoss = false, afterFallOrImpact = false };
        var report = (await PostAsync($"/api/athletes/{athleteId}/reports", new { pain = new { painNow = 7, worstDuringRun = 8 }, redFlags = noRedFlags, context = new { sleepHours = 6, stress = 3 } }, athlete)).GetProperty("reportId").GetString()!;

        var adminEmail = $"fuzz-admin-{Guid.NewGuid():N}@example.com";
        var (exit, output) = await ServerProcess.RunCommandAsync(connectionString, Password, "admin", adminEmail, "Ada Admin");
        if (exit != 0) throw new InvalidOperationException($"admin: {output}");
        var admin = await SignInAsync(adminEmail);

        IReadOnlyList<FuzzCaller> callers =
        [
            new("nobody", null), new("the coach", coach), new("another coach", otherCoach), new("the athlete", athlete), new("an admin", admin),
            new("a forged token", "CfDJ8" + new string('A', 120)),
        ];
        var known = new Dictionary<string, string[]>
        {
            ["squadId"] = [squad, otherSquad],
            ["athleteId"] = [athleteId],
            ["weekStart"] = [monday.ToString("yyyy-MM-dd"), monday.AddDays(7).ToString("yyyy-MM-dd"), monday.AddDays(1).ToString("yyyy-MM-dd")],
            ["shoeId"] = [shoe],
            ["findingId"] = ["f-1", "pain-high"],
            ["sessionId"] = ["mon", "s1"],
            ["runId"] = [run],
            ["reportId"] = [report],
        };
        return (callers, known);
    }
}
