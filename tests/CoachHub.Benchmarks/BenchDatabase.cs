using Npgsql;

namespace CoachHub.Benchmarks;

/// <summary>A database of its own for each benchmark run, created fresh and dropped afterwards.</summary>
internal static class BenchDatabase
{
    /// <param name="template">Another database to copy; nobody may be connected to it (retried briefly while its last sessions end).</param>
    public static async Task<string> CreateAsync(string adminConnectionString, string name, string template = "template0")
    {
        await DropAsync(adminConnectionString, name);
        await using (var admin = new NpgsqlConnection(adminConnectionString))
        {
            await admin.OpenAsync();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var cmd = new NpgsqlCommand($"create database \"{name}\" template \"{template}\"", admin);
                    await cmd.ExecuteNonQueryAsync();
                    break;
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 50)
                {
                    await Task.Delay(100);
                }
            }
        }
        return new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name, MaxPoolSize = 64 }.ConnectionString;
    }

    /// <summary>Drops the run's database, unless COACHHUB_BENCH_KEEP=1 asks to keep it for a look at its plans and sizes.</summary>
    public static async Task DoneWithAsync(string adminConnectionString, string name)
    {
        if (Environment.GetEnvironmentVariable("COACHHUB_BENCH_KEEP") == "1")
            Report.Note($"kept the database {name} (COACHHUB_BENCH_KEEP=1); drop it when done");
        else
            await DropAsync(adminConnectionString, name);
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

/// <summary>
/// The baseline appends are measured against: a plain single-row INSERT of the same JSON into a copy of Marten's
/// mt_events (same columns and indexes, no mt_streams row), each its own transaction.
/// </summary>
internal static class InsertBaseline
{
    public const string CreateTable =
        "create schema if not exists bench; create sequence if not exists bench.seq; create table if not exists bench.inserted (like events.mt_events including all);";

    public static async Task InsertAsync(NpgsqlDataSource db, string stream, long version, string json, string type, string correlation, string user)
    {
        await using var cmd = db.CreateCommand("""
            insert into bench.inserted (seq_id, id, stream_id, version, data, type, timestamp, correlation_id, user_name)
            values (nextval('bench.seq'), $1, $2, $3, $4, $5, now(), $6, $7)
            """);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7() });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stream });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = version });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = json, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Jsonb });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = type });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = correlation });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = user });
        await cmd.ExecuteNonQueryAsync();
    }
}
