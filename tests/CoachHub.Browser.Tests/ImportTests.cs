using Xunit.Abstractions;

namespace CoachHub.Browser.Tests;

/// <summary>
/// An athlete imports watch files in the browser: GPX and TCX go to the server, FIT is read on the page with Garmin's
/// SDK; a damaged FIT is refused on the page and nothing is sent (tests/fixtures/activities says what each file holds).
/// </summary>
[Collection(WebAppGroup.Name)]
public sealed class ImportTests(WebAppServer server, ITestOutputHelper output)
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "activities", name);

    [Fact]
    public async Task Fit_gpx_and_tcx_files_become_runs_with_heart_rate_and_a_damaged_fit_is_refused()
    {
        var squad = await Seed.SquadAsync(server, "Import Squad");
        await using var athlete = await server.NewPageAsync(output, phone: true, size: new ViewportSize { Width = 390, Height = 844 });
        var page = athlete.Page;
        await athlete.SignInAsync(squad.Maya, "report");
        await page.GetByRole(AriaRole.Link, new() { Name = "Import its file" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import runs from a watch" })).ToBeVisibleAsync();

        // A damaged FIT: said on the page, nothing sent.
        await page.Locator("#import-files").SetInputFilesAsync([Fixture("broken-crc.fit")]);
        await page.Locator("label:has(input[name='sessionRpe'][value='4'])").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-field='files'] .error")).ToContainTextAsync("checksum does not match");
        await athlete.ScreenshotAsync("import-refused-390x844");

        await page.Locator("#import-files").SetInputFilesAsync([Fixture("long-run-12k.fit"), Fixture("easy-5k.gpx"), Fixture("tempo-8k.tcx")]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
        await Assertions.Expect(page.Locator("ul.imported > li")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("ul.imported li[data-file='long-run-12k.fit']")).ToContainTextAsync("143 bpm");
        await Assertions.Expect(page.Locator("ul.imported li[data-file='easy-5k.gpx']")).ToContainTextAsync("5.0 km");
        await athlete.ScreenshotAsync("import-done-390x844");

        // The same files again: nothing new.
        await page.Locator("#import-files").SetInputFilesAsync([Fixture("long-run-12k.fit"), Fixture("easy-5k.gpx")]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
        await Assertions.Expect(page.Locator("ul.imported > li")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("ul.imported")).ToContainTextAsync("already imported");
        await Assertions.Expect(page.Locator("ul.imported li", new() { HasText = "already imported" })).ToHaveCountAsync(2);

        // The FIT run's page: heart rate and its chart; then a report on that run.
        await page.Locator("ul.imported li[data-file='long-run-12k.fit'] a").First.ClickAsync();
        await Assertions.Expect(page.Locator("dl.facts")).ToContainTextAsync("143 bpm on average");
        await Assertions.Expect(page.Locator("figure", new() { HasText = "Pace (min/km) and heart rate" })).ToBeVisibleAsync();
        await athlete.ScreenshotAsync("imported-run-390x844");

        // The athlete corrects the run: the page shows the corrected distance.
        await page.Locator("details.corrections summary").ClickAsync();
        await page.Locator("form.correct-run input[name='distanceMeters']").FillAsync("12.5");
        await page.Locator("form.correct-run").GetByRole(AriaRole.Button, new() { Name = "Save the correction" }).ClickAsync();
        await Assertions.Expect(page.Locator("dl.facts")).ToContainTextAsync("12.50 km");
        await athlete.ScreenshotAsync("corrected-run-390x844");
        await page.GetByRole(AriaRole.Link, new() { Name = "answer one now" }).ClickAsync();
        await Assertions.Expect(page.Locator(".imported-run")).ToContainTextAsync("the run you imported");
        athlete.AssertNoScriptErrors();
    }
}
