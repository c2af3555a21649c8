using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using CoachHub.Testing;

namespace CoachHub.Deploy.Tests;

/// <summary>
/// The docker-compose topology without containers: the local PostgreSQL, two CoachHub processes and nginx with
/// deploy/nginx.conf in front, all on loopback; a smoke test through the load balancer, WebSocket included.
/// </summary>
public sealed class TopologyTests : IAsyncLifetime
{
    private readonly PostgresDatabase _db = new();
    private readonly string _nginxDir = Path.Combine(Path.GetTempPath(), $"coachhub-nginx-{Guid.NewGuid():N}");
    private ServerProcess _nodeA = null!, _nodeB = null!;
    private Process _nginx = null!;
    private Uri _balancer = null!;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        var nodes = await Task.WhenAll(ServerProcess.StartAsync(_db.ConnectionString, Settings("node-a")), ServerProcess.StartAsync(_db.ConnectionString, Settings("node-b")));
        (_nodeA, _nodeB) = (nodes[0], nodes[1]);

        var port = FreePort();
        _balancer = new Uri($"http://127.0.0.1:{port}");
        Directory.CreateDirectory(_nginxDir);
        // Workers drop to an unprivileged user when started as root: their temp folders must be theirs to write.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_nginxDir, (UnixFileMode)0b111_111_111);
        var config = (await File.ReadAllTextAsync(Path.Combine(Repo.Root, "deploy", "nginx.conf")))
            .Replace("NODE_A", _nodeA.Address.Authority, StringComparison.Ordinal)
            .Replace("NODE_B", _nodeB.Address.Authority, StringComparison.Ordinal)
            .Replace("LISTEN", $"127.0.0.1:{port}", StringComparison.Ordinal)
            .Replace("PIDFILE", Path.Combine(_nginxDir, "nginx.pid"), StringComparison.Ordinal)
            .Replace("TEMPDIR", _nginxDir, StringComparison.Ordinal);
        var configFile = Path.Combine(_nginxDir, "nginx.conf");
        await File.WriteAllTextAsync(configFile, config);
        var nginx = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
        var start = new ProcessStartInfo(nginx) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-e", "stderr", "-p", _nginxDir, "-c", configFile, "-g", "daemon off;" }) start.ArgumentList.Add(arg);
        _nginx = Process.Start(start)!;
        using var http = new HttpClient { BaseAddress = _balancer };
        await Eventually.TrueAsync(async () =>
        {
            if (_nginx.HasExited) throw new InvalidOperationException($"nginx exited: {await _nginx.StandardError.ReadToEndAsync()}");
            try { return (await http.GetAsync("/health/ready")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, TimeSpan.FromSeconds(20), "nginx answers");
    }

    // Both nodes on SignalR's Redis backplane, as in compose and Kubernetes.
    private Dictionary<string, string> Settings(string node) =>
        new(TestRedis.Environment(_db.Name)) { ["CoachHub__NodeName"] = node, ["CoachHub__RunJobs"] = "false" };

    public async Task DisposeAsync()
    {
        if (_nginx is { HasExited: false }) { _nginx.Kill(entireProcessTree: true); await _nginx.WaitForExitAsync(); }
        _nginx?.Dispose();
        await _nodeA.DisposeAsync();
        await _nodeB.DisposeAsync();
        await _db.DisposeAsync();
        Directory.Delete(_nginxDir, recursive: true);
    }

    [Fact]
    public async Task Through_the_load_balancer_a_coach_hears_an_athletes_emergency_and_a_dead_node_is_routed_around()
    {
        using var http = new HttpClient { BaseAddress = _balancer };
        // Sticky: every request from this client reaches the same node.
        var served = new HashSet<string>();
        for (var i = 0; i < 10; i++) served.Add((await http.GetAsync("/health/live")).Headers.GetValues("X-CoachHub-Node").Single());
        var sticky = Assert.Single(served);
        // Each node's metrics are for the scraper on its own network, not for the public behind the balancer.
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/metrics")).StatusCode);

        var coachEmail = $"coach-{Guid.NewGuid():N}@example.com";
        const string password = "correct horse battery";
        await Ok(await http.PostAsJsonAsync("/api/auth/coaches", new { email = coachEmail, password, name = "Coach" }));
        var coachToken = (await Ok(await http.PostAsJsonAsync("/api/auth/signin", new { email = coachEmail, password }))).GetProperty("accessToken").GetString()!;
        using var coach = new HttpClient { BaseAddress = _balancer };
        coach.DefaultRequestHeaders.Authorization = new("Bearer", coachToken);
        var squadId = (await Ok(await coach.PostAsJsonAsync("/api/squads", new { name = "Behind nginx" }))).GetProperty("squadId").GetGuid();
        var code = (await Ok(await coach.PostAsJsonAsync($"/api/squads/{squadId}/invites", new { }))).GetProperty("code").GetString();
        var athleteEmail = $"athlete-{Guid.NewGuid():N}@example.com";
        var athleteId = (await Ok(await http.PostAsJsonAsync("/api/auth/athletes", new { email = athleteEmail, password, name = "Ana", timeZone = "Europe/Dublin", inviteCode = code })))
            .GetProperty("userId").GetGuid();
        var athleteToken = (await Ok(await http.PostAsJsonAsync("/api/auth/signin", new { email = athleteEmail, password }))).GetProperty("accessToken").GetString()!;

        // The hub's WebSocket goes through nginx too.
        await using (var hub = await HubClient.ConnectAsync(_balancer, coachToken))
        {
            using var athlete = new HttpClient { BaseAddress = _balancer };
            athlete.DefaultRequestHeaders.Authorization = new("Bearer", athleteToken);
            var report = new
            {
                pain = new { painNow = 5, worstDuringRun = 6 },
                redFlags = new
                {
                    saddleNumbness = true, bladderOrBowelChange = false, bothLegsNumbOrWeak = false, legWeakness = false,
                    feverOrUnwell = false, worseAtNight = false, unexplainedWeightLoss = false, afterFallOrImpact = false,
                },
            };
            await Ok(await athlete.PostAsJsonAsync($"/api/athletes/{athleteId}/reports", report));
            // The report raises more than one finding, each its own message in no set order: the emergency is among them.
            await hub.WaitForAsync("findingRaised", f => f.GetProperty("athleteId").GetGuid() == athleteId && f.GetProperty("severity").GetString() == "emergency",
                TimeSpan.FromSeconds(5));
        }

        // The node this client was pinned to dies; the balancer sends it to the other, and its token still works there.
        await (sticky == "node-a" ? _nodeA : _nodeB).KillAsync();
        var afterwards = await coach.GetAsync($"/api/squads/{squadId}/board");
        await Ok(afterwards);
        Assert.NotEqual(sticky, afterwards.Headers.GetValues("X-CoachHub-Node").Single());
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
