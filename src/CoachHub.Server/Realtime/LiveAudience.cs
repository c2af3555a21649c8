using System.Collections.Concurrent;

namespace CoachHub.Server.Realtime;

/// <summary>
/// Which hub groups have someone connected to this node. Most events have nobody watching here: the fan-out
/// checks this before it looks an athlete's squads up or reads the event's body.
/// </summary>
public sealed class LiveAudience
{
    private readonly ConcurrentDictionary<string, int> _listeners = new(StringComparer.Ordinal);

    public bool IsEmpty => _listeners.IsEmpty;

    public bool IsWatched(string group) => ListenersOf(group) > 0;

    /// <summary>How many connections on this node are in <paramref name="group"/>.</summary>
    public int ListenersOf(string group) => _listeners.GetValueOrDefault(group);

    public void Join(string group) => _listeners.AddOrUpdate(group, 1, (_, n) => n + 1);

    public void Leave(string group)
    {
        // Decrement, and drop the group at zero without racing a concurrent Join (compare-and-remove).
        while (_listeners.TryGetValue(group, out var n))
        {
            if (n > 1 ? _listeners.TryUpdate(group, n - 1, n) : _listeners.TryRemove(KeyValuePair.Create(group, n))) return;
        }
    }
}
