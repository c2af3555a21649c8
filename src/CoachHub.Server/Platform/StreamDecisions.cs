using System.Collections.Concurrent;
using Marten;

namespace CoachHub.Server.Platform;

/// <summary>A stream as a Wolverine handler decides on it: its state folded up to <paramref name="Version"/>.</summary>
public sealed record Loaded<TState>(string StreamId, TState State, long Version)
{
    /// <summary>
    /// Decides <paramref name="command"/> and queues its events in the handler's Marten session, after exactly this
    /// version (0: the stream must not exist yet); Wolverine commits the session with the outbox's messages. The
    /// Idempotency-Key goes in as a <see cref="CommandKey"/> document, so a racing retry fails on it.
    /// </summary>
    /// <returns>
    /// The state and version after the command for the caller, or the refusal (a stale If-Match, a rule the command
    /// breaks) that the caller answers with: a refusal is an answer, not a failure for Wolverine to log and retry.
    /// </returns>
    public Decided<TState> Decide<TCommand>(Decider<TState, TCommand> decider, TCommand command, CommandOptions options, DateTimeOffset now,
        IDocumentSession session)
    {
        ArgumentNullException.ThrowIfNull(decider);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(session);
        if (options.IfMatch is { } expected && expected != Version)
            return new Decided<TState>(State, Version, [], new PreconditionFailedException(Version));
        IReadOnlyList<object> events;
        try
        {
            events = decider.Decide(command, State, now);
        }
        catch (Exception refused) when (refused is Domain.CoachingRuleViolation or BadFieldException or NotFoundException)
        {
            return new Decided<TState>(State, Version, [], refused);
        }
        StreamAppends.Queue(session, StreamId, Version, events, options, now);
        return new Decided<TState>(events.Aggregate(State, decider.Evolve), Version + events.Count, events);
    }
}

public static class StreamAppends
{
    /// <summary>
    /// Queues <paramref name="events"/> in <paramref name="session"/> after exactly <paramref name="expectedVersion"/>
    /// (0: the stream must not exist; Marten's Append takes the version after the append), with the request's
    /// Idempotency-Key as a <see cref="CommandKey"/> document and who appended for which request. Nothing for no events.
    /// </summary>
    public static void Queue(IDocumentSession session, string streamId, long expectedVersion, IReadOnlyList<object> events, CommandOptions options,
        DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(options);
        if (events.Count == 0) return;
        if (options.IdempotencyKey is { } key) session.Insert(new CommandKey(key, streamId, at));
        if (options.CorrelationId is { } correlation) session.CorrelationId = correlation.ToString();
        if (options.UserId is { } user) session.LastModifiedBy = user;
        if (expectedVersion == 0) session.Events.StartStream(streamId, [.. events]);
        else session.Events.Append(streamId, expectedVersion + events.Count, [.. events]);
    }
}

/// <summary>What a command left behind: the stream's state and version after it and the events it appended, or why it was refused.</summary>
public sealed record Decided<TState>(TState State, long Version, IReadOnlyList<object> Events, Exception? Refusal = null);

/// <summary>A command on one stream, as Wolverine carries it: where its stream is, and the request's options.</summary>
public interface IStreamCommand<TState>
{
    CommandOptions Options { get; }

    /// <summary>The stream this command decides on, as it is now (the handler's load step).</summary>
    Task<Loaded<TState>> LoadAsync(StreamStates streams, CancellationToken ct);
}

