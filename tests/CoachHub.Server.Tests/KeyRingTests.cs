namespace CoachHub.Server.Tests;

/// <summary>The keys behind cookies and tokens are kept in PostgreSQL encrypted with the configured certificate.</summary>
public sealed class KeyRingTests
{
    [Fact]
    public async Task The_keys_behind_sessions_are_stored_encrypted_and_still_sign_people_in()
    {
        // ./coachhub test makes the machine's certificate and names it, as production configuration does.
        Assert.False(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CoachHub__DataProtection__Certificate")),
            "run the tests with ./coachhub test, which sets CoachHub__DataProtection__Certificate");
        var app = new CoachHubApp();
        await app.InitializeAsync();
        await using var _ = app.AsDisposable();
        var coach = await app.CoachAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await coach.Api.Http.GetAsync("/api/me")).StatusCode);

        var keys = (await app.Db.QueryAsync("select xml from dataprotection_keys")).Select(r => (string)r[0]).ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.Contains("X509Certificate", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        });
    }
}
