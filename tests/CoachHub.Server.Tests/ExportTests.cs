using System.Net;
using System.Text;
using Ical.Net;

namespace CoachHub.Server.Tests;

/// <summary>
/// The plan out to calendar apps (an iCalendar feed at a secret, revocable address) and the history out to a
/// spreadsheet (CSV), issue 32.
/// </summary>
public sealed class ExportTests(MidweekApp app) : IClassFixture<MidweekApp>
{
    private static readonly DateOnly Monday = new(2026, 6, 1);
    private static readonly string[] Squats = ["Squats 3 x 10", "Plank 3 x 30 s"];

    [Fact]
    public async Task A_calendar_app_reads_the_plan_from_the_secret_address_until_the_athlete_replaces_or_stops_it()
    {
        var (coach, _, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code, timeZone: "UTC");
        await coach.Api.PostOkAsync($"/api/athletes/{athlete.Id}/plan", new { goal = "10k", startDate = Monday, weeklyDistanceMeters = 24_000 });
        await coach.Api.PutOkAsync($"/api/athletes/{athlete.Id}/plan/weeks/{Monday:yyyy-MM-dd}", new
        {
            sessions = new object[]
            {
                new { sessionId = "mon", date = Monday, type = "easy", intensity = "easy", distanceMeters = 8_000, description = "Easy run", exercises = Array.Empty<string>() },
                new { sessionId = "wed", date = Monday.AddDays(2), type = "strength", intensity = "easy", durationSeconds = 1_200, description = "Strength", exercises = Squats },
                new { sessionId = "sat", date = Monday.AddDays(5), type = "longRun", intensity = "easy", distanceMeters = 14_000, description = "", exercises = Array.Empty<string>() },
            },
        });

        var none = await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/calendar-feed");
        Assert.False(none.GetProperty("active").GetBoolean());
        var started = await athlete.Api.Http.PostAsync($"/api/athletes/{athlete.Id}/calendar-feed", null);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        Assert.DoesNotContain("/feeds/", await started.Content.ReadAsStringAsync(), StringComparison.Ordinal); // a stored reply never holds it
        var status = await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/calendar-feed");
        Assert.True(status.GetProperty("active").GetBoolean());
        var url = new Uri(status.GetProperty("url").GetString()!);
        Assert.StartsWith("webcal://", status.GetProperty("webcalUrl").GetString(), StringComparison.Ordinal);

        // A calendar app has no session: the address is enough.
        var anonymous = app.Client(null).Http;
        var feed = await anonymous.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("text/calendar", feed.Content.Headers.ContentType?.MediaType);
        var calendar = Calendar.Load(await feed.Content.ReadAsStringAsync())!;
        var events = calendar.Events.OrderBy(e => e.Start!.Date).ToList();
        Assert.Equal(["Easy run · 8.0 km", "Strength · 20 min", "Long run · 14.0 km"], events.Select(e => e.Summary));
        Assert.Equal([Monday, Monday.AddDays(2), Monday.AddDays(5)], events.Select(e => e.Start!.Date));
        Assert.All(events, e => Assert.True(e.IsAllDay));
        Assert.Contains("Plank 3 x 30 s", events[1].Description, StringComparison.Ordinal);
        Assert.Equal(3, events.Select(e => e.Uid).Distinct().Count());

        // A red flag stops running: the runs still to come read as cancelled, with professional care advised.
        await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/reports", Bodies.SaddleNumbnessReport);
        var paused = Calendar.Load(await anonymous.GetStringAsync(url.PathAndQuery))!.Events.Single(e => e.Start!.Date == Monday.AddDays(5));
        Assert.Equal(EventStatus.Cancelled, paused.Status);
        Assert.StartsWith("Paused: ", paused.Summary, StringComparison.Ordinal);
        Assert.Contains("healthcare professional", paused.Description, StringComparison.Ordinal);

        // Every answer seals the address anew; each works while the feed runs.
        var again = new Uri((await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/calendar-feed")).GetProperty("url").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(again.PathAndQuery)).StatusCode);

        // A new address ends the old one; stopping ends the new one.
        Assert.Equal(HttpStatusCode.Created, (await athlete.Api.Http.PostAsync($"/api/athletes/{athlete.Id}/calendar-feed", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(url.PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(again.PathAndQuery)).StatusCode);
        var replaced = new Uri((await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/calendar-feed")).GetProperty("url").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(replaced.PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await athlete.Api.Http.DeleteAsync($"/api/athletes/{athlete.Id}/calendar-feed")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(replaced.PathAndQuery)).StatusCode);
        Assert.False((await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/calendar-feed")).GetProperty("active").GetBoolean());

        // Made-up and tampered addresses answer nothing, and the coach cannot make or read the athlete's address.
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/feeds/not-a-feed.ics")).StatusCode);
        var token = replaced.Segments[^1][..^4];
        var tampered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/feeds/{tampered}.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coach.Api.Http.GetAsync($"/api/athletes/{athlete.Id}/calendar-feed")).StatusCode);
    }

    [Fact]
    public async Task The_history_downloads_as_csv_on_the_athletes_clock_with_formulas_kept_as_text()
    {
        var (coach, _, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code, timeZone: "Europe/Dublin");
        var shoe = (await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/shoes", new { name = "Ghost, 16" })).GetProperty("shoeId").GetString();
        var run = await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/runs", new
        {
            startedAt = new DateTimeOffset(2026, 6, 2, 6, 30, 0, TimeSpan.Zero), distanceMeters = 10_000, durationSeconds = 3_000, workout = "easy",
            surface = "road", sessionRpe = 4, shoeId = shoe, notes = "=HYPERLINK(\"http://example.com\")",
        });
        var runId = run.GetProperty("runId").GetGuid();
        await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/reports", new
        {
            runId, pain = new { painNow = 3, worstDuringRun = 4 }, redFlags = Bodies.NoRedFlags, context = new { sleepHours = 7, stress = 2 },
        });

        var response = await coach.Api.Http.GetAsync($"/api/athletes/{athlete.Id}/history.csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'),
            StringComparison.Ordinal);
        var lines = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("kind,date,time,distance_km,duration,pace_per_km,", lines[0], StringComparison.Ordinal);
        // 06:30 UTC is 07:30 in Dublin in June; 50 minutes over 10 km is 5:00 a km; the shoe's comma is quoted, the formula is text.
        Assert.StartsWith("run,2026-06-02,07:30 +01:00,10.00,0:50:00,5:00,Easy,Road,4,0,\"Ghost, 16\",\"'=HYPERLINK(", lines[1], StringComparison.Ordinal);
        Assert.EndsWith($",{runId},", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("report,", lines[2], StringComparison.Ordinal);
        Assert.Contains($",3,4,,no,{runId},", lines[2], StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await athlete.Api.Http.GetAsync($"/api/athletes/{athlete.Id}/history.csv")).StatusCode);
        var (stranger, _, _) = await app.SquadAsync("Elsewhere");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Api.Http.GetAsync($"/api/athletes/{athlete.Id}/history.csv")).StatusCode);
    }
}
