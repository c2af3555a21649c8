using Xunit.Abstractions;

namespace CoachHub.Browser.Tests;

/// <summary>The athlete and the coach talk about a run in two browsers, each seeing the other's messages arrive live; the board counts what the coach has not read.</summary>
[Collection(WebAppGroup.Name)]
public sealed class ConversationTests(WebAppServer server, ITestOutputHelper output)
{
    [Fact]
    public async Task A_message_about_a_run_appears_live_on_the_other_side_and_the_board_counts_it_until_read()
    {
        var squad = await Seed.SquadAsync(server, "Conversation Squad");
        var run = await WebAppServer.PostAsync(squad.Maya.Http(), $"/api/athletes/{squad.Maya.Id}/runs", new
        {
            startedAt = DateTimeOffset.UtcNow.AddHours(-2), distanceMeters = 9_000, durationSeconds = 3_000, workout = "easy", surface = "road", sessionRpe = 5,
        });
        var runId = run.GetProperty("runId").GetGuid();

        await using var coach = await server.NewPageAsync(output);
        await using var athlete = await server.NewPageAsync(output, phone: true, size: new ViewportSize { Width = 390, Height = 844 });
        await coach.SignInAsync(squad.Coach, "board");
        await athlete.SignInAsync(squad.Maya, "report");
        await coach.Page.GotoAsync($"/#/athletes/{squad.Maya.Id}/runs/{runId}");
        await athlete.Page.GotoAsync($"/#/runs/{runId}");
        var coachThread = coach.Page.Locator($"section.thread[data-thread='{runId}']");
        var athleteThread = athlete.Page.Locator($"section.thread[data-thread='{runId}']");
        await Assertions.Expect(coachThread).ToContainTextAsync("No messages yet.");
        await Assertions.Expect(athleteThread).ToContainTextAsync("No messages yet.");
        // Both pages listen before anyone writes.
        await Assertions.Expect(coach.Page.Locator("#live")).ToHaveAttributeAsync("data-state", "connected");
        await Assertions.Expect(athlete.Page.Locator("#live")).ToHaveAttributeAsync("data-state", "connected");

        await athleteThread.Locator("textarea").FillAsync("Legs heavy after the hills.");
        await athleteThread.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Assertions.Expect(coachThread.Locator("ol.comments li")).ToContainTextAsync("Legs heavy after the hills.");
        await coachThread.Locator("textarea").FillAsync("Easy 30 minutes tomorrow, then.");
        await coachThread.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Assertions.Expect(athleteThread.Locator("ol.comments li").Last).ToContainTextAsync("Easy 30 minutes tomorrow, then.");
        await Assertions.Expect(athleteThread.Locator("ol.comments li").Last).ToContainTextAsync("(coach)");
        Assert.DoesNotContain("\nnull\n", await athlete.Page.InnerTextAsync("main"), StringComparison.Ordinal);
        await athlete.ScreenshotAsync("conversation-390x844");
        await coach.ScreenshotAsync("conversation-desktop", fullPage: false);

        // Another message while the coach is on the board: counted there, live, until the coach reads it.
        await coach.Page.GotoAsync("/#/board");
        var row = coach.Page.Locator($"tr[data-athlete='{squad.Maya.Id}']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator(".badge.unread")).ToHaveCountAsync(0);
        await athleteThread.Locator("textarea").FillAsync("Will do.");
        await athleteThread.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Assertions.Expect(row.Locator(".badge.unread")).ToHaveTextAsync("1 new message");
        await coach.Page.GotoAsync($"/#/athletes/{squad.Maya.Id}");
        // Opening the thread marks it read (once the page has shown it).
        await coach.Page.RunAndWaitForResponseAsync(() => coach.Page.Locator($"#threads-title ~ div li[data-thread='{runId}'] a").ClickAsync(),
            r => r.Url.EndsWith("/comments/read", StringComparison.Ordinal) && r.Status == 204);
        await Assertions.Expect(coachThread.Locator("ol.comments li")).ToHaveCountAsync(3);
        await coach.Page.GotoAsync("/#/board");
        await Assertions.Expect(coach.Page.Locator($"tr[data-athlete='{squad.Maya.Id}']")).ToBeVisibleAsync();
        await Assertions.Expect(coach.Page.Locator($"tr[data-athlete='{squad.Maya.Id}'] .badge.unread")).ToHaveCountAsync(0);
        coach.AssertNoScriptErrors();
        athlete.AssertNoScriptErrors();
    }
}
