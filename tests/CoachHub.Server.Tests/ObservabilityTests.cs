using System.Net;
using System.Net.Http.Headers;
using CoachHub.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CoachHub.Server.Tests;

/// <summary>The Prometheus scrape endpoint: what an operator watches, and who may read it.</summary>
public sealed class ObservabilityTests : IAsyncLifetime
{
    private const string ScrapeToken = "scrape-token-for-tests";
    private readonly PostgresDatabase _db = new();
    private WebApplicationFactory<Program> _open = null!, _guarded = null!;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _open = Node("open", token: null);
        _guarded = Node("guarded", ScrapeToken);
    }

    private WebApplicationFactory<Program> Node(string name, string? token) =>
        TestNode.Start(_db.ConnectionString, name, kestrel: true,
            settings: token is null ? null : new Dictionary<string, string> { ["CoachHub:MetricsToken"] = token });

    public async Task DisposeAsync()
    {
        await _open.DisposeAsync();
        await _guarded.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task Metrics_show_each_routes_latency_and_the_database_pool_to_a_scraper_on_the_same_machine()
    {
        using var http = _open.CreateClient();
        var api = new ApiClient(http);
        var email = $"coach-{Guid.NewGuid():N}@example.com";
        await api.PostOkAsync("/api/auth/coaches", new { email, password = CoachHubApp.Password, name = "Cora" });
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await api.SignInAsync(email, CoachHubApp.Password));
        await api.PostOkAsync("/api/squads", new { name = "Morning Milers" });

        var text = "";
        await Eventually.TrueAsync(async () =>
        {
            var scrape = await http.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
            text = await scrape.Content.ReadAsStringAsync();
            return ServerRequests(text).Any(l => l.Contains("http_route=\"/api/squads/\"", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(10), "the squad creation to show in the scrape");

        Assert.Contains("http_server_request_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("db_client_", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_", text, StringComparison.Ordinal);
        // Probes and scrapes are not traffic: they stay out of the route figures.
        Assert.DoesNotContain(ServerRequests(text), l => l.Contains("http_route=\"/metrics\"", StringComparison.Ordinal) || l.Contains("http_route=\"/health", StringComparison.Ordinal));
    }

    private static IEnumerable<string> ServerRequests(string scrape) =>
        scrape.Split('\n').Where(l => l.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal));

    [Fact]
    public async Task With_a_scrape_token_configured_metrics_need_it_even_from_this_machine()
    {
        using var http = _guarded.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/metrics")).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
        using var right = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ScrapeToken);
        var scraped = await http.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("# TYPE", await scraped.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
