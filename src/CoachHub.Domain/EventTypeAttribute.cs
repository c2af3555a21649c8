namespace CoachHub.Domain;

/// <summary>
/// The stable, versioned name an event is stored under. The CLR name may change; this one never does.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class EventTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
