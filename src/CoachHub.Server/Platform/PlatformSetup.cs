using CoachHub.EventStore;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CoachHub.Server.Platform;

/// <summary>What every CoachHub node needs before any feature: its database, the event store, health.</summary>
public static class PlatformSetup
{
    public static WebApplicationBuilder AddCoachHubPlatform(this WebApplicationBuilder builder)
    {
        var connectionString = DatabaseSettings.ConnectionString(builder.Configuration);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddEventStore(options =>
        {
            options.ConnectionString = connectionString;
            options.NodeName = builder.Configuration["CoachHub:NodeName"] ?? options.NodeName;
            options.RunDaemon = builder.Configuration.GetValue("CoachHub:RunDaemon", true);
        });
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);
        return builder;
    }

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        // Live: the process answers. Ready: it can reach PostgreSQL, so a load balancer may send it work.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        return app;
    }
}

public static class DatabaseSettings
{
    /// <summary>ConnectionStrings:CoachHub (env ConnectionStrings__CoachHub), else COACHHUB_DB.</summary>
    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("CoachHub") is { Length: > 0 } cs ? cs
        : configuration["COACHHUB_DB"] is { Length: > 0 } env ? env
        : throw new InvalidOperationException(
            "No database configured: set ConnectionStrings__CoachHub (or COACHHUB_DB) to a PostgreSQL connection string, or start with ./coachhub run.");
}

internal sealed class PostgresHealthCheck(PostgresEventStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var cmd = store.DataSource.CreateCommand("select 1");
            cmd.CommandTimeout = 3;
            await cmd.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL answers");
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer", ex);
        }
    }
}
