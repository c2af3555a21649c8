using System.Net;
using System.Text.Json;
using CoachHub.Server.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace CoachHub.Server.Tests;

/// <summary>
/// A red flag over HTTP: from the report's acceptance the rest of the week's running (the coach's own sessions
/// included) is shown suspended, no running can be planned, and a proposal made before it cannot be approved.
/// The clock is Wednesday 25 November 2026, 10:00 in Dublin (UTC+0).
/// </summary>
public sealed class PauseTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Wednesday = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly ThisMonday = new(2026, 11, 23);
    private readonly CoachHubApp _app = new() { Clock = new ManualClock(Wednesday) };

    public Task InitializeAsync() => _app.InitializeAsync();
    public Task DisposeAsync() => _app.DisposeAsync();

    private static object Run(string id, DateOnly date, string type, int meters) =>
        new { sessionId = id, date, type, intensity = type == "tempo" ? "hard" : "easy", distanceMeters = meters, durationSeconds = (int?)null, description = type, exercises = Array.Empty<string>() };

    private static readonly string[] Swimming = ["swimming"];

    private static readonly object NightPain = new
    {
        saddleNumbness = false, bladderOrBowelChange = false, bothLegsNumbOrWeak = false, legWeakness = false,
        feverOrUnwell = false, worseAtNight = true, unexplainedWeightLoss = false, afterFallOrImpact = false,
    };

    private async Task<(User Coach, Guid SquadId, User Athlete)> PlannedAsync(bool approval = false)
    {
        var (coach, squadId, code) = await _app.SquadAsync();
        if (approval) await coach.Api.PutOkAsync($"/api/squads/{squadId}/settings", new { adjustmentsNeedApproval = true });
        var athlete = await _app.AthleteAsync(code);
        await coach.Api.PostOkAsync($"/api/athletes/{athlete.Id}/plan", new { goal = "10k", startDate = ThisMonday, weeklyDistanceMeters = 20_000 });
        await coach.Api.PutOkAsync($"/api/athletes/{athlete.Id}/plan/weeks/{ThisMonday:yyyy-MM-dd}", new
        {
            sessions = new[] { Run("thu", ThisMonday.AddDays(3), "easy", 6_000), Run("sat", ThisMonday.AddDays(5), "longRun", 9_000) },
        });
        // The coach's own edit: a tempo on Thursday instead of the easy run.
        await coach.Api.PutOkAsync($"/api/athletes/{athlete.Id}/plan/weeks/{ThisMonday:yyyy-MM-dd}/sessions/thu", Run("thu", ThisMonday.AddDays(3), "tempo", 6_000));
        return (coach, squadId, athlete);
    }

    /// <summary>Sign-ins last 12 hours: after the clock jumps, sign in again.</summary>
    private async Task<User> AgainAsync(User user) => user with { Token = await _app.Client().SignInAsync(user.Email, CoachHubApp.Password) };

    private static JsonElement Week(JsonElement calendar) => calendar.GetProperty("weeks")[0];

    [Fact]
    public async Task From_the_red_flag_on_every_running_session_of_the_week_is_suspended_and_kept()
    {
        var (coach, _, athlete) = await PlannedAsync();
        await coach.Api.PutOkAsync($"/api/athletes/{athlete.Id}/plan/weeks/{ThisMonday.AddDays(7):yyyy-MM-dd}", new
        {
            sessions = new[] { Run("next-tue", ThisMonday.AddDays(8), "easy", 6_000) },
        });
        await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/reports", Bodies.Report(5, 6, NightPain));

        var week = Week(await coach.Api.GetOkAsync($"/api/athletes/{athlete.Id}/plan?from={ThisMonday:yyyy-MM-dd}&weeks=1"));
        Assert.Equal(2, week.GetProperty("sessions").GetArrayLength());
        var suspended = week.GetProperty("suspended").EnumerateArray().ToList();
        Assert.Equal(["thu", "sat"], suspended.Select(s => s.GetProperty("sessionId").GetString()));
        Assert.All(suspended, s => Assert.Equal("RF-NIGHT", s.GetProperty("ruleId").GetString()));

        var dashboard = await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/dashboard");
        Assert.Equal(2, dashboard.GetProperty("thisWeek").GetProperty("suspended").GetArrayLength());
        Assert.Equal(0, dashboard.GetProperty("thisWeek").GetProperty("plannedMeters").GetInt32());

        // Later weeks too, until clearance.
        var later = Week(await coach.Api.GetOkAsync($"/api/athletes/{athlete.Id}/plan?from={ThisMonday.AddDays(7):yyyy-MM-dd}&weeks=1"));
        Assert.Equal("next-tue", Assert.Single(later.GetProperty("suspended").EnumerateArray()).GetProperty("sessionId").GetString());
    }

    [Fact]
    public async Task While_paused_a_running_session_is_refused_with_409_naming_the_finding_and_cross_training_is_not()
    {
        var (coach, _, athlete) = await PlannedAsync();
        await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/reports", Bodies.Report(5, 6, NightPain));
        var before = await _app.EventCountAsync();

        var refused = await coach.Api.SendAsync(HttpMethod.Put, $"/api/athletes/{athlete.Id}/plan/weeks/{ThisMonday:yyyy-MM-dd}/sessions/sat",
            JsonSerializer.Serialize(Run("sat", ThisMonday.AddDays(5), "longRun", 12_000), JsonSerializerOptions.Web));
        var problem = await ApiClient.ProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Equal("plan.running-paused", problem.GetProperty("code").GetString());
        Assert.Equal("RF-NIGHT", problem.GetProperty("ruleId").GetString());
        Assert.StartsWith("RF-NIGHT:", problem.GetProperty("findingId").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await _app.EventCountAsync());

        var newWeek = await coach.Api.SendAsync(HttpMethod.Put, $"/api/athletes/{athlete.Id}/plan/weeks/{ThisMonday.AddDays(14):yyyy-MM-dd}",
            JsonSerializer.Serialize(new { sessions = new[] { Run("x", ThisMonday.AddDays(15), "easy", 5_000) } }, JsonSerializerOptions.Web));
        await ApiClient.ProblemAsync(newWeek, HttpStatusCode.Conflict);

        await coach.Api.PutOkAsync($"/api/athletes/{athlete.Id}/plan/weeks/{ThisMonday:yyyy-MM-dd}/sessions/sat", new
        {
            sessionId = "sat", date = ThisMonday.AddDays(5), type = "crossTraining", intensity = "easy", distanceMeters = (int?)null,
            durationSeconds = 2_400, description = "Swim, easy", exercises = Swimming,
        });
    }

    [Fact]
    public async Task Clearance_restores_the_suspended_sessions()
    {
        var (coach, _, athlete) = await PlannedAsync();
        await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/reports", Bodies.Report(5, 6, NightPain));
        _app.Clock!.Now = Wednesday.AddHours(20); // Thursday 06:00
        coach = await AgainAsync(coach);
        await coach.Api.PostOkAsync($"/api/athletes/{athlete.Id}/clearance", new { assessedBy = "Dr A. Murphy, GP", assessedOn = ThisMonday.AddDays(3) });

        var week = Week(await coach.Api.GetOkAsync($"/api/athletes/{athlete.Id}/plan?from={ThisMonday:yyyy-MM-dd}&weeks=1"));
        Assert.Equal(0, week.GetProperty("suspended").GetArrayLength());
    }

    [Fact]
    public async Task A_clearance_dated_before_the_red_flag_is_a_400_naming_assessedOn_and_clears_nothing()
    {
        var (coach, _, athlete) = await PlannedAsync();
        await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/reports", Bodies.Report(5, 6, NightPain));
        var before = await _app.EventCountAsync();
        foreach (var day in new[] { "0001-01-01", "2026-11-24" })
        {
            var refused = await coach.Api.SendAsync(HttpMethod.Post, $"/api/athletes/{athlete.Id}/clearance",
                "{\"assessedBy\":\"Dr A. Murphy, GP\",\"assessedOn\":\"" + day + "\"}");
            var problem = await ApiClient.ProblemAsync(refused, HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("assessedOn", out _), day);
        }
        Assert.Equal(before, await _app.EventCountAsync());
        var week = Week(await coach.Api.GetOkAsync($"/api/athletes/{athlete.Id}/plan?from={ThisMonday:yyyy-MM-dd}&weeks=1"));
        Assert.NotEqual(0, week.GetProperty("suspended").GetArrayLength());
    }

    [Fact]
    public async Task A_proposal_made_before_the_red_flag_is_void_and_approving_it_is_a_409()
    {
        var (coach, _, athlete) = await PlannedAsync(approval: true);
        _app.Clock!.Now = new DateTimeOffset(2026, 11, 29, 18, 30, 0, TimeSpan.Zero);
        await _app.WeeklyAsync();
        (coach, athlete) = (await AgainAsync(coach), await AgainAsync(athlete));
        var next = ThisMonday.AddDays(7);
        Assert.Equal(JsonValueKind.Object, Week(await coach.Api.GetOkAsync($"/api/athletes/{athlete.Id}/plan?from={next:yyyy-MM-dd}&weeks=1")).GetProperty("proposal").ValueKind);

        _app.Clock.Now = _app.Clock.Now.AddHours(1);
        await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/reports", Bodies.Report(5, 6, NightPain));

        var week = Week(await coach.Api.GetOkAsync($"/api/athletes/{athlete.Id}/plan?from={next:yyyy-MM-dd}&weeks=1"));
        Assert.Equal("RF-NIGHT", week.GetProperty("proposalVoidedBy").GetProperty("ruleId").GetString());
        var approve = await coach.Api.SendAsync(HttpMethod.Post, $"/api/athletes/{athlete.Id}/plan/weeks/{next:yyyy-MM-dd}/approve", "{}");
        var problem = await ApiClient.ProblemAsync(approve, HttpStatusCode.Conflict);
        Assert.Equal("plan.proposal-void", problem.GetProperty("code").GetString());
        Assert.Equal("RF-NIGHT", problem.GetProperty("ruleId").GetString());

        // Rejecting clears it away.
        await coach.Api.PostOkAsync($"/api/athletes/{athlete.Id}/plan/weeks/{next:yyyy-MM-dd}/reject", new { reason = "red flag" });
    }
}
