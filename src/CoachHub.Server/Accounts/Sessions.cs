using System.Collections.Concurrent;
using System.Security.Claims;
using Npgsql;

namespace CoachHub.Server.Accounts;

/// <summary>
/// Every sign-in starts a session with its own id, carried by the cookie or the bearer and refresh tokens.
/// Signing out records the id in PostgreSQL and announces it (NOTIFY); every node keeps the signed-out ids in
/// memory from that announcement and checks each request against them, so a copied cookie or token stops
/// working at once on the node that signed out and within moments on the others. While a node is not
/// listening (start-up, a lost connection) it asks PostgreSQL on every request instead: never a stale answer.
/// </summary>
public sealed class Sessions(NpgsqlDataSource db, IConfiguration configuration, Platform.NodeIdentity node, TimeProvider time, ILogger<Sessions> logger) : BackgroundService
{
    public const string Claim = "sid";

    /// <summary>The account's version when the session signed in (<see cref="AccountState.Version"/>).</summary>
    public const string AccountVersionClaim = "sav";
    private const string Channel = "coachhub_signed_out";

    /// <summary>The longest any session lives (the cookie's 14 days, sliding); a record is kept that long.</summary>
    public static readonly TimeSpan LongestLife = TimeSpan.FromDays(14);

    private readonly ConcurrentDictionary<Guid, byte> _signedOut = new();

    /// <summary>Per user, after a password change: sessions that signed in before this account version end, except one.</summary>
    private readonly ConcurrentDictionary<Guid, (long Before, Guid? Except)> _cutOff = new();
    private volatile bool _listening;
    private CancellationTokenSource? _reconnect;

    public static Claim NewSessionClaim() => new(Claim, Guid.NewGuid().ToString());

