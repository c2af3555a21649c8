using System.Net.Http.Json;
using Xunit.Abstractions;

namespace CoachHub.Browser.Tests;

/// <summary>The coach's plan tools: a planned week copied into the next one.</summary>
[Collection(WebAppGroup.Name)]
public sealed class PlanToolsTests(WebAppServer server, ITestOutputHelper output)
{
    [Fact]
    public async Task The_coach_copies_next_weeks_sessions_into_the_week_after()
    {
        var squad = await Seed.SquadAsync(server, "Copy Squad");
        var nextMonday = Seed.Iso(Seed.ThisMonday.AddDays(7));
        var weekAfter = Seed.Iso(Seed.ThisMonday.AddDays(14));
        await using var coach = await server.NewPageAsync(output);
        var page = coach.Page;
        await coach.SignInAsync(squad.Coach, "board");
        await page.GotoAsync($"/#/athletes/{squad.Maya.Id}/plan");
        var next = page.Locator($"section.week[data-week='{nextMonday}']");
        await Assertions.Expect(next.Locator("li[data-session]").First).ToBeVisibleAsync();
        var sessions = await next.Locator("li[data-session]").CountAsync();
        Assert.True(sessions > 0, "next week is planned");
        // This week's card offers no copy: next week is planned already.
        await Assertions.Expect(page.Locator($"section.week[data-week='{Seed.Iso(Seed.ThisMonday)}'] [data-copy-to]")).ToHaveCountAsync(0);

        await next.Locator($"[data-copy-to='{weekAfter}']").ClickAsync();
        var after = page.Locator($"section.week[data-week='{weekAfter}']");
        await Assertions.Expect(after.Locator("li[data-session]")).ToHaveCountAsync(sessions);
        await Assertions.Expect(next.Locator("[data-copy-to]")).ToHaveCountAsync(0);
        await coach.ScreenshotAsync("plan-week-copied", fullPage: false);

        // A session of the week after taken out: asked twice, then gone.
        await after.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Edit .* session$") }).First.ClickAsync();
        await after.GetByRole(AriaRole.Button, new() { Name = "Remove session" }).ClickAsync();
        await after.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Remove the .* session from the plan$") }).ClickAsync();
        await Assertions.Expect(page.Locator($"section.week[data-week='{weekAfter}'] li[data-session]")).ToHaveCountAsync(sessions - 1);
        coach.AssertNoScriptErrors();
    }

    [Fact]
    public async Task The_coach_withdraws_an_invite_code_on_the_squad_page()
    {
        var squad = await Seed.SquadAsync(server, "Housekeeping Squad");
        await using var coach = await server.NewPageAsync(output);
        var page = coach.Page;
        await coach.SignInAsync(squad.Coach, "board");
        await page.GotoAsync("/#/squad");
        var row = page.Locator($".invite-codes li[data-code='{squad.InviteCode}']");
        await Assertions.Expect(row).ToContainTextAsync("used 3 times");
        await row.GetByRole(AriaRole.Button, new() { Name = $"Withdraw code {squad.InviteCode}" }).ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);
        var refused = await server.Http().PostAsJsonAsync("/api/auth/athletes", new
        {
            email = $"late-{Guid.NewGuid():N}@example.com", password = WebAppServer.Password, name = "Late Comer", timeZone = "Europe/Dublin", inviteCode = squad.InviteCode,
        });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        await coach.ScreenshotAsync("squad-code-withdrawn", fullPage: false);
        coach.AssertNoScriptErrors();
    }
}
