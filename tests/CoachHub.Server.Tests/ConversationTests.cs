using System.Net;

namespace CoachHub.Server.Tests;

/// <summary>Comment threads on runs and reports between the athlete and the squad's coaches, unread counts, and coaches' notes on findings.</summary>
public sealed class ConversationTests(CoachHubApp app) : IClassFixture<CoachHubApp>
{
    [Fact]
    public async Task The_athlete_and_the_coach_talk_about_a_run_and_a_report_and_each_sees_what_they_have_not_read()
    {
        var (coach, squadId, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code, "Ana");
        var runId = (await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/runs", Bodies.Run(DateTimeOffset.UtcNow.AddHours(-3)))).GetProperty("runId").GetGuid();
        var reportId = (await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/reports", Bodies.Report(2, 3))).GetProperty("reportId").GetGuid();
        var run = $"/api/athletes/{athlete.Id}/runs/{runId}/comments";

        await coach.Api.PostOkAsync(run, new { text = "How did the hills feel?" });
        var seen = await athlete.Api.GetOkAsync(run);
        var only = Assert.Single(seen.GetProperty("comments").EnumerateArray());
        Assert.Equal("How did the hills feel?", only.GetProperty("text").GetString());
        Assert.True(only.GetProperty("byCoach").GetBoolean());
        Assert.False(only.GetProperty("mine").GetBoolean());
        Assert.Equal(1, seen.GetProperty("unread").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, (await athlete.Api.Http.PostAsync($"{run}/read", null)).StatusCode);
        Assert.Equal(0, (await athlete.Api.GetOkAsync(run)).GetProperty("unread").GetInt32());

        // The athlete answers, on the run and on the report: the coach's board counts both until the coach reads them.
        await athlete.Api.PostOkAsync(run, new { text = "Fine, a bit tight at the top." });
        await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/reports/{reportId}/comments", new { text = "Back was calm today." });
        async Task<int> UnreadOnBoardAsync() => (await coach.Api.GetOkAsync($"/api/squads/{squadId}/board")).GetProperty("athletes").EnumerateArray()
            .Single(a => a.GetProperty("athleteId").GetGuid() == athlete.Id).GetProperty("unreadComments").GetInt32();
        Assert.Equal(2, await UnreadOnBoardAsync());
        var threads = (await coach.Api.GetOkAsync($"/api/athletes/{athlete.Id}/threads")).EnumerateArray().ToList();
        Assert.Equal(["report", "run"], threads.Select(t => t.GetProperty("thread").GetString()));
        Assert.Equal([1, 1], threads.Select(t => t.GetProperty("unread").GetInt32()));
        Assert.Equal(runId, threads[1].GetProperty("runId").GetGuid());
        Assert.Equal("Fine, a bit tight at the top.", threads[1].GetProperty("lastText").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await coach.Api.Http.PostAsync($"{run}/read", null)).StatusCode);
        Assert.Equal(1, await UnreadOnBoardAsync());

        // A retry with the same id posts once; bad and foreign requests are refused and write nothing.
        var id = Guid.NewGuid();
        await coach.Api.PostOkAsync(run, new { commentId = id, text = "Good." });
        await coach.Api.PostOkAsync(run, new { commentId = id, text = "Good." });
        Assert.Equal(3, (await coach.Api.GetOkAsync(run)).GetProperty("comments").GetArrayLength());
        var (stranger, _, _) = await app.SquadAsync("Elsewhere");
        var before = await app.EventCountAsync();
        Assert.Equal(["text"], await ApiClient.BadFieldsAsync(await coach.Api.SendAsync(HttpMethod.Post, run, "{\"text\":\"  \"}")));
        Assert.Equal(["text"], await ApiClient.BadFieldsAsync(await coach.Api.SendAsync(HttpMethod.Post, run, $"{{\"text\":\"{new string('a', 2001)}\"}}")));
        Assert.Equal(HttpStatusCode.NotFound, (await coach.Api.SendAsync(HttpMethod.Post, $"/api/athletes/{athlete.Id}/runs/{Guid.NewGuid()}/comments", "{\"text\":\"hi\"}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coach.Api.SendAsync(HttpMethod.Post, $"/api/athletes/{athlete.Id}/reports/{runId}/comments", "{\"text\":\"hi\"}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Api.SendAsync(HttpMethod.Post, run, "{\"text\":\"hi\"}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Api.Http.GetAsync(run)).StatusCode);
        Assert.Equal(before, await app.EventCountAsync());
    }

    [Fact]
    public async Task A_coachs_notes_on_a_finding_make_its_history_and_the_inbox_shows_the_latest()
    {
        var (coach, _, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code);
        var report = await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/reports", Bodies.Report(7, 8));
        var findingId = report.GetProperty("findings")[0].GetProperty("findingId").GetString()!;
        var finding = $"/api/athletes/{athlete.Id}/findings/{Uri.EscapeDataString(findingId)}";
        await coach.Api.PostOkAsync($"{finding}/acknowledge", new { note = "Seen, will call" });
        await coach.Api.PostOkAsync($"{finding}/notes", new { note = "Called her, physio on Tuesday" });

        var history = await coach.Api.GetOkAsync(finding);
        Assert.Equal(findingId, history.GetProperty("findingId").GetString());
        Assert.NotNull(history.GetProperty("acknowledgedAt").GetString());
        Assert.Equal(["Seen, will call", "Called her, physio on Tuesday"], history.GetProperty("notes").EnumerateArray().Select(n => n.GetProperty("note").GetString()));
        var alert = (await coach.Api.GetOkAsync("/api/inbox")).EnumerateArray().Single(a => a.GetProperty("findingId").GetString() == findingId);
        Assert.Equal("Called her, physio on Tuesday", alert.GetProperty("lastNote").GetProperty("note").GetString());

        Assert.Equal(["note"], await ApiClient.BadFieldsAsync(await coach.Api.SendAsync(HttpMethod.Post, $"{finding}/notes", "{}")));
        Assert.Equal(HttpStatusCode.NotFound, (await coach.Api.SendAsync(HttpMethod.Post, $"/api/athletes/{athlete.Id}/findings/PM-01%3Anope/notes", "{\"note\":\"x\"}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await athlete.Api.Http.GetAsync(finding)).StatusCode);
        var (stranger, _, _) = await app.SquadAsync("Elsewhere");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Api.Http.GetAsync(finding)).StatusCode);
    }
}
