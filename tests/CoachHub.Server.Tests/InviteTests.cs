using CoachHub.Testing;
using System.Net;
using System.Net.Http.Json;

namespace CoachHub.Server.Tests;

/// <summary>The squad's housekeeping: its coach lists the invite codes and withdraws one; nobody joins with it after.</summary>
public sealed class InviteTests(CoachHubApp app) : IClassFixture<CoachHubApp>
{
    [Fact]
    public async Task A_coach_lists_the_squads_codes_and_a_withdrawn_one_lets_nobody_in()
    {
        var (coach, squadId, kept) = await app.SquadAsync();
        var withdrawn = (await coach.Api.PostOkAsync($"/api/squads/{squadId}/invites", new { email = "ana@example.com", singleUse = true })).GetProperty("code").GetString()!;
        var codes = (await coach.Api.GetOkAsync($"/api/squads/{squadId}/invites")).EnumerateArray().ToList();
        Assert.Contains(codes, c => c.GetProperty("code").GetString() == kept && c.GetProperty("usable").GetBoolean());
        var single = Assert.Single(codes, c => c.GetProperty("code").GetString() == withdrawn);
        Assert.Equal("ana@example.com", single.GetProperty("email").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await coach.Api.Http.DeleteAsync($"/api/squads/{squadId}/invites/{withdrawn}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await coach.Api.Http.DeleteAsync($"/api/squads/{squadId}/invites/{withdrawn}")).StatusCode); // a retry
        Assert.DoesNotContain((await coach.Api.GetOkAsync($"/api/squads/{squadId}/invites")).EnumerateArray(), c => c.GetProperty("code").GetString() == withdrawn);
        Assert.Equal(1L, await app.Db.ScalarAsync<long>($"select count(*) from {PostgresDatabase.AllEvents} e where stream_id = 'squad-{squadId:N}' and type = 'squad.invite-revoked.v1'"));

        // Signing up or joining with it is refused, naming the field; the other code still works.
        var refused = await app.Anonymous().PostAsJsonAsync("/api/auth/athletes", new
        {
            email = $"ana-{Guid.NewGuid():N}@example.com", password = CoachHubApp.Password, name = "Ana", timeZone = "Europe/Dublin", inviteCode = withdrawn,
        });
        Assert.Equal(["inviteCode"], await ApiClient.BadFieldsAsync(refused));
        var athlete = await app.AthleteAsync(kept);
        Assert.Equal(HttpStatusCode.OK, (await athlete.Api.Http.GetAsync("/api/me")).StatusCode);

        // Only the squad's coaches; an unknown code is a 404.
        var (other, _, _) = await app.SquadAsync("Elsewhere");
        Assert.Equal(HttpStatusCode.NotFound, (await other.Api.Http.GetAsync($"/api/squads/{squadId}/invites")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Api.Http.DeleteAsync($"/api/squads/{squadId}/invites/{kept}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coach.Api.Http.DeleteAsync($"/api/squads/{squadId}/invites/NOSUCHCODE")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await athlete.Api.Http.GetAsync($"/api/squads/{squadId}/invites")).StatusCode);
    }
}
