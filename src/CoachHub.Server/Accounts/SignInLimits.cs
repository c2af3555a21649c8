using Npgsql;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace CoachHub.Server.Accounts;

/// <summary>
/// Password guessing is limited twice: per client address (the rate limiter, on the real client's address from
/// the forwarded headers of configured proxies only) and per account (here, in PostgreSQL, so every node
/// counts the same attempts). Either answers 429 with Retry-After; one client guessing cannot lock out everyone
/// behind the same proxy, and an account under attack waits out the window, then signs in as usual.
/// </summary>
public sealed class SignInLimits(NpgsqlDataSource db, TimeProvider time, IConfiguration configuration)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private readonly int _failures = configuration.GetValue("CoachHub:SignInFailuresPerAccount", 10);

    /// <summary>How long the account must wait before another attempt, or null when it may try now.</summary>
    public async Task<TimeSpan?> WaitAsync(string account, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select failures, window_start from sign_in_failures where account = $1");
        cmd.Parameters.AddWithValue(account);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        var ends = new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero) + Window;
        var left = ends - time.GetUtcNow();
        return reader.GetInt32(0) >= _failures && left > TimeSpan.Zero ? left : null;
    }

    /// <summary>Retry-After in whole seconds, rounded up: a client that waits that long is let in.</summary>
    public static void SetRetryAfter(HttpResponse response, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task FailedAsync(string account, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var cmd = db.CreateCommand("""
            insert into sign_in_failures (account, failures, window_start) values ($1, 1, $2)
            on conflict (account) do update set
                failures = case when sign_in_failures.window_start < $3 then 1 else sign_in_failures.failures + 1 end,
                window_start = case when sign_in_failures.window_start < $3 then $2 else sign_in_failures.window_start end
            """);
        cmd.Parameters.AddWithValue(account);
        cmd.Parameters.AddWithValue(now);
        cmd.Parameters.AddWithValue(now - Window);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task SucceededAsync(string account, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("delete from sign_in_failures where account = $1");
        cmd.Parameters.AddWithValue(account);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// X-Forwarded-For and -Proto are read only from the proxies in CoachHub:KnownProxies (addresses or CIDR
    /// networks, comma-separated) and from this machine (a local nginx); anyone else's headers are ignored.
    /// </summary>
    public static void ConfigureProxies(ForwardedHeadersOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        foreach (var entry in (configuration["CoachHub:KnownProxies"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.Contains('/', StringComparison.Ordinal)) options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
            else options.KnownProxies.Add(IPAddress.Parse(entry));
        }
    }
}
