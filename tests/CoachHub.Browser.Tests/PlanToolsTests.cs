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

        // A new session's effort follows its type until the coach picks one: a tempo is moderate, not easy.
        await after.GetByRole(AriaRole.Button, new() { Name = "Add a session" }).ClickAsync();
        var editor = after.Locator("form.editor");
        await editor.Locator("select[name='type']").SelectOptionAsync("tempo");
        await Assertions.Expect(editor.Locator("select[name='intensity']")).ToHaveValueAsync("moderate");
        await editor.Locator("select[name='type']").SelectOptionAsync("easy");
        await Assertions.Expect(editor.Locator("select[name='intensity']")).ToHaveValueAsync("easy");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        // A session of the week after taken out: asked twice, then gone.
        await after.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Edit .* session$") }).First.ClickAsync();
        await after.GetByRole(AriaRole.Button, new() { Name = "Remove session" }).ClickAsync();
        await after.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Remove the .* session from the plan$") }).ClickAsync();
        await Assertions.Expect(page.Locator($"section.week[data-week='{weekAfter}'] li[data-session]")).ToHaveCountAsync(sessions - 1);
        coach.AssertNoScriptErrors();
    }

    [Fact]
    public async Task The_coach_saves_a_week_as_a_template_plans_another_athletes_week_from_it_and_deletes_it()
    {
        var squad = await Seed.SquadAsync(server, "Template Squad");
        var nextMonday = Seed.Iso(Seed.ThisMonday.AddDays(7));
        var weekAfter = Seed.Iso(Seed.ThisMonday.AddDays(14));
        await using var coach = await server.NewPageAsync(output);
        var page = coach.Page;
        await coach.SignInAsync(squad.Coach, "board");
        await page.GotoAsync($"/#/athletes/{squad.Maya.Id}/plan");
        var next = page.Locator($"section.week[data-week='{nextMonday}']");
        await Assertions.Expect(next.Locator("li[data-session]").First).ToBeVisibleAsync();
        var sessions = await next.Locator("li[data-session]").CountAsync();
        await next.GetByRole(AriaRole.Button, new() { Name = "Save as template" }).ClickAsync();
        await next.GetByLabel(new System.Text.RegularExpressions.Regex("^Template name")).FillAsync("Base week");
        await next.GetByRole(AriaRole.Button, new() { Name = "Save template" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-notice='plan']")).ToContainTextAsync("Saved \"Base week\" as a template");
        // The same name again is refused beside the field.
        await page.Locator($"section.week[data-week='{nextMonday}']").GetByRole(AriaRole.Button, new() { Name = "Save as template" }).ClickAsync();
        await page.Locator($"section.week[data-week='{nextMonday}']").GetByLabel(new System.Text.RegularExpressions.Regex("^Template name")).FillAsync("base week");
        await page.Locator($"section.week[data-week='{nextMonday}']").GetByRole(AriaRole.Button, new() { Name = "Save template" }).ClickAsync();
        await Assertions.Expect(page.Locator($"section.week[data-week='{nextMonday}'] .template-form .error").First).ToContainTextAsync("already has a template of this name");

        // Leo's week after next is not planned: planned from the template, the same number of sessions.
        await page.GotoAsync($"/#/athletes/{squad.Leo.Id}/plan");
        var leoWeek = page.Locator($"section.week[data-week='{weekAfter}']");
        await Assertions.Expect(leoWeek.Locator("li[data-session]")).ToHaveCountAsync(0);
        await Assertions.Expect(leoWeek.GetByLabel(new System.Text.RegularExpressions.Regex("from a template$"))).ToContainTextAsync("Base week");
        await leoWeek.GetByRole(AriaRole.Button, new() { Name = "Plan from template" }).ClickAsync();
        await Assertions.Expect(page.Locator($"section.week[data-week='{weekAfter}'] li[data-session]")).ToHaveCountAsync(sessions);
        await coach.ScreenshotAsync("plan-from-template", fullPage: false);

        await page.GotoAsync("/#/squad");
        var listed = page.Locator("section[aria-labelledby='templates-title'] li[data-template]");
        await Assertions.Expect(listed).ToHaveCountAsync(1);
        await Assertions.Expect(listed).ToContainTextAsync($"{sessions} session");
        await listed.GetByRole(AriaRole.Button, new() { Name = "Delete template Base week" }).ClickAsync();
        await listed.GetByRole(AriaRole.Button, new() { Name = "Delete \"Base week\" for good" }).ClickAsync();
        await Assertions.Expect(listed).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("section[aria-labelledby='templates-title']")).ToContainTextAsync("No templates yet.");
        coach.AssertNoScriptErrors();
    }

    [Fact]
    public async Task The_athlete_says_when_they_can_train_and_the_coach_sees_and_changes_it()
    {
        var squad = await Seed.SquadAsync(server, "Availability Squad");
        await using (var athlete = await server.NewPageAsync(output, phone: true, size: new ViewportSize { Width = 390, Height = 844 }))
        {
            var page = athlete.Page;
            await athlete.SignInAsync(squad.Maya, "report");
            await page.GotoAsync("/#/calendar");
            var panel = page.Locator("section[aria-labelledby='availability-title']");
            await Assertions.Expect(panel.GetByRole(AriaRole.Heading, new() { Name = "When you can train" })).ToBeVisibleAsync();
            // Never said: every day is ticked, with no limit.
            await Assertions.Expect(panel.GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(7);
            foreach (var day in new[] { "Monday", "Tuesday", "Thursday", "Friday", "Sunday" })
                await panel.GetByRole(AriaRole.Checkbox, new() { Name = day, Exact = true }).UncheckAsync();
            await Assertions.Expect(panel.GetByLabel("Most minutes on Monday")).ToBeDisabledAsync();
            await panel.GetByLabel("Most minutes on Wednesday").FillAsync("5");
            await panel.GetByRole(AriaRole.Button, new() { Name = "Save the days" }).ClickAsync();
            // Five minutes is too little to plan anything: said beside the day, nothing saved.
            await Assertions.Expect(panel.Locator(".availability-day[data-day='wednesday'] .error")).ToContainTextAsync("between 10 and 600");
            await panel.GetByLabel("Most minutes on Wednesday").FillAsync("45");
            await panel.GetByRole(AriaRole.Button, new() { Name = "Save the days" }).ClickAsync();
            await Assertions.Expect(panel.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved.");
            await athlete.ScreenshotAsync("availability-390x844");
            athlete.AssertNoScriptErrors();
        }

        await using var coach = await server.NewPageAsync(output);
        var plan = coach.Page;
        await coach.SignInAsync(squad.Coach, "board");
        await plan.GotoAsync($"/#/athletes/{squad.Maya.Id}/plan");
        var seen = plan.Locator("section[aria-labelledby='availability-title']");
        await Assertions.Expect(seen.GetByRole(AriaRole.Heading, new() { Name = "When Maya Lindqvist can train" })).ToBeVisibleAsync();
        await Assertions.Expect(seen.GetByRole(AriaRole.Checkbox, new() { Name = "Wednesday", Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(seen.GetByRole(AriaRole.Checkbox, new() { Name = "Tuesday", Exact = true })).Not.ToBeCheckedAsync();
        await Assertions.Expect(seen.GetByLabel("Most minutes on Wednesday")).ToHaveValueAsync("45");
        await seen.GetByRole(AriaRole.Checkbox, new() { Name = "Sunday", Exact = true }).CheckAsync();
        await seen.GetByRole(AriaRole.Button, new() { Name = "Save the days" }).ClickAsync();
        await Assertions.Expect(seen.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved.");
        using var api = squad.Maya.Http();
        var days = (await api.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/athletes/{squad.Maya.Id}/availability")).GetProperty("days");
        Assert.Equal(["wednesday", "saturday", "sunday"], days.EnumerateArray().Select(d => d.GetProperty("day").GetString()));
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
