using System.Text.Json;
using Xunit.Abstractions;

namespace CoachHub.Browser.Tests;

/// <summary>A phone on a poor connection: the run reached the server but the answer never came back.</summary>
[Collection(WebAppGroup.Name)]
public sealed class RetryTests(WebAppServer server, ITestOutputHelper output)
{
    private static ILocator Field(IPage page, string name) => page.Locator($"[data-field='{name}']");

    private static async Task<int> RunsAsync(ApiUser athlete)
    {
        var history = await WebAppServer.GetAsync(athlete.Http(), $"/api/athletes/{athlete.Id}/history?pageSize=100");
        return history.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("kind").GetString() == "run");
    }

    [Fact]
    public async Task Sending_again_after_a_lost_answer_logs_the_run_once()
    {
        var squad = await Seed.SquadAsync(server, "Retry Harriers");
        var maya = squad.Maya;
        var before = await RunsAsync(maya);

        await using var phone = await server.NewPageAsync(output, phone: true);
        var page = phone.Page;
        await phone.SignInAsync(maya, "report");
        var keys = new List<string>();
        var lost = false;
        await page.RouteAsync("**/api/athletes/*/runs", async route =>
        {
            keys.Add(route.Request.Headers.TryGetValue("idempotency-key", out var key) ? key : "");
            if (lost) { await route.ContinueAsync(); return; }
            lost = true;
            // The server logs the run; its answer is lost on the way back.
            await route.FetchAsync();
            await route.AbortAsync("connectionreset");
        });

        await page.GetByLabel("Distance (km)").FillAsync("6.4");
        await page.GetByLabel("Time (minutes)").FillAsync("38");
        await Field(page, "sessionRpe").GetByRole(AriaRole.Radio, new() { Name = "4", Exact = true }).CheckAsync();
        await Field(page, "pain.painNow").GetByRole(AriaRole.Radio, new() { Name = "2 out of 10" }).CheckAsync();
        await Field(page, "pain.worstDuringRun").GetByRole(AriaRole.Radio, new() { Name = "3 out of 10" }).CheckAsync();
        foreach (var flag in new[] { "saddleNumbness", "bladderOrBowelChange", "bothLegsNumbOrWeak", "legWeakness", "feverOrUnwell", "worseAtNight", "unexplainedWeightLoss", "afterFallOrImpact" })
            await Field(page, $"redFlags.{flag}").GetByRole(AriaRole.Radio, new() { Name = "No" }).CheckAsync();

        var send = page.GetByRole(AriaRole.Button, new() { Name = "Send report" });
        await send.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).First).ToBeVisibleAsync();
        Assert.Equal(before + 1, await RunsAsync(maya));

        // The athlete simply sends again: the same key, so the server answers as it did the first time.
        await send.ClickAsync();
        await Assertions.Expect(page.Locator("form")).ToBeHiddenAsync(new() { Timeout = 5_000 });
        Assert.Equal(2, keys.Count);
        Assert.False(string.IsNullOrEmpty(keys[0]));
        Assert.Equal(keys[0], keys[1]);
        Assert.Equal(before + 1, await RunsAsync(maya));
        phone.AssertNoScriptErrors();
    }
}