public static class Decisions
{
    /// <summary>
    /// Runs <paramref name="command"/> through its Wolverine handler. A refusal is thrown here, for the endpoint to
    /// answer; a command whose Idempotency-Key was used before (a retry racing its first try, which committed
    /// first) is answered with the stream as it is, having appended nothing.
    /// </summary>
    public static async Task<Decided<TState>> DecideAsync<TState>(this Wolverine.IMessageBus bus, IStreamCommand<TState> command, StreamStates streams,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(streams);
        Decided<TState> decided;
        try
        {
            decided = await bus.InvokeAsync<Decided<TState>>(command, ct);
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            return await AsRetryAsync(command, streams, ct);
        }
        if (decided.Refusal is not { } refusal) return decided;
        // Decided again after losing a race to its own first try, a retry sees its own effect and may be refused
        // for it (the squad it creates exists): its key says what it is.
        if (command.Options.IdempotencyKey is { } key && await streams.KeyUsedAsync(key, ct)) return await AsRetryAsync(command, streams, ct);
        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(refusal);
        return decided;
    }

    private static async Task<Decided<TState>> AsRetryAsync<TState>(IStreamCommand<TState> command, StreamStates streams, CancellationToken ct)
    {
        var now = await command.LoadAsync(streams, ct);
        return new Decided<TState>(now.State, now.Version, []);
    }
}

/// <summary>
/// Each stream's folded state as this node last read it (ADR 0002, 0007): a handler's load reads only the events
/// after the cached version (one query, none when nothing is new) instead of folding the whole stream. Events never
/// change, so a cached state is only ever behind, never wrong; a command that loses a race is tried again
/// (Messaging's policy) and its load catches up.
/// </summary>
public sealed class StreamStates(IDocumentStore store)
{
    /// <summary>Whether a command with this Idempotency-Key was appended before (its <see cref="CommandKey"/>).</summary>
    public async Task<bool> KeyUsedAsync(string key, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<CommandKey>(key, ct) is not null;
    }

    /// <summary>Streams whose folded state this node keeps; past that the cache starts over.</summary>
    public const int CachedStreams = 5_000;

    private readonly ConcurrentDictionary<string, (object State, long Version)> _folded = new(StringComparer.Ordinal);

    /// <summary>
    /// The state for a read that decides nothing (a sign-in): folded from the whole stream and not kept, so such reads
    /// never crowd the streams commands write out of the cache, nor keep password hashes in it.
    /// </summary>
    public async Task<TState> ReadAsync<TState, TCommand>(string streamId, Decider<TState, TCommand> decider, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(decider);
        await using var session = store.QuerySession();
        return (await session.Events.FetchStreamAsync(streamId, token: ct)).Aggregate(decider.Initial, (state, e) => decider.Evolve(state, e.Data));
    }

    /// <summary>
    /// Starts a stream that must not exist yet with events decided elsewhere (an account: one per email, the stream
    /// id says which); false when it exists, and nothing is appended.
    /// </summary>
    public async Task<bool> StartAsync(string streamId, IReadOnlyList<object> events, string? userId, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (userId is not null) session.LastModifiedBy = userId;
        session.Events.StartStream(streamId, [.. events]);
        try
        {
            await session.SaveChangesAsync(ct);
            return true;
        }
        catch (Marten.Exceptions.ExistingStreamIdCollisionException)
        {
            return false;
        }
    }

    public async Task<Loaded<TState>> LoadAsync<TState, TCommand>(string streamId, Decider<TState, TCommand> decider, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(decider);
        var (state, version) = _folded.TryGetValue(streamId, out var cached) && cached.State is TState known ? (known, cached.Version) : (decider.Initial, 0L);
        await using (var session = store.QuerySession())
        {
            foreach (var e in await session.Events.FetchStreamAsync(streamId, fromVersion: version + 1, token: ct))
            {
                state = decider.Evolve(state, e.Data);
                version = e.Version;
            }
        }
        // Count takes every lock of the dictionary: asked only when a stream is new to this node.
        if (!_folded.ContainsKey(streamId) && _folded.Count >= CachedStreams) _folded.Clear();
        // A slower load that read less must not replace what a faster one cached.
        _folded.AddOrUpdate(streamId, (state!, version), (_, old) => old.Version >= version ? old : (state!, version));
        return new Loaded<TState>(streamId, state, version);
    }
}
