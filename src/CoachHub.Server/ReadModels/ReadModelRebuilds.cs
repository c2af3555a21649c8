using System.Collections.Concurrent;
using CoachHub.Server.Platform;
using Npgsql;

namespace CoachHub.Server.ReadModels;

/// <summary>A rebuild of the read model as an operator follows it: how far it got, and how it ended.</summary>
/// <param name="State">running, done, failed, or interrupted (its node stopped).</param>
/// <param name="Events">Events replayed so far; <paramref name="Total"/> is the log's size when it began (null until then).</param>
public sealed record RebuildStatus(Guid RebuildId, string ReadModel, string State, long Events, long? Total, DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt, string StartedBy, string Node, string? Error);

/// <summary>
/// Runs rebuilds of the coaching read model (<see cref="CoachingRebuild.RunAsync"/>) for admins and the command
/// line, and records each in <c>public.rebuilds</c>: one at a time (a unique index), progress written twice a second
/// from the node running it, so any node can answer how far it got. A node that stops mid-way leaves nothing
/// half-done (the rebuild is one transaction) and its row is reported as interrupted once it goes quiet.
/// </summary>
public sealed class ReadModelRebuilds(NpgsqlDataSource db, NodeIdentity node, IReadOnlyDictionary<string, Type> eventTypes,
    ILogger<ReadModelRebuilds> logger) : IHostedService, IDisposable
{
    public const string Coaching = "coaching";
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(500);
    private const int QuietSeconds = 30;

    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Guid, Task> _running = new();

    /// <summary>Starts a rebuild in the background on this node; null when one is running already.</summary>
    public async Task<RebuildStatus?> StartAsync(string startedBy, CancellationToken ct)
    {
        if (await BeginAsync(startedBy, ct) is not { } id) return null;
        var run = Task.Run(() => RunAsync(id, null, _stopping.Token), CancellationToken.None);
        _running[id] = run;
        _ = run.ContinueWith(t => _running.TryRemove(id, out _), TaskScheduler.Default);
        return await GetAsync(id, ct);
    }

    /// <summary>Runs a rebuild here and now (the command line), reporting (events so far, events in all).</summary>
    /// <returns>How it ended, or null when another rebuild is running.</returns>
    public async Task<RebuildStatus?> RunHereAsync(string startedBy, Action<long, long> progress, CancellationToken ct)
    {
        if (await BeginAsync(startedBy, ct) is not { } id) return null;
        await RunAsync(id, progress, ct);
        return await GetAsync(id, CancellationToken.None);
    }

    public async Task<RebuildStatus?> GetAsync(Guid id, CancellationToken ct) =>
        (await QueryAsync("where id = $1", ct, id)).SingleOrDefault();

    /// <summary>The most recent rebuilds, newest first.</summary>
    public Task<List<RebuildStatus>> RecentAsync(int count, CancellationToken ct) =>
        QueryAsync($"order by started_at desc limit {count}", ct);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops what runs here: each rolls back and is recorded as interrupted.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A test host may be disposed before its hosted services are told to stop: nothing runs here then.
        if (_disposed) return;
        await _stopping.CancelAsync();
        await Task.WhenAll(_running.Values).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private volatile bool _disposed;

    public void Dispose()
    {
        _disposed = true;
        _stopping.Dispose();
    }

    private async Task<Guid?> BeginAsync(string startedBy, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            update rebuilds set state = 'interrupted', finished_at = now(), error = 'The node running it stopped.'
             where state = 'running' and updated_at < now() - interval '{QuietSeconds} seconds'
            """));
        var insert = new NpgsqlBatchCommand($"""
            insert into rebuilds (id, read_model, state, started_at, updated_at, started_by, node)
            values ($1, '{Coaching}', 'running', now(), now(), $2, $3)
            on conflict (read_model) where state = 'running' do nothing
            """);
        insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = startedBy });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = node.Name });
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync(ct);
        // The insert added the row unless a rebuild is running.
        return insert.RecordsAffected == 1 ? id : null;
    }

    private async Task RunAsync(Guid id, Action<long, long>? progress, CancellationToken ct)
    {
        long done = 0, total = -1;
        using var beating = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var heartbeat = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(Heartbeat);
            while (await timer.WaitForNextTickAsync(beating.Token).ConfigureAwait(false))
                await ProgressAsync(id, Interlocked.Read(ref done), Interlocked.Read(ref total), beating.Token);
        }, CancellationToken.None);
        var (state, error) = ("done", (string?)null);
        try
        {
            await CoachingRebuild.RunAsync(db, eventTypes, (events, all) =>
            {
                Interlocked.Exchange(ref done, events);
                Interlocked.Exchange(ref total, all);
                progress?.Invoke(events, all);
            }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            (state, error) = ("interrupted", "The node running it was stopped; nothing was changed.");
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or System.Text.Json.JsonException)
        {
            logger.LogError(ex, "Rebuild {Rebuild} of the coaching read model failed", id);
            (state, error) = ("failed", $"{ex.GetType().Name}: {ex.Message} Nothing was changed; the node's log has the details.");
        }
        await beating.CancelAsync();
        try { await heartbeat; } catch (OperationCanceledException) { }
        await using var cmd = db.CreateCommand("""
            update rebuilds set state = $2, events = $3, total = nullif($4, -1), updated_at = now(), finished_at = now(), error = $5 where id = $1
            """);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = state });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Interlocked.Read(ref done) });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Interlocked.Read(ref total) });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await cmd.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private async Task ProgressAsync(Guid id, long events, long total, CancellationToken ct)
    {
        try
        {
            await using var cmd = db.CreateCommand("update rebuilds set events = $2, total = nullif($3, -1), updated_at = now() where id = $1 and state = 'running'");
            cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = events });
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = total });
            await cmd.ExecuteNonQueryAsync(ct);
        }
        catch (NpgsqlException ex)
        {
            // Progress is for people watching; the rebuild itself goes on.
            logger.LogWarning(ex, "Could not record the progress of rebuild {Rebuild}", id);
        }
    }

    private async Task<List<RebuildStatus>> QueryAsync(string where, CancellationToken ct, Guid? id = null)
    {
        await using var cmd = db.CreateCommand($"""
            select id, read_model,
                   case when state = 'running' and updated_at < now() - interval '{QuietSeconds} seconds' then 'interrupted' else state end,
                   events, total, started_at, finished_at, started_by, node,
                   case when state = 'running' and updated_at < now() - interval '{QuietSeconds} seconds' then 'The node running it stopped.' else error end
              from rebuilds {where}
            """);
        if (id is { } value) cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = value });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<RebuildStatus>();
        while (await r.ReadAsync(ct))
            rows.Add(new RebuildStatus(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.IsDBNull(4) ? null : r.GetInt64(4),
                r.GetFieldValue<DateTimeOffset>(5), r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6), r.GetString(7), r.GetString(8),
                r.IsDBNull(9) ? null : r.GetString(9)));
        return rows;
    }
}
