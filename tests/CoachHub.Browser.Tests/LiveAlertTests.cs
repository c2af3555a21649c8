using System.Diagnostics;
using Xunit.Abstractions;

namespace CoachHub.Browser.Tests;

/// <summary>
/// The scenario: an athlete answers a red-flag question on their phone; the coach's board, already open in
/// another browser, shows the alert within 2 s without a reload; the coach acknowledges it in the inbox.
/// </summary>
[Collection(WebAppGroup.Name)]
public sealed class LiveAlertTests(WebAppServer server, ITestOutputHelper output)
{
    [Fact]
    public async Task A_red_flag_reaches_the_coachs_open_board_within_two_seconds_and_is_acknowledged_in_the_inbox()
    {
        var squad = await Seed.SquadAsync(server);
        var maya = squad.Maya;

        // The coach signs in and leaves the board open, connected to the hub.
        await using var coach = await server.NewPageAsync(output);
        var board = coach.Page;
        await coach.SignInAsync(squad.Coach, "board");
        var row = board.Locator($"tr[data-athlete='{maya.Id}']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "green");
        await Assertions.Expect(board.Locator("body")).ToHaveAttributeAsync("data-live", "connected");
        await board.EvaluateAsync("() => { window.__sameDocument = 'still here'; }");
        await Assertions.Expect(board.Locator($"tr[data-athlete='{squad.Sam.Id}']")).ToHaveAttributeAsync("data-status", "amber");

        // The athlete, on a 375 px phone, logs the run and answers the questions.
        await using var phone = await server.NewPageAsync(output, phone: true);
        var report = phone.Page;
        await phone.SignInAsync(maya, "report");
        // She started 50 minutes before she reports, so the run sits under the report in her history even when
        // the phone's clock runs a little ahead of the server's.
        var started = await report.EvaluateAsync<string>(
            "() => { const d = new Date(Date.now() - 50 * 60000); return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16); }");
        await report.GetByLabel("When did you start?").FillAsync(started);
        await report.GetByLabel("Distance (km)").FillAsync("8.2");
        await report.GetByLabel("Time (minutes)").FillAsync("47");
        await Field(report, "sessionRpe").GetByRole(AriaRole.Radio, new() { Name = "5", Exact = true }).CheckAsync();
        await Field(report, "pain.painNow").GetByRole(AriaRole.Radio, new() { Name = "5 out of 10" }).CheckAsync();
        await Field(report, "pain.worstDuringRun").GetByRole(AriaRole.Radio, new() { Name = "6 out of 10" }).CheckAsync();
        foreach (var flag in new[] { "bladderOrBowelChange", "bothLegsNumbOrWeak", "legWeakness", "feverOrUnwell", "worseAtNight", "unexplainedWeightLoss", "afterFallOrImpact" })
            await Field(report, $"redFlags.{flag}").GetByRole(AriaRole.Radio, new() { Name = "No" }).CheckAsync();
        await Field(report, "redFlags.saddleNumbness").GetByRole(AriaRole.Radio, new() { Name = "Yes" }).CheckAsync();
        await phone.ScreenshotAsync("report-form-375px");

        var clock = Stopwatch.StartNew();
        await report.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();

        // The coach's banner and the athlete's advice, both without anyone reloading.
        var banner = board.Locator(".banner[data-severity='emergency']", new() { HasText = maya.Name });
        var alarm = report.Locator(".alarm[data-severity='emergency']");
        await Task.WhenAll(
            Assertions.Expect(banner).ToBeVisibleAsync(new() { Timeout = 2_000 }),
            Assertions.Expect(alarm).ToBeVisibleAsync(new() { Timeout = 2_000 }));
        var bannerAfter = clock.Elapsed;
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "red", new() { Timeout = 2_000 });
        var redAfter = clock.Elapsed;
        var timing = $"banner on the coach's board {bannerAfter.TotalMilliseconds:0} ms after Send; row red after {redAfter.TotalMilliseconds:0} ms";
        output.WriteLine(timing);
        Console.WriteLine(timing);
        Assert.True(redAfter < TimeSpan.FromSeconds(2), $"the board turned red only after {redAfter.TotalMilliseconds:0} ms");
        Assert.Equal("still here", await board.EvaluateAsync<string>("() => window.__sameDocument"));
        Assert.Equal(maya.Name, await board.Locator("table.board tbody tr").First.Locator("td.cell-main").InnerTextAsync());

        // The athlete sees what to do at once, with the disclaimer under it.
        await Assertions.Expect(alarm).ToHaveAttributeAsync("role", "alert");
        await Assertions.Expect(alarm).ToContainTextAsync("Get emergency medical care now");
        await Assertions.Expect(alarm).ToContainTextAsync("emergency medical care now: call your local emergency number");
        await Assertions.Expect(alarm.Locator(".disclaimer")).ToContainTextAsync("not medical advice");
        Assert.DoesNotContain("[object", await report.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await phone.ScreenshotAsync("report-advice-375px");
        await Assertions.Expect(banner.Locator(".disclaimer")).ToContainTextAsync("not medical advice");
        await coach.ScreenshotAsync("board-live-alert");

        // The coach opens the inbox from the banner and acknowledges the alert.
        await banner.GetByRole(AriaRole.Link, new() { Name = "Open the inbox" }).ClickAsync();
        var alert = board.Locator($"article[data-athlete='{maya.Id}'][data-acknowledged='false']", new() { HasText = "saddle" });
        await Assertions.Expect(alert).ToBeVisibleAsync();
        await Assertions.Expect(alert.Locator(".disclaimer")).ToBeVisibleAsync();
        await alert.GetByLabel("Note (optional)").FillAsync("Phoned Maya: she is on her way to the emergency department.");
        await coach.ScreenshotAsync("inbox-before-acknowledge", fullPage: false);
        var findingId = await alert.GetAttributeAsync("data-finding");
        await alert.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        var acknowledged = board.Locator($"article[data-finding='{findingId}'][data-acknowledged='true']");
        await Assertions.Expect(acknowledged).ToContainTextAsync("Acknowledged");
        var inbox = await WebAppServer.GetAsync(squad.Coach.Http(), "/api/inbox");
        Assert.Contains(inbox.EnumerateArray(), a => a.GetProperty("findingId").GetString() == findingId && a.TryGetProperty("acknowledgedAt", out _));
        await coach.ScreenshotAsync("inbox-acknowledged");

        // The athlete's page: charts, the open findings with their advice, the history.
        await board.GotoAsync($"/#/athletes/{maya.Id}");
        await Assertions.Expect(board.GetByRole(AriaRole.Heading, new() { Name = maya.Name, Level = 1 })).ToBeVisibleAsync();
        // Weekly distance, acute:chronic load, pain, shoes; fitness, fatigue and form below them.
        await Assertions.Expect(board.Locator("figure canvas")).ToHaveCountAsync(5);
        await Assertions.Expect(board.Locator("[data-finding] .advice[data-severity='emergency']")).ToBeVisibleAsync();
        await Assertions.Expect(board.Locator("ul.history li").First).ToContainTextAsync("Red flag");
        await coach.ScreenshotAsync("athlete-page");

        coach.AssertNoScriptErrors();
        phone.AssertNoScriptErrors();
    }

    private static ILocator Field(IPage page, string name) => page.Locator($"[data-field='{name}']");
}
