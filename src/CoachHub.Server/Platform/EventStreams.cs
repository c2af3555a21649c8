namespace CoachHub.Server.Platform;

/// <summary>
/// What the command path needs of the event store, and all it may do: read a stream from a version, and append
/// after exactly the version it decided on. <see cref="MartenEventStreams"/> is the one implementation.
/// </summary>
public interface IEventStreams
{
    /// <summary>The stream's events from <paramref name="fromVersion"/> on, in order; none when it does not exist.</summary>
    Task<IReadOnlyList<StreamEvent>> ReadAsync(string streamId, long fromVersion, CancellationToken ct);

    /// <summary>
    /// Appends <paramref name="events"/> after exactly <paramref name="expectedVersion"/> (0: the stream must not
    /// exist yet). A stream that moved on throws <see cref="ConcurrencyException"/>; an idempotency key that was
    /// used before appends nothing and answers <see cref="StreamAppend.WasDuplicate"/>.
    /// </summary>
    Task<StreamAppend> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<object> events, AppendMetadata metadata, CancellationToken ct);
}

public sealed record StreamEvent(object Data, long Version);

public sealed record StreamAppend(long Version, bool WasDuplicate);

public sealed record AppendMetadata(string? IdempotencyKey = null, string? UserId = null, Guid? CorrelationId = null);

/// <summary>Another writer appended to the stream first: reload, decide again, retry or answer 412.</summary>
public sealed class ConcurrencyException(string streamId, long expected, long actual)
    : Exception($"Stream '{streamId}' is at version {actual}, but the append expected {expected}.")
{
    public string StreamId { get; } = streamId;
    public long ActualVersion { get; } = actual;
}

/// <summary>
/// The command path on Marten: a lightweight session per append, the expected version checked by
/// Marten at commit (Append takes the version after the append, StartStream a stream that must not exist), and
/// the Idempotency-Key stored as a <see cref="CommandKey"/> document in the same transaction, so a retry conflicts
/// on the key and appends nothing. Inline projections write in that transaction too.
/// </summary>
public sealed class MartenEventStreams(Marten.IDocumentStore store, TimeProvider time) : IEventStreams
{
    public async Task<IReadOnlyList<StreamEvent>> ReadAsync(string streamId, long fromVersion, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(streamId, fromVersion: fromVersion, token: ct);
        return [.. events.Select(e => new StreamEvent(e.Data, e.Version))];
    }

    public async Task<StreamAppend> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<object> events, AppendMetadata metadata,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(metadata);
        await using var session = store.LightweightSession();
        if (metadata.IdempotencyKey is { } key) session.Insert(new CommandKey(key, streamId, time.GetUtcNow()));
        if (metadata.CorrelationId is { } correlation) session.CorrelationId = correlation.ToString();
        if (metadata.UserId is { } user) session.LastModifiedBy = user;
        if (expectedVersion == 0) session.Events.StartStream(streamId, [.. events]);
        else session.Events.Append(streamId, expectedVersion + events.Count, [.. events]);
        try
        {
            await session.SaveChangesAsync(ct);
            return new StreamAppend(expectedVersion + events.Count, false);
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            return new StreamAppend(await VersionAsync(streamId, ct), true);
        }
        catch (Exception ex) when (ex is Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.ConcurrencyException)
        {
            // A retry decided on an old state can fail on the version before it meets its key: it is still a retry.
            if (metadata.IdempotencyKey is { } used && await KeyUsedAsync(used, ct)) return new StreamAppend(await VersionAsync(streamId, ct), true);
            // Marten's message may not carry the current version (Quick append mode): read it for the 412's ETag.
            throw new ConcurrencyException(streamId, expectedVersion, await VersionAsync(streamId, ct));
        }
    }

    private async Task<bool> KeyUsedAsync(string key, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<CommandKey>(key, ct) is not null;
    }

    private async Task<long> VersionAsync(string streamId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return (await session.Events.FetchStreamStateAsync(streamId, ct))?.Version ?? 0;
    }
}
