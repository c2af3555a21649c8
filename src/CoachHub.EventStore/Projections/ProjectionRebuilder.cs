using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CoachHub.EventStore.Projections;

public sealed record RebuildProgress(string Projection, long EventsProcessed, long HeadPosition, long LastPosition);

public sealed record RebuildReport(string Projection, long Events, TimeSpan Elapsed)
{
    public double EventsPerSecond => Elapsed.TotalSeconds > 0 ? Events / Elapsed.TotalSeconds : Events;
}

/// <summary>
/// Replays the whole log into a fresh schema while the live one keeps serving reads, then, in one transaction
/// that briefly pauses the projection's writers, catches up the last events and swaps the schemas by renaming.
/// </summary>
internal sealed class ProjectionRebuilder(PostgresEventStore store)
{
    private readonly ILogger _logger = store.Loggers.CreateLogger<ProjectionRebuilder>();

    public static string CheckpointName(IProjection projection) => $"projection:{projection.Name}";

    /// <summary>Builds a projection that is new or whose version changed; a no-op when it is current.</summary>
    public Task EnsureCurrentAsync(IProjection projection, CancellationToken ct) =>
        WithRebuildLockAsync(projection, async conn =>
        {
            await using var cmd = new NpgsqlCommand("select version from es.projections where name = $1", conn);
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection.Name });
            if (await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is int v && v == projection.Version) return null;
            return await RebuildCoreAsync(projection, null, ct).ConfigureAwait(false);
        }, ct);

    public async Task<RebuildReport> RebuildAsync(IProjection projection, IProgress<RebuildProgress>? progress, CancellationToken ct) =>
        (await WithRebuildLockAsync(projection, async _ => await RebuildCoreAsync(projection, progress, ct).ConfigureAwait(false), ct).ConfigureAwait(false))!;

    private async Task<RebuildReport?> WithRebuildLockAsync(IProjection projection, Func<NpgsqlConnection, Task<RebuildReport?>> work, CancellationToken ct)
    {
        await using var conn = await store.DataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await Exec(conn, null, $"select pg_advisory_lock(hashtextextended('es:rebuild:{projection.Name}', 0))", ct).ConfigureAwait(false);
        try
        {
            return await work(conn).ConfigureAwait(false);
        }
        finally
        {
            await Exec(conn, null, $"select pg_advisory_unlock(hashtextextended('es:rebuild:{projection.Name}', 0))", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<RebuildReport> RebuildCoreAsync(IProjection projection, IProgress<RebuildProgress>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var live = ProjectionSchema.Of(projection.Name);
        var fresh = live + "_rebuild";
        await using var conn = await store.DataSource.OpenConnectionAsync(ct).ConfigureAwait(false);

        await using (var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false))
        {
            await Exec(conn, tx, $"drop schema if exists {fresh} cascade; create schema {fresh}; set local search_path to {fresh}, public;", ct).ConfigureAwait(false);
            await Exec(conn, tx, projection.Schema, ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }

        long head;
        await using (var cmd = new NpgsqlCommand("select coalesce(max(position), 0) from es.events", conn))
            head = (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;

        var position = LogPosition.Start;
        long processed = 0;
        while (true)
        {
            var events = await store.ReadAllAsync(position, store.Options.RebuildBatchSize, ct).ConfigureAwait(false);
            if (events.Count == 0) break;
            await using (var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false))
            {
                await ProjectionRunner.ApplyAsync(projection, events, conn, tx, ct, fresh).ConfigureAwait(false);
                await tx.CommitAsync(ct).ConfigureAwait(false);
            }
            position = events[^1].LogPosition;
            processed += events.Count;
            progress?.Report(new RebuildProgress(projection.Name, processed, head, position.Position));
        }

        await using (var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false))
        {
            // The daemon's batches for this projection take the same lock: none runs while we swap.
            await Exec(conn, tx, $"select pg_advisory_xact_lock(hashtextextended('es:batch:{projection.Name}', 0))", ct).ConfigureAwait(false);
            var inline = projection.Lifecycle == ProjectionLifecycle.Inline;
            // Inline appends hold this lock shared: once we have it, every inline write has committed.
            if (inline) await Exec(conn, tx, "select pg_advisory_xact_lock(hashtextextended('es:inline', 0))", ct).ConfigureAwait(false);
            while (true)
            {
                var events = await ReadAfterAsync(conn, tx, position, respectOpenTransactions: !inline, ct).ConfigureAwait(false);
                if (events.Count == 0) break;
                await ProjectionRunner.ApplyAsync(projection, events, conn, tx, ct, fresh).ConfigureAwait(false);
                position = events[^1].LogPosition;
                processed += events.Count;
            }
            await Exec(conn, tx, $"""
                do $$ begin
                  if exists (select 1 from pg_namespace where nspname = '{live}') then
                    execute 'alter schema {live} rename to {live}_old';
                  end if;
                end $$;
                alter schema {fresh} rename to {live};
                drop schema if exists {live}_old cascade;
                """, ct).ConfigureAwait(false);
            await using (var batch = new NpgsqlBatch(conn, tx))
            {
                var checkpoint = new NpgsqlBatchCommand("""
                    insert into es.checkpoints (name, transaction_id, position) values ($1, $2, $3)
                    on conflict (name) do update set transaction_id = excluded.transaction_id, position = excluded.position, updated_at = now()
                    """);
                checkpoint.Parameters.Add(new NpgsqlParameter<string> { TypedValue = CheckpointName(projection) });
                checkpoint.Parameters.Add(new NpgsqlParameter<ulong> { TypedValue = position.TransactionId, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Xid8 });
                checkpoint.Parameters.Add(new NpgsqlParameter<long> { TypedValue = position.Position });
                var version = new NpgsqlBatchCommand("""
                    insert into es.projections (name, version, lifecycle, rebuilt_at) values ($1, $2, $3, now())
                    on conflict (name) do update set version = excluded.version, lifecycle = excluded.lifecycle, rebuilt_at = now()
                    """);
                version.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection.Name });
                version.Parameters.Add(new NpgsqlParameter<int> { TypedValue = projection.Version });
                version.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection.Lifecycle.ToString() });
                batch.BatchCommands.Add(checkpoint);
                batch.BatchCommands.Add(version);
                await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }

        var report = new RebuildReport(projection.Name, processed, clock.Elapsed);
        _logger.LogInformation("Rebuilt projection {Projection}: {Events} events in {Elapsed}", projection.Name, processed, clock.Elapsed);
        progress?.Report(new RebuildProgress(projection.Name, processed, head, position.Position));
        return report;
    }

    private async Task<IReadOnlyList<RecordedEvent>> ReadAfterAsync(NpgsqlConnection conn, NpgsqlTransaction tx, LogPosition after,
        bool respectOpenTransactions, CancellationToken ct)
    {
        var filter = respectOpenTransactions ? "and transaction_id < pg_snapshot_xmin(pg_current_snapshot())" : "";
        await using var cmd = new NpgsqlCommand($"""
            select {PostgresEventStore.Columns} from es.events
             where (transaction_id, position) > ($1, $2) {filter}
             order by transaction_id, position limit $3
            """, conn, tx);
        PostgresEventStore.AddPosition(cmd, after);
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = store.Options.RebuildBatchSize });
        return await store.ReadEventsAsync(cmd, ct).ConfigureAwait(false);
    }

    private static async Task Exec(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
