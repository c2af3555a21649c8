using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

using CoachHub.Testing;
using Npgsql;

namespace CoachHub.Benchmarks;

/// <summary>The events the loader writes, serialized exactly as the server's own JSON context does.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunLogged))]
[JsonSerializable(typeof(PainReportSubmitted))]
internal sealed partial class HistoryJson : JsonSerializerContext;

internal sealed record BenchSquad(Guid Id, string CoachEmail, string InviteCode);
internal sealed record BenchAthlete(Guid Id, string Email, int Squad);

/// <summary>
/// Coaches, squads and athletes through the real API (sign-ups hash passwords, so they run concurrently), then
/// a year of runs and pain reports per athlete appended straight to the store, in one batch per athlete,
/// through the server's own inline projection so that the read model holds them too.
/// </summary>
internal sealed class ApiData
{
    public const string Password = "bench-password-1";
    // UTC+0 all year: the coaching projection cannot yet store a timestamp with another offset (see docs/performance.md).
    public const string TimeZone = "Atlantic/Reykjavik";
    private const int Weeks = 50;

    public required IReadOnlyList<BenchSquad> Squads { get; init; }
    public required IReadOnlyList<BenchAthlete> Athletes { get; init; }

    public static async Task<ApiData> SignUpAsync(ApiClient api, ServerProcess server, int squads, int athletesPerSquad)
    {
        var clock = Stopwatch.StartNew();
        var created = new BenchSquad[squads];
        await Parallel.ForEachAsync(Enumerable.Range(0, squads), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (s, _) =>
        {
            var email = $"coach{s}@bench.example.com";
            await api.PostAsync("/api/auth/coaches", new { email, password = Password, name = $"Coach {s}" });
            var token = await api.SignInAsync(email, Password);
            var squadId = (await api.PostAsync("/api/squads", new { name = $"Squad {s}" }, token)).GetProperty("squadId").GetGuid();
            var code = (await api.PostAsync($"/api/squads/{squadId}/invites", new { singleUse = false, daysValid = 30 }, token)).GetProperty("code").GetString()!;
            created[s] = new BenchSquad(squadId, email, code);
        });
        var coaches = clock.Elapsed;

        var cpu = CpuUse.Start(server);
        // Neighbouring athletes join different squads, so concurrent joins rarely race on one squad's stream.
        var athletes = new BenchAthlete[squads * athletesPerSquad];
        await Parallel.ForEachAsync(Enumerable.Range(0, athletes.Length), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var email = $"athlete{i}@bench.example.com";
            var squad = i % squads;
            var signedUp = await api.PostAsync("/api/auth/athletes",
                new { email, password = Password, name = $"Athlete {i}", timeZone = TimeZone, inviteCode = created[squad].InviteCode });
            athletes[i] = new BenchAthlete(signedUp.GetProperty("userId").GetGuid(), email, squad);
        });
        Report.Note($"signed up {squads} coaches with a squad each in {coaches.TotalSeconds:0.0} s, {athletes.Length:N0} athletes in {(clock.Elapsed - coaches).TotalSeconds:0.0} s (HTTP; not a figure)");
        Report.Note(cpu.Describe(athletes.Length, "athlete sign-up"));
        return new ApiData { Squads = created, Athletes = athletes };
    }

    /// <summary>Athletes in no squad and with no history, signed in.</summary>
    public static async Task<(Guid Athlete, string Token)[]> FreshAthletesAsync(ApiClient api, int count)
    {
        var athletes = new (Guid, string)[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var email = $"fresh{i}@bench.example.com";
            var signedUp = await api.PostAsync("/api/auth/athletes", new { email, password = Password, name = $"Fresh {i}", timeZone = TimeZone });
            athletes[i] = (signedUp.GetProperty("userId").GetGuid(), await api.SignInAsync(email, Password));
        });
        return athletes;
    }

    /// <summary>Appends <see cref="Weeks"/> weeks of history to every athlete: 4 runs and 1 pain report a week.</summary>
    public async Task<long> LoadHistoryAsync(Marten.IDocumentStore streams, NpgsqlDataSource db, ServerProcess server)
    {
        var clock = Stopwatch.StartNew();
        var cpu = CpuUse.Start(server);
        long events = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, Athletes.Count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            var athlete = Athletes[i];
            var stream = Streams.Athlete(athlete.Id);
            var history = History(i);
            // After the athlete's sign-up events, as their own commands would append (the server's inline read model too).
            await using var session = streams.LightweightSession();
            var version = (await session.Events.FetchStreamStateAsync(stream, ct))?.Version ?? 0;
            StreamAppends.Queue(session, stream, version, history, new CommandOptions { UserId = athlete.Id.ToString() }, DateTimeOffset.UtcNow);
            await session.SaveChangesAsync(ct);
            Interlocked.Add(ref events, history.Count);
        });
        var appended = clock.Elapsed;
        var used = cpu.Describe(events, "history event");
        // As pgbench does before its runs: the bulk load's own aftermath (autovacuum of half a million fresh
        // rows, a checkpoint forced by the WAL they wrote) is done now, not while the posts are being timed.
        foreach (var sql in new[] { "vacuum (analyze)", "checkpoint" })
        {
            await using var cmd = db.CreateCommand(sql);
            cmd.CommandTimeout = 600;
            await cmd.ExecuteNonQueryAsync();
        }
        await using var count = db.CreateCommand("select count(*) from events.mt_events");
        var total = (long)(await count.ExecuteScalarAsync())!;
        Report.Note($"appended {events:N0} history events ({events / Athletes.Count} per athlete) in {appended.TotalSeconds:0.0} s, vacuum, analyze and checkpoint {(clock.Elapsed - appended).TotalSeconds:0.0} s; {total:N0} events in the store (not a figure)");
        Report.Note(used);
        return total;
    }

    /// <summary>A steady, unremarkable year: easy runs on varied surfaces, a Sunday long run and a low-pain report after it.</summary>
    internal static List<object> History(int athlete)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var random = new Random(athlete);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var firstMonday = TrainingCalendar.WeekStartOf(today).AddDays(-7 * Weeks);
        Surface[] surfaces = [Surface.Road, Surface.Trail, Surface.Grass, Surface.Track];
        var events = new List<object>(Weeks * 5);
        for (var week = 0; week < Weeks; week++)
        {
            foreach (var (day, workout) in new[] { (0, WorkoutType.Easy), (2, WorkoutType.Tempo), (4, WorkoutType.Easy), (6, WorkoutType.LongRun) })
            {
                var utc = firstMonday.AddDays(7 * week + day).ToDateTime(new TimeOnly(6, 0).AddMinutes(random.Next(0, 120)), DateTimeKind.Utc);
                var startedAt = TimeZoneInfo.ConvertTime(new DateTimeOffset(utc), zone);
                var distance = workout == WorkoutType.LongRun ? random.Next(11_000, 12_000) : random.Next(6_000, 8_000);
                var duration = distance * random.Next(300, 360) / 1_000;
                var run = new RunLogged(Guid.CreateVersion7(startedAt), startedAt, distance, duration, workout, surfaces[random.Next(surfaces.Length)],
                    random.Next(3, 7), random.Next(0, 120));
                events.Add(run);
                if (workout != WorkoutType.LongRun) continue;
                var pain = random.Next(0, 3);
                events.Add(new PainReportSubmitted(Guid.CreateVersion7(startedAt), run.RunId, startedAt.AddSeconds(duration + 3_600),
                    new PainScores(pain, Math.Min(pain + random.Next(0, 2), 3)), new PainDescription(), RedFlagAnswers.None,
                    new RecoveryContext(SleepHours: 7 + random.Next(0, 4) * 0.5, Stress: random.Next(1, 4))));
            }
        }
        return events;
    }
}
