using System.Text.Json;

namespace CoachHub.Server.Tests;

/// <summary>
/// Days and weeks are the athlete's, whatever offset a client sends, and every view asks the domain's one
/// definition (red flag, status colour, what the plan prescribed). The clock: Sunday 29 November 2026, 23:30 UTC:
/// Monday morning in Auckland, Sunday evening in New York.
/// </summary>
public sealed class AthleteClockTests : IAsyncLifetime
{
    private static readonly DateTimeOffset SundayLate = new(2026, 11, 29, 23, 30, 0, TimeSpan.Zero);
    private readonly CoachHubApp _app = new() { Clock = new ManualClock(SundayLate) };

    public Task InitializeAsync() => _app.InitializeAsync();
    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task A_run_sent_in_UTC_counts_on_the_athletes_own_day_and_week()
    {
        var (coach, squadId, code) = await _app.SquadAsync();
        var newYorker = await _app.AthleteAsync(code, "Nia", "America/New_York");
        // Sunday 21:00 in New York, sent as Monday 02:00 UTC, as the web app used to.
        var sentInUtc = new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero);
        _app.Clock!.Now = sentInUtc.AddMinutes(50);
        await newYorker.Api.PostOkAsync($"/api/athletes/{newYorker.Id}/runs", Bodies.Run(sentInUtc, 10_000, 3_000));

        var history = await newYorker.Api.GetOkAsync($"/api/athletes/{newYorker.Id}/history");
        var run = history.GetProperty("items")[0].GetProperty("details");
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 21, 0, 0, TimeSpan.FromHours(-5)), run.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(sentInUtc, run.GetProperty("startedAt").GetDateTimeOffset()); // the same instant

        var dashboard = await newYorker.Api.GetOkAsync($"/api/athletes/{newYorker.Id}/dashboard");
        var weeks = dashboard.GetProperty("weeks").EnumerateArray().ToList();
        Assert.Equal(10_000, weeks.Single(w => w.GetProperty("weekStart").GetString() == "2026-11-23").GetProperty("doneMeters").GetInt32());

        var board = await coach.Api.GetOkAsync($"/api/squads/{squadId}/board");
        var row = board.GetProperty("athletes")[0];
        Assert.Equal("2026-11-23", row.GetProperty("weekStart").GetString());
        Assert.Equal(10_000, row.GetProperty("doneMeters").GetInt32());
    }

    [Fact]
    public async Task Each_board_row_is_in_its_athletes_own_week()
    {
        var (coach, squadId, code) = await _app.SquadAsync();
        await _app.AthleteAsync(code, "Aroha", "Pacific/Auckland");
        await _app.AthleteAsync((await coach.Api.PostOkAsync($"/api/squads/{squadId}/invites", new { })).GetProperty("code").GetString(), "Nia", "America/New_York");

        var rows = (await coach.Api.GetOkAsync($"/api/squads/{squadId}/board")).GetProperty("athletes").EnumerateArray()
            .ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("weekStart").GetString());
        Assert.Equal("2026-11-30", rows["Aroha"]); // already Monday in Auckland
        Assert.Equal("2026-11-23", rows["Nia"]);
    }

    [Fact]
    public async Task Pain_shooting_down_the_leg_is_a_red_flag_on_every_view()
    {
        var (coach, squadId, code) = await _app.SquadAsync();
        var athlete = await _app.AthleteAsync(code);
        await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/reports", new
        {
            pain = new { painNow = 4 },
            description = new { spreadsTo = "belowKnee", character = "shootingOrZingy" },
            redFlags = Bodies.NoRedFlags,
        });

        var dashboard = await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/dashboard");
        Assert.True(dashboard.GetProperty("pain")[0].GetProperty("redFlag").GetBoolean());
        Assert.Contains(dashboard.GetProperty("openFindings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "RF-ZINGY");
        var row = (await coach.Api.GetOkAsync($"/api/squads/{squadId}/board")).GetProperty("athletes")[0];
        Assert.Equal("red", row.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_run_on_a_planned_day_records_what_the_plan_prescribed()
    {
        var (coach, _, code) = await _app.SquadAsync();
        var athlete = await _app.AthleteAsync(code, "Ana", "Europe/Dublin");
        var monday = new DateOnly(2026, 11, 23);
        await coach.Api.PostOkAsync($"/api/athletes/{athlete.Id}/plan", new { goal = "10k", startDate = monday, weeklyDistanceMeters = 20_000 });
        await coach.Api.PutOkAsync($"/api/athletes/{athlete.Id}/plan/weeks/{monday:yyyy-MM-dd}", new
        {
            sessions = new[] { new { sessionId = "sun-long", date = monday.AddDays(6), type = "longRun", intensity = "easy", distanceMeters = 7_100, description = "Long run", exercises = Array.Empty<string>() } },
        });
        await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/runs", Bodies.Run(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero), 7_100, 2_700, "longRun"));

        var run = (await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/history")).GetProperty("items")[0].GetProperty("details");
        var prescribed = run.GetProperty("prescribed");
        Assert.Equal("sun-long", prescribed.GetProperty("sessionId").GetString());
        Assert.Equal(7_100, prescribed.GetProperty("distanceMeters").GetInt32());
        Assert.Equal(JsonValueKind.Object, prescribed.ValueKind);
    }
}
