using Xunit.Abstractions;

namespace CoachHub.Browser.Tests;

/// <summary>The calendar's month and week grids, for the coach on a desktop and for the athlete on a 390x844 phone.</summary>
[Collection(WebAppGroup.Name)]
public sealed class CalendarTests(WebAppServer server, ITestOutputHelper output)
{
    [Fact]
    public async Task The_coach_and_the_athlete_see_planned_against_done_by_month_and_by_week()
    {
        var squad = await Seed.SquadAsync(server, "Calendar Squad");
        var thursday = $"{Seed.ThisMonday.AddDays(3):yyyyMMdd}-thu";
        await using (var coach = await server.NewPageAsync(output))
        {
            var page = coach.Page;
            await coach.SignInAsync(squad.Coach, "board");
            await page.GotoAsync($"/#/athletes/{squad.Maya.Id}");
            await page.GetByRole(AriaRole.Link, new() { Name = "Calendar", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Maya Lindqvist: calendar" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("table.calendar-month")).ToBeVisibleAsync();
            // This week's planned sessions, and runs of the weeks before, when nothing was planned, in grey.
            await Assertions.Expect(page.Locator($"table.calendar-month [data-session='{thursday}']")).ToBeVisibleAsync();
            Assert.True(await page.Locator("table.calendar-month [data-compliance='grey']").CountAsync() > 0, "runs without a planned session are grey");
            await Assertions.Expect(page.Locator("td.today")).ToHaveCountAsync(1);
            await coach.ScreenshotAsync("calendar-month-desktop", fullPage: false);

            await page.GetByRole(AriaRole.Button, new() { Name = "Week" }).ClickAsync();
            await Assertions.Expect(page.Locator("ol.calendar-week > li")).ToHaveCountAsync(7);
            await Assertions.Expect(page.Locator($"ol.calendar-week [data-session='{thursday}']")).ToContainTextAsync("planned");
            await page.GetByRole(AriaRole.Button, new() { Name = "Previous" }).ClickAsync();
            await Assertions.Expect(page.Locator("ol.calendar-week [data-compliance='grey']").First).ToBeVisibleAsync();
            await coach.ScreenshotAsync("calendar-week-desktop", fullPage: false);

            // A run opens on its own page: pace, the report after it, what it raised; and back.
            await page.Locator("ol.calendar-week [data-compliance='grey'] a").First.ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Maya Lindqvist's run of") })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("dl.facts")).ToContainTextAsync("/km");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Report after the run" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync("pain");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "What changed because of it" })).ToBeVisibleAsync();
            await coach.ScreenshotAsync("run-page-desktop", fullPage: false);
            // The coach can say which session it was for; the form offers "No planned session".
            await Assertions.Expect(page.Locator("form.match-run select[name='sessionId'] option[value='']")).ToHaveTextAsync("No planned session");
            await page.GetByRole(AriaRole.Link, new() { Name = "Back to the calendar" }).ClickAsync();
            await Assertions.Expect(page.Locator("table.calendar-month")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Week" }).ClickAsync();

            // Next week (always to come): a session moved with "Move to" in the week list...
            await page.GetByRole(AriaRole.Button, new() { Name = "Today" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
            var entry = page.Locator("ol.calendar-week li.entry:has(select)").First;
            var moved = await entry.GetAttributeAsync("data-session");
            var select = entry.Locator("select");
            var target = await select.Locator("option").Nth(1).GetAttributeAsync("value");
            await select.SelectOptionAsync(target!);
            await Assertions.Expect(page.Locator(".calendar-note")).ToContainTextAsync("Moved to");
            await Assertions.Expect(page.Locator($"ol.calendar-week li[data-date='{target}'] [data-session='{moved}']")).ToBeVisibleAsync();

            // ... and one dragged on the month grid to another day of its week.
            await page.GetByRole(AriaRole.Button, new() { Name = "Month" }).ClickAsync();
            await Assertions.Expect(page.Locator("table.calendar-month .chip.movable").First).ToBeVisibleAsync();
            var drag = await page.EvaluateAsync<string[]>("""
                () => {
                  // A session to come with another day to come in its week (on a Sunday, this week has none: next week's).
                  const cells = [...document.querySelectorAll('table.calendar-month td')].map(td => td.dataset.date);
                  const today = document.querySelector('td.today')?.dataset.date ?? '';
                  for (const chip of document.querySelectorAll('table.calendar-month .chip.movable')) {
                    const from = chip.closest('td').dataset.date;
                    const i = cells.indexOf(from);
                    const week = cells.slice(i - (i % 7), i - (i % 7) + 7).filter(d => d !== from && d >= today);
                    if (week.length) return [chip.dataset.session, from, week[0]];
                  }
                  return ['', '', ''];
                }
                """);
            Assert.NotEqual("", drag[0]);
            await page.Locator($"table.calendar-month [data-session='{drag[0]}']").DragToAsync(page.Locator($"table.calendar-month td[data-date='{drag[2]}']"));
            await Assertions.Expect(page.Locator(".calendar-note")).ToContainTextAsync("Moved to");
            await Assertions.Expect(page.Locator($"table.calendar-month td[data-date='{drag[2]}'] [data-session='{drag[0]}']")).ToBeVisibleAsync();
            await coach.ScreenshotAsync("calendar-moved-desktop", fullPage: false);
            coach.AssertNoScriptErrors();
        }
        await using (var athlete = await server.NewPageAsync(output, phone: true, size: new ViewportSize { Width = 390, Height = 844 }))
        {
            var page = athlete.Page;
            await athlete.SignInAsync(squad.Maya, "report");
            await page.GotoAsync("/#/calendar");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your calendar", Exact = true })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator($"table.calendar-month [data-session='{thursday}']")).ToBeVisibleAsync();
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            Assert.True(widths[0] <= widths[1], $"the month grid scrolls sideways at 390 px: {widths[0]} px wide");
            await athlete.ScreenshotAsync("calendar-month-390x844", fullPage: false);
            await page.GetByRole(AriaRole.Button, new() { Name = "Week" }).ClickAsync();
            await Assertions.Expect(page.Locator("ol.calendar-week > li")).ToHaveCountAsync(7);
            await athlete.ScreenshotAsync("calendar-week-390x844", fullPage: false);
            await page.GetByRole(AriaRole.Button, new() { Name = "Previous" }).ClickAsync();
            await page.Locator("ol.calendar-week [data-compliance='grey'] a").First.ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Your run of") })).ToBeVisibleAsync();
            await athlete.ScreenshotAsync("run-page-390x844", fullPage: false);
            athlete.AssertNoScriptErrors();
        }
    }

    [Fact]
    public async Task The_athlete_subscribes_a_calendar_app_to_the_plan_stops_it_and_downloads_the_history()
    {
        var squad = await Seed.SquadAsync(server, "Feed Squad");
        await using var athlete = await server.NewPageAsync(output, phone: true, size: new ViewportSize { Width = 390, Height = 844 });
        var page = athlete.Page;
        await athlete.SignInAsync(squad.Maya, "report");
        await page.GotoAsync("/#/calendar");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your plan in your calendar app" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Make a calendar address" }).ClickAsync();
        await Assertions.Expect(page.Locator("#feed-url")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/feeds/.+\\.ics$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Open in your calendar app" })).ToHaveAttributeAsync("href",
            new System.Text.RegularExpressions.Regex("^webcal://"));
        await athlete.ScreenshotAsync("calendar-feed-390x844");
        var address = new Uri(await page.Locator("#feed-url").InputValueAsync());

        // What a calendar app reads, with no session: this week's planned sessions.
        using var app = server.Http();
        var calendar = Ical.Net.Calendar.Load(await app.GetStringAsync(address.PathAndQuery))!;
        Assert.Contains(calendar.Events, e => e.Start!.Date == Seed.ThisMonday.AddDays(3));

        await page.GetByRole(AriaRole.Button, new() { Name = "Stop sharing" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Make a calendar address" })).ToBeVisibleAsync();
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await app.GetAsync(address.PathAndQuery)).StatusCode);

        await page.GotoAsync("/#/history");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Runs and reports" })).ToBeVisibleAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download as CSV" }).ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        var lines = (await File.ReadAllTextAsync((await download.PathAsync())!)).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("kind,date,time,", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("run,", StringComparison.Ordinal));
        athlete.AssertNoScriptErrors();
    }
}
