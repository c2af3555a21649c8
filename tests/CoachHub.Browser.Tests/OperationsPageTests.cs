using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CoachHub.Browser.Tests;

/// <summary>An operator signs in to the operations page and rebuilds the read model, following it to the end.</summary>
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
        await page.WaitForURLAsync("**/#/operations");
        browser.AssertNoScriptErrors();
    }
}
