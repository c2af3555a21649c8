using System.Net;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using CoachHub.Domain.Athletes;
using CoachHub.Server.Features.Athletes;
using CoachHub.Server.Platform;
using CoachHub.Testing;
using CoachHub.Server.Realtime;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CoachHub.Server.Tests;

/// <summary>Two nodes on one database, each on a real socket: what happens on one reaches clients of the other.</summary>
public sealed class RealtimeTests : IAsyncLifetime
{
    private readonly TwoNodes _nodes = new(kestrel: true);

    public Task InitializeAsync() => _nodes.InitializeAsync();

    public Task DisposeAsync() => _nodes.DisposeAsync();

    private static async Task<(Guid Id, string Token)> SignUpAsync(HttpClient http, string role, object body)
    {
        var signedUp = await ApiClient.OkAsync(await http.PostAsJsonAsync($"/api/auth/{role}", body));
        var email = body.GetType().GetProperty("email")!.GetValue(body)!;
        var token = await ApiClient.OkAsync(await http.PostAsJsonAsync("/api/auth/signin", new { email, password = CoachHubApp.Password }));
        return (signedUp.GetProperty("userId").GetGuid(), token.GetProperty("accessToken").GetString()!);
    }

    private static async Task<(string Token, string InviteCode, Guid SquadId)> CoachWithSquadAsync(HttpClient http)
    {
        var (_, token) = await SignUpAsync(http, "coaches", new { email = $"c-{Guid.NewGuid():N}@example.com", password = CoachHubApp.Password, name = "Coach" });
        var api = new ApiClient(http);
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var squad = await api.PostOkAsync("/api/squads", new { name = "Squad" });
        var invite = await api.PostOkAsync($"/api/squads/{squad.GetProperty("squadId").GetGuid()}/invites", new { });
        http.DefaultRequestHeaders.Authorization = null;
        return (token, invite.GetProperty("code").GetString()!, squad.GetProperty("squadId").GetGuid());
    }

    /// <summary>A coach with a squad, and an athlete who joined it.</summary>
    private static async Task<(string CoachToken, Guid AthleteId, string AthleteToken)> CoachAndAthleteAsync(HttpClient http)
    {
        var (coachToken, code, _) = await CoachWithSquadAsync(http);
        var (athleteId, athleteToken) = await SignUpAsync(http, "athletes", new
        {
            email = $"a-{Guid.NewGuid():N}@example.com", password = CoachHubApp.Password, name = "Ana", timeZone = "Europe/Dublin", inviteCode = code,
        });
        return (coachToken, athleteId, athleteToken);
    }

