using CoachHub.Testing;
using System.Net;

namespace CoachHub.Server.Tests;

/// <summary>One squad at a time (docs/decisions/0004): the athlete can leave, a coach can remove, the head coach adds coaches.</summary>
public sealed class MembershipTests(CoachHubApp app) : IClassFixture<CoachHubApp>
{
    [Fact]
    public async Task An_athlete_can_leave_and_their_coach_then_no_longer_reads_them()
    {
        var (coach, squadId, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code);
        await coach.Api.GetOkAsync($"/api/athletes/{athlete.Id}/dashboard");

        var left = await athlete.Api.SendAsync(HttpMethod.Post, $"/api/squads/{squadId}/leave", "{}");
        Assert.Equal(HttpStatusCode.NoContent, left.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coach.Api.Http.GetAsync($"/api/athletes/{athlete.Id}/dashboard")).StatusCode);
        var board = await coach.Api.GetOkAsync($"/api/squads/{squadId}/board");
        Assert.Equal(0, board.GetProperty("athletes").GetArrayLength());
        var profile = (await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/dashboard")).GetProperty("athlete");
        Assert.False(profile.TryGetProperty("squadId", out var squad) && squad.ValueKind != System.Text.Json.JsonValueKind.Null);

        // Leaving a squad one is not in is a 404, and nothing is written.
        var before = await app.EventCountAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await athlete.Api.SendAsync(HttpMethod.Post, $"/api/squads/{squadId}/leave", "{}")).StatusCode);
        Assert.Equal(before, await app.EventCountAsync());
    }

    [Fact]
    public async Task A_coach_removes_an_athlete_from_their_own_squad_only()
    {
        var (coach, squadId, code) = await app.SquadAsync();
        var (stranger, _, _) = await app.SquadAsync("Another squad");
        var athlete = await app.AthleteAsync(code);

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Api.SendAsync(HttpMethod.Delete, $"/api/squads/{squadId}/athletes/{athlete.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await athlete.Api.SendAsync(HttpMethod.Delete, $"/api/squads/{squadId}/athletes/{athlete.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await coach.Api.SendAsync(HttpMethod.Delete, $"/api/squads/{squadId}/athletes/{athlete.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coach.Api.Http.GetAsync($"/api/athletes/{athlete.Id}/dashboard")).StatusCode);
        var removed = await app.Db.ScalarAsync<long>($"select count(*) from {PostgresDatabase.AllEvents} e where stream_id = 'squad-{squadId:N}' and type = 'squad.athlete-left.v1' and data->>'removedBy' = '{coach.Id}'");
        Assert.Equal(1, removed);
    }

    [Fact]
    public async Task Joining_a_second_squad_asks_to_confirm_the_move_and_nothing_changes_until_then()
    {
        var (_, firstSquad, firstCode) = await app.SquadAsync("First");
        var (secondCoach, secondSquad, secondCode) = await app.SquadAsync("Second");
        var athlete = await app.AthleteAsync(firstCode);
        var before = await app.EventCountAsync();

        var asked = await athlete.Api.SendAsync(HttpMethod.Post, "/api/squads/join", $$"""{"inviteCode":"{{secondCode}}"}""");
        var problem = await ApiClient.ProblemAsync(asked, HttpStatusCode.Conflict);
        Assert.Equal("squad.move-needs-confirmation", problem.GetProperty("code").GetString());
        Assert.Equal(before, await app.EventCountAsync());

        await athlete.Api.PostOkAsync("/api/squads/join", new { inviteCode = secondCode, confirmMove = true });
        var dashboard = await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/dashboard");
        Assert.Equal(secondSquad, dashboard.GetProperty("athlete").GetProperty("squadId").GetGuid());
        var members = await app.Db.ScalarAsync<long>($"select count(*) from proj_coaching.squad_members where athlete_id = '{athlete.Id}' and left_at is null");
        Assert.Equal(1, members);
        await secondCoach.Api.GetOkAsync($"/api/athletes/{athlete.Id}/dashboard");
        Assert.NotEqual(firstSquad, secondSquad);
    }

    [Fact]
    public async Task The_head_coach_adds_a_coach_who_then_reads_the_squad_and_its_athletes()
    {
        var (head, squadId, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code);
        var assistant = await app.CoachAsync("Asha Assistant");
        Assert.Equal(HttpStatusCode.NotFound, (await assistant.Api.Http.GetAsync($"/api/squads/{squadId}/board")).StatusCode);

        var bad = await head.Api.SendAsync(HttpMethod.Post, $"/api/squads/{squadId}/coaches", $$"""{"email":"{{athlete.Email}}"}""");
        Assert.Equal("email", (await ApiClient.ProblemAsync(bad, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateObject().Single().Name);

        var coaches = await head.Api.PostOkAsync($"/api/squads/{squadId}/coaches", new { email = assistant.Email });
        Assert.Equal([true, false], coaches.EnumerateArray().Select(c => c.GetProperty("head").GetBoolean()));
        Assert.Equal(1, (await assistant.Api.GetOkAsync($"/api/squads/{squadId}/board")).GetProperty("athletes").GetArrayLength());
        await assistant.Api.GetOkAsync($"/api/athletes/{athlete.Id}/dashboard");
        Assert.Contains((await assistant.Api.GetOkAsync("/api/squads")).EnumerateArray(), s => s.GetProperty("squadId").GetGuid() == squadId);

        // Only the head coach adds coaches.
        var other = await app.CoachAsync("Third Coach");
        var refused = await assistant.Api.SendAsync(HttpMethod.Post, $"/api/squads/{squadId}/coaches", $$"""{"email":"{{other.Email}}"}""");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
    }

    [Fact]
    public async Task An_added_coach_cannot_remove_the_head_coach_who_hands_the_squad_over_and_is_then_taken_off()
    {
        var (head, squadId, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code);
        var assistant = await app.CoachAsync("Asha Assistant");
        var other = await app.CoachAsync("Omar Other");
        await head.Api.PostOkAsync($"/api/squads/{squadId}/coaches", new { email = assistant.Email });
        await head.Api.PostOkAsync($"/api/squads/{squadId}/coaches", new { email = other.Email });
        var coaches = $"/api/squads/{squadId}/coaches";

        // The assistant can neither take the head coach off, nor another coach, nor hand the squad over.
        Assert.Equal(["coachId"], await ApiClient.BadFieldsAsync(await assistant.Api.SendAsync(HttpMethod.Delete, $"{coaches}/{head.Id}")));
        Assert.Equal(HttpStatusCode.Conflict, (await assistant.Api.SendAsync(HttpMethod.Delete, $"{coaches}/{other.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await assistant.Api.SendAsync(HttpMethod.Post, $"/api/squads/{squadId}/handover", $$"""{"coachId":"{{assistant.Id}}"}""")).StatusCode);
        Assert.Equal(["coachId"], await ApiClient.BadFieldsAsync(await head.Api.SendAsync(HttpMethod.Post, $"/api/squads/{squadId}/handover", "{}")));
        Assert.Equal(["coachId"], await ApiClient.BadFieldsAsync(await head.Api.SendAsync(HttpMethod.Post, $"/api/squads/{squadId}/handover",
            $$"""{"coachId":"{{Guid.NewGuid()}}"}""")));

        // A coach steps down; the head coach hands the squad over and goes on coaching it.
        await other.Api.SendAsync(HttpMethod.Delete, $"{coaches}/{other.Id}");
        Assert.Equal(HttpStatusCode.NotFound, (await other.Api.Http.GetAsync($"/api/squads/{squadId}/board")).StatusCode);
        var handed = (await head.Api.PostOkAsync($"/api/squads/{squadId}/handover", new { coachId = assistant.Id })).EnumerateArray().ToList();
        Assert.Equal(assistant.Id, handed.Single(c => c.GetProperty("head").GetBoolean()).GetProperty("coachId").GetGuid());
        Assert.Equal(2, handed.Count);
        await head.Api.GetOkAsync($"/api/athletes/{athlete.Id}/dashboard");
        Assert.Equal(["coachId"], await ApiClient.BadFieldsAsync(await head.Api.SendAsync(HttpMethod.Delete, $"{coaches}/{assistant.Id}")));

        // The new head coach takes the old one off: they read the squad no more.
        var left = await ApiClient.OkAsync(await assistant.Api.SendAsync(HttpMethod.Delete, $"{coaches}/{head.Id}"));
        Assert.Equal([assistant.Id], left.EnumerateArray().Select(c => c.GetProperty("coachId").GetGuid()));
        Assert.Equal(HttpStatusCode.NotFound, (await head.Api.Http.GetAsync($"/api/squads/{squadId}/board")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await head.Api.Http.GetAsync($"/api/athletes/{athlete.Id}/dashboard")).StatusCode);
    }

    [Fact]
    public async Task Only_the_head_coach_closes_the_squad_whose_athletes_keep_their_history_and_whose_codes_stop()
    {
        var (head, squadId, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code);
        await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/runs", Bodies.Run(DateTimeOffset.UtcNow.AddHours(-2)));
        var assistant = await app.CoachAsync("Asha Assistant");
        await head.Api.PostOkAsync($"/api/squads/{squadId}/coaches", new { email = assistant.Email });

        Assert.Equal(HttpStatusCode.Conflict, (await assistant.Api.Http.DeleteAsync($"/api/squads/{squadId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await head.Api.Http.DeleteAsync($"/api/squads/{squadId}")).StatusCode);
        foreach (var coach in new[] { head, assistant })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await coach.Api.Http.GetAsync($"/api/squads/{squadId}/board")).StatusCode);
            Assert.DoesNotContain((await coach.Api.GetOkAsync("/api/squads")).EnumerateArray(), s => s.GetProperty("squadId").GetGuid() == squadId);
            Assert.Equal(HttpStatusCode.NotFound, (await coach.Api.Http.GetAsync($"/api/athletes/{athlete.Id}/dashboard")).StatusCode);
        }
        // The athlete keeps their runs, and the code lets nobody in.
        Assert.Equal(1, (await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/history")).GetProperty("total").GetInt64());
        Assert.False((await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/dashboard")).GetProperty("athlete").TryGetProperty("squadId", out var squad)
            && squad.ValueKind != System.Text.Json.JsonValueKind.Null);
        Assert.Equal(["inviteCode"], await ApiClient.BadFieldsAsync(await athlete.Api.SendAsync(HttpMethod.Post, "/api/squads/join", $$"""{"inviteCode":"{{code}}"}""")));
        Assert.Equal(HttpStatusCode.NotFound, (await head.Api.Http.DeleteAsync($"/api/squads/{squadId}")).StatusCode);
    }
}
