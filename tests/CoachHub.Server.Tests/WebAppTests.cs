using System.Net;

namespace CoachHub.Server.Tests;

/// <summary>
/// The web app's files load for someone not signed in (they are served before authentication), its invite link
/// leads to sign-up, and the API around it stays closed.
/// </summary>
public sealed class WebAppTests(CoachHubApp app) : IClassFixture<CoachHubApp>
{
    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/index.html", "text/html")]
    [InlineData("/js/app.js", "text/javascript")]
    [InlineData("/css/app.css", "text/css")]
    [InlineData("/lib/signalr/signalr.min.js", "text/javascript")]
    [InlineData("/lib/chart.js/chart.umd.min.js", "text/javascript")]
    public async Task The_app_and_its_packages_load_without_signing_in(string path, string contentType)
    {
        using var http = app.Anonymous();
        var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task The_apps_own_copy_of_the_disclaimer_is_the_apis()
    {
        using var http = app.Anonymous();
        var ui = await http.GetStringAsync("/js/ui.js");
        Assert.Contains($"export const DISCLAIMER = '{CoachHub.Domain.Disclaimer.Text}';", ui, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_join_link_leads_to_the_sign_up_page_with_the_code()
    {
        using var http = app.Anonymous();
        var response = await http.GetAsync("/join?code=AB CD");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/#/signup?role=athlete&code=AB%20CD", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_api_and_unknown_paths_still_need_a_signed_in_caller()
    {
        using var http = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/squads")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/no-such-page")).StatusCode);
    }
}
