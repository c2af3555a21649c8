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
        catch (Exception refused) when (refused is Domain.CoachingRuleViolation or BadFieldException)
        {
            return new Decided<TState>(State, Version, [], refused);
        }
        if (events.Count > 0)
        {
            if (options.IdempotencyKey is { } key) session.Insert(new CommandKey(key, StreamId, now));
            if (options.CorrelationId is { } correlation) session.CorrelationId = correlation.ToString();
            if (options.UserId is { } user) session.LastModifiedBy = user;
            if (Version == 0) session.Events.StartStream(StreamId, [.. events]);
            else session.Events.Append(StreamId, Version + events.Count, [.. events]);
        }
        return new Decided<TState>(events.Aggregate(State, decider.Evolve), Version + events.Count, events);
    }
}

/// <summary>What a command left behind: the stream's state and version after it and the events it appended, or why it was refused.</summary>
public sealed record Decided<TState>(TState State, long Version, IReadOnlyList<object> Events, Exception? Refusal = null);

public static class Decisions
{
    /// <summary>Runs <paramref name="command"/> through its Wolverine handler; a refusal is thrown here, for the endpoint to answer.</summary>
    public static async Task<Decided<TState>> DecideAsync<TState>(this Wolverine.IMessageBus bus, object command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bus);
        var decided = await bus.InvokeAsync<Decided<TState>>(command, ct);
        if (decided.Refusal is { } refusal) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(refusal);
        return decided;
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
    /// <summary>Streams whose folded state this node keeps; past that the cache starts over.</summary>
    public const int CachedStreams = 5_000;

    private readonly ConcurrentDictionary<string, (object State, long Version)> _folded = new(StringComparer.Ordinal);

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
        if (_folded.Count >= CachedStreams) _folded.Clear();
        _folded[streamId] = (state!, version);
        return new Loaded<TState>(streamId, state, version);
    }
}
