using System.Net;

namespace CoachHub.Server.Tests;

/// <summary>GET /api/athletes/{id}/load: the dashboard's EWMA acute:chronic value, day by day, for the web app's chart.</summary>
/// <summary>On the MidweekApp clock: the 28 days asked end on the day the runs were counted to, even around midnight.</summary>
public sealed class LoadTrendTests(MidweekApp app) : IClassFixture<MidweekApp>
{
    [Fact]
    public async Task The_line_ends_on_the_dashboards_value_and_starts_at_zero_before_the_first_run()
    {
        var (coach, _, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code, timeZone: "UTC");
        var today = app.Today;
        for (var daysAgo = 20; daysAgo >= 1; daysAgo -= 2)
            await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/runs",
                Bodies.Run(new DateTimeOffset(today.AddDays(-daysAgo).ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero), rpe: 3 + daysAgo % 4));

        var trend = await coach.Api.GetOkAsync($"/api/athletes/{athlete.Id}/load?days=28");
        var days = trend.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(28, days.Count);
        Assert.Equal(today.AddDays(-27).ToString("yyyy-MM-dd"), days[0].GetProperty("date").GetString());
        Assert.Equal(today.ToString("yyyy-MM-dd"), days[^1].GetProperty("date").GetString());
        Assert.Equal(0, days[0].GetProperty("acute").GetDouble());
        Assert.False(days[0].TryGetProperty("ratio", out _));

        var dashboard = await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/dashboard");
        var expected = dashboard.GetProperty("acuteChronic");
        Assert.Equal(expected.GetProperty("acute").GetDouble(), days[^1].GetProperty("acute").GetDouble(), 9);
        Assert.Equal(expected.GetProperty("chronic").GetDouble(), days[^1].GetProperty("chronic").GetDouble(), 9);
        Assert.Equal(expected.GetProperty("ratio").GetDouble(), days[^1].GetProperty("ratio").GetDouble(), 9);
        Assert.Equal(84, (await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/load")).GetProperty("days").GetArrayLength());
    }

    [Fact]
    public async Task Days_out_of_range_are_a_400_naming_the_field()
    {
        var (_, _, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code);
        foreach (var days in new[] { 6, 85 })
        {
            var response = await athlete.Api.SendAsync(HttpMethod.Get, $"/api/athletes/{athlete.Id}/load?days={days}");
            var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("days", out _));
        }
    }
}
