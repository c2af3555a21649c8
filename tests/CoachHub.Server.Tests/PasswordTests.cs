using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CoachHub.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CoachHub.Server.Tests;

/// <summary>Accounts people can recover: a password changed with the current one, or reset by a mailed link; other sessions end on every node.</summary>
public sealed partial class PasswordTests : IAsyncLifetime
{
    private const string NewPassword = "a brand new stride of mine";
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

    private static async Task<(string Access, string Refresh)> SignInAsync(WebApplicationFactory<Program> node, string email, string password = CoachHubApp.Password)
    {
        using var http = node.CreateClient();
        var tokens = await ApiClient.OkAsync(await http.PostAsJsonAsync("/api/auth/signin", new { email, password }));
        return (tokens.GetProperty("accessToken").GetString()!, tokens.GetProperty("refreshToken").GetString()!);
    }

    private static async Task<HttpStatusCode> SignInStatusAsync(WebApplicationFactory<Program> node, string email, string password)
    {
        using var http = node.CreateClient();
        return (await http.PostAsJsonAsync("/api/auth/signin", new { email, password })).StatusCode;
    }

    private static HttpClient As(WebApplicationFactory<Program> node, string token)
    {
        var http = node.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<HttpStatusCode> MeAsync(WebApplicationFactory<Program> node, string token)
    {
        using var http = As(node, token);
        return (await http.GetAsync("/api/me")).StatusCode;
    }

    private static async Task<HttpStatusCode> RefreshAsync(WebApplicationFactory<Program> node, string refresh)
    {
        using var http = node.CreateClient();
        return (await http.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = refresh })).StatusCode;
    }

    private async Task<long> PasswordChangesAsync() =>
        await _nodes.Db.ScalarAsync<long>($"select count(*) from {PostgresDatabase.AllEvents} e where type = 'account.password-changed.v1'");

    [Fact]
    public async Task A_changed_password_needs_the_current_one_and_ends_every_other_session_on_every_node()
    {
        var email = await CoachEmailAsync();
        var (here, _) = await SignInAsync(_nodes.A, email);
        var (elsewhere, elsewhereRefresh) = await SignInAsync(_nodes.B, email);
        using var http = As(_nodes.A, here);

        // Refused, each naming its field, and nothing written.
        Assert.Equal(["currentPassword"], await ApiClient.BadFieldsAsync(await http.PostAsJsonAsync("/api/auth/password",
            new { currentPassword = "not the password at all", newPassword = NewPassword })));
        Assert.Equal(["newPassword"], await ApiClient.BadFieldsAsync(await http.PostAsJsonAsync("/api/auth/password",
            new { currentPassword = CoachHubApp.Password, newPassword = "short" })));
        Assert.Equal(["newPassword"], await ApiClient.BadFieldsAsync(await http.PostAsJsonAsync("/api/auth/password",
            new { currentPassword = CoachHubApp.Password, newPassword = CoachHubApp.Password })));
        Assert.Equal(["currentPassword", "newPassword"], await ApiClient.BadFieldsAsync(await http.PostAsJsonAsync("/api/auth/password", new { })));
        Assert.Equal(0, await PasswordChangesAsync());
        using (var stranger = _nodes.A.CreateClient())
            Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.PostAsJsonAsync("/api/auth/password",
                new { currentPassword = CoachHubApp.Password, newPassword = NewPassword })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsJsonAsync("/api/auth/password",
            new { currentPassword = CoachHubApp.Password, newPassword = NewPassword })).StatusCode);
        Assert.Equal(1, await PasswordChangesAsync());

        // The session that changed it goes on; the other one, on the other node, ends with its refresh token.
        Assert.Equal(HttpStatusCode.OK, await MeAsync(_nodes.A, here));
        await Eventually.TrueAsync(async () => await MeAsync(_nodes.B, elsewhere) == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(5),
            "the other node ends the session from before the change");
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(_nodes.A, elsewhere));
        Assert.Equal(HttpStatusCode.Unauthorized, await RefreshAsync(_nodes.A, elsewhereRefresh));
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInStatusAsync(_nodes.B, email, CoachHubApp.Password));
        var (fresh, _) = await SignInAsync(_nodes.B, email, NewPassword);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(_nodes.A, fresh));
    }

    [Fact]
    public async Task A_mailed_link_resets_the_password_once_and_ends_every_session_and_strangers_learn_nothing()
    {
        var email = await CoachEmailAsync();
        var (before, beforeRefresh) = await SignInAsync(_nodes.A, email);
        using var anonymous = _nodes.B.CreateClient();

        // The same answer whether or not the email has an account; only the account's owner gets mail.
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";
        var forUnknown = await anonymous.PostAsJsonAsync("/api/auth/password-reset", new { email = unknown });
        var forKnown = await anonymous.PostAsJsonAsync("/api/auth/password-reset", new { email });
        Assert.Equal(HttpStatusCode.Accepted, forUnknown.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, forKnown.StatusCode);
        Assert.Equal(await forUnknown.Content.ReadAsStringAsync(), await forKnown.Content.ReadAsStringAsync());
        Assert.Equal(["email"], await ApiClient.BadFieldsAsync(await anonymous.PostAsJsonAsync("/api/auth/password-reset", new { email = "not an email" })));

        var mail = await TestMailbox.WaitForAsync(email);
        Assert.Equal("Choose a new CoachHub password", mail.Subject);
        var link = LinkPattern().Match(mail.TextBody ?? "");
        Assert.True(link.Success, mail.TextBody);
        Assert.StartsWith("https://coachhub.test/#/reset/", link.Value, StringComparison.Ordinal);
        var token = link.Groups["token"].Value;
        await Task.Delay(300);
        Assert.Empty(TestMailbox.For(unknown));

        // A refused password leaves the link working; a made-up token is named.
        Assert.Equal(["newPassword"], await ApiClient.BadFieldsAsync(await anonymous.PostAsJsonAsync("/api/auth/password-reset/complete",
            new { token, newPassword = "password1234" })));
        Assert.Equal(["token"], await ApiClient.BadFieldsAsync(await anonymous.PostAsJsonAsync("/api/auth/password-reset/complete",
            new { token = token[..^4] + "AAAA", newPassword = NewPassword })));
        // Characters outside base64url (the fuzzer found this one answered 500).
        Assert.Equal(["token"], await ApiClient.BadFieldsAsync(await anonymous.PostAsJsonAsync("/api/auth/password-reset/complete",
            new { token = token[..^4] + "!*%$", newPassword = NewPassword })));
        Assert.Equal(0, await PasswordChangesAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostAsJsonAsync("/api/auth/password-reset/complete", new { token, newPassword = NewPassword })).StatusCode);
        // Once only.
        Assert.Equal(["token"], await ApiClient.BadFieldsAsync(await anonymous.PostAsJsonAsync("/api/auth/password-reset/complete",
            new { token, newPassword = NewPassword + " again" })));
        Assert.Equal(1, await PasswordChangesAsync());

        // Every session from before ends, on both nodes; the new password signs in, the old one does not.
        await Eventually.TrueAsync(async () => await MeAsync(_nodes.A, before) == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(5),
            "the session from before the reset ends");
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(_nodes.B, before));
        Assert.Equal(HttpStatusCode.Unauthorized, await RefreshAsync(_nodes.B, beforeRefresh));
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInStatusAsync(_nodes.A, email, CoachHubApp.Password));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(_nodes.A, (await SignInAsync(_nodes.A, email, NewPassword)).Access));
    }

    [Fact]
    public async Task Asking_again_and_again_mails_three_links_an_hour_at_most()
    {
        var email = await CoachEmailAsync();
        using var anonymous = _nodes.A.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await anonymous.PostAsJsonAsync("/api/auth/password-reset", new { email })).StatusCode);
            if (i < 3) await Eventually.TrueAsync(() => Task.FromResult(TestMailbox.For(email).Count == i + 1), TimeSpan.FromSeconds(10), $"link {i + 1} mailed");
        }
        await Task.Delay(1_000);
        Assert.Equal(3, TestMailbox.For(email).Count);
    }

    [GeneratedRegex(@"https://coachhub\.test/#/reset/(?<token>[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();
}
