using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

using CoachHub.Testing;

namespace CoachHub.Benchmarks;

/// <summary>
/// ./coachhub bench realtime: pain reports pushed to 1,000 connected coach clients spread over two server
/// processes (jobs off) on SignalR's Redis backplane, reports posted to both alternately, then the weekly adjustment job over 10,000 athletes in a second server process (see
/// <see cref="WeeklyJobBenchmark"/>).
/// </summary>
internal static class RealtimeBenchmark
{
    private const string DatabaseName = "coachhub_bench_realtime";
    private const int Coaches = 100, ConnectionsPerCoach = 10, ReportsPerSecond = 20;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(5);

    /// <param name="only">"hub" or "weekly" runs that part alone; empty runs both.</param>
    public static async Task<int> RunAsync(string adminConnectionString, string only)
    {
        var whole = Stopwatch.StartNew();
        var realtime = only is "" or "hub" ? await RealtimeAsync(adminConnectionString) : 0;
        var weekly = only is "" or "weekly" ? await WeeklyJobBenchmark.RunAsync(adminConnectionString) : 0;
        Report.Note($"the whole benchmark took {whole.Elapsed.TotalSeconds:0} s");
        return realtime != 0 ? realtime : weekly;
    }

    private static async Task<int> RealtimeAsync(string adminConnectionString)
    {
        var loading = Stopwatch.StartNew();
        var connectionString = await BenchDatabase.CreateAsync(adminConnectionString, DatabaseName);
        try
        {
            // Two nodes: one runs the live fan-out, Redis carries its messages to the other's connections.
            Dictionary<string, string> Node(string name) =>
                new(TestRedis.Environment(DatabaseName)) { ["CoachHub__RunJobs"] = "false", ["CoachHub__NodeName"] = name };
            await using var server = await ServerProcess.StartAsync(connectionString, Node("bench-a"));
            await using var second = await ServerProcess.StartAsync(connectionString, Node("bench-b"));
            ServerProcess[] servers = [server, second];
            using var api = new ApiClient(server.Address);
            using var secondApi = new ApiClient(second.Address);
            ApiClient[] apis = [api, secondApi];
            Report.Note($"realtime servers started (pids {server.Id} and {second.Id}, jobs off, Redis backplane at {TestRedis.ConnectionString}) on a fresh database in {loading.Elapsed.TotalSeconds:0.0} s");

            var pairs = await SignUpAsync(api);
            var receipts = new Receipts();
            var clients = new LiveClient[Coaches * ConnectionsPerCoach];
            var connecting = Stopwatch.StartNew();
            try
            {
                await Parallel.ForEachAsync(Enumerable.Range(0, clients.Length), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (c, _) =>
                    clients[c] = await LiveClient.ConnectAsync(servers[c % 2].Address, pairs[c / ConnectionsPerCoach].CoachToken, receipts.OnInvocation));
                Report.Note($"{clients.Length:N0} hub connections opened in {connecting.Elapsed.TotalSeconds:0.0} s ({ConnectionsPerCoach} per coach, half on each node); setup took {loading.Elapsed.TotalSeconds:0.0} s in all");

                // Warm-up, not measured: one report per athlete, which also proves every connection is in its squad's group.
                var warm = await PostPacedAsync(apis, pairs, receipts, count: Coaches, perSecond: 50, measured: false);
                if (warm.Failures > 0) return Fail($"{warm.Failures} warm-up posts answered non-2xx; the first: {warm.FirstError}");
                await receipts.WaitAllAsync(Drain);
                if (receipts.Missing(measured: false) is var warmMissing and > 0)
                    return Fail($"{warmMissing} warm-up receipts missing of {Coaches * ConnectionsPerCoach}{Disconnected(clients)}");

                var count = (int)(ReportsPerSecond * Window.TotalSeconds);
                var cpu = CpuUse.Start(server);
                var secondCpu = CpuUse.Start(second);
                var posts = await PostPacedAsync(apis, pairs, receipts, count, ReportsPerSecond, measured: true);
                await receipts.WaitAllAsync(Drain);
                var used = $"node a: {cpu.Describe(count, "report")}; node b: {secondCpu.Describe(count, "report")}";
                var latencies = receipts.Latencies();
                var missing = receipts.Missing(measured: true);

                Report.Figure("realtime.clients", clients.Length, "connections", $"{Coaches} coaches x {ConnectionsPerCoach} hub connections over 2 nodes, each coach's squad has 1 athlete");
                Report.Figure("realtime.reports", count, "reports", $"POST /api/athletes/{{id}}/reports as the athlete, {ReportsPerSecond} reports/s for {Window.TotalSeconds:0} s");
                Report.Figure("realtime.receipts", latencies.Count, "messages", $"painReportSubmitted with the report's athleteId and reportId, {ConnectionsPerCoach} expected per report");
                Report.Figure("realtime.missing", missing, "receipts", "must be 0");
                Report.Figure("realtime.p50_ms", Report.Percentile(latencies, 50), "ms");
                Report.Figure("realtime.p99_ms", Report.Percentile(latencies, 99), "ms",
                    $"start of the POST to receipt by each coach connection, {ReportsPerSecond} reports/s, target <= 100");
                Report.Note(string.Create(CultureInfo.InvariantCulture,
                    $"slowest receipt {(latencies.Count == 0 ? double.NaN : latencies.Max()):0.0} ms; the POSTs alone: p50 {Report.Percentile(posts.Latencies, 50):0.0} ms, p99 {Report.Percentile(posts.Latencies, 99):0.0} ms; {receipts.Duplicates} duplicate receipts{Disconnected(clients)}"));
                Report.Note(receipts.DescribeSlow());
                Report.Note(used);
                // What the open connections cost with nothing to send (keep-alive pings both ways), to set against the load.
                var idle = CpuUse.Start(server);
                await Task.Delay(TimeSpan.FromSeconds(3));
                Report.Note($"then idle for 3 s, connections open: {idle.Describe(3_000, "ms")}");
                Report.Figure("server.peak_rss_mb", servers.Max(s => s.PeakRssMegabytes()), "MB", $"VmHWM of the larger realtime node over its run, {clients.Length / 2:N0} connections open on each");

                if (posts.Failures > 0) return Fail($"{posts.Failures} posts answered non-2xx; the first: {posts.FirstError}");
                if (missing > 0) return Fail($"{missing} receipts missing{Disconnected(clients)}");
                return 0;
            }
            finally
            {
                foreach (var client in clients) if (client is not null) await client.DisposeAsync();
            }
        }
        finally
        {
            await BenchDatabase.DropAsync(adminConnectionString, DatabaseName);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 1;
    }

    private static string Disconnected(LiveClient[] clients)
    {
        var closed = clients.Where(c => c?.Closed is not null).ToList();
        return closed.Count == 0 ? "; every connection is still open" : $"; {closed.Count} connections closed, the first: {closed[0].Closed}";
    }

    private sealed record Pair(Guid AthleteId, string AthleteToken, string CoachToken);

    /// <summary>A coach with a squad of one athlete per pair, through the API (each sign-up and sign-in hashes a password).</summary>
    private static async Task<Pair[]> SignUpAsync(ApiClient api)
    {
        var clock = Stopwatch.StartNew();
        var pairs = new Pair[Coaches];
        await Parallel.ForEachAsync(Enumerable.Range(0, Coaches), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (s, _) =>
        {
            var coachEmail = $"coach{s}@realtime.example.com";
            await api.PostAsync("/api/auth/coaches", new { email = coachEmail, password = ApiData.Password, name = $"Coach {s}" });
            var coachToken = await api.SignInAsync(coachEmail, ApiData.Password);
            var squadId = (await api.PostAsync("/api/squads", new { name = $"Squad {s}" }, coachToken)).GetProperty("squadId").GetGuid();
            var code = (await api.PostAsync($"/api/squads/{squadId}/invites", new { singleUse = true, daysValid = 30 }, coachToken)).GetProperty("code").GetString()!;
            var athleteEmail = $"athlete{s}@realtime.example.com";
            var athleteId = (await api.PostAsync("/api/auth/athletes",
                new { email = athleteEmail, password = ApiData.Password, name = $"Athlete {s}", timeZone = ApiData.TimeZone, inviteCode = code }))
                .GetProperty("userId").GetGuid();
            pairs[s] = new Pair(athleteId, await api.SignInAsync(athleteEmail, ApiData.Password), coachToken);
        });
        Report.Note($"signed up and signed in {Coaches} coaches and {Coaches} athletes, a squad each, in {clock.Elapsed.TotalSeconds:0.0} s (HTTP; not a figure)");
        return pairs;
    }

    private sealed record Posts(List<double> Latencies, long Failures, string? FirstError);

    /// <summary>
    /// <paramref name="count"/> reports on a fixed schedule (report i is due at i / perSecond s), whatever the
    /// answers' latency; report i comes from athlete i mod N. The client picks each report's id, so the receipts
    /// can be matched to it before the POST has answered.
    /// </summary>
    private static async Task<Posts> PostPacedAsync(ApiClient[] apis, Pair[] pairs, Receipts receipts, int count, double perSecond, bool measured)
    {
        var latencies = new ConcurrentBag<double>();
        long failures = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due);
            var pair = pairs[i % pairs.Length];
            var api = apis[i % apis.Length];
            inFlight.Add(Task.Run(async () =>
            {
                var reportId = Guid.CreateVersion7();
                var body = $$$"""
                    {"reportId":"{{{reportId}}}","pain":{"painNow":2,"worstDuringRun":3},
                     "redFlags":{"saddleNumbness":false,"bladderOrBowelChange":false,"bothLegsNumbOrWeak":false,"legWeakness":false,
                                 "feverOrUnwell":false,"worseAtNight":false,"unexplainedWeightLoss":false,"afterFallOrImpact":false},
                     "context":{"sleepHours":7.5,"stress":2}}
                    """;
                using var request = ApiClient.Request(HttpMethod.Post, $"/api/athletes/{pair.AthleteId}/reports", pair.AthleteToken, body);
                var start = receipts.Expect(reportId, pair.AthleteId, ConnectionsPerCoach, measured);
                using var response = await api.Http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (!response.IsSuccessStatusCode && Interlocked.Increment(ref failures) == 1) firstError = $"{(int)response.StatusCode} {text}";
            }));
        }
        await Task.WhenAll(inFlight);
        return new Posts([.. latencies], failures, firstError);
    }

    /// <summary>The reports posted and their receipts: latency from the POST's start to each message's arrival.</summary>
    private sealed class Receipts
    {
        private sealed class Expected(Guid athleteId, int connections, bool measured, long start)
        {
            public readonly Guid AthleteId = athleteId;
            public readonly int Connections = connections;
            public readonly bool Measured = measured;
            public readonly long Start = start;
            public int Received;
        }

        private readonly ConcurrentDictionary<Guid, Expected> _expected = new();
        private readonly List<double> _latencies = [];
        /// <summary>Per measured receipt over 100 ms: when its report was posted, in seconds into the window.</summary>
        private readonly List<double> _slowPostedAt = [];
        private long _measuredFrom, _duplicates;

        public long Duplicates => Interlocked.Read(ref _duplicates);

        /// <summary>Registers a report about to be posted; returns its start timestamp.</summary>
        public long Expect(Guid reportId, Guid athleteId, int connections, bool measured)
        {
            var start = Stopwatch.GetTimestamp();
            if (measured) Interlocked.CompareExchange(ref _measuredFrom, start, 0);
            _expected[reportId] = new Expected(athleteId, connections, measured, start);
            return start;
        }

        /// <summary>Called on each connection's receive loop with the arrival timestamp of the frame.</summary>
        public void OnInvocation(string target, JsonElement argument, long arrived)
        {
            if (target != "painReportSubmitted") return;
            if (!_expected.TryGetValue(argument.GetProperty("reportId").GetGuid(), out var report)
                || report.AthleteId != argument.GetProperty("athleteId").GetGuid())
                return;
            if (Interlocked.Increment(ref report.Received) > report.Connections)
            {
                Interlocked.Increment(ref _duplicates);
                return;
            }
            if (!report.Measured) return;
            var latency = Stopwatch.GetElapsedTime(report.Start, arrived).TotalMilliseconds;
            lock (_latencies)
            {
                _latencies.Add(latency);
                if (latency > 100) _slowPostedAt.Add(Stopwatch.GetElapsedTime(Interlocked.Read(ref _measuredFrom), report.Start).TotalSeconds);
            }
        }

        public int Missing(bool measured) =>
            _expected.Values.Where(e => e.Measured == measured).Sum(e => Math.Max(0, e.Connections - Volatile.Read(ref e.Received)));

        /// <summary>Until every registered report has all its receipts, or <paramref name="timeout"/>.</summary>
        public async Task WaitAllAsync(TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < timeout && (Missing(true) > 0 || Missing(false) > 0)) await Task.Delay(20);
        }

        public List<double> Latencies()
        {
            lock (_latencies) return [.. _latencies];
        }

        /// <summary>Whether slow receipts come in bursts (a stall) or are spread over the window.</summary>
        public string DescribeSlow()
        {
            lock (_latencies)
            {
                var posted = _slowPostedAt.Distinct().Order().ToList();
                return posted.Count == 0 ? "no receipt over 100 ms" : string.Create(CultureInfo.InvariantCulture,
                    $"{_slowPostedAt.Count} receipts over 100 ms, of {posted.Count} reports posted at {string.Join(", ", posted.Take(20).Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)))} s into the window");
            }
        }
    }
}
