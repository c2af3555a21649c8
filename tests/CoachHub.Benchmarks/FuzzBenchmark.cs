using CoachHub.Testing;
using Npgsql;

namespace CoachHub.Benchmarks;

/// <summary>
/// `./coachhub bench fuzz [REQUESTS] [SEED]`: the fuzz suite in full (10,000 requests by default, a random seed that
/// is printed so a failure can be sent again) against a server process on a fresh database. Prints the rate, the
/// statuses, and each failure; exits non-zero on any.
/// </summary>
internal static class FuzzBenchmark
{
    private const string DatabaseName = "coachhub_bench_fuzz";

    public static async Task<int> RunAsync(string adminConnectionString, string? requests, string? seed)
    {
        var count = int.TryParse(requests, out var n) && n > 0 ? n : 10_000;
        var chosenSeed = int.TryParse(seed, out var s) ? s : Random.Shared.Next();
        var connectionString = await BenchDatabase.CreateAsync(adminConnectionString, DatabaseName);
        try
        {
            await using var server = await ServerProcess.StartAsync(connectionString, new Dictionary<string, string> { ["CoachHub__RunJobs"] = "false" });
            var (callers, known) = await FuzzSetup.SeedAsync(server.Address, connectionString);
            using var http = new HttpClient { BaseAddress = server.Address };
            var targets = await HttpFuzzer.TargetsAsync(http);
            await using var db = NpgsqlDataSource.Create(connectionString);
            var fuzzer = new HttpFuzzer(server.Address, callers, known, async () =>
            {
                await using var cmd = db.CreateCommand(FuzzSetup.EventHeadSql);
                return (long)(await cmd.ExecuteScalarAsync())!;
            });
            var report = await fuzzer.RunAsync(targets, count, chosenSeed);
            var healthy = (await http.GetAsync("/health/ready")).IsSuccessStatusCode;
            Report.Note($"seed {report.Seed}; {targets.Count} endpoints; statuses (0: a request line Kestrel refused, too long, with a large body in flight): {string.Join(", ", report.Statuses.OrderBy(x => x.Key).Select(x => $"{x.Key} x{x.Value}"))}");
            Report.Figure("fuzz.requests", report.Requests, "requests", $"generated over {targets.Count} endpoints of the OpenAPI document, one keep-alive client");
            Report.Figure("fuzz.requests_per_s", report.Requests / report.Elapsed.TotalSeconds, "requests/s", "each refused one followed by a read of the event log's head");
            Report.Figure("fuzz.failures", report.Failures.Count, "failures", "no answer, a 5xx, or events appended by a refused request: must be 0");
            Report.Figure("fuzz.healthy_after", healthy ? 1 : 0, "", "GET /health/ready after the run: must be 1");
            foreach (var failure in report.Failures) Report.Note(failure);
            return report.Failures.Count == 0 && healthy ? 0 : 1;
        }
        finally
        {
            await BenchDatabase.DoneWithAsync(adminConnectionString, DatabaseName);
        }
    }
}
