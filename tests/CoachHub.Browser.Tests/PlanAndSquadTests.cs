using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace CoachHub.Browser.Tests;

/// <summary>The coach's plan calendar and squad page: decide on a proposed change, edit a session, invite an athlete.</summary>
[Collection(WebAppGroup.Name)]
public sealed class PlanAndSquadTests(WebAppServer server, ITestOutputHelper output)
{
    [Fact]
    public async Task A_proposed_change_shows_its_rule_ids_and_reasons_and_the_coach_approves_it_then_edits_a_session()
    {
        var squad = await Seed.SquadAsync(server, "Approval Squad");
        var leo = squad.Leo;
        var nextMonday = await Seed.ProposalWaitingAsync(squad, leo);

        await using var coach = await server.NewPageAsync(output);
        var page = coach.Page;
        await coach.SignInAsync(squad.Coach, "board");
        var row = page.Locator($"tr[data-athlete='{leo.Id}']");
        await row.GetByRole(AriaRole.Link, new() { Name = "Change to approve" }).ClickAsync();
        var proposal = page.Locator($"form[data-proposal='{nextMonday}']");
        await Assertions.Expect(proposal).ToContainTextAsync("Proposed change");
        await Assertions.Expect(proposal.Locator(".rule").First).ToBeVisibleAsync();
        await Assertions.Expect(proposal.Locator("ul.reasons li").First).ToBeVisibleAsync();
        // One figure for the week, the proposal's own running (not the old "0.0 km before" of a week planned from nothing).
        var proposed = await WebAppServer.GetAsync(leo.Http(), $"/api/athletes/{leo.Id}/plan?from={nextMonday}&weeks=1");
        string[] running = ["easy", "longRun", "tempo", "intervals", "hills", "race", "walkRun"];
        var meters = proposed.GetProperty("weeks")[0].GetProperty("proposal").GetProperty("to").GetProperty("sessions").EnumerateArray()
            .Where(x => running.Contains(x.GetProperty("type").GetString())).Sum(x => x.TryGetProperty("distanceMeters", out var m) ? m.GetInt32() : 0);
        Assert.True(meters > 0);
        await Assertions.Expect(proposal).ToContainTextAsync($"Running planned this week: {(meters / 1000.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} km");
        await Assertions.Expect(proposal).Not.ToContainTextAsync("Planned distance:");
        await coach.ScreenshotAsync("plan-calendar-proposal");

        await proposal.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(page.Locator($"form[data-proposal='{nextMonday}']")).ToHaveCountAsync(0);
        var approved = await WebAppServer.GetAsync(leo.Http(), $"/api/athletes/{leo.Id}/plan?from={nextMonday}&weeks=1");
        Assert.False(approved.GetProperty("weeks")[0].TryGetProperty("proposal", out _));

        // Edit next week's Sunday long run: 10 km, with a note.
        var week = page.Locator($"section.week[data-week='{nextMonday}']");
        var sunday = week.Locator("li[data-session$='-sun']");
        await sunday.GetByRole(AriaRole.Button).ClickAsync();
        var editor = week.Locator("form.editor");
        await editor.GetByLabel("Distance (km)").FillAsync("10");
        await editor.GetByLabel("Notes for the athlete (optional)").FillAsync("Flat route, please.");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save session" }).ClickAsync();
        await Assertions.Expect(sunday).ToContainTextAsync("10.0 km");
        await Assertions.Expect(sunday).ToContainTextAsync("edited by coach");
        await Assertions.Expect(sunday).ToContainTextAsync("Flat route, please.");
        coach.AssertNoScriptErrors();
    }

    [Fact]
    public async Task The_coach_creates_an_invite_and_its_join_link_signs_a_new_athlete_up_into_the_squad()
    {
        var coachUser = await server.CoachAsync("Ines Inviter");
        await using var coach = await server.NewPageAsync(output);
        var page = coach.Page;
        await coach.SignInAsync(coachUser, "board");
        await page.GetByRole(AriaRole.Link, new() { Name = "Squad & invites" }).ClickAsync();
        // The board offers the same form: wait for this page's own, or the name goes into the board's as it leaves.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create your squad" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("null", new() { Exact = true })).ToHaveCountAsync(0);
        await page.GetByLabel("Squad name").FillAsync("Harbour Harriers");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create squad" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Harbour Harriers: settings & invites" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create invite" }).ClickAsync();
        var code = await page.Locator(".code-box").InnerTextAsync();
        var link = await page.Locator(".link-box").InnerTextAsync();
        Assert.Equal($"{server.Address.ToString().TrimEnd('/')}/join?code={code}", link);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy code" })).ToBeVisibleAsync();
        await coach.ScreenshotAsync("squad-invite", fullPage: false);

        // The week closes on the squad's clock once the coach picks one; it stays picked.
        await page.GetByLabel("on the clock of").SelectOptionAsync("Europe/Dublin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Settings saved.")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByLabel("on the clock of")).ToHaveValueAsync("Europe/Dublin");

        await using var newcomer = await server.NewPageAsync(output, phone: true);
        var phone = newcomer.Page;
        await phone.GotoAsync(link);
        await Assertions.Expect(phone.GetByLabel("Invite code from your coach")).ToHaveValueAsync(code);
        await Assertions.Expect(phone.GetByRole(AriaRole.Radio, new() { Name = "An athlete" })).ToBeCheckedAsync();
        await phone.GetByLabel("Your name").FillAsync("Nora Newcomer");
        await phone.GetByLabel("Email").FillAsync($"nora-{Guid.NewGuid():N}@example.com");
        await phone.GetByLabel("Password").FillAsync(WebAppServer.Password);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(phone).ToHaveURLAsync(new Regex("#/report$"));
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Post-run report" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Squad board" }).ClickAsync();
        await Assertions.Expect(page.Locator("table.board td.cell-main", new() { HasText = "Nora Newcomer" })).ToBeVisibleAsync();
        coach.AssertNoScriptErrors();
        newcomer.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_page_that_loads_late_never_replaces_the_page_the_coach_moved_on_to()
    {
        var coachUser = await server.CoachAsync("Lena Latecomer");
        await using var coach = await server.NewPageAsync(output);
        var page = coach.Page;
        // The board's squad list answers late, as from a busy server: by then the coach is on the squad page.
        var late = true;
        await page.RouteAsync("**/api/squads", async route =>
        {
            if (route.Request.Method == "GET" && late)
            {
                late = false;
                await Task.Delay(1_500);
            }
            await route.ContinueAsync();
        });
        await coach.SignInAsync(coachUser, "board");
        await page.GetByRole(AriaRole.Link, new() { Name = "Squad & invites" }).ClickAsync();
        await page.GetByLabel("Squad name").FillAsync("Late Larks");
        await Task.Delay(2_000);
        await Assertions.Expect(page.GetByLabel("Squad name")).ToHaveValueAsync("Late Larks");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create squad" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Late Larks: settings & invites" })).ToBeVisibleAsync();
        coach.AssertNoScriptErrors();
    }
}
