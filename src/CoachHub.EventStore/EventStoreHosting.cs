using CoachHub.EventStore.Daemon;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoachHub.EventStore;

public static class EventStoreHosting
{
    /// <summary>
    /// Registers the store, migrates it before the app starts serving, and runs the NOTIFY listener and (unless <see cref="EventStoreOptions.RunDaemon"/> is off) the projection daemon.
    /// </summary>
    public static IServiceCollection AddEventStore(this IServiceCollection services, Action<EventStoreOptions> configure)
    {
        services.AddSingleton(_ =>
        {
            var options = new EventStoreOptions();
            configure(options);
            return options;
        });
        services.AddSingleton(sp => new PostgresEventStore(sp.GetRequiredService<EventStoreOptions>(), sp.GetService<ILoggerFactory>(), sp.GetService<TimeProvider>()));
        services.AddHostedService<Migrator>();
        services.AddSingleton<EventListener>();
        services.AddHostedService(sp => sp.GetRequiredService<EventListener>());
        services.AddSingleton<ProjectionDaemon>();
        services.AddHostedService<DaemonHost>();
        return services;
    }

    private sealed class Migrator(PostgresEventStore store) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => store.MigrateAsync(cancellationToken);
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class DaemonHost(ProjectionDaemon daemon, EventStoreOptions options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => options.RunDaemon ? daemon.StartAsync(cancellationToken) : Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => options.RunDaemon ? daemon.StopAsync(cancellationToken) : Task.CompletedTask;
    }
}
