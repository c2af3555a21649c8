using System.Security.Claims;
using CoachHub.EventStore;

namespace CoachHub.Server.Accounts;

/// <summary>
/// Every sign-in starts a session with its own id, carried by the cookie or the bearer and refresh tokens.
/// Signing out records the id in PostgreSQL, and every request on every node checks it there, so a copied
/// cookie or token stops working at once; a ticket this node remembers (RememberedTickets) is checked too.
/// </summary>
public sealed class Sessions(PostgresEventStore store, TimeProvider time)
{
    public const string Claim = "sid";

    /// <summary>The longest any session lives (the cookie's 14 days, sliding); a record is kept that long.</summary>
    public static readonly TimeSpan LongestLife = TimeSpan.FromDays(14);

    public static Claim NewSessionClaim() => new(Claim, Guid.NewGuid().ToString());

    public static Guid? IdOf(ClaimsPrincipal user) =>
        Guid.TryParse(user?.FindFirstValue(Claim), out var id) ? id : null;

    /// <summary>Signed in, with a session that was never signed out. A ticket without a session id predates them: refused.</summary>
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (IdOf(user) is not { } id) return false;
        await using var cmd = store.DataSource.CreateCommand("select exists (select 1 from signed_out_sessions where session_id = $1)");
        cmd.Parameters.AddWithValue(id);
        return !(bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task SignOutAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (IdOf(user) is not { } id) return;
        var now = time.GetUtcNow();
        await using var batch = store.DataSource.CreateBatch();
        batch.BatchCommands.Add(new Npgsql.NpgsqlBatchCommand("""
            insert into signed_out_sessions (session_id, user_id, signed_out_at, expires_at) values ($1, $2, $3, $4) on conflict do nothing
            """) { Parameters = { new() { Value = id }, new() { Value = Platform.Caller.From(user).UserId }, new() { Value = now.UtcDateTime }, new() { Value = now.Add(LongestLife).UtcDateTime } } });
        // Housekeeping in passing: records of sessions that would have expired by now anyway.
        batch.BatchCommands.Add(new Npgsql.NpgsqlBatchCommand("delete from signed_out_sessions where expires_at < $1") { Parameters = { new() { Value = now.UtcDateTime } } });
        await batch.ExecuteNonQueryAsync(ct);
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
