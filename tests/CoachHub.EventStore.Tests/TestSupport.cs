using System.Text.Json.Serialization;
using CoachHub.EventStore.Projections;
using CoachHub.Testing;
using Npgsql;

namespace CoachHub.EventStore.Tests;

public sealed record Deposited(string Account, decimal Amount);
public sealed record Withdrawn(string Account, decimal Amount);
public sealed record AccountOpenedV1(string Name);
public sealed record AccountOpened(string FirstName, string LastName);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Deposited))]
[JsonSerializable(typeof(Withdrawn))]
[JsonSerializable(typeof(AccountOpenedV1))]
[JsonSerializable(typeof(AccountOpened))]
internal sealed partial class TestJson : JsonSerializerContext;

internal static class Stores
{
    public static EventStoreOptions Options(PostgresDatabase db, string node = "test", Action<EventStoreOptions>? configure = null)
    {
        var options = new EventStoreOptions
        {
            ConnectionString = db.ConnectionString,
            NodeName = node,
            PollInterval = TimeSpan.FromMilliseconds(200),
            LeaderRetryInterval = TimeSpan.FromMilliseconds(500),
            LeaderHeartbeat = TimeSpan.FromMilliseconds(500),
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            RetryMaxDelay = TimeSpan.FromMilliseconds(200),
        };
        options.Types.Register("deposit.made.v1", TestJson.Default.Deposited)
            .Register("withdrawal.made.v1", TestJson.Default.Withdrawn)
            .Register("account.opened.v2", TestJson.Default.AccountOpened);
        configure?.Invoke(options);
        return options;
    }

    public static async Task<PostgresEventStore> CreateAsync(PostgresDatabase db, string node = "test", Action<EventStoreOptions>? configure = null)
    {
        var store = new PostgresEventStore(Options(db, node, configure));
        await store.MigrateAsync();
        return store;
    }

    /// <summary>
    /// Transaction ids are cluster-wide, so another test's open transaction can hold every reader back for a moment:
    /// wait until the log's readable head has passed <paramref name="position"/>.
    /// </summary>
    public static Task HeadPassedAsync(PostgresEventStore store, long position) =>
        Eventually.TrueAsync(async () => (await store.HeadAsync()).Position >= position, TimeSpan.FromSeconds(10), $"head passed {position}");

    public static Deposited Deposit(decimal amount = 10, string account = "a") => new(account, amount);

    /// <summary>Ends our sessions on the test database from outside, as a crash or a server restart would.</summary>
    public static Task KillConnectionsAsync(PostgresDatabase db, string applicationNameLike) =>
        db.ExecuteAsync($"""
            select pg_terminate_backend(pid) from pg_stat_activity
             where datname = current_database() and pid <> pg_backend_pid() and application_name like '{applicationNameLike}'
            """);
}

/// <summary>Counts events per stream and records every position it saw, duplicates included.</summary>
internal sealed class StreamCounts(string name = "stream_counts", ProjectionLifecycle lifecycle = ProjectionLifecycle.Async, int version = 1) : IProjection
{
    public string Name => name;
    public int Version => version;
    public ProjectionLifecycle Lifecycle => lifecycle;
    public string Schema => """
        create table counts (stream_id text primary key, events int not null, balance numeric not null, last_version bigint not null);
        create table seen (position bigint not null);
        """;
    public bool Handles(string eventType) => eventType is "deposit.made.v1" or "withdrawal.made.v1";

    public async Task ApplyAsync(IReadOnlyList<RecordedEvent> events, ProjectionContext context, CancellationToken ct)
    {
        await using var batch = context.Batch();
        foreach (var e in events)
        {
            var amount = e.Data switch { Deposited d => d.Amount, Withdrawn w => -w.Amount, _ => 0m };
            var upsert = new NpgsqlBatchCommand("""
                insert into counts (stream_id, events, balance, last_version) values ($1, 1, $2, $3)
                on conflict (stream_id) do update set events = counts.events + 1, balance = counts.balance + excluded.balance,
                    last_version = excluded.last_version
                """);
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.StreamId });
            upsert.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = amount });
            upsert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = e.StreamVersion });
            var seen = new NpgsqlBatchCommand("insert into seen (position) values ($1)");
            seen.Parameters.Add(new NpgsqlParameter<long> { TypedValue = e.Position });
            batch.BatchCommands.Add(upsert);
            batch.BatchCommands.Add(seen);
        }
        await batch.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>
/// For tests that read the whole log (daemons, subscriptions, rebuilds): a fresh database for every test, so
/// one test's events never reach another's subscriber.
/// </summary>
public abstract class FreshDatabaseTest : IAsyncLifetime
{
    protected PostgresDatabase Db { get; } = new BlankPostgresDatabase();
    public virtual Task InitializeAsync() => Db.InitializeAsync();
    public virtual Task DisposeAsync() => Db.DisposeAsync();
}
