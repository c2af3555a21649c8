using System.Text.Json;

namespace CoachHub.EventStore;

/// <summary>Who and what caused an append; stored with every event of it.</summary>
public sealed record EventMetadata
{
    public Guid? CorrelationId { get; init; }
    public Guid? CausationId { get; init; }
    public string? UserId { get; init; }
    public DateTimeOffset Timestamp { get; init; }
}

/// <summary>Where a reader of the global log has got to: events are read in (transaction id, position) order.</summary>
public readonly record struct LogPosition(ulong TransactionId, long Position) : IComparable<LogPosition>
{
    public static LogPosition Start { get; } = new(0, 0);

    public int CompareTo(LogPosition other) =>
        TransactionId != other.TransactionId ? TransactionId.CompareTo(other.TransactionId) : Position.CompareTo(other.Position);

    public static bool operator <(LogPosition a, LogPosition b) => a.CompareTo(b) < 0;
    public static bool operator >(LogPosition a, LogPosition b) => a.CompareTo(b) > 0;
    public static bool operator <=(LogPosition a, LogPosition b) => a.CompareTo(b) <= 0;
    public static bool operator >=(LogPosition a, LogPosition b) => a.CompareTo(b) >= 0;
}

/// <summary>
/// An event as stored. <see cref="Type"/> is the current type name (after upcasting); <see cref="Data"/>
/// deserializes lazily, so a projection that only needs the stream and type pays nothing for JSON.
/// </summary>
public sealed class RecordedEvent
{
    private readonly EventTypes _types;
    private object? _data;
    private EventMetadata? _metadata;

    internal RecordedEvent(EventTypes types, long position, ulong transactionId, string streamId, long streamVersion,
        Guid eventId, string storedType, string json, string metadataJson, DateTimeOffset recordedAt, object? data = null)
    {
        _types = types;
        // Just appended: the writer's own object is the event, so an inline projection does not parse it back.
        _data = data;
        Position = position;
        TransactionId = transactionId;
        StreamId = streamId;
        StreamVersion = streamVersion;
        EventId = eventId;
        StoredType = storedType;
        Type = types.CurrentName(storedType);
        Json = json;
        MetadataJson = metadataJson;
        RecordedAt = recordedAt;
    }

    public long Position { get; }
    public ulong TransactionId { get; }
    public LogPosition LogPosition => new(TransactionId, Position);
    public string StreamId { get; }
    public long StreamVersion { get; }
    public Guid EventId { get; }
    /// <summary>The type name the event was written with.</summary>
    public string StoredType { get; }
    /// <summary>The type name after upcasting: what handlers switch on.</summary>
    public string Type { get; }
    public string Json { get; }
    public string MetadataJson { get; }
    public DateTimeOffset RecordedAt { get; }

    /// <summary>The event as its registered CLR type, upcast from older versions where needed.</summary>
    public object Data => _data ??= _types.Deserialize(StoredType, Json, Position);

    public EventMetadata Metadata =>
        _metadata ??= JsonSerializer.Deserialize(MetadataJson, StoreJsonContext.Default.EventMetadata) ?? new EventMetadata();

    public override string ToString() => $"{Type}@{StreamId}/{StreamVersion} (#{Position})";
}