    public static Claim AccountVersion(long version) => new(AccountVersionClaim, version.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static long AccountVersionOf(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(AccountVersionClaim), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0;

    /// <summary>Whether a password change since this session signed in ended it.</summary>
    private static bool CutOff(ClaimsPrincipal user, Guid sessionId, (long Before, Guid? Except)? cut) =>
        cut is { } c && AccountVersionOf(user) < c.Before && c.Except != sessionId;

    public static Guid? IdOf(ClaimsPrincipal user) =>
        Guid.TryParse(user?.FindFirstValue(Claim), out var id) ? id : null;

    /// <summary>Signed in, with a session that was never signed out. A ticket without a session id predates them: refused.</summary>
    public async ValueTask<bool> IsCurrentAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (IdOf(user) is not { } id) return false;
        if (_signedOut.ContainsKey(id)) return false;
        var userId = Platform.Caller.From(user).UserId;
        if (_listening) return !CutOff(user, id, _cutOff.TryGetValue(userId, out var cut) ? cut : null);
        await using var cmd = db.CreateCommand("""
            select exists (select 1 from signed_out_sessions where session_id = $1), u.before_version, u.except_session
              from (select 1) one left join signed_out_users u on u.user_id = $2
            """);
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(userId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return !r.GetBoolean(0) && !CutOff(user, id, r.IsDBNull(1) ? null : (r.GetInt64(1), r.IsDBNull(2) ? null : r.GetGuid(2)));
    }

    /// <summary>
    /// Ends every session of the user that signed in before the account reached <paramref name="beforeVersion"/> (a
    /// password change's event), except <paramref name="except"/>, queued in the change's Marten session: the sign-out
    /// commits with the change, or neither does. Other nodes hear of it by NOTIFY (delivered at commit), this one once
    /// <see cref="RefreshCutOffAsync"/> has read it.
    /// </summary>
    public void QueueSignOutOthers(Marten.IDocumentSession session, Guid userId, long beforeVersion, Guid? except)
    {
        ArgumentNullException.ThrowIfNull(session);
        var expires = time.GetUtcNow().Add(LongestLife);
        const string Upsert = """
            insert into signed_out_users (user_id, before_version, except_session, expires_at) values (?, ?, {0}, ?)
            on conflict (user_id) do update set before_version = excluded.before_version, except_session = excluded.except_session,
                                                expires_at = excluded.expires_at
             where signed_out_users.before_version <= excluded.before_version
            """;
        if (except is { } kept) session.QueueSqlCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, Upsert, "?"), userId, beforeVersion, kept, expires);
        else session.QueueSqlCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, Upsert, "null"), userId, beforeVersion, expires);
        session.QueueSqlCommand($"select pg_notify('{Channel}', ?)", $"user:{userId}");
    }

    /// <summary>This node's copy of the user's cut-off, read again now (the other nodes hear of it through NOTIFY).</summary>
    public async Task RefreshCutOffAsync(Guid userId)
    {
        try
        {
            await ReadCutOffAsync(userId, db, CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            logger.LogWarning(ex, "Reading a user's sign-out after a password change failed; this node hears of it from PostgreSQL's notification");
        }
    }

    /// <summary>The user's cut-off as PostgreSQL holds it (the newest change wins, whatever order nodes hear of them).</summary>
    private async Task ReadCutOffAsync(Guid userId, NpgsqlDataSource source, CancellationToken ct)
    {
        await using var cmd = source.CreateCommand("select before_version, except_session from signed_out_users where user_id = $1");
        cmd.Parameters.AddWithValue(userId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (await r.ReadAsync(ct)) _cutOff[userId] = (r.GetInt64(0), r.IsDBNull(1) ? null : r.GetGuid(1));
    }

    public async Task SignOutAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (IdOf(user) is not { } id) return;
        var now = time.GetUtcNow();
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            insert into signed_out_sessions (session_id, user_id, signed_out_at, expires_at) values ($1, $2, $3, $4) on conflict do nothing
            """) { Parameters = { new() { Value = id }, new() { Value = Platform.Caller.From(user).UserId }, new() { Value = now.UtcDateTime }, new() { Value = now.Add(LongestLife).UtcDateTime } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"select pg_notify('{Channel}', $1)") { Parameters = { new() { Value = id.ToString() } } });
        // Housekeeping in passing: records of sessions that would have expired by now anyway.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("delete from signed_out_sessions where expires_at < $1") { Parameters = { new() { Value = now.UtcDateTime } } });
        await batch.ExecuteNonQueryAsync(ct);
        _signedOut[id] = 0;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var csb = new NpgsqlConnectionStringBuilder(Platform.DatabaseSettings.ConnectionString(configuration))
        {
            Pooling = false, ApplicationName = $"coachhub-sessions:{node.Name}", KeepAlive = 5,
        };
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await using var conn = new NpgsqlConnection(csb.ConnectionString);
                await conn.OpenAsync(stoppingToken);
                conn.Notification += (_, e) =>
                {
                    if (Guid.TryParse(e.Payload, out var id)) _signedOut[id] = 0;
                    // A user's cut-off is read from PostgreSQL, off the listening connection's thread.
                    else if (e.Payload.StartsWith("user:", StringComparison.Ordinal) && Guid.TryParse(e.Payload.AsSpan(5), out var userId))
                        _ = Task.Run(async () =>
                        {
                            try
                            {
                                await ReadCutOffAsync(userId, db, stoppingToken);
                            }
                            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                            {
                                // Until it is read, this node asks PostgreSQL on every request, as while not listening, and
                                // listens anew: a fresh connection reads every cut-off again.
                                _listening = false;
                                logger.LogWarning(ex, "Reading a user's sign-out after a password change failed; listening again");
                                try { _reconnect?.Cancel(); } catch (ObjectDisposedException) { /* already listening anew */ }
                            }
                        }, stoppingToken);
                };
                // Listen first, then read what is recorded: no sign-out falls between the two.
                await using (var listen = new NpgsqlCommand($"listen {Channel}", conn)) await listen.ExecuteNonQueryAsync(stoppingToken);
                await using (var all = new NpgsqlCommand("select session_id from signed_out_sessions", conn))
                await using (var reader = await all.ExecuteReaderAsync(stoppingToken))
                    while (await reader.ReadAsync(stoppingToken)) _signedOut[reader.GetGuid(0)] = 0;
                await using (var users = new NpgsqlCommand("select user_id, before_version, except_session from signed_out_users", conn))
                await using (var reader = await users.ExecuteReaderAsync(stoppingToken))
                    while (await reader.ReadAsync(stoppingToken)) _cutOff[reader.GetGuid(0)] = (reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetGuid(2));
                _listening = true;
                attempt = 0;
                using var reconnect = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                _reconnect = reconnect;
                while (!reconnect.IsCancellationRequested) await conn.WaitAsync(reconnect.Token);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
            catch (OperationCanceledException)
            {
                // Asked to listen anew (above): the loop reconnects at once.
                attempt = 0;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // Before the back-off, not after it: while waiting to reconnect, every request asks PostgreSQL.
                _listening = false;
                logger.LogWarning(ex, "Listening for sign-outs failed; every request asks PostgreSQL until it reconnects");
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt)), stoppingToken);
            }
            finally
            {
                _listening = false;
            }
        }
    }
}

public static class SessionCheck
{
    /// <summary>After authentication: a signed-out session is a stranger, and gets the 401 a stranger gets.</summary>
    public static IApplicationBuilder UseSignedOutSessionCheck(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (http.User.Identity?.IsAuthenticated == true
                && !await http.RequestServices.GetRequiredService<Sessions>().IsCurrentAsync(http.User, http.RequestAborted))
                http.User = new ClaimsPrincipal(new ClaimsIdentity());
            await next(http);
        });
}
