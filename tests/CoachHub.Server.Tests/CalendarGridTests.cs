using System.Net;
using System.Text.Json;

namespace CoachHub.Server.Tests;

/// <summary>GET /api/athletes/{id}/calendar: planned against done, day by day, coloured as TrainingPeaks users know it.</summary>
public sealed class CalendarGridTests(MidweekApp app) : IClassFixture<MidweekApp>
{
    private static readonly DateOnly Monday = new(2026, 6, 1);
    private static readonly string[] Squats = ["Squats"];

    [Fact]
    public async Task Each_day_shows_its_sessions_coloured_by_the_run_matched_to_them_and_unplanned_runs_in_grey()
    {
        var (coach, _, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code, timeZone: "UTC");
        await coach.Api.PostOkAsync($"/api/athletes/{athlete.Id}/plan", new { goal = "10k", startDate = Monday, weeklyDistanceMeters = 24_000 });
        object Run(string id, int day, int meters) =>
            new { sessionId = id, date = Monday.AddDays(day), type = "easy", intensity = "easy", distanceMeters = meters, description = id, exercises = Array.Empty<string>() };
        var strength = new { sessionId = "str", date = Monday.AddDays(2), type = "strength", intensity = "easy", description = "Strength", exercises = Squats };
        await coach.Api.PutOkAsync($"/api/athletes/{athlete.Id}/plan/weeks/{Monday:yyyy-MM-dd}", new
        {
            sessions = new[] { Run("mon", 0, 10_000), Run("tue", 1, 8_000), Run("thu", 3, 6_000), strength },
        });
        await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/runs", Bodies.Run(new DateTimeOffset(2026, 6, 1, 7, 0, 0, TimeSpan.Zero), 9_500));
        await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/runs", Bodies.Run(new DateTimeOffset(2026, 6, 3, 7, 0, 0, TimeSpan.Zero), 5_000));

        var grid = await coach.Api.GetOkAsync($"/api/athletes/{athlete.Id}/calendar?from={Monday:yyyy-MM-dd}&days=7");
        var days = grid.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(7, days.Count);
        Assert.Equal("2026-06-03", grid.GetProperty("today").GetString());
        static JsonElement Only(JsonElement day, string list) => Assert.Single(day.GetProperty(list).EnumerateArray());
        static string? Colour(JsonElement e) => e.TryGetProperty("compliance", out var c) ? c.GetString() : null;

        var monday = Only(days[0], "sessions");
        Assert.Equal("green", Colour(monday));
        Assert.Equal(Only(days[0], "runs").GetProperty("runId").GetGuid(), monday.GetProperty("runId").GetGuid());
        Assert.Equal("red", Colour(Only(days[1], "sessions"))); // Tuesday, missed
        Assert.Null(Colour(Only(days[2], "sessions"))); // strength: no colour
        var unplanned = Only(days[2], "runs");
        Assert.Equal("grey", Colour(unplanned));
        Assert.False(unplanned.TryGetProperty("sessionId", out _));
        Assert.Null(Colour(Only(days[3], "sessions"))); // Thursday, still to come

        // By default the month around today: six weeks from the Monday before the 1st.
        var month = await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/calendar");
        Assert.Equal("2026-06-01", month.GetProperty("from").GetString());
        Assert.Equal(42, month.GetProperty("days").GetArrayLength());
    }

