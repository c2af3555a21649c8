using Xunit.Abstractions;

namespace CoachHub.Browser.Tests;

/// <summary>The head coach hands the squad to another of its coaches, who can then take the old head coach off.</summary>
[Collection(WebAppGroup.Name)]
public sealed class CoachesTests(WebAppServer server, ITestOutputHelper output)
{
    [Fact]
    public async Task The_head_coach_hands_the_squad_over_and_the_new_head_coach_decides_who_coaches_it()
    {
        var squad = await Seed.SquadAsync(server, "Handover Squad");
        var assistant = await server.CoachAsync("Asha Assistant");
        await WebAppServer.PostAsync(squad.Coach.Http(), $"/api/squads/{squad.SquadId}/coaches", new { email = assistant.Email });

        await using (var head = await server.NewPageAsync(output))
        {
            await head.SignInAsync(squad.Coach, "board");
            await head.Page.GotoAsync($"/#/squad?squad={squad.SquadId}");
            var row = head.Page.Locator($"li[data-coach='{assistant.Id}']");
            await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = "Make head coach" })).ToBeVisibleAsync();
            // The head coach has no button against themselves.
            await Assertions.Expect(head.Page.Locator($"li[data-coach='{squad.Coach.Id}'] button")).ToHaveCountAsync(0);
            await row.GetByRole(AriaRole.Button, new() { Name = "Make head coach" }).ClickAsync();
            await row.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Hand Handover Squad to") }).ClickAsync();
            await Assertions.Expect(head.Page.Locator($"li[data-coach='{assistant.Id}'] .badge")).ToHaveTextAsync("head coach");
            await Assertions.Expect(head.Page.Locator(".coach-list + p[role='status']")).ToContainTextAsync("is the head coach now");
            await head.ScreenshotAsync("coaches-handed-over-desktop", fullPage: false);
            head.AssertNoScriptErrors();
        }

        await using var newHead = await server.NewPageAsync(output, phone: true, size: new ViewportSize { Width = 390, Height = 844 });
        await newHead.SignInAsync(assistant, "board");
        await newHead.Page.GotoAsync($"/#/squad?squad={squad.SquadId}");
        var old = newHead.Page.Locator($"li[data-coach='{squad.Coach.Id}']");
        await old.GetByRole(AriaRole.Button, new() { Name = "Take off" }).ClickAsync();
        await old.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Take .* off: they stop seeing the squad") }).ClickAsync();
        await Assertions.Expect(newHead.Page.Locator(".coach-list > li")).ToHaveCountAsync(1);
        await newHead.ScreenshotAsync("coaches-390x844");
        newHead.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_coach_watching_the_board_sees_at_once_that_the_head_coach_closed_the_squad()
    {
        var squad = await Seed.SquadAsync(server, "Closing Squad");
        var assistant = await server.CoachAsync("Asha Assistant");
        await WebAppServer.PostAsync(squad.Coach.Http(), $"/api/squads/{squad.SquadId}/coaches", new { email = assistant.Email });
        await using var watching = await server.NewPageAsync(output, phone: true, size: new ViewportSize { Width = 390, Height = 844 });
        await watching.SignInAsync(assistant, "board");
        await watching.Page.GotoAsync($"/#/board?squad={squad.SquadId}");
        await Assertions.Expect(watching.Page.Locator("table.board")).ToBeVisibleAsync();
        await Assertions.Expect(watching.Page.Locator("#live")).ToHaveAttributeAsync("data-state", "connected");

        await using (var head = await server.NewPageAsync(output))
        {
            await head.SignInAsync(squad.Coach, "board");
            await head.Page.GotoAsync($"/#/squad?squad={squad.SquadId}");
            await head.Page.GetByRole(AriaRole.Button, new() { Name = "Close this squad" }).ClickAsync();
            await head.Page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Close Closing Squad:") }).ClickAsync();
            // Closed, the head coach is taken back to the board (theirs has no squad left).
            await Assertions.Expect(head.Page.GetByText("You have no squad yet", new() { Exact = false })).ToBeVisibleAsync();
            head.AssertNoScriptErrors();
        }

        await Assertions.Expect(watching.Page.Locator($"[data-closed='{squad.SquadId}']")).ToContainTextAsync("Closing Squad was closed");
        // Its athletes' alerts are no longer this coach's to count.
        await Assertions.Expect(watching.Page.Locator("#inbox-count")).ToBeHiddenAsync();
        await watching.ScreenshotAsync("squad-closed-390x844", fullPage: false);
        watching.AssertNoScriptErrors();
    }
}
