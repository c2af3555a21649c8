using Xunit.Abstractions;

namespace CoachHub.Browser.Tests;

/// <summary>
/// A red flag in the web app: the coach's calendar and the athlete's week show every running session suspended
/// (the coach's own edit included) with the rule behind it, and a proposal made before it shows as void, with no
/// Approve; on a desktop and on a 390x844 phone, with screenshots.
/// </summary>
[Collection(WebAppGroup.Name)]
public sealed class PauseTests(WebAppServer server, ITestOutputHelper output)
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private static readonly object NightPain = new
    {
        saddleNumbness = false, bladderOrBowelChange = false, bothLegsNumbOrWeak = false, legWeakness = false,
        feverOrUnwell = false, worseAtNight = true, unexplainedWeightLoss = false, afterFallOrImpact = false,
    };

    private static Task<System.Text.Json.JsonElement> RedFlagAsync(ApiUser athlete) =>
        WebAppServer.PostAsync(athlete.Http(), $"/api/athletes/{athlete.Id}/reports", new { pain = new { painNow = 5, worstDuringRun = 6 }, redFlags = NightPain });

    [Fact]
    public async Task After_a_red_flag_every_running_session_shows_suspended_for_the_coach_and_the_athlete()
    {
        var squad = await Seed.SquadAsync(server, "Pause Squad");
        var maya = squad.Maya;
        // The week after next: from Sunday 18:00 the weekly job (every second here) adjusts next week, and after the
        // red flag it rightly swaps that week's running for cross-training, so next week has no running to suspend.
        var weekAhead = Seed.ThisMonday.AddDays(14);
        await WebAppServer.PutAsync(squad.Coach.Http(), $"/api/athletes/{maya.Id}/plan/weeks/{Seed.Iso(weekAhead)}", new { sessions = Seed.WeekOf(weekAhead, 24_000) });
        // The coach's own long run that week: suspended like the rest, never deleted.
        await WebAppServer.PutAsync(squad.Coach.Http(), $"/api/athletes/{maya.Id}/plan/weeks/{Seed.Iso(weekAhead)}/sessions/{weekAhead.AddDays(6):yyyyMMdd}-sun", new
        {
            sessionId = $"{weekAhead.AddDays(6):yyyyMMdd}-sun", date = Seed.Iso(weekAhead.AddDays(6)), type = "longRun", intensity = "easy",
            distanceMeters = 12_000, description = "Long run, the coach's own", exercises = Array.Empty<string>(),
        });
        await RedFlagAsync(maya);

        await using (var coach = await server.NewPageAsync(output))
        {
            var page = coach.Page;
            await coach.SignInAsync(squad.Coach, "board");
            await page.GotoAsync($"/#/athletes/{maya.Id}/plan");
            var week = page.Locator($"section.week[data-week='{Seed.Iso(weekAhead)}']");
            await Assertions.Expect(week.Locator(".paused-note")).ToContainTextAsync("Running is paused");
            var edited = week.Locator("li[data-session$='-sun']");
            await Assertions.Expect(edited).ToHaveAttributeAsync("data-suspended", "true");
            // The coach's own session (a week the coach planned marks no session "edited": all of it is the coach's).
            await Assertions.Expect(edited).ToContainTextAsync("the coach's own");
            await Assertions.Expect(edited).ToContainTextAsync("RF-NIGHT");
            // Every running session of that week is suspended; the mobility session is not.
            await Assertions.Expect(week.Locator("li[data-session$='-tue']")).ToHaveAttributeAsync("data-suspended", "true");
            await Assertions.Expect(week.Locator("li[data-session$='-fri']")).Not.ToHaveAttributeAsync("data-suspended", "true");
            await Assertions.Expect(week).ToContainTextAsync("0.0 km planned");
            await coach.ScreenshotAsync("plan-suspended-desktop");

            // Trying to put running back while paused says why.
            await edited.GetByRole(AriaRole.Button).ClickAsync();
            var editor = week.Locator("form.editor");
            await editor.GetByLabel("Distance (km)").FillAsync("8");
            await editor.GetByRole(AriaRole.Button, new() { Name = "Save session" }).ClickAsync();
            await Assertions.Expect(editor).ToContainTextAsync("Running is paused");
            coach.AssertNoScriptErrors();
        }

        await using var athlete = await server.NewPageAsync(output, phone: true, size: Phone);
        await athlete.SignInAsync(maya, "report");
        await athlete.Page.GotoAsync("/#/week");
        await Assertions.Expect(athlete.Page.Locator(".paused-note").First).ToContainTextAsync("Running is paused");
        await Assertions.Expect(athlete.Page.Locator("li[data-suspended='true']").First).ToBeVisibleAsync();
        var widths = await athlete.Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"the week scrolls sideways at 390 px: {widths[0]} px");
        await athlete.ScreenshotAsync("athlete-week-suspended-390x844");
        athlete.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_proposal_made_before_a_red_flag_shows_as_void_without_approve_and_rejecting_clears_it()
    {
        var squad = await Seed.SquadAsync(server, "Void Squad");
        var leo = squad.Leo;
        var nextMonday = await Seed.ProposalWaitingAsync(squad, leo);
        await RedFlagAsync(leo);

        foreach (var (name, size) in new[] { ("desktop", (ViewportSize?)null), ("390x844", Phone) })
        {
            await using var coach = await server.NewPageAsync(output, phone: size is not null, size: size);
            var page = coach.Page;
            await coach.SignInAsync(squad.Coach, "board");
            await page.GotoAsync($"/#/athletes/{leo.Id}/plan");
            var proposal = page.Locator($"form[data-proposal='{nextMonday}']");
            await Assertions.Expect(proposal).ToHaveAttributeAsync("data-void", "true");
            await Assertions.Expect(proposal).ToContainTextAsync("Void");
            await Assertions.Expect(proposal).ToContainTextAsync("RF-NIGHT");
            await Assertions.Expect(proposal.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToHaveCountAsync(0);
            await coach.ScreenshotAsync($"plan-void-proposal-{name}");
            if (size is not null)
            {
                await proposal.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
                await Assertions.Expect(page.Locator($"form[data-proposal='{nextMonday}']")).ToHaveCountAsync(0);
            }
            coach.AssertNoScriptErrors();
        }
    }
}
