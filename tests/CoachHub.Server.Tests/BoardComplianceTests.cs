namespace CoachHub.Server.Tests;

/// <summary>The board's "compliance so far" on a Monday morning and after the week's first runs (issue 31's finding).</summary>
public sealed class BoardComplianceTests
{
    [Fact]
    public async Task On_Monday_morning_nobody_is_off_plan_and_by_Wednesday_the_days_due_are_compared()
    {
        // Monday 7 December 2026, 04:00 in Dublin (UTC): the week's plan exists, nothing is due yet.
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 7, 4, 0, 0, TimeSpan.Zero));
        var app = new CoachHubApp { Clock = clock };
        await app.InitializeAsync();
        await using var _ = app.AsDisposable();
        var (coach, squadId, code) = await app.SquadAsync("Early birds");
        var ana = await app.AthleteAsync(code, "Ana Runner", "Europe/Dublin");
        var monday = new DateOnly(2026, 12, 7);
        await coach.Api.PostOkAsync($"/api/athletes/{ana.Id}/plan", new { goal = "10k", startDate = monday, weeklyDistanceMeters = 20_000 });
        await coach.Api.PutOkAsync($"/api/athletes/{ana.Id}/plan/weeks/2026-12-07", new
        {
            sessions = new object[]
            {
                new { sessionId = "mon", date = monday, type = "easy", intensity = "easy", distanceMeters = 6_000, description = "Easy", exercises = Array.Empty<string>() },
                new { sessionId = "tue", date = monday.AddDays(1), type = "tempo", intensity = "moderate", distanceMeters = 8_000, description = "Tempo", exercises = Array.Empty<string>() },
            },
        });

        var due = 0;
        async Task<string?> ComplianceAsync()
        {
            var board = await coach.Api.GetOkAsync($"/api/squads/{squadId}/board");
            var row = board.GetProperty("athletes")[0];
            due = row.GetProperty("dueMeters").GetInt32();
            Assert.Equal(14_000, row.GetProperty("plannedMeters").GetInt32());
            return row.TryGetProperty("compliance", out var c) && c.ValueKind == System.Text.Json.JsonValueKind.String ? c.GetString() : null;
        }

        Assert.Null(await ComplianceAsync());
        Assert.Equal(0, due);
        // Wednesday morning, nothing run: both days' sessions were due.
        clock.Now = new DateTimeOffset(2026, 12, 9, 8, 0, 0, TimeSpan.Zero);
        // Two days on, yesterday's tokens have expired: both sign in again.
        coach = coach with { Token = await app.Client().SignInAsync(coach.Email, CoachHubApp.Password) };
        ana = ana with { Token = await app.Client().SignInAsync(ana.Email, CoachHubApp.Password) };
        Assert.Equal("red", await ComplianceAsync());
        Assert.Equal(14_000, due);
        await ana.Api.PostOkAsync($"/api/athletes/{ana.Id}/runs", Bodies.Run(new DateTimeOffset(2026, 12, 9, 7, 0, 0, TimeSpan.Zero), 14_000, 5_000));
        Assert.Equal("green", await ComplianceAsync());
    }
}
