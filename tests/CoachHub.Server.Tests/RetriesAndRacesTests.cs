using System.Net;
using System.Net.Http.Json;
using CoachHub.Domain.Athletes;
using CoachHub.Server.Platform;
using Microsoft.Extensions.DependencyInjection;

namespace CoachHub.Server.Tests;

public sealed class RetriesAndRacesTests(CoachHubApp app) : IClassFixture<CoachHubApp>
{
    private static object Run => Bodies.Run(DateTimeOffset.UtcNow.AddHours(-3));

    [Fact]
    public async Task A_retried_POST_with_the_same_Idempotency_Key_logs_the_run_once()
    {
        var (_, _, code) = await app.SquadAsync();
        var ana = await app.AthleteAsync(code);
        var path = $"/api/athletes/{ana.Id}/runs";
        var json = System.Text.Json.JsonSerializer.Serialize(Run);
        void Key(HttpRequestMessage r) => r.Headers.Add("Idempotency-Key", "phone-7f3a");

        var first = await ApiClient.OkAsync(await ana.Api.SendAsync(HttpMethod.Post, path, json, Key));
        var before = await app.EventCountAsync();
        var retry = await ApiClient.OkAsync(await ana.Api.SendAsync(HttpMethod.Post, path, json, Key));

        Assert.Equal(first.GetProperty("runId").GetGuid(), retry.GetProperty("runId").GetGuid());
        Assert.Equal(before, await app.EventCountAsync());
        var history = await ana.Api.GetOkAsync($"/api/athletes/{ana.Id}/history");
        Assert.Equal(1, history.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("kind").GetString() == "run"));

