using System.Text.Json;
using System.Text.Json.Serialization;
using JasperFx;
using JasperFx.Events;
using Marten;
using Weasel.Core;

namespace CoachHub.Server.Platform;

/// <summary>
/// Marten on our database (ADR 0005, issue 27): its tables in the <c>events</c> schema beside ours, our stream
/// ids (<c>athlete-&lt;guid&gt;</c>, <c>account-&lt;hash&gt;</c>), our versioned event type names and the JSON shape our own
/// store writes. MartenGuaranteeTests pin what the command path will rely on. No host creates Marten's schema by
/// itself: <see cref="Composition"/> applies it with the server's migrations, or <c>migrate</c> does beforehand.
/// </summary>
public static class MartenStore
{
    public const string Schema = "events";

    /// <param name="configure">What the composition adds: <see cref="Configure"/> with its event types, its projections.</param>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddCoachHubMarten(this IServiceCollection services,
        Action<StoreOptions> configure) =>
        // The registered NpgsqlDataSource: Marten shares the node's pool, its name and its telemetry.
        services.AddMarten(configure).UseNpgsqlDataSource().UseLightweightSessions();

    public static void Configure(StoreOptions options, IEnumerable<(Type Type, string Name)> eventTypes)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(eventTypes);
        options.DatabaseSchemaName = Schema;
        options.Events.DatabaseSchemaName = Schema;
        options.Events.StreamIdentity = StreamIdentity.AsString;
        // Schema changes are a deliberate step (migrations, ./coachhub test's template), never a side effect of a query.
        options.AutoCreateSchemaObjects = AutoCreate.None;
        // The JSON our source-generated contexts write: camelCase, enums by name, nulls left out. Marten resets the
        // naming policy it is given, so casing and enum storage are passed again (ADR 0005).
        options.UseSystemTextJsonForSerialization(
            new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull },
            EnumStorage.AsString, Casing.CamelCase);
        // Who appended and for which request, as our own store keeps them.
        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.Events.MetadataConfig.UserNameEnabled = true;
        foreach (var (type, name) in eventTypes) options.Events.MapEventType(type, name);
        options.Schema.For<CommandKey>().Identity(k => k.Id);
    }
}

/// <summary>
/// Stored in the same session as a command's events, under the command's Idempotency-Key: a retry of the same
/// command conflicts on the key (DocumentAlreadyExistsException) and appends nothing.
/// </summary>
public sealed record CommandKey(string Id, string StreamId, DateTimeOffset At);
