namespace CoachHub.EventStore;

/// <summary>Another writer appended to the stream first: reload, decide again, retry or report 412.</summary>
public sealed class ConcurrencyException(string streamId, ExpectedVersion expected, long actual)
    : Exception($"Stream '{streamId}' is at version {actual}, but the append expected {expected}.")
{
    public string StreamId { get; } = streamId;
    public ExpectedVersion Expected { get; } = expected;
    public long ActualVersion { get; } = actual;
}

/// <summary>A stored event whose type name no registered type or upcaster knows.</summary>
public sealed class UnknownEventTypeException(string typeName, long position)
    : Exception($"Unknown event type '{typeName}' at position {position}: register it or an upcaster from it.")
{
    public string TypeName { get; } = typeName;
    public long Position { get; } = position;
}

/// <summary>An idempotency key was reused for a different stream: the caller's keys collide.</summary>
public sealed class IdempotencyKeyConflictException(string key, string streamId, string firstStreamId)
    : Exception($"Idempotency key '{key}' was first used for stream '{firstStreamId}', not '{streamId}'.")
{
    public string Key { get; } = key;
}
