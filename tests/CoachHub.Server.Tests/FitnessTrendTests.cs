using System.Net;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Load;

namespace CoachHub.Server.Tests;

/// <summary>GET /api/athletes/{id}/fitness: the domain's fitness, fatigue and form day by day, with pain and adjustments beside them.</summary>
public sealed class FitnessTrendTests(MidweekApp app) : IClassFixture<MidweekApp>
{
    [Fact]
    public async Task The_days_are_the_domains_figures_from_the_first_run_with_each_report_on_its_day()
    {
        var (coach, _, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code, timeZone: "UTC");
        var today = app.Today;
        var runs = new List<RunLogged>();
        // Sixty days ago: before the window asked for, and still in the fitness of the days shown.
        foreach (var (daysAgo, minutes, rpe) in new[] { (60, 90, 6), (20, 45, 4), (9, 60, 7), (2, 30, 3) })
        {
            var at = new DateTimeOffset(today.AddDays(-daysAgo).ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero);
            await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/runs", Bodies.Run(at, 8_000, minutes * 60, rpe: rpe));
            runs.Add(new RunLogged(Guid.NewGuid(), at, 8_000, minutes * 60, WorkoutType.Easy, Surface.Road, rpe));
        }
        await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/reports", Bodies.Report(6, 7));

        var trend = await coach.Api.GetOkAsync($"/api/athletes/{athlete.Id}/fitness?days=28");
        var days = trend.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(28, days.Count);
        Assert.Equal(today.ToString("yyyy-MM-dd"), days[^1].GetProperty("date").GetString());
        var expected = Fitness.Days(runs, today.AddDays(-27), today);
        for (var i = 0; i < days.Count; i++)
        {
            Assert.Equal(Math.Round(expected[i].Fitness, 1), days[i].GetProperty("fitness").GetDouble());
            Assert.Equal(Math.Round(expected[i].Fatigue, 1), days[i].GetProperty("fatigue").GetDouble());
            Assert.Equal(Math.Round(expected[i].Form, 1), days[i].GetProperty("form").GetDouble());
        }
        Assert.True(days[0].GetProperty("fitness").GetDouble() > 0, "the run before the window counts");
        var pain = Assert.Single(trend.GetProperty("pain").EnumerateArray());
        Assert.Equal((today.ToString("yyyy-MM-dd"), 6), (pain.GetProperty("date").GetString(), pain.GetProperty("painNow").GetInt32()));
        Assert.Equal(182, (await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/fitness")).GetProperty("days").GetArrayLength());
    }

    [Fact]
    public async Task Only_the_athlete_and_their_coaches_read_it_and_days_out_of_range_are_named()
    {
        var (_, _, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code);
        var (stranger, _, _) = await app.SquadAsync("Elsewhere");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Api.Http.GetAsync($"/api/athletes/{athlete.Id}/fitness")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/athletes/{athlete.Id}/fitness")).StatusCode);
        foreach (var days in new[] { 6, 731 })
            Assert.Equal(["days"], await ApiClient.BadFieldsAsync(await athlete.Api.SendAsync(HttpMethod.Get, $"/api/athletes/{athlete.Id}/fitness?days={days}")));
    }
}
