using System.Text.Json;
using System.Text.Json.Serialization;
using CoachHub.Domain;

namespace CoachHub.Domain.Tests.Support;

/// <summary>Compares events the way they will be stored: type name plus System.Text.Json payload.</summary>
internal static class EventJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    public static string Canonical(object @event) =>
        $"{CoachingEvents.TypeNameOf(@event)} {JsonSerializer.Serialize(@event, @event.GetType(), Options)}";

    /// <summary>Serialises, reads back and serialises again; an event that does not survive this cannot be stored.</summary>
    public static void AssertRoundTrips(object @event)
    {
        var type = @event.GetType();
        var json = JsonSerializer.Serialize(@event, type, Options);
        var back = JsonSerializer.Deserialize(json, type, Options);
        Assert.NotNull(back);
        Assert.Equal(json, JsonSerializer.Serialize(back, type, Options));
    }

    public static string Of(object value) => JsonSerializer.Serialize(value, value.GetType(), Options);
}
