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
            coach.AssertNoScriptErrors();
        }
        await using (var athlete = await server.NewPageAsync(output, phone: true, size: new ViewportSize { Width = 390, Height = 844 }))
        {
            var page = athlete.Page;
            await athlete.SignInAsync(squad.Maya, "report");
            await page.GotoAsync("/#/calendar");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your calendar" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator($"table.calendar-month [data-session='{thursday}']")).ToBeVisibleAsync();
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            Assert.True(widths[0] <= widths[1], $"the month grid scrolls sideways at 390 px: {widths[0]} px wide");
            await athlete.ScreenshotAsync("calendar-month-390x844", fullPage: false);
            await page.GetByRole(AriaRole.Button, new() { Name = "Week" }).ClickAsync();
            await Assertions.Expect(page.Locator("ol.calendar-week > li")).ToHaveCountAsync(7);
            await athlete.ScreenshotAsync("calendar-week-390x844", fullPage: false);
            athlete.AssertNoScriptErrors();
        }
    }
}
