using Xunit.Abstractions;

namespace CoachHub.Browser.Tests;

/// <summary>The coach reads an athlete's fitness, fatigue and form over 6 and 12 months, on a desktop and a phone.</summary>
[Collection(WebAppGroup.Name)]
public sealed class FitnessChartTests(WebAppServer server, ITestOutputHelper output)
{
    [Fact]
    public async Task The_coach_switches_the_fitness_chart_between_6_and_12_months_on_a_desktop_and_a_phone()
    {
        var squad = await Seed.SquadAsync(server, "Fitness Squad");
        foreach (var (phone, size, name) in new[] { (false, (ViewportSize?)null, "desktop"), (true, new ViewportSize { Width = 390, Height = 844 }, "390x844") })
        {
            await using var browser = await server.NewPageAsync(output, phone, size);
            var page = browser.Page;
            await browser.SignInAsync(squad.Coach, "board");
            await page.GotoAsync($"/#/athletes/{squad.Sam.Id}");
            await Assertions.Expect(page.Locator("figcaption", new() { HasText = "Fitness, fatigue and form over 6 months" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "6 months" })).ToHaveAttributeAsync("aria-pressed", "true");
            var summary = await page.Locator("section.fitness .chart-summary").InnerTextAsync();
            Assert.True(summary.StartsWith("Today: fitness", StringComparison.Ordinal) || summary.StartsWith("No runs in these", StringComparison.Ordinal), summary);

            await page.GetByRole(AriaRole.Button, new() { Name = "12 months" }).ClickAsync();
            await Assertions.Expect(page.Locator("figcaption", new() { HasText = "Fitness, fatigue and form over 12 months" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "12 months" })).ToHaveAttributeAsync("aria-pressed", "true");
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            Assert.True(widths[0] <= widths[1], $"the page scrolls sideways on the {name}: {widths[0]} px wide");
            await page.Locator("section.fitness").ScrollIntoViewIfNeededAsync();
            await browser.ScreenshotAsync($"fitness-{name}", fullPage: false);
            browser.AssertNoScriptErrors();
        }

        // The athlete reads the same on their own history.
        await using var athlete = await server.NewPageAsync(output, phone: true, size: new ViewportSize { Width = 390, Height = 844 });
        await athlete.SignInAsync(squad.Sam, "report");
        await athlete.Page.GotoAsync("/#/history");
        await Assertions.Expect(athlete.Page.Locator("figcaption", new() { HasText = "Fitness, fatigue and form over 6 months" })).ToBeVisibleAsync();
        athlete.AssertNoScriptErrors();
    }
}
