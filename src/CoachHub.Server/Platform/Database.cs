using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace CoachHub.Server.Platform;

/// <summary>This node's name: in logs, in PostgreSQL's connection names and in the X-CoachHub-Node header.</summary>
public sealed record NodeIdentity(string Name)
{
    public static NodeIdentity From(IConfiguration configuration) =>
        new(configuration["CoachHub:NodeName"] ?? $"{Environment.MachineName}-{Environment.ProcessId}");
}

public static class Database
{
    /// <summary>
    /// The one NpgsqlDataSource everything but the event store uses: sessions, sign-in limits, idempotent replies,
    /// the key ring, the health check, migrations, the read model's queries and the jobs. Npgsql's traces and
    /// metrics come from every data source (Telemetry), this one's under the pool name "coachhub".
    /// </summary>
    public static IServiceCollection AddCoachHubDatabase(this IServiceCollection services, string connectionString, NodeIdentity node) =>
        services.AddNpgsqlDataSource(connectionString, b =>
        {
            ArgumentNullException.ThrowIfNull(node);
            var csb = b.ConnectionStringBuilder;
            csb.ApplicationName = $"coachhub:{node.Name}";
            // A request that dies mid-transaction must not hold its locks for long. A node that dies mid-query (kill -9,
            // a lost host) must not either: PostgreSQL checks every second that the client is still there, so its
            // locks (Wolverine's leader's and a running scheduled job's advisory locks among them) free within a second.
            // An idle connection of a host that vanished (a crashed VM, a partition; no FIN ever comes) is found by
            // TCP keepalives within about 25 s, not the kernel's two hours: a running job's lock sits on one.
            csb.Options = "-c idle_in_transaction_session_timeout=30000 -c client_connection_check_interval=1000"
                + " -c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3";
            csb.KeepAlive = 5;
            // The same handful of queries over and over: prepared, the server skips planning them.
            csb.MaxAutoPrepare = 32;
            csb.AutoPrepareMinUsages = 2;
            if (csb.MaxPoolSize == 100) csb.MaxPoolSize = 50;
            b.Name = "coachhub";
        });
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


internal sealed class PostgresHealthCheck(NpgsqlDataSource db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var cmd = db.CreateCommand("select 1");
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
