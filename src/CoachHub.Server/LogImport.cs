using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CoachHub.Server.Accounts;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Npgsql;

namespace CoachHub.Server;

/// <summary>How far the one-time copy of our store's log into Marten has got (a Marten document).</summary>
public sealed record LogImportProgress(string Id, ulong TransactionId, long Position, long Events, bool Done);

/// <summary>
/// A database written by CoachHub before Marten (ADR 0001's own store, removed in issue 27) brings that log
/// (es.events) into Marten, once, at the first start of a node that runs on Marten:
/// every event, in batches of the log, each stream's events in their order, so streams keep their ids and
/// versions. Marten's inline projection rebuilds the read model from them as they arrive (its tables are emptied
/// in the first batch's transaction). Each batch records its progress in its own transaction, so a node that dies
/// mid-way resumes where it stopped; an advisory lock lets one node copy while the others wait. A database whose
/// Marten log was in use before has nothing imported.
/// </summary>
public static class LogImport
{
    private const string ProgressId = "es";
    private const int BatchSize = 1_000;

    /// <summary>Every event type CoachHub stores, by its name, read with the JSON it was written with.</summary>
    private static readonly IReadOnlyDictionary<string, Type> Types = Composition.EventTypesByName;

    private static readonly JsonSerializerOptions Json = new(CoachingJson.Default.Options)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(CoachingJson.Default, AccountJson.Default),
    };

    public static async Task<long> RunAsync(IDocumentStore marten, NpgsqlDataSource db, ILogger logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(marten);
        ArgumentNullException.ThrowIfNull(db);
        await using var lockConnection = await db.OpenConnectionAsync(ct);
        // A database that never had our own store (every new one): nothing to copy, nothing to remember.
        if (await Scalar(lockConnection, "select to_regclass('es.events') is null", ct) is true) return 0;
        await Sql(lockConnection, "select pg_advisory_lock(hashtextextended('coachhub:log-import', 0))", ct);
        try
        {
            LogImportProgress? progress;
            await using (var query = marten.QuerySession()) progress = await query.LoadAsync<LogImportProgress>(ProgressId, ct);
            if (progress?.Done == true) return 0;
            if (progress is null && (bool)(await Scalar(lockConnection, $"select exists (select 1 from {Platform.MartenStore.Schema}.mt_events)", ct))!)
                return 0;
            var from = progress is null ? Start : (progress.TransactionId, progress.Position);
            var copied = progress?.Events ?? 0;
            while (true)
            {
                var batch = await ReadAsync(lockConnection, from, ct);
                // Nothing was ever written to our store (a new database): nothing to copy, nothing to remember.
                if (batch.Count == 0 && progress is null && copied == 0) return 0;
                await using var session = marten.LightweightSession();
                if (from == Start)
                    foreach (var table in CoachingProjection.Tables)
                        session.QueueSqlCommand($"delete from {CoachingProjection.SchemaName}.{table}");
                // One append per stream per batch, in the stream's order: Marten may apply two appends to one stream in
                // a session in either order, which the read model would see as history rewritten. Streams are
                // independent, so their interleaving within a batch does not matter to it.
                foreach (var stream in batch.GroupBy(e => e.StreamId, StringComparer.Ordinal))
                    session.Events.Append(stream.Key, [.. stream.Select(e => e.Data)]);
                copied += batch.Count;
                var last = batch.Count > 0 ? batch[^1].At : from;
                session.Store(new LogImportProgress(ProgressId, last.TransactionId, last.Position, copied, Done: batch.Count == 0));
                await session.SaveChangesAsync(ct);
                if (batch.Count == 0)
                {
                    if (copied > 0) logger.LogInformation("Copied {Events} events of our own store's log into Marten", copied);
                    return copied;
                }
                from = last;
            }
        }
        finally
        {
            await Sql(lockConnection, "select pg_advisory_unlock(hashtextextended('coachhub:log-import', 0))", CancellationToken.None);
        }
    }

    private static readonly (ulong TransactionId, long Position) Start = (0, 0);

    private sealed record LoggedEvent((ulong TransactionId, long Position) At, string StreamId, object Data);

    /// <summary>The next events of the old log in its order: by writing transaction, then position.</summary>
    private static async Task<List<LoggedEvent>> ReadAsync(NpgsqlConnection connection, (ulong TransactionId, long Position) after, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            select transaction_id::text::bigint, position, stream_id, type, data::text from es.events
             where (transaction_id, position) > ($1::text::xid8, $2)
             order by transaction_id, position limit {BatchSize}
            """, connection);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = after.TransactionId.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after.Position });
        var events = new List<LoggedEvent>(BatchSize);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (position, type) = (reader.GetInt64(1), reader.GetString(3));
            // An event nobody can read any more must stop the move, not vanish from the history.
            var clr = Types.GetValueOrDefault(type)
                ?? throw new InvalidOperationException($"es.events holds an event of unknown type '{type}' at position {position}: it cannot be copied into Marten.");
            events.Add(new LoggedEvent(((ulong)reader.GetInt64(0), position), reader.GetString(2), JsonSerializer.Deserialize(reader.GetString(4), clr, Json)!));
        }
        return events;
    }

    private static async Task Sql(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        return await cmd.ExecuteScalarAsync(ct);
    }
}
