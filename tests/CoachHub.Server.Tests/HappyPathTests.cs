using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;
using Microsoft.Extensions.DependencyInjection;

namespace CoachHub.Server.Tests;

/// <summary>On a Wednesday (MidweekApp): "yesterday" is in the week the board shows.</summary>
public sealed class HappyPathTests(MidweekApp app) : IClassFixture<MidweekApp>
{
    private DateTimeOffset Yesterday => app.Now.AddDays(-1);

    [Fact]
    public async Task A_coach_signs_up_signs_in_and_sees_who_they_are_with_a_token_or_a_cookie()
    {
        var coach = await app.CoachAsync("Cora Coach");
        var me = await coach.Api.GetOkAsync("/api/me");
        Assert.Equal("coach", me.GetProperty("role").GetString());
        Assert.Equal(coach.Id, me.GetProperty("userId").GetGuid());

        // The web app signs in with a cookie instead of a token.
        var browser = app.Anonymous();
        var signIn = await browser.PostAsJsonAsync("/api/auth/signin?useCookies=true", new { email = coach.Email, password = CoachHubApp.Password });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("coachhub=", StringComparison.Ordinal));
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(request)).StatusCode);

        var stranger = app.Anonymous();
        var wrong = await stranger.PostAsJsonAsync("/api/auth/signin", new { email = coach.Email, password = "not the password" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/me")).StatusCode);
        await browser.PostAsync("/api/auth/signout", null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task A_coach_runs_a_squad_and_an_athlete_joins_with_the_invite_code()
    {
        var (coach, squadId, code) = await app.SquadAsync("Morning Milers");
        var squads = await coach.Api.GetOkAsync("/api/squads");
        Assert.Equal("Morning Milers", Assert.Single(squads.EnumerateArray()).GetProperty("name").GetString());

        var renamed = await coach.Api.Http.PutAsJsonAsync($"/api/squads/{squadId}/name", new { name = "Dawn Patrol" });
        await ApiClient.OkAsync(renamed);
        var settings = await coach.Api.PutOkAsync($"/api/squads/{squadId}/settings", new { deloadEveryBuildWeeks = 5, adjustmentsNeedApproval = true, units = "miles" });
        Assert.Equal(5, settings.GetProperty("deloadEveryBuildWeeks").GetInt32());
        Assert.Equal("miles", settings.GetProperty("units").GetString());

        // One athlete signs up with the code; another, already registered, joins with it.
        var ana = await app.AthleteAsync(code, "Ana Runner");
        var ben = await app.AthleteAsync(null, "Ben Runner");
        var joined = await ben.Api.PostOkAsync("/api/squads/join", new { inviteCode = code.ToLowerInvariant() });
        Assert.Equal(squadId, joined.GetProperty("squadId").GetGuid());

        var board = await coach.Api.GetOkAsync($"/api/squads/{squadId}/board");
        Assert.Equal("Dawn Patrol", board.GetProperty("name").GetString());
        Assert.Equal(["Ana Runner", "Ben Runner"], board.GetProperty("athletes").EnumerateArray().Select(a => a.GetProperty("name").GetString()!).Order());
        Assert.All(board.GetProperty("athletes").EnumerateArray(), a => Assert.Equal("green", a.GetProperty("status").GetString()));
        Assert.Contains(ana.Id, board.GetProperty("athletes").EnumerateArray().Select(a => a.GetProperty("athleteId").GetGuid()));
    }

    [Fact]
    public async Task A_red_flag_report_reaches_the_board_and_inbox_with_advice_and_the_coach_acknowledges_and_clears()
    {
        var (coach, squadId, code) = await app.SquadAsync();
        var calm = await app.AthleteAsync(code, "Calm Carl");
        var ana = await app.AthleteAsync(code, "Ana Runner");
        await calm.Api.PostOkAsync($"/api/athletes/{calm.Id}/reports", Bodies.Report(1, 1));

        var run = await ana.Api.PostOkAsync($"/api/athletes/{ana.Id}/runs", Bodies.Run(Yesterday));
        var report = await ana.Api.PostOkAsync($"/api/athletes/{ana.Id}/reports", Bodies.SaddleNumbnessReport);

        var finding = Assert.Single(report.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "RF-SADDLE");
        Assert.Equal("emergency", finding.GetProperty("severity").GetString());
        Assert.Contains("emergency", finding.GetProperty("recommendedAction").GetString()!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("not medical advice", report.GetProperty("disclaimer").GetString()!, StringComparison.Ordinal);
        Assert.NotEqual(Guid.Empty, run.GetProperty("runId").GetGuid());

        var board = await coach.Api.GetOkAsync($"/api/squads/{squadId}/board");
        var top = board.GetProperty("athletes")[0];
        Assert.Equal("Ana Runner", top.GetProperty("name").GetString());
        Assert.Equal("red", top.GetProperty("status").GetString());
        Assert.Equal("RF-SADDLE", top.GetProperty("worstRule").GetString());
        Assert.Equal(8_000, top.GetProperty("doneMeters").GetInt32());

        var inbox = await coach.Api.GetOkAsync("/api/inbox");
        var alert = inbox.EnumerateArray().First();
        Assert.Equal("RF-SADDLE", alert.GetProperty("ruleId").GetString());
        Assert.Equal(JsonValueKind.Null, alert.TryGetProperty("acknowledgedAt", out var ack) ? ack.ValueKind : JsonValueKind.Null);
        var findingId = alert.GetProperty("findingId").GetString()!;

        await coach.Api.PostOkAsync($"/api/athletes/{ana.Id}/findings/{Uri.EscapeDataString(findingId)}/acknowledge", new { note = "Called her; she is at the ED." });
        inbox = await coach.Api.GetOkAsync("/api/inbox");
        Assert.NotEqual(JsonValueKind.Null, inbox.EnumerateArray().Single(a => a.GetProperty("findingId").GetString() == findingId).GetProperty("acknowledgedAt").ValueKind);

        var cleared = await coach.Api.PostOkAsync($"/api/athletes/{ana.Id}/clearance", new { assessedBy = "Dr Byrne, emergency department", assessedOn = app.Today });
        Assert.True(cleared.GetProperty("resolved").GetInt32() >= 1);
        board = await coach.Api.GetOkAsync($"/api/squads/{squadId}/board");
        Assert.NotEqual("red", board.GetProperty("athletes").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "Ana Runner").GetProperty("status").GetString());
        Assert.DoesNotContain((await coach.Api.GetOkAsync("/api/inbox")).EnumerateArray(), a => a.GetProperty("findingId").GetString() == findingId);
    }

    [Fact]
    public async Task An_athletes_own_views_reflect_a_write_at_once()
    {
        var (coach, _, code) = await app.SquadAsync();
        var ana = await app.AthleteAsync(code);
        var shoe = await ana.Api.PostOkAsync($"/api/athletes/{ana.Id}/shoes", new { name = "Pegasus 41", startingDistanceMeters = 100_000 });
        var shoeId = shoe.GetProperty("shoeId").GetGuid();
        await ana.Api.PostOkAsync($"/api/athletes/{ana.Id}/runs", new { startedAt = Yesterday, distanceMeters = 10_000, durationSeconds = 3_300, workout = "longRun", surface = "trail", sessionRpe = 5, shoeId });
        await ana.Api.PostOkAsync($"/api/athletes/{ana.Id}/reports", Bodies.Report(2, 3));

        var dashboard = await ana.Api.GetOkAsync($"/api/athletes/{ana.Id}/dashboard");
        Assert.Equal(110_000, dashboard.GetProperty("shoes")[0].GetProperty("meters").GetInt32());
        Assert.Equal(10_000, dashboard.GetProperty("weeks").EnumerateArray().Sum(w => w.GetProperty("doneMeters").GetInt32()));
        Assert.Equal(12, dashboard.GetProperty("weeks").GetArrayLength());
        Assert.Equal(2, dashboard.GetProperty("pain")[0].GetProperty("painNow").GetInt32());
        Assert.True(dashboard.GetProperty("acuteChronic").GetProperty("acute").GetDouble() > 0);
        Assert.Contains("not medical advice", dashboard.GetProperty("disclaimer").GetString()!, StringComparison.Ordinal);

        var history = await ana.Api.GetOkAsync($"/api/athletes/{ana.Id}/history?page=1&pageSize=1");
        Assert.Equal(2, history.GetProperty("total").GetInt64());
        Assert.Single(history.GetProperty("items").EnumerateArray());
        var second = await ana.Api.GetOkAsync($"/api/athletes/{ana.Id}/history?page=2&pageSize=1");
        Assert.NotEqual(history.GetProperty("items")[0].GetProperty("id").GetGuid(), second.GetProperty("items")[0].GetProperty("id").GetGuid());

        await ana.Api.PostOkAsync($"/api/athletes/{ana.Id}/shoes/{shoeId}/retire", new { });
        dashboard = await coach.Api.GetOkAsync($"/api/athletes/{ana.Id}/dashboard");
        Assert.True(dashboard.GetProperty("shoes")[0].GetProperty("retired").GetBoolean());
    }

    [Fact]
    public async Task A_coach_plans_edits_and_decides_on_a_proposed_adjustment()
    {
        var (coach, squadId, code) = await app.SquadAsync();
        await coach.Api.PutOkAsync($"/api/squads/{squadId}/settings", new { adjustmentsNeedApproval = true });
        var ana = await app.AthleteAsync(code);
        var monday = TrainingCalendar.WeekStartOf(app.Today).AddDays(7);

        await coach.Api.PostOkAsync($"/api/athletes/{ana.Id}/plan", new { goal = "Dublin 10k", startDate = monday, weeklyDistanceMeters = 20_000 });
        var week = new[]
        {
            Session("tue", monday.AddDays(1), "easy", 6_000),
            Session("thu", monday.AddDays(3), "tempo", 7_000),
            Session("sun", monday.AddDays(6), "longRun", 10_000),
        };
        await coach.Api.PutOkAsync($"/api/athletes/{ana.Id}/plan/weeks/{monday:yyyy-MM-dd}", new { sessions = week });
        var edited = await coach.Api.PutOkAsync($"/api/athletes/{ana.Id}/plan/weeks/{monday:yyyy-MM-dd}/sessions/thu",
            Session("thu", monday.AddDays(3), "easy", 5_000));
        Assert.Equal(5_000, edited.GetProperty("sessions").EnumerateArray().Single(s => s.GetProperty("sessionId").GetString() == "thu").GetProperty("distanceMeters").GetInt32());

        var calendar = await ana.Api.GetOkAsync($"/api/athletes/{ana.Id}/plan?from={monday:yyyy-MM-dd}&weeks=2");
        Assert.Equal("Dublin 10k", calendar.GetProperty("goal").GetString());
        Assert.Equal(["thu"], calendar.GetProperty("weeks")[0].GetProperty("editedSessionIds").EnumerateArray().Select(e => e.GetString()));

        // The weekly job's command, through the same pipeline: the squad wants approval, so it is a proposal.
        await ProposeAsync(ana.Id, monday.AddDays(7), squadId);
        calendar = await coach.Api.GetOkAsync($"/api/athletes/{ana.Id}/plan?from={monday.AddDays(7):yyyy-MM-dd}&weeks=1");
        var proposal = calendar.GetProperty("weeks")[0].GetProperty("proposal");
        Assert.NotEmpty(proposal.GetProperty("ruleIds").EnumerateArray());
        var board = await coach.Api.GetOkAsync($"/api/squads/{squadId}/board");
        Assert.True(board.GetProperty("athletes")[0].GetProperty("adjustmentWaiting").GetBoolean());

        var approved = await coach.Api.PostOkAsync($"/api/athletes/{ana.Id}/plan/weeks/{monday.AddDays(7):yyyy-MM-dd}/approve", new { });
        Assert.NotEmpty(approved.GetProperty("sessions").EnumerateArray());
        // An applied change can still be rejected: the week goes back to what it was before (here: nothing planned).
        var rejected = await coach.Api.PostOkAsync($"/api/athletes/{ana.Id}/plan/weeks/{monday.AddDays(7):yyyy-MM-dd}/reject", new { reason = "too much" });
        Assert.Empty(rejected.GetProperty("sessions").EnumerateArray());
        var events = await app.EventCountAsync();
        await coach.Api.PostOkAsync($"/api/athletes/{ana.Id}/plan/weeks/{monday.AddDays(7):yyyy-MM-dd}/reject", new { reason = "double click" });
        Assert.Equal(events, await app.EventCountAsync());
        var approveAgain = await coach.Api.Http.PostAsJsonAsync($"/api/athletes/{ana.Id}/plan/weeks/{monday.AddDays(7):yyyy-MM-dd}/approve", new { });
        Assert.Equal("plan.no-pending-adjustment", (await ApiClient.ProblemAsync(approveAgain, HttpStatusCode.BadRequest)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Rejecting_a_proposal_keeps_the_week_the_coach_had()
    {
        var (coach, squadId, code) = await app.SquadAsync();
        await coach.Api.PutOkAsync($"/api/squads/{squadId}/settings", new { adjustmentsNeedApproval = true });
        var ana = await app.AthleteAsync(code);
        var monday = TrainingCalendar.WeekStartOf(app.Today).AddDays(7);
        await coach.Api.PostOkAsync($"/api/athletes/{ana.Id}/plan", new { goal = "Base", startDate = monday, weeklyDistanceMeters = 15_000 });
        await coach.Api.PutOkAsync($"/api/athletes/{ana.Id}/plan/weeks/{monday:yyyy-MM-dd}", new { sessions = new[] { Session("mon", monday, "easy", 5_000) } });
        await ProposeAsync(ana.Id, monday, squadId);

        var rejected = await coach.Api.PostOkAsync($"/api/athletes/{ana.Id}/plan/weeks/{monday:yyyy-MM-dd}/reject", new { reason = "She feels fresh" });
        Assert.Equal(5_000, Assert.Single(rejected.GetProperty("sessions").EnumerateArray()).GetProperty("distanceMeters").GetInt32());
        var calendar = await coach.Api.GetOkAsync($"/api/athletes/{ana.Id}/plan?from={monday:yyyy-MM-dd}&weeks=1");
        Assert.Equal(JsonValueKind.Null, calendar.GetProperty("weeks")[0].TryGetProperty("proposal", out var p) ? p.ValueKind : JsonValueKind.Null);
    }

    [Fact]
    public async Task Runs_and_reports_carry_the_athletes_own_clock_in_any_time_zone()
    {
        var (coach, squadId, code) = await app.SquadAsync();
        var newYorker = await app.AthleteAsync(code, "Nia in New York", "America/New_York");
        var startedAt = new DateTimeOffset(DateTime.SpecifyKind(app.Now.UtcDateTime.AddDays(-1).Date.AddHours(7), DateTimeKind.Unspecified), TimeSpan.FromHours(-5));
        await newYorker.Api.PostOkAsync($"/api/athletes/{newYorker.Id}/runs", Bodies.Run(startedAt));
        await newYorker.Api.PostOkAsync($"/api/athletes/{newYorker.Id}/reports", Bodies.Report(1, 2));

        var history = await coach.Api.GetOkAsync($"/api/athletes/{newYorker.Id}/history");
        Assert.Equal(2, history.GetProperty("total").GetInt64());
        var board = await coach.Api.GetOkAsync($"/api/squads/{squadId}/board");
        Assert.Equal(startedAt, board.GetProperty("athletes")[0].GetProperty("lastRunAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task The_API_describes_itself_at_openapi_and_docs()
    {
        var anon = app.Anonymous();
        var spec = JsonDocument.Parse(await anon.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = spec.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/athletes/{athleteId}/reports", paths);
        Assert.Contains("/api/squads/{squadId}/board", paths);
        var docs = await anon.GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("swagger", await docs.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    private static object Session(string id, DateOnly date, string type, int meters) =>
        new { sessionId = id, date, type, intensity = type == "tempo" ? "moderate" : "easy", distanceMeters = meters, description = $"{type} run", exercises = Array.Empty<string>() };

    /// <summary>What the weekly job will do: decide the week's adjustment from the athlete's history and findings.</summary>
    private async Task ProposeAsync(Guid athleteId, DateOnly weekStart, Guid squadId)
    {
        var streams = app.Services.GetRequiredService<StreamStates>();
        var squad = (await streams.LoadAsync(Streams.Squad(squadId), Deciders.Squad, default)).State;
        var bus = new Wolverine.Runtime.MessageBus(app.Services.GetRequiredService<Wolverine.Runtime.IWolverineRuntime>());
        await bus.DecideAsync(new Jobs.AdjustNextWeekCommand(athleteId, weekStart, app.Now, squad.Settings, new CommandOptions()), streams, default);
    }
}
