
namespace CoachHub.Server.Platform;

/// <summary>A stream's pure decider, as the domain defines it.</summary>
public sealed record Decider<TState, TCommand>(
    TState Initial,
    Func<TState, object, TState> Evolve,
    Func<TCommand, TState, DateTimeOffset, IReadOnlyList<object>> Decide);

public sealed record CommandResult<TState>(TState State, long Version, IReadOnlyList<object> Events, bool WasDuplicate);

/// <summary>
/// The one path every command takes, from HTTP and from jobs alike: load the stream, decide, append at the
/// version that was loaded (on a first try, the version this node last saw). With If-Match the client's version must be current (else 412); without it a
/// lost race is decided again on the fresh state. An Idempotency-Key makes a retried request append nothing.
/// </summary>
public sealed class CommandPipeline(IEventStreams store, TimeProvider time)
{
    /// <summary>Streams whose folded state this node keeps; past that the cache starts over.</summary>
    public const int CachedStreams = 5_000;

    /// <summary>
    /// Each stream's folded state and the version it reflects. Events never change, so a cached state only ever
    /// needs the events after its version: correct on every node, whatever the other nodes write.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (object State, long Version)> _folded = new(StringComparer.Ordinal);

    public DateTimeOffset Now => time.GetUtcNow();

    public async Task<CommandResult<TState>> RunAsync<TState, TCommand>(string streamId, Decider<TState, TCommand> decider,
        Func<TState, TCommand> command, CommandOptions options, CancellationToken ct = default) =>
        await RunAsync(streamId, decider, command, options, null, ct);

    /// <param name="now">When "now" depends on the state (the athlete's own clock), computed from it.</param>
    public async Task<CommandResult<TState>> RunAsync<TState, TCommand>(string streamId, Decider<TState, TCommand> decider,
        Func<TState, TCommand> command, CommandOptions options, Func<TState, DateTimeOffset>? now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(decider);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(options);
        for (var attempt = 1; ; attempt++)
        {
            // A first try decides on what this node last saw of the stream, without reading it: the append's
            // expected version catches anything written since. Only a write can trust it, so a refusal, a
            // no-op or a 412 decided on it is decided again on the stream as it is.
            var cached = attempt == 1 ? Cached(streamId, decider) : null;
            var (state, version) = cached ?? await LoadAsync(streamId, decider, ct);
            IReadOnlyList<object> events;
            try
            {
                if (options.IfMatch is { } expected && expected != version)
                    throw new PreconditionFailedException(version);
                events = decider.Decide(command(state), state, now?.Invoke(state) ?? options.Now ?? time.GetUtcNow());
            }
            catch (Exception) when (cached is not null)
            {
                continue;
            }
            if (events.Count == 0)
            {
                if (cached is not null) continue;
                return new CommandResult<TState>(state, version, events, false);
            }
            try
            {
                var appended = await store.AppendAsync(streamId, version, events,
                    new AppendMetadata(options.IdempotencyKey, options.UserId, options.CorrelationId), ct);
                if (appended.WasDuplicate)
                {
                    var (current, currentVersion) = await LoadAsync(streamId, decider, ct);
                    return new CommandResult<TState>(current, currentVersion, [], true);
                }
                var next = events.Aggregate(state, decider.Evolve);
                Remember(streamId, next!, appended.Version);
                return new CommandResult<TState>(next, appended.Version, events, false);
            }
            catch (ConcurrencyException) when (cached is not null)
            {
                // The stream moved on since this node last saw it: read it and decide again (a 412 included).
            }
            catch (ConcurrencyException) when (options.IfMatch is null && attempt < 20)
            {
                // Someone else appended between our read and our write: decide again on what is there now,
                // after a short random pause so that racing requests spread out.
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
            }
            catch (ConcurrencyException ex) when (options.IfMatch is not null)
            {
                throw new PreconditionFailedException(ex.ActualVersion);
            }
        }
    }

    /// <summary>Starts a stream that must not exist yet (one account per email): false when it does, and nothing is appended.</summary>
    public async Task<bool> StartStreamAsync(string streamId, IReadOnlyList<object> events, string? userId, CancellationToken ct = default)
    {
        try
        {
            await store.AppendAsync(streamId, 0, events, new AppendMetadata(UserId: userId), ct);
            return true;
        }
        catch (ConcurrencyException)
        {
            return false;
        }
    }

    private (TState State, long Version)? Cached<TState, TCommand>(string streamId, Decider<TState, TCommand> decider) =>
        _folded.TryGetValue(streamId, out var cached) && cached.State is TState known ? (known, cached.Version) : null;

    /// <summary>The stream's current state: the cached fold plus whatever was appended since, from any node.</summary>
    public async Task<(TState State, long Version)> LoadAsync<TState, TCommand>(string streamId, Decider<TState, TCommand> decider, CancellationToken ct = default)
    {
        var (state, version, caughtUp) = await CatchUpAsync(streamId, decider, ct);
        if (caughtUp) Remember(streamId, state!, version);
        return (state, version);
    }

    /// <summary>
    /// The state for a read that decides nothing (a sign-in): folded like <see cref="LoadAsync"/> but not kept, so
    /// such reads never crowd the streams commands write out of the cache, nor keep password hashes in it.
    /// </summary>
    public async Task<TState> ReadAsync<TState, TCommand>(string streamId, Decider<TState, TCommand> decider, CancellationToken ct = default) =>
        (await CatchUpAsync(streamId, decider, ct)).State;

    private async Task<(TState State, long Version, bool CaughtUp)> CatchUpAsync<TState, TCommand>(string streamId, Decider<TState, TCommand> decider, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(decider);
        var (state, version) = Cached(streamId, decider) ?? (decider.Initial, 0L);
        var newer = await store.ReadAsync(streamId, version + 1, ct);
        if (newer.Count == 0) return (state, version, false);
        foreach (var e in newer) state = decider.Evolve(state, e.Data);
        return (state, newer[^1].Version, true);
    }

    private void Remember(string streamId, object state, long version)
    {
        if (_folded.Count >= CachedStreams) _folded.Clear();
        _folded.AddOrUpdate(streamId, (state, version), (_, old) => old.Version >= version ? old : (state, version));
    }
}

public sealed record CommandOptions
{
    public long? IfMatch { get; init; }
    public string? IdempotencyKey { get; init; }
    public string? UserId { get; init; }
    public Guid? CorrelationId { get; init; }
    /// <summary>The decision's clock; defaults to the server's. Callers pass the athlete's offset where "today" matters.</summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>If-Match and Idempotency-Key from the request; the key is scoped to the caller and the route.</summary>
    public static CommandOptions From(HttpContext http, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(caller);
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length > 200) throw new BadFieldException("Idempotency-Key", "must be at most 200 characters.");
        return new CommandOptions
        {
            IfMatch = ETags.IfMatch(http),
            IdempotencyKey = key.Length == 0 ? null : $"{caller.UserId:N}:{http.Request.Method}:{http.Request.Path}:{key}",
            UserId = caller.UserId.ToString(),
            CorrelationId = System.Diagnostics.Activity.Current is { } a ? DeterministicGuid.From(a.TraceId.ToString()) : null,
        };
    }
}

public static class DeterministicGuid
{
    /// <summary>A stable id derived from text: a retried request with the same Idempotency-Key names the same run.</summary>
    public static Guid From(string text) =>
        new(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
}
