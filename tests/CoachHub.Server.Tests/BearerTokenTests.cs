using System.Net;

namespace CoachHub.Server.Tests;

/// <summary>
/// Bearer tokens the server has already opened are remembered (RememberedTickets): remembering must not stretch a
/// token's life, accept a forged one, or mix up whose token is whose.
/// </summary>
public sealed class BearerTokenTests : IAsyncLifetime
{
    private readonly CoachHubApp _app = new() { Clock = new ManualClock(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero)) };

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    private static string Dashboard(User athlete) => $"/api/athletes/{athlete.Id}/dashboard";

    [Fact]
    public async Task A_token_the_server_has_already_read_still_expires_12_hours_after_sign_in()
    {
        var athlete = await _app.AthleteAsync(null);
        await athlete.Api.GetOkAsync(Dashboard(athlete));
        _app.Clock!.Now += TimeSpan.FromHours(11);
        await athlete.Api.GetOkAsync(Dashboard(athlete));

        _app.Clock.Now += TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1);
        var response = await athlete.Api.Http.GetAsync(Dashboard(athlete));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_token_changed_in_one_character_is_refused_while_the_original_keeps_working()
    {
        var athlete = await _app.AthleteAsync(null);
        await athlete.Api.GetOkAsync(Dashboard(athlete));
        var middle = athlete.Token.Length / 2;
        var forged = athlete.Token[..middle] + (athlete.Token[middle] == 'A' ? 'B' : 'A') + athlete.Token[(middle + 1)..];

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var response = await _app.Client(forged).Http.GetAsync(Dashboard(athlete));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            await athlete.Api.GetOkAsync(Dashboard(athlete));
        }
    }

    [Fact]
    public async Task Each_remembered_token_stays_its_own_users()
    {
        var ana = await _app.AthleteAsync(null, "Ana Runner");
        var ben = await _app.AthleteAsync(null, "Ben Runner");
        for (var round = 0; round < 2; round++)
        {
            Assert.Equal("Ana Runner", (await ana.Api.GetOkAsync(Dashboard(ana))).GetProperty("athlete").GetProperty("name").GetString());
            Assert.Equal("Ben Runner", (await ben.Api.GetOkAsync(Dashboard(ben))).GetProperty("athlete").GetProperty("name").GetString());
            Assert.Equal(HttpStatusCode.NotFound, (await ben.Api.Http.GetAsync(Dashboard(ana))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await ana.Api.Http.GetAsync(Dashboard(ben))).StatusCode);
        }
    }
}
