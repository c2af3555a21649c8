using System.Net;

namespace CoachHub.Server.Tests;

/// <summary>GET /api/athletes/{id}/runs/{runId}: a run with its pace, the session it was for, the report after it and what that raised.</summary>
public sealed class RunPageTests(MidweekApp app) : IClassFixture<MidweekApp>
{
    [Fact]
    public async Task A_run_shows_its_pace_its_session_its_report_and_the_findings_the_report_raised()
    {
        var (coach, _, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code, timeZone: "UTC");
        var monday = new DateOnly(2026, 6, 1);
        await coach.Api.PostOkAsync($"/api/athletes/{athlete.Id}/plan", new { goal = "10k", startDate = monday, weeklyDistanceMeters = 24_000 });
        await coach.Api.PutOkAsync($"/api/athletes/{athlete.Id}/plan/weeks/{monday:yyyy-MM-dd}", new
        {
            sessions = new[] { new { sessionId = "mon", date = monday, type = "easy", intensity = "easy", distanceMeters = 8_000, description = "Easy", exercises = Array.Empty<string>() } },
        });
        var run = await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/runs", Bodies.Run(new DateTimeOffset(2026, 6, 1, 7, 0, 0, TimeSpan.Zero), 8_000, 2_700));
        var runId = run.GetProperty("runId").GetGuid();
        await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/reports", new
        {
            runId, pain = new { painNow = 7, worstDuringRun = 8 }, redFlags = Bodies.NoRedFlags, context = new { sleepHours = 7, stress = 2 },
        });

        var page = await coach.Api.GetOkAsync($"/api/athletes/{athlete.Id}/runs/{runId}");
        Assert.Equal(runId, page.GetProperty("run").GetProperty("runId").GetGuid());
        Assert.Equal(338, page.GetProperty("paceSecondsPerKm").GetInt32()); // 2,700 s over 8 km: 5:38 a km
        Assert.Equal("mon", page.GetProperty("session").GetProperty("sessionId").GetString());
        Assert.Equal("green", page.GetProperty("compliance").GetString());
        var report = Assert.Single(page.GetProperty("reports").EnumerateArray());
        Assert.Equal(7, report.GetProperty("painNow").GetInt32());
        var findings = page.GetProperty("findings").EnumerateArray().ToList();
        Assert.NotEmpty(findings);
        Assert.All(findings, f => Assert.False(string.IsNullOrEmpty(f.GetProperty("coachMessage").GetString())));

        Assert.Equal(HttpStatusCode.OK, (await athlete.Api.Http.GetAsync($"/api/athletes/{athlete.Id}/runs/{runId}")).StatusCode);
        var (stranger, _, _) = await app.SquadAsync("Elsewhere");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Api.Http.GetAsync($"/api/athletes/{athlete.Id}/runs/{runId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coach.Api.Http.GetAsync($"/api/athletes/{athlete.Id}/runs/{Guid.NewGuid()}")).StatusCode);
    }
}
