using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CoachHub.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace CoachHub.Server.Tests;

/// <summary>
/// PostgreSQL restarted (as after a crash) while athletes post reports: every report the server acknowledged is in
/// the store exactly once, the outage is answered honestly (503, not 500), and the service answers again within 10 s.
/// A database of its own: the suite's shared one stays up.
/// </summary>
public sealed class FaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Athletes = 8;
    private OwnPostgres? _postgres;
    private ServerProcess? _server;

    public async Task InitializeAsync()
    {
        _postgres = await OwnPostgres.StartAsync();
        await using (var admin = new NpgsqlConnection(_postgres.ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand("create database coachhub", admin);
            await create.ExecuteNonQueryAsync();
        }
        // A fresh database: the server migrates it as it starts.
        _server = await ServerProcess.StartAsync(_postgres.ConnectionString("coachhub"), new Dictionary<string, string> { ["CoachHub__RunJobs"] = "false" });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Reports_acknowledged_across_a_database_restart_are_stored_exactly_once_and_service_returns_within_10_s()
    {
        using var http = new HttpClient { BaseAddress = _server!.Address, Timeout = TimeSpan.FromSeconds(20) };
        var email = $"coach-{Guid.NewGuid():N}@example.com";
        await ApiClient.OkAsync(await http.PostAsJsonAsync("/api/auth/coaches", new { email, password = CoachHubApp.Password, name = "Cora" }));
        var coach = new ApiClient(new HttpClient { BaseAddress = _server.Address });
        coach.Http.DefaultRequestHeaders.Authorization = new("Bearer", await coach.SignInAsync(email, CoachHubApp.Password));
        var squad = (await coach.PostOkAsync("/api/squads", new { name = "Restarted" })).GetProperty("squadId").GetGuid();
        var code = (await coach.PostOkAsync($"/api/squads/{squad}/invites", new { singleUse = false })).GetProperty("code").GetString();
        var athletes = new List<(Guid Id, ApiClient Api)>();
        for (var i = 0; i < Athletes; i++)
        {
            var athleteEmail = $"athlete-{Guid.NewGuid():N}@example.com";
            var id = (await ApiClient.OkAsync(await http.PostAsJsonAsync("/api/auth/athletes", new
            {
                email = athleteEmail, password = CoachHubApp.Password, name = $"Runner {i}", timeZone = "Europe/Dublin", inviteCode = code,
            }))).GetProperty("userId").GetGuid();
            var api = new ApiClient(new HttpClient { BaseAddress = _server.Address, Timeout = TimeSpan.FromSeconds(20) });
            api.Http.DefaultRequestHeaders.Authorization = new("Bearer", await api.SignInAsync(athleteEmail, CoachHubApp.Password));
            athletes.Add((id, api));
        }

        // Each athlete posts reports one after another, as the app does: a failed post is sent again with the same
        // Idempotency-Key until it is acknowledged. Every answer's status is kept.
        var acknowledged = new ConcurrentDictionary<Guid, int>();
        var statuses = new ConcurrentDictionary<string, int>();
        var firstAnswerAfterRestart = new TaskCompletionSource<TimeSpan>();
        var restarted = Stopwatch.StartNew();
        var restartDone = false;
        using var stop = new CancellationTokenSource();
        async Task PostReportsAsync(Guid athleteId, ApiClient api)
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var key = $"fault-{athleteId:N}-{n}";
                while (true)
                {
                    string status;
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/athletes/{athleteId}/reports") { Content = JsonContent.Create(Bodies.Report(3, 4)) };
                        request.Headers.Add("Idempotency-Key", key);
                        using var response = await api.Http.SendAsync(request);
                        status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                        if (response.IsSuccessStatusCode)
                        {
                            acknowledged.AddOrUpdate(athleteId, 1, (_, c) => c + 1);
                            if (Volatile.Read(ref restartDone)) firstAnswerAfterRestart.TrySetResult(restarted.Elapsed);
                            statuses.AddOrUpdate(status, 1, (_, c) => c + 1);
                            break;
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        status = "no answer";
                    }
                    statuses.AddOrUpdate(status, 1, (_, c) => c + 1);
                    await Task.Delay(100);
                }
            }
        }
        var load = athletes.Select(a => Task.Run(() => PostReportsAsync(a.Id, a.Api))).ToList();

        await Task.Delay(TimeSpan.FromSeconds(3));
        var before = acknowledged.Values.Sum();
        await _postgres!.RestartAsync();
        restarted.Restart();
        Volatile.Write(ref restartDone, true);
        var back = await firstAnswerAfterRestart.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await Task.WhenAll(load).WaitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"{before} reports before the restart, {acknowledged.Values.Sum()} in all; first acknowledged {back.TotalSeconds:0.0} s after PostgreSQL was back; " +
            string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} x{s.Value}")));

        Assert.True(back < TimeSpan.FromSeconds(10), $"the first report after the restart was acknowledged {back.TotalSeconds:0.0} s later");
        Assert.False(statuses.ContainsKey("500"), "the outage was answered with a 500: " + string.Join(", ", statuses.Select(s => $"{s.Key} x{s.Value}")));
        await using var db = NpgsqlDataSource.Create(_postgres.ConnectionString("coachhub"));
        foreach (var (athleteId, _) in athletes)
        {
            await using var count = db.CreateCommand("select count(*) from events.mt_events where stream_id = $1 and type = 'pain-report.submitted.v1'");
            count.Parameters.AddWithValue($"athlete-{athleteId:N}");
            Assert.Equal((long)acknowledged.GetValueOrDefault(athleteId), (long)(await count.ExecuteScalarAsync())!);
        }
        Assert.True(acknowledged.Values.Sum() > before, "reports were acknowledged after the restart");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
    }
}
