using System.Text.RegularExpressions;
using Npgsql;

namespace CoachHub.EventStore.Projections;

public enum ProjectionLifecycle
{
    /// <summary>Runs in the append's transaction: the writer reads its own write.</summary>
    Inline,
    /// <summary>Runs in the daemon on one node, checkpointed in the same transaction as its writes.</summary>
    Async,
}

/// <summary>
/// A read model built from events. It owns the tables of its own PostgreSQL schema (<see cref="ProjectionSchema.Of"/>);
/// its SQL uses unqualified table names and runs with search_path set to that schema, which is what lets a
/// rebuild fill fresh tables and swap them in atomically.
/// </summary>
public interface IProjection
{
    /// <summary>lower_snake_case; the schema is proj_{Name}.</summary>
    string Name { get; }
    /// <summary>Bump it when <see cref="Schema"/> or the handling changes: the store rebuilds on start-up.</summary>
    int Version { get; }
    ProjectionLifecycle Lifecycle { get; }
    /// <summary>DDL for the projection's tables, unqualified; run once in a fresh schema.</summary>
    string Schema { get; }
    bool Handles(string eventType);
    /// <summary>Applies a batch of events (only those it handles, in order) within the caller's transaction.</summary>
    Task ApplyAsync(IReadOnlyList<RecordedEvent> events, ProjectionContext context, CancellationToken ct);
}

/// <summary>The connection and transaction a projection writes through.</summary>
public sealed class ProjectionContext(NpgsqlConnection connection, NpgsqlTransaction transaction)
{
    public NpgsqlConnection Connection { get; } = connection;
    public NpgsqlTransaction Transaction { get; } = transaction;

    public NpgsqlCommand Command(string sql) => new(sql, Connection, Transaction);

    public NpgsqlBatch Batch() => new(Connection, Transaction);
}

public static partial class ProjectionSchema
{
    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    private static partial Regex NamePattern();

    /// <summary>The schema holding the projection's live tables: query them as proj_{name}.table.</summary>
    public static string Of(string projectionName) =>
        NamePattern().IsMatch(projectionName) ? $"proj_{projectionName}"
            : throw new ArgumentException($"Projection name '{projectionName}' must be lower_snake_case, at most 40 characters.", nameof(projectionName));
}

internal static class ProjectionRunner
{
    /// <summary>Points unqualified names at the projection's live tables, or at <paramref name="schema"/> during a rebuild.</summary>
    public static string SearchPathSql(IProjection projection, string? schema = null) =>
        $"set local search_path to {schema ?? ProjectionSchema.Of(projection.Name)}, public";

    /// <summary>Applies the events the projection handles with search_path on <paramref name="schema"/>.</summary>
    public static async Task ApplyAsync(IProjection projection, IReadOnlyList<RecordedEvent> events, NpgsqlConnection conn,
        NpgsqlTransaction tx, CancellationToken ct, string? schema = null, bool searchPathSet = false)
    {
        var handled = events.Where(e => projection.Handles(e.Type)).ToList();
        if (handled.Count == 0) return;
        if (!searchPathSet)
        {
            await using var cmd = new NpgsqlCommand(SearchPathSql(projection, schema), conn, tx);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await projection.ApplyAsync(handled, new ProjectionContext(conn, tx), ct).ConfigureAwait(false);
    }
}
