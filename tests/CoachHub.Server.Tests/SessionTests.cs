using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CoachHub.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CoachHub.Server.Tests;

/// <summary>A sign-out signs out: the session's cookie, bearer token and refresh token stop working on every node.</summary>
public sealed class SessionTests : IAsyncLifetime
{
    private readonly TwoNodes _nodes = new();

    public Task InitializeAsync() => _nodes.InitializeAsync();

    public Task DisposeAsync() => _nodes.DisposeAsync();

    private async Task<string> CoachEmailAsync()
    {
        var email = $"coach-{Guid.NewGuid():N}@example.com";
        using var http = _nodes.A.CreateClient();
        await ApiClient.OkAsync(await http.PostAsJsonAsync("/api/auth/coaches", new { email, password = CoachHubApp.Password, name = "Cora" }));
        return email;
    }

    private static async Task<(string Access, string Refresh)> SignInAsync(HttpClient http, string email)
    {
        var tokens = await ApiClient.OkAsync(await http.PostAsJsonAsync("/api/auth/signin", new { email, password = CoachHubApp.Password }));
        return (tokens.GetProperty("accessToken").GetString()!, tokens.GetProperty("refreshToken").GetString()!);
    }

    private static async Task<HttpStatusCode> MeAsync(WebApplicationFactory<Program> node, string token)
    {
        using var http = node.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await http.GetAsync("/api/me")).StatusCode;
    }

    [Fact]
    public async Task Signing_out_on_one_node_ends_the_bearer_and_refresh_tokens_on_every_node_and_other_sessions_go_on()
    {
        var email = await CoachEmailAsync();
        using var a = _nodes.A.CreateClient();
        var (access, refresh) = await SignInAsync(a, email);
        var (otherDevice, _) = await SignInAsync(a, email);
        // Used on node B first, so that node remembers the opened token (RememberedTickets) when the sign-out comes.
        Assert.Equal(HttpStatusCode.OK, await MeAsync(_nodes.B, access));

        // A refresh gives new tokens of the same session.
        var refreshed = await ApiClient.OkAsync(await a.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = refresh }));
        var newAccess = refreshed.GetProperty("accessToken").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await MeAsync(_nodes.B, newAccess));

        a.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access);
        Assert.Equal(HttpStatusCode.NoContent, (await a.PostAsync("/api/auth/signout", null)).StatusCode);

        // At once where it signed out; on the other node as soon as PostgreSQL's announcement arrives.
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(_nodes.A, access));
        await Eventually.TrueAsync(async () => await MeAsync(_nodes.B, access) == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(2), "node B to refuse the signed-out token");
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(_nodes.B, newAccess));
        using var anonymous = _nodes.B.CreateClient();
        var again = await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = refresh });
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        // The same user's other sign-in is another session: it goes on.
        Assert.Equal(HttpStatusCode.OK, await MeAsync(_nodes.B, otherDevice));
    }

    [Fact]
    public async Task A_copy_of_the_cookie_stops_working_once_its_session_signs_out()
    {
        var email = await CoachEmailAsync();
        using var browser = _nodes.A.CreateClient();
        var signIn = await browser.PostAsJsonAsync("/api/auth/signin?useCookies=true", new { email, password = CoachHubApp.Password });
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("coachhub=", StringComparison.Ordinal)).Split(';')[0];

        async Task<HttpStatusCode> WithCookieAsync(WebApplicationFactory<Program> node)
        {
            using var http = node.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
            request.Headers.Add("Cookie", cookie);
            return (await http.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(_nodes.B));
        using var signOut = new HttpRequestMessage(HttpMethod.Post, "/api/auth/signout");
        signOut.Headers.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(signOut)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await WithCookieAsync(_nodes.A));
        await Eventually.TrueAsync(async () => await WithCookieAsync(_nodes.B) == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(2), "node B to refuse the signed-out cookie");
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("")]
    public async Task A_refresh_with_a_forged_or_missing_token_is_refused(string token)
    {
        using var http = _nodes.A.CreateClient();
        var response = await http.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = token });
        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, $"got {(int)response.StatusCode}");
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }
}
