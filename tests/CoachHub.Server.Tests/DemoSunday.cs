using CoachHub.Server.Jobs;
using CoachHub.Server.ReadModels;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CoachHub.Server.Tests;

/// <summary>
/// The demo's log at its richest, for tests that compare read models built from it: seeded on Sunday 29 November
/// 2026 at 16:00 UTC, then the weekly job at 18:30 adjusts every athlete and turns the approval squad's changes
/// into proposals.
/// </summary>
internal static class DemoSunday
{
    public static async Task<CoachHubApp> StartAsync()
    {
        var app = new CoachHubApp { Clock = new ManualClock(new DateTimeOffset(2026, 11, 29, 16, 0, 0, TimeSpan.Zero)), SeedDemo = true };
        await app.InitializeAsync();
        await app.Client().SignInAsync("coach@demo.coachhub.app", "demo-password");
        app.Clock!.Now = new DateTimeOffset(2026, 11, 29, 18, 30, 0, TimeSpan.Zero);
        await app.WeeklyAsync();
        return app;
    }

    /// <summary>Every coaching table, each as one line: its name, row count and rows in a stable order.</summary>
    public static async Task<List<string>> TablesAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var tables = new List<string>();
        foreach (var table in CoachingProjection.Tables)
        {
            await using var cmd = new NpgsqlCommand(
                $"select '{table}: ' || count(*) || ' ' || coalesce(json_agg(t order by t::text)::text, '[]') from {CoachingProjection.SchemaName}.{table} t", conn);
            tables.Add((string)(await cmd.ExecuteScalarAsync())!);
        }
        return tables;
    }
}
