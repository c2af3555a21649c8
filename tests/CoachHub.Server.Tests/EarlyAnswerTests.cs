using CoachHub.Server.Platform;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CoachHub.Server.Tests;

/// <summary>
/// A server that answers before it has read a request's body (413 too large, 401 not signed in, 415 not JSON) says
/// Connection: close, so a client that keeps its connections alive sends the next request on a new one and gets
/// its answer. On a real socket, with one HttpClient as browsers and apps use them.
/// </summary>
public sealed class EarlyAnswerTests : IAsyncLifetime
{
    private readonly CoachHub.Testing.PostgresDatabase _db = new();
    private WebApplicationFactory<Program> _node = null!;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _node = TestNode.Start(_db.ConnectionString, "node-a", kestrel: true);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task After_an_answer_to_an_unread_body_the_same_client_gets_its_next_answer()
    {
        // One keep-alive client, as a browser or an app holds one.
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { BaseAddress = _node.ClientOptions.BaseAddress };
        var email = $"coach-{Guid.NewGuid():N}@example.com";
        await ApiClient.OkAsync(await http.PostAsJsonAsync("/api/auth/coaches", new { email, password = CoachHubApp.Password, name = "Coach" }));
        var token = (await ApiClient.OkAsync(await http.PostAsJsonAsync("/api/auth/signin", new { email, password = CoachHubApp.Password })))
            .GetProperty("accessToken").GetString()!;
        var huge = new string('x', 300 * 1024);
        // A body read whole keeps the connection.
        using (var created = new HttpRequestMessage(HttpMethod.Post, "/api/squads") { Content = JsonContent.Create(new { name = "Kept alive" }) })
        {
            created.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var answer = await http.SendAsync(created);
            await ApiClient.OkAsync(answer);
            Assert.False(answer.Headers.ConnectionClose ?? false, "an answer to a body read whole keeps the connection");
        }

        for (var i = 0; i < 3; i++)
        {
            // Too large for the API, small enough to discard: refused, read to its end, the connection kept.
            using var tooLarge = new HttpRequestMessage(HttpMethod.Post, "/api/squads") { Content = new StringContent($$"""{"name":"{{huge}}"}""", System.Text.Encoding.UTF8, "application/json") };
            tooLarge.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var refused = await http.SendAsync(tooLarge);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
            Assert.False(refused.Headers.ConnectionClose ?? false, "a 413 to a body small enough to discard keeps the connection");
            await AssertNextAnsweredAsync(http, token);

            // Not signed in: refused before the body mattered, the body discarded.
            var anonymous = await http.PostAsync("/api/squads", new StringContent($$"""{"name":"{{huge[..60_000]}}"}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            await AssertNextAnsweredAsync(http, token);

            // Beyond what the server reads to discard: refused unread, and the answer says Connection: close.
            var enormous = new byte[EarlyAnswers.DrainBytes + 1024];
            using var unread = new HttpRequestMessage(HttpMethod.Post, "/api/squads") { Content = new ByteArrayContent(enormous) };
            unread.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            unread.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            try
            {
                var closed = await http.SendAsync(unread);
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, closed.StatusCode);
                Assert.True(closed.Headers.ConnectionClose, "a 413 to a body too large to discard says Connection: close");
            }
            catch (HttpRequestException)
            {
                // The server stopped reading while the client was still sending 4 MB: a client may see that instead.
            }
            await AssertNextAnsweredAsync(http, token);
        }
    }

    private static async Task AssertNextAnsweredAsync(HttpClient http, string token)
    {
        using var next = new HttpRequestMessage(HttpMethod.Get, "/api/squads");
        next.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var answer = await http.SendAsync(next, limit.Token);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.False(answer.Headers.ConnectionClose ?? false, "an answer to a request read whole keeps the connection");
    }
}
