using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CoachHub.Browser.Tests;

/// <summary>
/// An operator signs in to the operations page and rebuilds the read model, following it to the end, and sends
/// again or discards the live messages that failed every retry.
/// </summary>
[Collection(WebAppGroup.Name)]
public sealed class OperationsPageTests(WebAppServer server, ITestOutputHelper output)
{
    [Fact]
    public async Task An_admin_lands_on_operations_confirms_and_rebuilds_the_read_model_and_sees_it_done()
    {
        await Seed.SquadAsync(server, "Quay Striders");
        var admin = await server.AdminAsync("Oona Operator");
        await using var browser = await server.NewPageAsync(output);
        var page = browser.Page;
        await browser.SignInAsync(admin, "operations");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Operations", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Operations" })).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(page.GetByText("No rebuilds yet.")).ToBeVisibleAsync();

        // Writes wait while it runs: the operator says they know before it starts.
        await page.GetByRole(AriaRole.Button, new() { Name = "Rebuild now" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-field='confirm'] .error")).ToContainTextAsync("Tick this to confirm");
        await page.GetByLabel("I understand that writes wait while it runs").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Rebuild now" }).ClickAsync();

        var row = page.Locator("tr[data-state='done']");
        await Assertions.Expect(row).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(row).ToContainTextAsync("Oona Operator");
        await Assertions.Expect(row).ToContainTextAsync(" of ");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Rebuild now" })).ToBeEnabledAsync();
        await browser.ScreenshotAsync("operations-rebuilt");

        // A coach's pages are not the operator's: they are sent back to operations.
        await page.GotoAsync("/#/board");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("#/operations$"));
        browser.AssertNoScriptErrors();
    }

    [Fact]
    public async Task An_admin_sends_again_a_live_message_that_failed_and_discards_another()
    {
        var coach = await server.CoachAsync("Dara Coach");
        var squadId = (await WebAppServer.PostAsync(coach.Http(), "/api/squads", new { name = "Harbour Milers" })).GetProperty("squadId").GetGuid();
        var code = (await WebAppServer.PostAsync(coach.Http(), $"/api/squads/{squadId}/invites", new { })).GetProperty("code").GetString()!;
        var athlete = await server.AthleteAsync("Nia Walsh", code);
        var admin = await server.AdminAsync("Oisin Operator");
        var report = new
        {
            pain = new { painNow = 1 },
            redFlags = new
            {
                saddleNumbness = false, bladderOrBowelChange = false, bothLegsNumbOrWeak = false, legWeakness = false,
                feverOrUnwell = false, worseAtNight = false, unexplainedWeightLoss = false, afterFallOrImpact = false,
            },
        };
        // While the fan-out cannot read who coaches the athlete, the news of two reports fails every retry.
        await server.Db.ExecuteAsync("alter table proj_coaching.squad_members rename to squad_members_away");
        try
        {
            await WebAppServer.PostAsync(athlete.Http(), $"/api/athletes/{athlete.Id}/reports", report);
            await WebAppServer.PostAsync(athlete.Http(), $"/api/athletes/{athlete.Id}/reports", report);
            await CoachHub.Testing.Eventually.TrueAsync(async () =>
                    (await WebAppServer.GetAsync(admin.Http(), "/api/admin/dead-letters")).GetProperty("total").GetInt32() >= 2,
                TimeSpan.FromSeconds(40), "both reports' news to be dead letters");
        }
        finally
        {
            await server.Db.ExecuteAsync("alter table proj_coaching.squad_members_away rename to squad_members");
        }

        await using var browser = await server.NewPageAsync(output);
        var page = browser.Page;
        await browser.SignInAsync(admin, "operations");
        var rows = page.Locator("tr[data-dead-letter]");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();
        // Two reports' news, and a finding's if one raised it.
        var count = await rows.CountAsync();
        Assert.True(count >= 2, $"{count} dead letters listed");
        await Assertions.Expect(rows.Filter(new() { HasText = "Post-run report" })).ToHaveCountAsync(2);
        await Assertions.Expect(rows.First).ToContainTextAsync("squad_members");
        await rows.Nth(0).GetByRole(AriaRole.Button, new() { Name = "Send again" }).ClickAsync();
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("Sending again");
        for (var i = 1; i < count; i++)
        {
            await rows.Nth(i).GetByRole(AriaRole.Button, new() { Name = "Discard" }).ClickAsync();
            await Assertions.Expect(rows.Nth(i)).ToContainTextAsync("Discarded");
        }
        await browser.ScreenshotAsync("operations-dead-letters");

        // A node takes the replayed one within seconds and the page reads the list again. A letter that failed a little
        // later (a report's finding, on its own queue) is discarded as it shows, until nothing is left.
        var nothing = page.GetByText("Nothing waiting: every live message was sent.");
        for (var tries = 0; tries < 30 && !await nothing.IsVisibleAsync(); tries++)
        {
            var discard = page.Locator("tr[data-dead-letter] button:enabled").Filter(new() { HasText = "Discard" });
            if (await discard.CountAsync() > 0) await discard.First.ClickAsync();
            await Task.Delay(1_000);
        }
        await Assertions.Expect(nothing).ToBeVisibleAsync(new() { Timeout = 30_000 });
        browser.AssertNoScriptErrors();
    }
}
