using Npgsql;
using Xunit;

namespace CoachHub.Testing;

/// <summary>
/// A throwaway database on the test cluster for one test class (use as IClassFixture), copied from the
/// coachhub_template database that ./coachhub test prepares, and dropped afterwards. Tests run on real
/// PostgreSQL only: without COACHHUB_TEST_DB they fail and say how to run them.
/// </summary>
public class PostgresDatabase : IAsyncLifetime
{
    private readonly string _template;

    /// <summary>Every schema the server uses, migrated once by ./coachhub test.</summary>
    public const string Template = "coachhub_template";

    /// <summary>
    /// Every stored event (stream_id, type, data) whichever store the server appended to, ours or Marten's, while
    /// the log moves onto Marten (issue 27): tests count and read events through it, never one store's table.
    /// </summary>
    public const string AllEvents =
        "(select stream_id, type, data from events.mt_events)";

    /// <summary>PostgreSQL's own empty template: for tests of migrations, and of the event store on its own.</summary>
    public const string Blank = "template0";

    public PostgresDatabase() : this(Template) { }

    protected PostgresDatabase(string template) => _template = template;

    public string Name { get; } = $"coachhub_t_{Guid.NewGuid():N}";
    public string ConnectionString { get; private set; } = "";

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("COACHHUB_TEST_DB") is { Length: > 0 } cs ? cs
            : throw new InvalidOperationException("COACHHUB_TEST_DB is not set: run the tests with ./coachhub test, which starts PostgreSQL and sets it.");

    public async Task InitializeAsync()
    {
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        // Copying a template is refused while anyone is connected to it; other test processes may be copying too.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var cmd = new NpgsqlCommand($"create database \"{Name}\" template \"{_template}\"", admin);
                await cmd.ExecuteNonQueryAsync();
                break;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 50)
            {
                await Task.Delay(50 * attempt);
            }
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = Name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand($"drop database if exists \"{Name}\" with (force)", admin);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync() is { } value and not DBNull ? (T)value : default!;
    }

    public async Task<List<object[]>> QueryAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}

/// <summary>A database with no schema at all, as a new deployment finds it.</summary>
public sealed class BlankPostgresDatabase() : PostgresDatabase(Blank);
