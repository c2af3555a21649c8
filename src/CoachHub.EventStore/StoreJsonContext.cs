using System.Text.Json.Serialization;

namespace CoachHub.EventStore;

/// <summary>Source-generated JSON for the store's own types (no reflection on the hot path).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EventMetadata))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
