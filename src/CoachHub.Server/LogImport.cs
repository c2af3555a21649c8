using CoachHub.EventStore;
using CoachHub.Server.ReadModels;
using Marten;
using Npgsql;

namespace CoachHub.Server;

/// <summary>How far the one-time copy of our store's log into Marten has got (a Marten document).</summary>
public sealed record LogImportProgress(string Id, ulong TransactionId, long Position, long Events, bool Done);

/// <summary>
/// A node moving onto Marten (CoachHub:EventStore=marten) brings our own store's log (es.events) with it, once:
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

    public static async Task<long> RunAsync(PostgresEventStore own, IDocumentStore marten, NpgsqlDataSource db, ILogger logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(marten);
        ArgumentNullException.ThrowIfNull(db);
        // A blank database: our store's schema may not be there yet (its migrator starts after the server's).
        await own.MigrateAsync(ct);
        await using var lockConnection = await db.OpenConnectionAsync(ct);
        await Sql(lockConnection, "select pg_advisory_lock(hashtextextended('coachhub:log-import', 0))", ct);
        try
        {
            LogImportProgress? progress;
            await using (var query = marten.QuerySession()) progress = await query.LoadAsync<LogImportProgress>(ProgressId, ct);
            if (progress?.Done == true) return 0;
            if (progress is null && (bool)(await Scalar(lockConnection, $"select exists (select 1 from {Platform.MartenStore.Schema}.mt_events)", ct))!)
                return 0;
            var from = progress is null ? LogPosition.Start : new LogPosition(progress.TransactionId, progress.Position);
            var copied = progress?.Events ?? 0;
            while (true)
            {
                var batch = await own.ReadAllAsync(from, BatchSize, ct);
                // Nothing was ever written to our store (a new database): nothing to copy, nothing to remember.
                if (batch.Count == 0 && progress is null && copied == 0) return 0;
                await using var session = marten.LightweightSession();
                if (from == LogPosition.Start)
                    foreach (var table in CoachingProjection.Tables)
                        session.QueueSqlCommand($"delete from {CoachingProjection.SchemaName}.{table}");
                // One append per stream per batch, in the stream's order: Marten may apply two appends to one stream in
                // a session in either order, which the read model would see as history rewritten. Streams are
                // independent, so their interleaving within a batch does not matter to it.
                foreach (var stream in batch.GroupBy(e => e.StreamId, StringComparer.Ordinal))
                    session.Events.Append(stream.Key, [.. stream.Select(e => e.Data)]);
                copied += batch.Count;
                var last = batch.Count > 0 ? batch[^1].LogPosition : from;
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
