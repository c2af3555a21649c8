using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace CoachHub.EventStore;

/// <summary>
/// The registry of event types: explicit, versioned names ("pain-report.submitted.v1") mapped to CLR types
/// with source-generated JSON, and upcasters from older names. A CLR name never reaches the database.
/// Register everything at start-up, before the store is used.
/// </summary>
public sealed partial class EventTypes
{
    private readonly Dictionary<string, JsonTypeInfo> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, string> _byType = [];
    private readonly Dictionary<string, (string To, Func<JsonObject, JsonObject> Transform)> _upcasters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _currentNames = new(StringComparer.Ordinal);

    [GeneratedRegex(@"^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*\.v[0-9]+$")]
    private static partial Regex NamePattern();

    public static bool IsWellFormed(string name) => NamePattern().IsMatch(name);

    public EventTypes Register<T>(string name, JsonTypeInfo<T> typeInfo) => Register(name, (JsonTypeInfo)typeInfo);

    public EventTypes Register(string name, JsonTypeInfo typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (!IsWellFormed(name))
            throw new ArgumentException($"Event type name '{name}' must be lower-case, dotted and versioned, like 'run.logged.v1'.", nameof(name));
        if (_byName.ContainsKey(name) || _upcasters.ContainsKey(name))
            throw new ArgumentException($"Event type name '{name}' is registered twice.", nameof(name));
        if (_byType.TryGetValue(typeInfo.Type, out var existing))
            throw new ArgumentException($"{typeInfo.Type.Name} is registered as '{existing}' already.", nameof(typeInfo));
        _byName[name] = typeInfo;
        _byType[typeInfo.Type] = name;
        return this;
    }

    /// <summary>Events stored as <paramref name="from"/> are read as <paramref name="to"/> after <paramref name="transform"/>.</summary>
    public EventTypes Upcast(string from, string to, Func<JsonObject, JsonObject> transform)
    {
        if (!IsWellFormed(from) || !IsWellFormed(to))
            throw new ArgumentException($"Upcaster names '{from}' -> '{to}' must be well-formed type names.");
        if (_byName.ContainsKey(from) || _upcasters.ContainsKey(from))
            throw new ArgumentException($"'{from}' is already a current type or has an upcaster.", nameof(from));
        _upcasters[from] = (to, transform);
        return this;
    }

    public string NameOf(Type type) =>
        _byType.TryGetValue(type, out var name) ? name
            : throw new InvalidOperationException($"{type.Name} is not a registered event type.");

    internal string Serialize(object @event, out string name)
    {
        name = NameOf(@event.GetType());
        return JsonSerializer.Serialize(@event, _byName[name]);
    }

    /// <summary>The name an event stored as <paramref name="storedName"/> is read as, after upcasting.</summary>
    public string CurrentName(string storedName) => _currentNames.GetOrAdd(storedName, static (n, self) =>
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (self._upcasters.TryGetValue(n, out var up))
        {
            if (!seen.Add(n)) throw new InvalidOperationException($"Upcasters loop at '{n}'.");
            n = up.To;
        }
        return n;
    }, this);

    public object Deserialize(string storedName, string json, long position)
    {
        var name = storedName;
        JsonObject? node = null;
        while (_upcasters.TryGetValue(name, out var up))
        {
            node ??= JsonNode.Parse(json)?.AsObject() ?? [];
            node = up.Transform(node);
            name = up.To;
        }
        if (!_byName.TryGetValue(name, out var info))
            throw new UnknownEventTypeException(storedName, position);
        var result = node is null ? JsonSerializer.Deserialize(json, info) : node.Deserialize(info);
        return result ?? throw new JsonException($"Event '{storedName}' at position {position} deserialized to null.");
    }
}