        // A different key is a different run.
        await ApiClient.OkAsync(await ana.Api.SendAsync(HttpMethod.Post, path, json, r => r.Headers.Add("Idempotency-Key", "phone-8b21")));
        history = await ana.Api.GetOkAsync($"/api/athletes/{ana.Id}/history");
        Assert.Equal(2, history.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("kind").GetString() == "run"));
    }

    [Fact]
    public async Task A_retry_gets_the_first_answer_for_every_POST_and_the_key_with_another_body_is_a_422()
    {
        var (coach, squadId, _) = await app.SquadAsync();
        var path = $"/api/squads/{squadId}/invites";
        void Key(HttpRequestMessage r) => r.Headers.Add("Idempotency-Key", "invite-once");

        var first = await coach.Api.SendAsync(HttpMethod.Post, path, """{"daysValid":7}""", Key);
        var firstBody = await ApiClient.OkAsync(first);
        var before = await app.EventCountAsync();
        var retry = await coach.Api.SendAsync(HttpMethod.Post, path, """{"daysValid":7}""", Key);
        var retryBody = await ApiClient.OkAsync(retry);

        Assert.Equal(first.StatusCode, retry.StatusCode);
        Assert.Equal(firstBody.GetProperty("code").GetString(), retryBody.GetProperty("code").GetString());
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(before, await app.EventCountAsync());

        var reused = await coach.Api.SendAsync(HttpMethod.Post, path, """{"daysValid":30}""", Key);
        await ApiClient.ProblemAsync(reused, (System.Net.HttpStatusCode)422);
        Assert.Equal(before, await app.EventCountAsync());

        // Keys are the caller's own: another coach's identical key is a request of its own.
        var (other, otherSquad, _) = await app.SquadAsync();
        var theirs = await ApiClient.OkAsync(await other.Api.SendAsync(HttpMethod.Post, $"/api/squads/{otherSquad}/invites", """{"daysValid":7}""", Key));
        Assert.NotEqual(firstBody.GetProperty("code").GetString(), theirs.GetProperty("code").GetString());
    }

    [Fact]
    public async Task If_Match_with_a_stale_version_is_a_412_and_the_current_one_succeeds()
    {
        var (coach, squadId, _) = await app.SquadAsync();
        var first = await coach.Api.Http.PutAsJsonAsync($"/api/squads/{squadId}/name", new { name = "First" });
        await ApiClient.OkAsync(first);
        var etag = first.Headers.ETag!.Tag;

        // Someone else renames it in between.
        await ApiClient.OkAsync(await coach.Api.Http.PutAsJsonAsync($"/api/squads/{squadId}/name", new { name = "Second" }));
        var before = await app.EventCountAsync();
        var stale = await coach.Api.SendAsync(HttpMethod.Put, $"/api/squads/{squadId}/name", """{"name":"Mine"}""", r => r.Headers.TryAddWithoutValidation("If-Match", etag));
        var problem = await ApiClient.ProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        Assert.Equal(before, await app.EventCountAsync());
        var current = stale.Headers.ETag!.Tag;
        Assert.NotEqual(etag, current);
        Assert.Equal(long.Parse(current.Trim('"'), System.Globalization.CultureInfo.InvariantCulture), problem.GetProperty("currentVersion").GetInt64());

        var fresh = await coach.Api.SendAsync(HttpMethod.Put, $"/api/squads/{squadId}/name", """{"name":"Mine"}""", r => r.Headers.TryAddWithoutValidation("If-Match", current));
        await ApiClient.OkAsync(fresh);
        var malformed = await coach.Api.SendAsync(HttpMethod.Put, $"/api/squads/{squadId}/name", """{"name":"Mine"}""", r => r.Headers.TryAddWithoutValidation("If-Match", "\"yesterday\""));
        Assert.Contains("If-Match", await ApiClient.BadFieldsAsync(malformed));
    }

    [Fact]
    public async Task Concurrent_renames_without_If_Match_all_land_each_at_a_version_of_its_own()
    {
        var (coach, squadId, _) = await app.SquadAsync();
        var before = await app.EventCountAsync();
        // Eight writers on one stream: seven lose a race at least once, and Wolverine decides them again.
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => coach.Api.Http.PutAsJsonAsync($"/api/squads/{squadId}/name", new { name = $"Name {i}" })));
        foreach (var response in responses) await ApiClient.OkAsync(response);
        Assert.Equal(before + 8, await app.EventCountAsync());
        var versions = responses.Select(r => long.Parse(r.Headers.ETag!.Tag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(Enumerable.Range((int)versions[0], 8).Select(v => (long)v), versions);
    }

    [Fact]
    public async Task Concurrent_reports_from_one_athlete_all_land_without_If_Match()
    {
        var (_, _, code) = await app.SquadAsync();
        var ana = await app.AthleteAsync(code);
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => ana.Api.Http.PostAsJsonAsync($"/api/athletes/{ana.Id}/reports", Bodies.Report(1, 2))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var history = await ana.Api.GetOkAsync($"/api/athletes/{ana.Id}/history?pageSize=50");
        Assert.Equal(8, history.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("kind").GetString() == "report"));
    }

    [Fact]
    public async Task A_node_that_missed_another_nodes_writes_decides_on_the_stream_as_it_now_is()
    {
        var (coach, _, code) = await app.SquadAsync();
        var ana = await app.AthleteAsync(code);
        // This node decides Ana's first report and remembers her stream as it left it.
        await ApiClient.OkAsync(await ana.Api.Http.PostAsJsonAsync($"/api/athletes/{ana.Id}/reports", Bodies.Report(1, 1)));

        // Another node (here: a cache of folded streams of its own, on the same store) records a red-flag report and its finding.
        var store = app.Services.GetRequiredService<Marten.IDocumentStore>();
        var otherNode = new StreamStates(store);
        var stream = Streams.Athlete(ana.Id);
        Decided<Domain.Athletes.AthleteState> elsewhere;
        await using (var session = store.LightweightSession())
        {
            elsewhere = (await otherNode.LoadAsync(stream, Deciders.Athlete, default)).Decide(Deciders.Athlete, new SubmitPainReport(Guid.CreateVersion7(), null,
                new PainScores(5, 6), new PainDescription(), new RedFlagAnswers(SaddleNumbness: true), new RecoveryContext()), new CommandOptions(),
                DateTimeOffset.UtcNow, session);
            await session.SaveChangesAsync();
        }
        var finding = elsewhere.Events.OfType<FindingRaised>().Single(f => f.Finding.RuleId == "RF-SADDLE").Finding.FindingId;
        var current = elsewhere.Version;

        // The coach acknowledges the finding this node has not seen yet, with the version the other node gave.
        var ack = await coach.Api.SendAsync(HttpMethod.Post, $"/api/athletes/{ana.Id}/findings/{Uri.EscapeDataString(finding)}/acknowledge", "{}",
            r => r.Headers.TryAddWithoutValidation("If-Match", $"\"{current}\""));
        await ApiClient.OkAsync(ack);
        Assert.Equal($"\"{current + 1}\"", ack.Headers.ETag!.Tag);
        // And Ana's next report lands after everything, whichever node wrote it.
        var next = await ApiClient.OkAsync(await ana.Api.Http.PostAsJsonAsync($"/api/athletes/{ana.Id}/reports", Bodies.Report(1, 1)));
        Assert.True(next.GetProperty("version").GetInt64() > current + 1);
        Assert.Equal(next.GetProperty("version").GetInt64(), (await otherNode.LoadAsync(stream, Deciders.Athlete, default)).Version);
    }
}
