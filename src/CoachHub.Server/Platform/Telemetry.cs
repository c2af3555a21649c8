using System.Net;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CoachHub.Server.Platform;

/// <summary>
/// Traces and metrics from ASP.NET Core (p99 per endpoint: http.server.request.duration by http.route), outgoing
/// HTTP, Npgsql (commands, pool use) and the runtime. Metrics are scraped by Prometheus at /metrics; traces go
/// to an OTLP collector when OTEL_EXPORTER_OTLP_ENDPOINT names one (docs/operations.md).
/// </summary>
public static class Telemetry
{
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddCoachHubTelemetry(this WebApplicationBuilder builder, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("coachhub", serviceInstanceId: nodeName))
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsProbe(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                // Marten's sessions, Wolverine's handlers and outbox.
                .AddSource("Marten")
                .AddSource("Wolverine"))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter("Marten")
                // Wolverine's meter is named "Wolverine:" + its service name.
                .AddMeter("Wolverine*")
                .AddPrometheusExporter());
        if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) otel.UseOtlpExporter();
        return builder;
    }

    /// <summary>
    /// The scrape endpoint tells whoever reads it how busy each route is, so it is not public: with
    /// CoachHub:MetricsToken set, the scraper sends it as a bearer token; without, only this machine may read it.
    /// </summary>
    public static WebApplication MapCoachHubMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var token = app.Configuration["CoachHub:MetricsToken"];
        app.UseWhen(http => http.Request.Path.Equals(MetricsPath, StringComparison.OrdinalIgnoreCase), branch => branch.Use((http, next) =>
        {
            if (MayScrape(http, token)) return next(http);
            http.Response.StatusCode = token is { Length: > 0 } ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }));
        app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous().DisableHttpMetrics();
        return app;
    }

    private static bool MayScrape(HttpContext http, string? token)
    {
        if (token is { Length: > 0 })
        {
            var sent = http.Request.Headers.Authorization.ToString();
            return sent.StartsWith("Bearer ", StringComparison.Ordinal)
                && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent[7..]), Encoding.UTF8.GetBytes(token));
        }
        return http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip);
    }

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments(MetricsPath);
}
