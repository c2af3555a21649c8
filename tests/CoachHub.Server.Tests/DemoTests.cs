using CoachHub.Testing;
using System.Text.Json;
using CoachHub.Server.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace CoachHub.Server.Tests;

/// <summary>
/// The demo tells the truth: seeded on a Sunday afternoon, the weekly job at 18:00 pauses the one athlete with an
/// open red flag, deloads the one whose pain calls for it, and progresses or holds the rest; the second squad's
/// changes wait for the coach; the invite codes are random.
/// </summary>
public sealed class DemoTests
{
    private const string CoachEmail = "coach@demo.coachhub.app";
    private const string DemoPassword = "demo-password";

    private static async Task<(CoachHubApp App, User Coach)> SeededAsync(DateTimeOffset at)
    {
        var app = new CoachHubApp { Clock = new ManualClock(at), SeedDemo = true };
        await app.InitializeAsync();
        var token = await app.Client().SignInAsync(CoachEmail, DemoPassword);
        return (app, new User(Guid.Empty, CoachEmail, token, app));
    }

    private static async Task<List<(Guid Id, string Name, Guid Squad)>> AthletesAsync(User coach)
    {
        var athletes = new List<(Guid, string, Guid)>();
        foreach (var squad in (await coach.Api.GetOkAsync("/api/squads")).EnumerateArray())
        {
            var squadId = squad.GetProperty("squadId").GetGuid();
            foreach (var row in (await coach.Api.GetOkAsync($"/api/squads/{squadId}/board")).GetProperty("athletes").EnumerateArray())
                athletes.Add((row.GetProperty("athleteId").GetGuid(), row.GetProperty("name").GetString()!, squadId));
        }
        return athletes;
    }

    [Fact]
    public async Task The_weekly_job_pauses_one_deloads_one_and_progresses_or_holds_the_others()
    {
        // Sunday 29 November 2026, 16:00 in Dublin.
        var (app, coach) = await SeededAsync(new DateTimeOffset(2026, 11, 29, 16, 0, 0, TimeSpan.Zero));
        await using var _ = app.AsDisposable();
        var athletes = await AthletesAsync(coach);
        Assert.Equal(12, athletes.Count);
        Assert.Equal(2, athletes.Select(a => a.Squad).Distinct().Count());

        app.Clock!.Now = new DateTimeOffset(2026, 11, 29, 18, 30, 0, TimeSpan.Zero);
        await app.WeeklyAsync();
        var outcomes = new Dictionary<string, string>();
        foreach (var (id, name, _) in athletes)
        {
            var outcome = await app.Db.ScalarAsync<string?>($"""
                select coalesce(data->>'outcome', 'none') from {PostgresDatabase.AllEvents} e
                 where stream_id = 'plan-{id:N}' and type in ('plan.week-adjusted.v1', 'plan.adjustment-proposed.v1') and data->>'weekStart' = '2026-11-30'
                """);
            outcomes[name] = outcome ?? "none";
        }

        var summary = string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}"));
        Assert.Equal("Pause", outcomes["Aoife Byrne"]);
        Assert.Equal("Deload", outcomes["Ben Okafor"]);
        Assert.True(outcomes.Count(o => o.Value == "Pause") == 1, summary);
        Assert.True(outcomes.Count(o => o.Value == "Deload") == 1, summary);
        Assert.True(outcomes.Where(o => o.Key is not "Aoife Byrne" and not "Ben Okafor").All(o => o.Value is "Progress" or "Hold"), summary);
        Assert.True(outcomes.Count(o => o.Value == "Progress") >= 3, summary);
    }

    [Fact]
    public async Task A_fresh_start_midweek_changes_nothing_shows_one_red_flag_and_leaves_proposals_to_approve_and_reject()
    {
        // Wednesday 25 November 2026, 10:00 in Dublin.
        var (app, coach) = await SeededAsync(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        await using var _ = app.AsDisposable();
        var before = await app.EventCountAsync();
        await app.WeeklyAsync();
        Assert.Equal(before, await app.EventCountAsync());

        var rows = new List<JsonElement>();
        foreach (var squad in (await coach.Api.GetOkAsync("/api/squads")).EnumerateArray())
            rows.AddRange((await coach.Api.GetOkAsync($"/api/squads/{squad.GetProperty("squadId").GetGuid()}/board")).GetProperty("athletes").EnumerateArray());
        var red = Assert.Single(rows, r => r.GetProperty("status").GetString() == "red");
        Assert.Equal("Aoife Byrne", red.GetProperty("name").GetString());

        var waiting = rows.Where(r => r.GetProperty("adjustmentWaiting").GetBoolean()).Select(r => r.GetProperty("athleteId").GetGuid()).ToList();
        Assert.Equal(2, waiting.Count);
        await coach.Api.PostOkAsync($"/api/athletes/{waiting[0]}/plan/weeks/2026-11-23/approve", new { });
        await coach.Api.PostOkAsync($"/api/athletes/{waiting[1]}/plan/weeks/2026-11-23/reject", new { reason = "trying the demo" });

        // Aoife's running this week is suspended from her red flag on.
        var aoife = red.GetProperty("athleteId").GetGuid();
        var week = (await coach.Api.GetOkAsync($"/api/athletes/{aoife}/plan?from=2026-11-23&weeks=1")).GetProperty("weeks")[0];
        Assert.NotEqual(0, week.GetProperty("suspended").GetArrayLength());

        // The invite code for newcomers is random: 8 characters, no constant.
        var codes = await app.Db.ScalarAsync<string>("select string_agg(code, ',') from proj_coaching.invites");
        Assert.All(codes.Split(','), c => Assert.Matches("^[A-HJ-NP-Z2-9]{8}$", c));
    }
}

internal static class AppDisposal
{
    public static IAsyncDisposable AsDisposable(this CoachHubApp app) => new Disposer(app);

    private sealed class Disposer(CoachHubApp app) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
