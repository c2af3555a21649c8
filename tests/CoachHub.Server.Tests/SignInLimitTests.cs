using System.Net;
using System.Net.Http.Json;
using CoachHub.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CoachHub.Server.Tests;

/// <summary>Password guessing waits, per account and per client address, and says for how long.</summary>
public sealed class SignInLimitTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private readonly CoachHubApp _app;

    public SignInLimitTests() => _app = new CoachHubApp { Clock = _clock };

    public Task InitializeAsync() => _app.InitializeAsync();
    public Task DisposeAsync() => _app.DisposeAsync();

    private static Task<HttpResponseMessage> SignInAsync(HttpClient http, string email, string password) =>
        http.PostAsJsonAsync("/api/auth/signin", new { email, password });

    [Fact]
    public async Task After_ten_wrong_passwords_the_account_waits_out_the_window_with_Retry_After_while_other_accounts_sign_in()
    {
        var target = await _app.CoachAsync("Targeted");
        var bystander = await _app.CoachAsync("Bystander");
        var anon = _app.Anonymous();
        for (var i = 0; i < 10; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(anon, target.Email, $"wrong guess {i:D4}")).StatusCode);

        var refused = await SignInAsync(anon, target.Email, CoachHubApp.Password);
        await ApiClient.ProblemAsync(refused, HttpStatusCode.TooManyRequests);
        var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 15 * 60);
        // The same client, another account: not held up by someone else's guessing.
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(anon, bystander.Email, CoachHubApp.Password)).StatusCode);

        _clock.Now = _clock.Now.AddSeconds(retryAfter + 1);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(anon, target.Email, CoachHubApp.Password)).StatusCode);
        // A success clears the count: one more wrong password is just a wrong password.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(anon, target.Email, "wrong again 0000")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(anon, target.Email, CoachHubApp.Password)).StatusCode);
    }
}

/// <summary>Behind a proxy every client shares its address: the limit counts the forwarded one, from known proxies only.</summary>
public sealed class SignInAddressLimitTests : IAsyncLifetime
{
    private readonly PostgresDatabase _db = new();
    private WebApplicationFactory<Program> _node = null!;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        // A real socket from 127.0.0.1, as from the local nginx the topology ships.
        _node = TestNode.Start(_db.ConnectionString, "limited", kestrel: true,
            settings: new Dictionary<string, string> { ["CoachHub:SignInAttemptsPerMinute"] = "3" });
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _db.DisposeAsync();
    }

    private static async Task<HttpResponseMessage> SignInFromAsync(HttpClient http, string client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/signin") { Content = JsonContent.Create(new { email = $"{Guid.NewGuid():N}@example.com", password = "not a password 1" }) };
        request.Headers.Add("X-Forwarded-For", client);
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task One_client_guessing_through_the_proxy_is_limited_and_told_when_to_retry_while_the_next_client_is_not()
    {
        using var http = _node.CreateClient();
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await SignInFromAsync(http, "203.0.113.7")).StatusCode);
        var limited = await SignInFromAsync(http, "203.0.113.7");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInFromAsync(http, "203.0.113.8")).StatusCode);
    }
}