    [Fact]
    public async Task A_coach_matches_a_run_to_another_session_of_its_week_or_to_none()
    {
        var (coach, _, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code, timeZone: "UTC");
        await coach.Api.PostOkAsync($"/api/athletes/{athlete.Id}/plan", new { goal = "10k", startDate = Monday, weeklyDistanceMeters = 24_000 });
        object Run(string id, int day, int meters) => new { sessionId = id, date = Monday.AddDays(day), type = "easy", intensity = "easy", distanceMeters = meters, description = id, exercises = Array.Empty<string>() };
        await coach.Api.PutOkAsync($"/api/athletes/{athlete.Id}/plan/weeks/{Monday:yyyy-MM-dd}", new { sessions = new[] { Run("mon", 0, 10_000), Run("tue", 1, 8_000) } });
        var runId = (await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/runs", Bodies.Run(new DateTimeOffset(2026, 6, 1, 7, 0, 0, TimeSpan.Zero), 9_000)))
            .GetProperty("runId").GetGuid();
        async Task<(string? Mon, string? Tue, string? Run)> ColoursAsync()
        {
            var days = (await coach.Api.GetOkAsync($"/api/athletes/{athlete.Id}/calendar?from={Monday:yyyy-MM-dd}&days=7")).GetProperty("days");
            static string? Of(JsonElement e) => e.TryGetProperty("compliance", out var c) ? c.GetString() : null;
            return (Of(days[0].GetProperty("sessions")[0]), Of(days[1].GetProperty("sessions")[0]), Of(days[0].GetProperty("runs")[0]));
        }
        Assert.Equal(("green", "red", "green"), await ColoursAsync());

        var session = $"/api/athletes/{athlete.Id}/runs/{runId}/session";
        await ApiClient.OkAsync(await coach.Api.SendAsync(HttpMethod.Put, session, """{"sessionId":null}"""));
        Assert.Equal(("red", "red", "grey"), await ColoursAsync()); // for no session: Monday's is missed
        await ApiClient.OkAsync(await coach.Api.SendAsync(HttpMethod.Put, session, """{"sessionId":"tue"}"""));
        Assert.Equal(("red", "green", "green"), await ColoursAsync()); // 9 km for Tuesday's 8: within 20%

        Assert.Equal(["sessionId"], await ApiClient.BadFieldsAsync(await coach.Api.SendAsync(HttpMethod.Put, session, """{"sessionId":"nope"}""")));
        Assert.Equal(HttpStatusCode.Forbidden, (await athlete.Api.SendAsync(HttpMethod.Put, session, """{"sessionId":"mon"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coach.Api.SendAsync(HttpMethod.Put, $"/api/athletes/{athlete.Id}/runs/{Guid.NewGuid()}/session", "{}")).StatusCode);
    }

    [Fact]
    public async Task A_coach_removes_a_session_to_come_and_it_leaves_the_calendar()
    {
        var (coach, _, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code, timeZone: "UTC");
        await coach.Api.PostOkAsync($"/api/athletes/{athlete.Id}/plan", new { goal = "10k", startDate = Monday, weeklyDistanceMeters = 24_000 });
        object Run(string id, int day) => new { sessionId = id, date = Monday.AddDays(day), type = "easy", intensity = "easy", distanceMeters = 6_000, description = id, exercises = Array.Empty<string>() };
        await coach.Api.PutOkAsync($"/api/athletes/{athlete.Id}/plan/weeks/{Monday:yyyy-MM-dd}", new { sessions = new[] { Run("mon", 0), Run("thu", 3), Run("sat", 5) } });
        var path = $"/api/athletes/{athlete.Id}/plan/weeks/{Monday:yyyy-MM-dd}/sessions";

        var week = await ApiClient.OkAsync(await coach.Api.Http.DeleteAsync($"{path}/thu"));
        Assert.Equal(["mon", "sat"], week.GetProperty("sessions").EnumerateArray().Select(x => x.GetProperty("sessionId").GetString()));
        var grid = await coach.Api.GetOkAsync($"/api/athletes/{athlete.Id}/calendar?from={Monday:yyyy-MM-dd}&days=7");
        Assert.Empty(grid.GetProperty("days")[3].GetProperty("sessions").EnumerateArray());
        // Again: nothing more; a day past (Monday, today being Wednesday) stays; no such session is named.
        Assert.Equal(HttpStatusCode.OK, (await coach.Api.Http.DeleteAsync($"{path}/thu")).StatusCode);
        Assert.Equal(["sessionId"], await ApiClient.BadFieldsAsync(await coach.Api.Http.DeleteAsync($"{path}/mon")));
        Assert.Equal(["sessionId"], await ApiClient.BadFieldsAsync(await coach.Api.Http.DeleteAsync($"{path}/nope")));
        Assert.Equal(HttpStatusCode.Forbidden, (await athlete.Api.Http.DeleteAsync($"{path}/sat")).StatusCode);
    }

    [Fact]
    public async Task A_move_at_the_calendars_version_lands_a_stale_one_is_412_and_a_red_flag_suspends_what_is_to_come()
    {
        var (coach, _, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code, timeZone: "UTC");
        var nextMonday = Monday.AddDays(7);
        await coach.Api.PostOkAsync($"/api/athletes/{athlete.Id}/plan", new { goal = "10k", startDate = Monday, weeklyDistanceMeters = 24_000 });
        object Run(string id, int day) => new { sessionId = id, date = nextMonday.AddDays(day), type = "easy", intensity = "easy", distanceMeters = 6_000, description = id, exercises = Array.Empty<string>() };
        await coach.Api.PutOkAsync($"/api/athletes/{athlete.Id}/plan/weeks/{nextMonday:yyyy-MM-dd}", new { sessions = new[] { Run("tue", 1), Run("thu", 3) } });
        var calendar = $"/api/athletes/{athlete.Id}/calendar?from={nextMonday:yyyy-MM-dd}&days=7";
        var version = (await coach.Api.GetOkAsync(calendar)).GetProperty("planVersion").GetInt64();
        var session = $"/api/athletes/{athlete.Id}/plan/weeks/{nextMonday:yyyy-MM-dd}/sessions/tue";
        string Moved(int day) => JsonSerializer.Serialize(Run("tue", day), JsonSerializerOptions.Web);

        // Dragged to Wednesday at the version the calendar showed: it lands.
        var moved = await coach.Api.SendAsync(HttpMethod.Put, session, Moved(2), r => r.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\""));
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        // A second calendar still showing the old version is refused, and nothing is written.
        var before = await app.EventCountAsync();
        var stale = await coach.Api.SendAsync(HttpMethod.Put, session, Moved(4), r => r.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(before, await app.EventCountAsync());
        var days = (await coach.Api.GetOkAsync(calendar)).GetProperty("days");
        Assert.Equal("tue", days[2].GetProperty("sessions")[0].GetProperty("sessionId").GetString());
        Assert.Empty(days[4].GetProperty("sessions").EnumerateArray());

        // A red flag: every running session to come shows suspended, with no colour.
        await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/reports", Bodies.SaddleNumbnessReport);
        var suspended = (await coach.Api.GetOkAsync(calendar)).GetProperty("days").EnumerateArray().SelectMany(d => d.GetProperty("sessions").EnumerateArray()).ToList();
        Assert.Equal(2, suspended.Count);
        Assert.All(suspended, s => Assert.True(s.GetProperty("suspended").GetBoolean()));
        Assert.All(suspended, s => Assert.False(s.TryGetProperty("compliance", out var c) && c.ValueKind == JsonValueKind.String));
    }

    [Fact]
    public async Task Only_the_athlete_and_their_coaches_read_it_and_bad_ranges_are_named()
    {
        var (_, _, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code);
        var (stranger, _, _) = await app.SquadAsync("Elsewhere");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Api.Http.GetAsync($"/api/athletes/{athlete.Id}/calendar")).StatusCode);
        Assert.Equal(["days"], await ApiClient.BadFieldsAsync(await athlete.Api.SendAsync(HttpMethod.Get, $"/api/athletes/{athlete.Id}/calendar?days=64")));
        Assert.Equal(["from"], await ApiClient.BadFieldsAsync(await athlete.Api.SendAsync(HttpMethod.Get, $"/api/athletes/{athlete.Id}/calendar?from=1900-01-01")));
    }
}
