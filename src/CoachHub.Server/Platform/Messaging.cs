using JasperFx;
using JasperFx.CodeGeneration;
using Wolverine;
using Wolverine.ErrorHandling;
using Marten;
using Wolverine.Marten;

namespace CoachHub.Server.Platform;

/// <summary>
/// Wolverine on every node (ADR 0007): handlers for commands and their consequences, a transactional outbox in
/// Marten's session (a message commits with the events that caused it, or not at all), durable local queues, and
/// its envelope tables in the <c>wolverine</c> schema, created by the server's migrations like every other schema.
/// Release and the test processes run pre-generated handler code (no Roslyn at run time).
/// </summary>
public static class Messaging
{
    public const string Schema = "wolverine";

    /// <summary>
    /// Wolverine's storage in Marten's session: its outbox enrols in the append's transaction, and the events a
    /// handler appends are published through it as they commit (event forwarding), as <paramref name="forward"/> turns
    /// them into messages.
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression WithWolverine(
        this MartenServiceCollectionExtensions.MartenConfigurationExpression marten, Action<IEventForwarding> forward) =>
        marten.IntegrateWithWolverine(m =>
        {
            m.MessageStorageSchemaName = Schema;
            // Created by the server's migrations (ServerMigrations), never as a side effect of starting.
            m.AutoCreate = AutoCreate.None;
            m.UseFastEventForwarding = true;
            forward(m);
        });

    /// <summary>Pauses before the third and later attempts of a command that lost a race: 3.2 s in all, at most twice that with jitter.</summary>
    internal static readonly TimeSpan[] LostRaceCooldowns =
        [.. new[] { 5, 10, 20, 40, 80 }.Concat(Enumerable.Repeat(150, 20)).Select(ms => TimeSpan.FromMilliseconds(ms))];

    private static bool IsCommand(Type type) =>
        !type.IsInterface && type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IStreamCommand<>));

    public static WebApplicationBuilder AddCoachHubMessaging(this WebApplicationBuilder builder, Action<WolverineOptions> route)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(route);
        builder.UseWolverine(opts =>
        {
            // One process may host several apps in tests: say where the handlers are instead of guessing.
            opts.ApplicationAssembly = typeof(Messaging).Assembly;
            opts.AutoBuildMessageStorageOnStartup = AutoCreate.None;
            opts.Policies.UseDurableLocalQueues();
            opts.Policies.AutoApplyTransactions();
            opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Static;
            // A node found dead (no heartbeat for 20 s) has its messages not yet handled taken over by another.
            opts.Durability.HealthCheckPollingTime = TimeSpan.FromSeconds(5);
            opts.Durability.StaleNodeTimeout = TimeSpan.FromSeconds(20);
            // A command that lost a race to another writer is decided again on the stream as it now is: its load
            // catches up (StreamStates). With If-Match, that load answers 412 instead. Twice at once, then with
            // growing, jittered pauses: 32 writers on one stream without pauses could each lose 20 times in a row.
            // A try whose commit failed publishes nothing (RealtimeTests races 32 reports and hears each once).
            opts.OnException<JasperFx.ConcurrencyException>().Or<Marten.Exceptions.ExistingStreamIdCollisionException>()
                .RetryTimes(2).Then.RetryWithCooldown(LostRaceCooldowns).WithFullJitter();
            route(opts);
        });
        builder.Services.AddSingleton<StreamStates>();
        // Wolverine logs every exception a handler throws, under the message type's name, before its retry rules: a
        // lost race it then runs again, a keyed retry answered as the first did. Those are not errors; the ones that
        // are reach the caller (the endpoint's problem mapping or the job), which logs them.
        foreach (var command in typeof(Messaging).Assembly.GetTypes().Where(IsCommand))
            builder.Logging.AddFilter(command.FullName, LogLevel.Critical);
        // Every appended event is offered to the outbox, and most have no subscriber: Wolverine says so for each, at
        // Information. Its warnings and errors (dead letters among them) still show.
        builder.Logging.AddFilter("Wolverine.Runtime.WolverineRuntime", LogLevel.Warning);
        return builder;
    }
}
