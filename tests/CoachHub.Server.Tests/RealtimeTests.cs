using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
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
        var (coachToken, code, _) = await CoachWithSquadAsync(a);
        var (athleteId, athleteToken) = await SignUpAsync(a, "athletes", new
        {
            email = $"a-{Guid.NewGuid():N}@example.com", password = CoachHubApp.Password, name = "Ana", timeZone = "Europe/Dublin", inviteCode = code,
        });
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
    public async Task One_node_runs_the_fan_out_and_a_coach_on_the_other_node_hears_through_the_backplane()
    {
        // Marten's daemon (HotCold) runs the fan-out's agent on one node.
        static bool Leads(WebApplicationFactory<Program> node) =>
            node.Services.GetRequiredService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>().DaemonForMainDatabase().CurrentAgents()
                .Any(a => a.Name.Identity.Contains(LiveFanOut.SubscriptionName, StringComparison.Ordinal));
        await Eventually.TrueAsync(() => Task.FromResult(Leads(_nodes.A) ^ Leads(_nodes.B)), TimeSpan.FromSeconds(10), "exactly one node to run the fan-out");
        // Everything happens on the other node: the report reaches the leader through the log, the message comes back through Redis.
        var other = Leads(_nodes.A) ? _nodes.B : _nodes.A;
        using var http = other.CreateClient();
        var (coachToken, code, _) = await CoachWithSquadAsync(http);
        var (athleteId, athleteToken) = await SignUpAsync(http, "athletes", new
        {
            email = $"a-{Guid.NewGuid():N}@example.com", password = CoachHubApp.Password, name = "Ana", timeZone = "Europe/Dublin", inviteCode = code,
        });
        await using var coach = await HubClient.ConnectAsync(other.ClientOptions.BaseAddress, coachToken);

        http.DefaultRequestHeaders.Authorization = new("Bearer", athleteToken);
        await ApiClient.OkAsync(await http.PostAsJsonAsync($"/api/athletes/{athleteId}/reports", Bodies.Report(painNow: 2)));
        await coach.WaitForAsync("painReportSubmitted", r => r.GetProperty("athleteId").GetGuid() == athleteId, TimeSpan.FromSeconds(5));
        Assert.False(Leads(other), "the node the coach is connected to does not run the fan-out");
    }
}
