using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using System.Xml.Linq;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using CoachHub.Server.Platform;
using Npgsql;

namespace CoachHub.Server.Accounts;

/// <summary>Bearer tokens for API clients, a cookie for the web app, one set of policies for both.</summary>
public static class AuthSetup
{
    /// <summary>The endpoints routing makes up when a route exists but the method or the body's type does not fit.</summary>
    private static bool IsRoutingRefusal(HttpContext? http) =>
        http?.GetEndpoint()?.DisplayName is { } name
        && (name.StartsWith("415 HTTP", StringComparison.Ordinal) || name.StartsWith("405 HTTP", StringComparison.Ordinal));

    public const string Scheme = "CoachHub";
    public const string SignInLimit = "sign-in";

    public static WebApplicationBuilder AddCoachHubAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Bearer token or cookie", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                || (http.Request.Path.StartsWithSegments("/hubs") && http.Request.Query.ContainsKey("access_token"))
                    ? BearerTokenDefaults.AuthenticationScheme : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddBearerToken(BearerTokenDefaults.AuthenticationScheme, o =>
            {
                o.BearerTokenExpiration = TimeSpan.FromHours(12);
                // Browsers cannot set headers on a WebSocket: the hub takes the token from the query string.
                o.Events.OnMessageReceived = ctx =>
                {
                    if (ctx.Request.Path.StartsWithSegments("/hubs") && ctx.Request.Query["access_token"] is { Count: 1 } token)
                        ctx.Token = token.ToString();
                    return Task.CompletedTask;
                };
            })
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.Cookie.Name = "coachhub";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.ExpireTimeSpan = TimeSpan.FromDays(14);
                o.SlidingExpiration = true;
                // An API answers 401/403; it does not redirect to a login page.
                o.Events.OnRedirectToLogin = ctx => { ctx.Response.StatusCode = 401; return Task.CompletedTask; };
                o.Events.OnRedirectToAccessDenied = ctx => { ctx.Response.StatusCode = 403; return Task.CompletedTask; };
            });
        // After the framework's own post-configuration, which creates the protector this wraps.
        builder.Services.AddSingleton<IPostConfigureOptions<BearerTokenOptions>, RememberBearerTickets>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Coach, p => p.RequireAuthenticatedUser().RequireRole(Roles.Coach))
            .AddPolicy(Roles.Athlete, p => p.RequireAuthenticatedUser().RequireRole(Roles.Athlete))
            .AddPolicy(Roles.Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin))
            // An endpoint that forgot its policy is still closed to strangers (and the test suite flags it). Routing's
            // own refusals (415 wrong body type, 405 wrong method) reveal nothing, so a stranger hears them as they are.
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder()
                .RequireAssertion(ctx => ctx.User.Identity?.IsAuthenticated == true || IsRoutingRefusal(ctx.Resource as HttpContext))
                .Build());

        var perMinute = builder.Configuration.GetValue("CoachHub:SignInAttemptsPerMinute", 30);
        builder.Services.Configure<ForwardedHeadersOptions>(o => SignInLimits.ConfigureProxies(o, builder.Configuration));
        builder.Services.AddSingleton<SignInLimits>();
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (ctx, _) =>
            {
                if (ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)) SignInLimits.SetRetryAfter(ctx.HttpContext.Response, wait);
                return ValueTask.CompletedTask;
            };
            // Per client address: the forwarded one from a known proxy (UseForwardedHeaders runs first).
            o.AddPolicy(SignInLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "local",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });

        builder.Services.AddSingleton<Sessions>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Sessions>());
        builder.Services.AddHostedService<CommonPasswordsPreload>();
        KeyRing.ProtectKeys(builder.Services.AddDataProtection().SetApplicationName("CoachHub"), builder.Configuration, builder.Environment);
        builder.Services.AddSingleton<IXmlRepository, PostgresKeyRepository>();
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IXmlRepository>((o, repository) => o.XmlRepository = repository);
        return builder;
    }
}

internal sealed class RememberBearerTickets : IPostConfigureOptions<BearerTokenOptions>
{
    public void PostConfigure(string? name, BearerTokenOptions options)
    {
        if (name != BearerTokenDefaults.AuthenticationScheme || options.BearerTokenProtector is RememberedTickets) return;
        options.BearerTokenProtector = new RememberedTickets(options.BearerTokenProtector
            ?? throw new InvalidOperationException("The bearer-token scheme has no protector to wrap."));
    }
}

/// <summary>Data-protection keys in PostgreSQL: every node reads and writes the same key ring.</summary>
internal sealed class PostgresKeyRepository(NpgsqlDataSource db) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var cmd = db.CreateCommand("select xml from dataprotection_keys order by id");
        using var reader = cmd.ExecuteReader();
        var list = new List<XElement>();
        while (reader.Read()) list.Add(XElement.Parse(reader.GetString(0)));
        return list;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var cmd = db.CreateCommand("insert into dataprotection_keys (friendly_name, xml) values ($1, $2)");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = friendlyName });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = element.ToString(SaveOptions.DisableFormatting) });
        cmd.ExecuteNonQuery();
    }
}
