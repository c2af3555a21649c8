using Npgsql;

namespace CoachHub.Benchmarks;

/// <summary>A database of its own for each benchmark run, created fresh and dropped afterwards.</summary>
internal static class BenchDatabase
{
    public static async Task<string> CreateAsync(string adminConnectionString, string name)
    {
        await DropAsync(adminConnectionString, name);
        await using (var admin = new NpgsqlConnection(adminConnectionString))
        {
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"create database \"{name}\" template template0", admin);
            await cmd.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name, MaxPoolSize = 64 }.ConnectionString;
    }

    public static async Task DropAsync(string adminConnectionString, string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(adminConnectionString);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", admin);
        await cmd.ExecuteNonQueryAsync();
    }
}