    [Fact]
    public async Task A_coach_on_node_B_hears_of_an_emergency_reported_on_node_A_within_a_second_and_no_other_coach_does()
    {
        using var a = _nodes.A.CreateClient();
        using var b = _nodes.B.CreateClient();
        var (coachToken, code, _) = await CoachWithSquadAsync(a);
        var (otherCoachToken, _, _) = await CoachWithSquadAsync(b);
        var (athleteId, athleteToken) = await SignUpAsync(a, "athletes", new
        {
            email = $"a-{Guid.NewGuid():N}@example.com", password = CoachHubApp.Password, name = "Ana", timeZone = "Europe/Dublin", inviteCode = code,
        });

        // Tokens issued by node A work on node B: the key ring is shared through PostgreSQL.
        await using var coach = await HubClient.ConnectAsync(_nodes.B.ClientOptions.BaseAddress, coachToken);
        await using var otherCoach = await HubClient.ConnectAsync(_nodes.B.ClientOptions.BaseAddress, otherCoachToken);
        await using var athlete = await HubClient.ConnectAsync(_nodes.A.ClientOptions.BaseAddress, athleteToken);

        a.DefaultRequestHeaders.Authorization = new("Bearer", athleteToken);
        var clock = Stopwatch.StartNew();
        await ApiClient.OkAsync(await a.PostAsJsonAsync($"/api/athletes/{athleteId}/reports", Bodies.SaddleNumbnessReport));
        var finding = await coach.WaitForAsync("findingRaised", f => f.GetProperty("ruleId").GetString() == "RF-SADDLE", TimeSpan.FromSeconds(5));
        var elapsed = clock.Elapsed;

        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"the coach on node B heard after {elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(athleteId, finding.GetProperty("athleteId").GetGuid());
        Assert.Equal("emergency", finding.GetProperty("severity").GetString());
        Assert.Contains("emergency", finding.GetProperty("recommendedAction").GetString()!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("not medical advice", finding.GetProperty("disclaimer").GetString()!, StringComparison.Ordinal);
        await coach.WaitForAsync("painReportSubmitted", r => r.GetProperty("athleteId").GetGuid() == athleteId, TimeSpan.FromSeconds(5));
        // The athlete hears about their own finding too.
        var own = await athlete.WaitForAsync("findingRaised", f => f.GetProperty("ruleId").GetString() == "RF-SADDLE", TimeSpan.FromSeconds(5));
        // Their own advice, never the text written for the coach.
        Assert.False(own.TryGetProperty("coachMessage", out _), own.GetRawText());
        Assert.False(string.IsNullOrEmpty(own.GetProperty("athleteMessage").GetString()));
        Assert.Contains("not medical advice", own.GetProperty("disclaimer").GetString()!, StringComparison.Ordinal);
        Assert.True(finding.TryGetProperty("coachMessage", out _));

        await Task.Delay(500);
        Assert.Equal(["listening"], otherCoach.Targets());
    }

    [Fact]
    public async Task A_comment_on_a_run_reaches_the_other_side_live_on_another_node()
    {
        using var a = _nodes.A.CreateClient();
        using var b = _nodes.B.CreateClient();
        var (coachToken, athleteId, athleteToken) = await CoachAndAthleteAsync(a);
        await using var coach = await HubClient.ConnectAsync(_nodes.B.ClientOptions.BaseAddress, coachToken);
        await using var athlete = await HubClient.ConnectAsync(_nodes.A.ClientOptions.BaseAddress, athleteToken);
        a.DefaultRequestHeaders.Authorization = new("Bearer", athleteToken);
        b.DefaultRequestHeaders.Authorization = new("Bearer", coachToken);
        var runId = (await ApiClient.OkAsync(await a.PostAsJsonAsync($"/api/athletes/{athleteId}/runs", Bodies.Run(DateTimeOffset.UtcNow.AddHours(-1)))))
            .GetProperty("runId").GetGuid();

        await ApiClient.OkAsync(await a.PostAsJsonAsync($"/api/athletes/{athleteId}/runs/{runId}/comments", new { text = "Legs felt heavy." }));
        var heard = await coach.WaitForAsync("commentPosted", c => c.GetProperty("text").GetString() == "Legs felt heavy.", TimeSpan.FromSeconds(5));
        Assert.Equal(runId, heard.GetProperty("threadId").GetGuid());
        Assert.Equal("run", heard.GetProperty("thread").GetString());
        Assert.False(heard.GetProperty("byCoach").GetBoolean());

        await ApiClient.OkAsync(await b.PostAsJsonAsync($"/api/athletes/{athleteId}/runs/{runId}/comments", new { text = "Easy day tomorrow, then." }));
        var reply = await athlete.WaitForAsync("commentPosted", c => c.GetProperty("text").GetString() == "Easy day tomorrow, then.", TimeSpan.FromSeconds(5));
        Assert.True(reply.GetProperty("byCoach").GetBoolean());
        Assert.Equal("Coach", reply.GetProperty("authorName").GetString());
    }

    [Fact]
    public async Task Every_coach_who_can_read_an_athlete_hears_the_emergency_on_every_node()
    {
        using var a = _nodes.A.CreateClient();
        using var b = _nodes.B.CreateClient();
        var (headToken, code, squadId) = await CoachWithSquadAsync(a);
        var assistantEmail = $"c-{Guid.NewGuid():N}@example.com";
        var (_, assistantToken) = await SignUpAsync(b, "coaches", new { email = assistantEmail, password = CoachHubApp.Password, name = "Assistant" });
        a.DefaultRequestHeaders.Authorization = new("Bearer", headToken);
        await new ApiClient(a).PostOkAsync($"/api/squads/{squadId}/coaches", new { email = assistantEmail });
        a.DefaultRequestHeaders.Authorization = null;
        var (athleteId, athleteToken) = await SignUpAsync(a, "athletes", new
        {
            email = $"a-{Guid.NewGuid():N}@example.com", password = CoachHubApp.Password, name = "Ana", timeZone = "Europe/Dublin", inviteCode = code,
        });

        // Both coaches can read the athlete...
        b.DefaultRequestHeaders.Authorization = new("Bearer", assistantToken);
        await new ApiClient(b).GetOkAsync($"/api/athletes/{athleteId}/dashboard");
        // ...and both hear the red flag live, one connected to each node.
        await using var head = await HubClient.ConnectAsync(_nodes.A.ClientOptions.BaseAddress, headToken);
        await using var assistant = await HubClient.ConnectAsync(_nodes.B.ClientOptions.BaseAddress, assistantToken);
        a.DefaultRequestHeaders.Authorization = new("Bearer", athleteToken);
        await ApiClient.OkAsync(await a.PostAsJsonAsync($"/api/athletes/{athleteId}/reports", Bodies.SaddleNumbnessReport));
        foreach (var coach in new[] { head, assistant })
        {
            var finding = await coach.WaitForAsync("findingRaised", f => f.GetProperty("ruleId").GetString() == "RF-SADDLE", TimeSpan.FromSeconds(5));
            Assert.Equal(athleteId, finding.GetProperty("athleteId").GetGuid());
        }

        // Taken off the squad, the assistant hears nothing more on the same connection; the head coach goes on hearing.
        a.DefaultRequestHeaders.Authorization = new("Bearer", headToken);
        var assistantId = (await new ApiClient(a).GetOkAsync($"/api/squads/{squadId}/coaches")).EnumerateArray()
            .Single(c => !c.GetProperty("head").GetBoolean()).GetProperty("coachId").GetGuid();
        await ApiClient.OkAsync(await a.DeleteAsync($"/api/squads/{squadId}/coaches/{assistantId}"));
        a.DefaultRequestHeaders.Authorization = new("Bearer", athleteToken);
        var runId = (await ApiClient.OkAsync(await a.PostAsJsonAsync($"/api/athletes/{athleteId}/runs", Bodies.Run(DateTimeOffset.UtcNow.AddHours(-1)))))
            .GetProperty("runId").GetGuid();
        await head.WaitForAsync("runLogged", r => r.GetProperty("runId").GetGuid() == runId, TimeSpan.FromSeconds(5));
        await Task.Delay(500);
        Assert.DoesNotContain("runLogged", assistant.Targets());
    }

    [Fact]
    public async Task When_the_head_coach_closes_the_squad_its_other_coach_is_told_on_another_node()
    {
        using var a = _nodes.A.CreateClient();
        using var b = _nodes.B.CreateClient();
        var (headToken, _, squadId) = await CoachWithSquadAsync(a);
        var assistantEmail = $"c-{Guid.NewGuid():N}@example.com";
        var (_, assistantToken) = await SignUpAsync(b, "coaches", new { email = assistantEmail, password = CoachHubApp.Password, name = "Asha Assistant" });
        a.DefaultRequestHeaders.Authorization = new("Bearer", headToken);
        await ApiClient.OkAsync(await a.PostAsJsonAsync($"/api/squads/{squadId}/coaches", new { email = assistantEmail }));
        await using var assistant = await HubClient.ConnectAsync(_nodes.B.ClientOptions.BaseAddress, assistantToken);

        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await a.DeleteAsync($"/api/squads/{squadId}")).StatusCode);
        // The read model forgets the squad's coaches in the same append; the event names them, so the news still finds them.
        var told = await assistant.WaitForAsync("squadClosed", m => m.GetProperty("squadId").GetGuid() == squadId, TimeSpan.FromSeconds(10));
        Assert.True(told.TryGetProperty("closedAt", out _));
    }

    [Fact]
    public async Task After_a_confirmed_move_the_new_coach_hears_the_athlete_and_the_old_coach_is_told_and_hears_nothing_more()
    {
        using var a = _nodes.A.CreateClient();
        using var b = _nodes.B.CreateClient();
        var (oldToken, oldCode, oldSquad) = await CoachWithSquadAsync(a);
        var (newToken, newCode, newSquad) = await CoachWithSquadAsync(b);
        var (athleteId, athleteToken) = await SignUpAsync(a, "athletes", new
        {
            email = $"a-{Guid.NewGuid():N}@example.com", password = CoachHubApp.Password, name = "Ana", timeZone = "Europe/Dublin", inviteCode = oldCode,
        });
        await using var oldCoach = await HubClient.ConnectAsync(_nodes.A.ClientOptions.BaseAddress, oldToken);
        await using var newCoach = await HubClient.ConnectAsync(_nodes.B.ClientOptions.BaseAddress, newToken);

        a.DefaultRequestHeaders.Authorization = new("Bearer", athleteToken);
        var unconfirmed = await a.PostAsJsonAsync("/api/squads/join", new { inviteCode = newCode });
        Assert.Equal("squad.move-needs-confirmation", (await ApiClient.ProblemAsync(unconfirmed, System.Net.HttpStatusCode.Conflict)).GetProperty("code").GetString());
        var moved = await ApiClient.OkAsync(await a.PostAsJsonAsync("/api/squads/join", new { inviteCode = newCode, confirmMove = true }));
        Assert.Equal(newSquad, moved.GetProperty("squadId").GetGuid());
        Assert.Equal(oldSquad, moved.GetProperty("leftSquadId").GetGuid());

        var told = await oldCoach.WaitForAsync("athleteLeft", m => m.GetProperty("athleteId").GetGuid() == athleteId, TimeSpan.FromSeconds(5));
        Assert.True(told.GetProperty("moved").GetBoolean());

        await ApiClient.OkAsync(await a.PostAsJsonAsync($"/api/athletes/{athleteId}/reports", Bodies.SaddleNumbnessReport));
        await newCoach.WaitForAsync("findingRaised", f => f.GetProperty("athleteId").GetGuid() == athleteId, TimeSpan.FromSeconds(5));
        await Task.Delay(500);
        Assert.DoesNotContain("findingRaised", oldCoach.Targets());

        // The old coach can no longer read the athlete.
        a.DefaultRequestHeaders.Authorization = new("Bearer", oldToken);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await a.GetAsync($"/api/athletes/{athleteId}/dashboard")).StatusCode);
    }

    [Fact]
    public async Task The_hub_refuses_a_connection_without_a_valid_token()
    {
        await Assert.ThrowsAnyAsync<WebSocketException>(() => HubClient.ConnectAsync(_nodes.A.ClientOptions.BaseAddress, null));
        await Assert.ThrowsAnyAsync<WebSocketException>(() => HubClient.ConnectAsync(_nodes.A.ClientOptions.BaseAddress, "not-a-token"));
    }

    [Fact]
    public async Task A_coach_with_two_tabs_open_still_hears_after_closing_one_and_hears_again_after_closing_both_and_reconnecting()
    {
        using var a = _nodes.A.CreateClient();
        var (coachToken, athleteId, athleteToken) = await CoachAndAthleteAsync(a);
        a.DefaultRequestHeaders.Authorization = new("Bearer", athleteToken);
        var server = _nodes.A.ClientOptions.BaseAddress;

        var firstTab = await HubClient.ConnectAsync(server, coachToken);
        await using (var secondTab = await HubClient.ConnectAsync(server, coachToken))
        {
            await firstTab.DisposeAsync();
            await ApiClient.OkAsync(await a.PostAsJsonAsync($"/api/athletes/{athleteId}/reports", Bodies.Report(painNow: 3)));
            await secondTab.WaitForAsync("painReportSubmitted", r => r.GetProperty("painNow").GetInt32() == 3, TimeSpan.FromSeconds(5));
        }

        await using var reopened = await HubClient.ConnectAsync(server, coachToken);
        await ApiClient.OkAsync(await a.PostAsJsonAsync($"/api/athletes/{athleteId}/reports", Bodies.Report(painNow: 4)));
        await reopened.WaitForAsync("painReportSubmitted", r => r.GetProperty("painNow").GetInt32() == 4, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Reports_racing_on_one_athlete_over_both_nodes_are_each_heard_once_and_a_try_that_lost_its_race_says_nothing()
    {
        using var a = _nodes.A.CreateClient();
        var (coachToken, athleteId, athleteToken) = await CoachAndAthleteAsync(a);
        await using var coach = await HubClient.ConnectAsync(_nodes.A.ClientOptions.BaseAddress, coachToken);

        // 32 reports on one stream at once, half through each node's Wolverine: most tries lose a race and are
        // decided again; only what the winning try of each published may be heard.
        static Task<Decided<AthleteState>> Report(WebApplicationFactory<Program> node, Guid athleteId, Guid reportId) =>
            new Wolverine.Runtime.MessageBus(node.Services.GetRequiredService<Wolverine.Runtime.IWolverineRuntime>()).DecideAsync(
                new SubmitPainReportCommand(athleteId, new SubmitPainReport(reportId, null, new PainScores(1), new PainDescription(), RedFlagAnswers.None,
                    new RecoveryContext()), new CommandOptions { UserId = athleteId.ToString() }),
                node.Services.GetRequiredService<StreamStates>(), CancellationToken.None);
        var posted = Enumerable.Range(0, 32).Select(_ => Guid.NewGuid()).ToList();
        await Task.WhenAll(posted.Select((reportId, i) => Task.Run(() => Report(i % 2 == 0 ? _nodes.A : _nodes.B, athleteId, reportId))));

        foreach (var reportId in posted)
            await coach.WaitForAsync("painReportSubmitted", r => r.GetProperty("reportId").GetGuid() == reportId, TimeSpan.FromSeconds(10));
        await Task.Delay(1_000);
        var heard = coach.All("painReportSubmitted").Where(r => r.GetProperty("athleteId").GetGuid() == athleteId)
            .Select(r => r.GetProperty("reportId").GetGuid()).Order();
        Assert.Equal(posted.Order(), heard);
    }

    [Fact]
    public async Task News_that_cannot_be_sent_is_retried_then_kept_as_a_dead_letter_that_an_admin_replays_once_the_cause_is_fixed()
    {
        using var a = _nodes.A.CreateClient();
        var (coachToken, athleteId, athleteToken) = await CoachAndAthleteAsync(a);
        var adminEmail = $"admin-{Guid.NewGuid():N}@example.com";
        Assert.Empty(await Accounts.AdminAccounts.RegisterAsync(_nodes.A.Services.GetRequiredService<StreamStates>(), TimeProvider.System, adminEmail, "Oona Operator",
            CoachHubApp.Password));
        var admin = new ApiClient(_nodes.B.CreateClient());
        admin.Http.DefaultRequestHeaders.Authorization = new("Bearer", await admin.SignInAsync(adminEmail, CoachHubApp.Password));
        var coachApi = new ApiClient(_nodes.B.CreateClient());
        coachApi.Http.DefaultRequestHeaders.Authorization = new("Bearer", coachToken);
        await using var coach = await HubClient.ConnectAsync(_nodes.A.ClientOptions.BaseAddress, coachToken);

        // The fan-out cannot read who coaches the athlete: every try fails, the report itself is recorded.
        await _nodes.Db.ExecuteAsync("alter table proj_coaching.squad_members rename to squad_members_away");
        a.DefaultRequestHeaders.Authorization = new("Bearer", athleteToken);
        var reportId = (await ApiClient.OkAsync(await a.PostAsJsonAsync($"/api/athletes/{athleteId}/reports", Bodies.Report(painNow: 2))))
            .GetProperty("reportId").GetGuid();
        JsonElement letters = default;
        // Tried five times over about 10 s, then kept; what else the report said (a finding) fails on its own queue.
        await Eventually.TrueAsync(async () => (letters = await admin.GetOkAsync("/api/admin/dead-letters")).GetProperty("items").EnumerateArray()
                .Any(l => l.GetProperty("messageType").GetString() == "LiveNewsPainReportSubmitted"),
            TimeSpan.FromSeconds(40), "the report's news to be a dead letter after its retries");
        var items = letters.GetProperty("items").EnumerateArray().ToList();
        Assert.All(items, l => Assert.Contains("squad_members", l.GetProperty("exceptionMessage").GetString(), StringComparison.Ordinal));
        Assert.Empty(coach.All("painReportSubmitted"));

        // Only admins see or touch dead letters; a bad limit is named; an unknown letter is not found.
        var first = items[0].GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Forbidden, (await coachApi.Http.GetAsync("/api/admin/dead-letters")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coachApi.Http.PostAsync($"/api/admin/dead-letters/{first}/replay", null)).StatusCode);
        Assert.Equal(["limit"], await ApiClient.BadFieldsAsync(await admin.Http.GetAsync("/api/admin/dead-letters?limit=0")));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.PostAsync($"/api/admin/dead-letters/{Guid.NewGuid()}/replay", null)).StatusCode);

        // Fixed, and every letter replayed as an operator would (one that arrives meanwhile too): the coach hears of the
        // report once, and the list empties.
        await _nodes.Db.ExecuteAsync("alter table proj_coaching.squad_members_away rename to squad_members");
        await Eventually.TrueAsync(async () =>
        {
            var now = await admin.GetOkAsync("/api/admin/dead-letters");
            foreach (var l in now.GetProperty("items").EnumerateArray().Where(l => !l.GetProperty("replayable").GetBoolean()))
                Assert.Equal(HttpStatusCode.Accepted, (await admin.Http.PostAsync($"/api/admin/dead-letters/{l.GetProperty("id").GetGuid()}/replay", null)).StatusCode);
            return now.GetProperty("total").GetInt32() == 0;
        }, TimeSpan.FromSeconds(40), "every letter replayed and gone (Wolverine's durability agent moves them every 5 s)");
        await coach.WaitForAsync("painReportSubmitted", r => r.GetProperty("reportId").GetGuid() == reportId, TimeSpan.FromSeconds(10));
        await Task.Delay(500);
        Assert.Single(coach.All("painReportSubmitted"));
    }

    [Fact]
    public async Task A_squads_coaches_hear_once_that_the_weeks_adjustments_are_done_and_another_squads_coach_does_not()
    {
        using var a = _nodes.A.CreateClient();
        var (coachToken, _, squadId) = await CoachWithSquadAsync(a);
        var (otherCoachToken, _, _) = await CoachWithSquadAsync(a);
        await using var coach = await HubClient.ConnectAsync(_nodes.B.ClientOptions.BaseAddress, coachToken);
        await using var otherCoach = await HubClient.ConnectAsync(_nodes.B.ClientOptions.BaseAddress, otherCoachToken);
        var monday = new DateOnly(2026, 12, 14);
        var counts = new Domain.Squads.WeekAdjustmentCounts(Progressed: 3, Held: 1, Deloaded: 1, Paused: 0, ReturningToRun: 0, WaitingForApproval: 2, Unchanged: 0);
        Task<Decided<Domain.Squads.SquadState>> TellAsync() =>
            new Wolverine.Runtime.MessageBus(_nodes.A.Services.GetRequiredService<Wolverine.Runtime.IWolverineRuntime>()).DecideAsync(
                new Jobs.RecordWeekAdjustmentsCommand(squadId, monday, counts, new CommandOptions { UserId = "weekly-adjustment" }),
                _nodes.A.Services.GetRequiredService<StreamStates>(), CancellationToken.None);

        await TellAsync();
        var done = await coach.WaitForAsync("weekAdjustmentsCompleted", m => m.GetProperty("squadId").GetGuid() == squadId, TimeSpan.FromSeconds(5));
        Assert.Equal("2026-12-14", done.GetProperty("weekStart").GetString());
        Assert.Equal(7, done.GetProperty("athletes").GetInt32());
        Assert.Equal(2, done.GetProperty("waitingForApproval").GetInt32());
        // Told again (another run, another node): nothing new is appended, so nothing more is heard.
        Assert.Empty((await TellAsync()).Events);
        await Task.Delay(1_000);
        Assert.Single(coach.All("weekAdjustmentsCompleted"));
        Assert.Empty(otherCoach.All("weekAdjustmentsCompleted"));
    }

    [Fact]
    public async Task A_rejected_proposal_is_heard_by_the_squads_coaches_and_the_athlete()
    {
        using var a = _nodes.A.CreateClient();
        var (coachToken, code, squadId) = await CoachWithSquadAsync(a);
        var (athleteId, athleteToken) = await SignUpAsync(a, "athletes", new
        {
            email = $"a-{Guid.NewGuid():N}@example.com", password = CoachHubApp.Password, name = "Ana", timeZone = "Europe/Dublin", inviteCode = code,
        });
        var coachApi = new ApiClient(_nodes.A.CreateClient());
        coachApi.Http.DefaultRequestHeaders.Authorization = new("Bearer", coachToken);
        await coachApi.PutOkAsync($"/api/squads/{squadId}/settings", new { adjustmentsNeedApproval = true });
        // The athlete's own clock (Dublin), as the job gives it: around midnight on Sunday the weeks differ from UTC's.
        var now = AthleteClock.OnClockOf("Europe/Dublin", DateTimeOffset.UtcNow);
        var thisMonday = Domain.TrainingCalendar.WeekStartOf(Domain.TrainingCalendar.LocalDate(now));
        await coachApi.PostOkAsync($"/api/athletes/{athleteId}/plan", new { goal = "10k", startDate = thisMonday, weeklyDistanceMeters = 20_000 });
        // The weekly job's command for next week, as it sends it: the squad asks for approval, so it is a proposal.
        var next = thisMonday.AddDays(7);
        var proposed = await new Wolverine.Runtime.MessageBus(_nodes.A.Services.GetRequiredService<Wolverine.Runtime.IWolverineRuntime>()).DecideAsync(
            new Jobs.AdjustNextWeekCommand(athleteId, next, now, Domain.Squads.SquadSettings.Default with { AdjustmentsNeedApproval = true },
                new CommandOptions { UserId = "weekly-adjustment" }), _nodes.A.Services.GetRequiredService<StreamStates>(), CancellationToken.None);
        Assert.Contains(proposed.Events, e => e is Domain.Plans.AdjustmentProposed);

        await using var coach = await HubClient.ConnectAsync(_nodes.B.ClientOptions.BaseAddress, coachToken);
        await using var athlete = await HubClient.ConnectAsync(_nodes.B.ClientOptions.BaseAddress, athleteToken);
        await coachApi.PostOkAsync($"/api/athletes/{athleteId}/plan/weeks/{next:yyyy-MM-dd}/reject", new { reason = "Not this week" });
        bool Kept(System.Text.Json.JsonElement m) => m.GetProperty("athleteId").GetGuid() == athleteId && m.GetProperty("weekStart").GetString() == $"{next:yyyy-MM-dd}"
            && m.GetProperty("reasons").EnumerateArray().Any(r => r.GetString()!.Contains("kept", StringComparison.Ordinal));
        await coach.WaitForAsync("planAdjusted", Kept, TimeSpan.FromSeconds(5));
        await athlete.WaitForAsync("planAdjusted", Kept, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task News_goes_out_from_the_node_that_appended_it_and_a_coach_on_the_other_node_hears_it_through_the_backplane()
    {
        // The report is appended on node A, whose handler sends the news; the coach listens on node B.
        using var http = _nodes.A.CreateClient();
        var (coachToken, athleteId, athleteToken) = await CoachAndAthleteAsync(http);
        await using var coach = await HubClient.ConnectAsync(_nodes.B.ClientOptions.BaseAddress, coachToken);

        http.DefaultRequestHeaders.Authorization = new("Bearer", athleteToken);
        await ApiClient.OkAsync(await http.PostAsJsonAsync($"/api/athletes/{athleteId}/reports", Bodies.Report(painNow: 2)));
        await coach.WaitForAsync("painReportSubmitted", r => r.GetProperty("athleteId").GetGuid() == athleteId, TimeSpan.FromSeconds(5));
    }
}
