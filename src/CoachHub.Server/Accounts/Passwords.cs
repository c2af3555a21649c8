using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using CoachHub.Domain;
using CoachHub.Server.Platform;
using Marten;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace CoachHub.Server.Accounts;

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);
public sealed record PasswordResetRequest(string? Email);
public sealed record CompletePasswordResetRequest(string? Token, string? NewPassword);

/// <summary>Someone asked for a reset link for this email: handled off the request, so the answer is the same either way.</summary>
public sealed record PasswordResetRequested(string Email);

/// <summary>
/// Accounts people can recover: a signed-in user changes their password with the current one (their other sessions
/// end); anyone asks for a reset link by email (the same answer whether or not the email has an account), and the
/// link's single-use token, valid for an hour, sets a new password and ends every session of the account.
/// </summary>
public static class PasswordEndpoints
{
    internal static readonly PasswordHasher<AccountRegistered> Hasher = new();

    /// <summary>How long a reset link works.</summary>
    public static readonly TimeSpan ResetLinkLife = TimeSpan.FromHours(1);

    /// <summary>Links mailed per account per hour at most: asking again and again must not flood someone's inbox.</summary>
    public const int ResetLinksPerHour = 3;

    private const string BadToken = "is not valid, was used already, or has expired; ask for a new link.";

    public static void Map(IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Accounts");
        auth.MapPost("/password", ChangeAsync).RequireAuthorization().Accepts<ChangePasswordRequest>("application/json").Produces(204)
            .WithDescription("Changes the signed-in user's password; the current one is required. Every other session of the account ends.");
        auth.MapPost("/password-reset", RequestResetAsync).AllowAnonymous().RequireRateLimiting(AuthSetup.SignInLimit)
            .Accepts<PasswordResetRequest>("application/json").Produces(202)
            .WithDescription("Mails a reset link to the address if it has an account; the answer is the same either way.");
        auth.MapPost("/password-reset/complete", CompleteResetAsync).AllowAnonymous().RequireRateLimiting(AuthSetup.SignInLimit)
            .Accepts<CompletePasswordResetRequest>("application/json").Produces(204)
            .WithDescription("Sets a new password with the token from a reset link (once, within an hour). Every session of the account ends.");
    }

    private static async Task<IResult> ChangeAsync(HttpContext http, StreamStates streams, IDocumentStore store, SignInLimits limits, Sessions sessions,
        TimeProvider time)
    {
        var body = await RequestBody.ReadAsync<ChangePasswordRequest>(http);
        Api.Require(("currentPassword", body.CurrentPassword), ("newPassword", body.NewPassword));
        var caller = Caller.From(http.User);
        // Sessions from before accounts carried their email: the account cannot be found from them.
        if (http.User.FindFirstValue(ClaimTypes.Email) is not { Length: > 0 } email)
            return Results.Problem(statusCode: 401, title: "Sign in again", detail: "Sign in again to change your password.");
        var stream = Streams.Account(email);
        // Guessing the current password from a stolen session meets the same limit as guessing at sign-in.
        if (await limits.WaitAsync(stream, http.RequestAborted) is { } wait)
        {
            SignInLimits.SetRetryAfter(http.Response, wait);
            return Results.Problem(statusCode: 429, title: "Too many wrong passwords",
                detail: "This account had too many wrong passwords; try again after the time in Retry-After.");
        }
        var account = await streams.ReadAsync(stream, AccountState.Decider, http.RequestAborted);
        if (account.Registration is not { } registration || registration.UserId != caller.UserId)
            return Results.Problem(statusCode: 401, title: "Sign in again", detail: "Sign in again to change your password.");
        if (Hasher.VerifyHashedPassword(registration, account.PasswordHash!, body.CurrentPassword!) == PasswordVerificationResult.Failed)
        {
            await limits.FailedAsync(stream, http.RequestAborted);
            throw new BadFieldException("currentPassword", "is not your current password.");
        }
        if (body.NewPassword == body.CurrentPassword) throw new BadFieldException("newPassword", "is your current password; choose another.");
        ValidateNew(registration, body.NewPassword!);
        await using (var session = store.LightweightSession())
        {
            // The new password and the end of the other sessions commit together: never the one without the other.
            var version = Append(session, stream, account, new PasswordChanged(registration.UserId, "", PasswordChanged.ByOwner, time.GetUtcNow()), body.NewPassword!);
            sessions.QueueSignOutOthers(session, registration.UserId, version, Sessions.IdOf(http.User));
            await session.SaveChangesAsync(CancellationToken.None);
        }
        await sessions.RefreshCutOffAsync(registration.UserId);
        await limits.SucceededAsync(stream, CancellationToken.None);
        return Results.NoContent();
    }

    private static async Task<IResult> RequestResetAsync(HttpContext http, IMessageBus bus)
    {
        var body = await RequestBody.ReadAsync<PasswordResetRequest>(http);
        Api.Require(("email", body.Email));
        if (!EmailAddress.IsValid(body.Email)) throw new BadFieldException("email", "must be an email address.");
        // Whether the email has an account is found out after the answer: it takes as long either way.
        await bus.PublishAsync(new PasswordResetRequested(body.Email!.Trim()));
        return Results.Accepted(value: new { message = "If this email has a CoachHub account, a link to choose a new password is on its way. It works for an hour." });
    }

    private static async Task<IResult> CompleteResetAsync(HttpContext http, StreamStates streams, IDocumentStore store, NpgsqlDataSource db,
        Sessions sessions, SignInLimits limits, TimeProvider time)
    {
        var body = await RequestBody.ReadAsync<CompletePasswordResetRequest>(http);
        Api.Require(("token", body.Token), ("newPassword", body.NewPassword));
        var now = time.GetUtcNow();
        if (HashOf(body.Token!) is not { } hash) throw new BadFieldException("token", BadToken);
        string? stream;
        await using (var find = db.CreateCommand("select account_stream from password_resets where token_hash = $1 and used_at is null and expires_at > $2"))
        {
            find.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = hash });
            find.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            stream = await find.ExecuteScalarAsync(http.RequestAborted) as string;
        }
        if (stream is null) throw new BadFieldException("token", BadToken);
        var account = await streams.ReadAsync(stream, AccountState.Decider, http.RequestAborted);
        if (account.Registration is not { } registration) throw new BadFieldException("token", BadToken);
        // The new password is checked before the token is spent: a refused password leaves the link working.
        ValidateNew(registration, body.NewPassword!);
        await using (var session = store.LightweightSession())
        {
            // One transaction: the link spent, the new password, the account's other links gone and every session
            // ended; a failure anywhere leaves the link working and the password as it was.
            await session.BeginTransactionAsync(http.RequestAborted);
            await using (var claim = new NpgsqlCommand("update password_resets set used_at = $2 where token_hash = $1 and used_at is null and expires_at > $2", session.Connection))
            {
                claim.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = hash });
                claim.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
                if (await claim.ExecuteNonQueryAsync(http.RequestAborted) != 1) throw new BadFieldException("token", BadToken);
            }
            var version = Append(session, stream, account, new PasswordChanged(registration.UserId, "", PasswordChanged.ByReset, now), body.NewPassword!);
            session.QueueSqlCommand("update password_resets set used_at = ? where account_stream = ? and used_at is null", now, stream);
            sessions.QueueSignOutOthers(session, registration.UserId, version, except: null);
            await session.SaveChangesAsync(CancellationToken.None);
        }
        await sessions.RefreshCutOffAsync(registration.UserId);
        await limits.SucceededAsync(stream, CancellationToken.None);
        return Results.NoContent();
    }

    /// <summary>NIST's rules as at sign-up, on the field this request calls newPassword.</summary>
    private static void ValidateNew(AccountRegistered registration, string password)
    {
        var errors = Credentials.Validate(registration.Email, password, registration.Name)
            .Where(e => e.Field == "password").Select(e => e with { Field = "newPassword" }).ToList();
        if (errors.Count > 0) throw new CoachingRuleViolation(errors);
    }

    /// <summary>Appends the change on the account's stream, expecting the version it was read at; returns the version after it.</summary>
    private static long Append(IDocumentSession session, string stream, AccountState account, PasswordChanged change, string password)
    {
        change = change with { PasswordHash = Hasher.HashPassword(account.Registration!, password) };
        session.LastModifiedBy = change.UserId.ToString();
        session.Events.Append(stream, account.Version + 1, change);
        return account.Version + 1;
    }

    internal static byte[]? HashOf(string token)
    {
        // TryDecodeFromChars throws, not returns false, on a character outside the alphabet: check the shape first.
        if (token.Length is < 20 or > 100 || !System.Buffers.Text.Base64Url.IsValid(token)) return null;
        var bytes = new byte[System.Buffers.Text.Base64Url.GetMaxDecodedLength(token.Length)];
        return System.Buffers.Text.Base64Url.TryDecodeFromChars(token, bytes, out var written) ? SHA256.HashData(bytes.AsSpan(0, written)) : null;
    }

    internal static string NewToken() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}

public static class PasswordResetRequestedHandler
{
    public static void Configure(HandlerChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        chain.OnAnyException().RetryWithCooldown(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)).Then.MoveToErrorQueue();
    }

    /// <summary>
    /// For an account: a token, of which only the hash is kept, and the mail with its link, sent from here. The link
    /// never goes into a stored message (the outbox, a dead letter): a copy of the database holds no working link.
    /// A mail server away: this handler is tried again, and each try mails a link of its own.
    /// </summary>
    public static async Task HandleAsync(PasswordResetRequested request, StreamStates streams, Mailer mailer,
        NpgsqlDataSource db, SiteLinks links, TimeProvider time, ILogger<PasswordResetRequested> logger, CancellationToken ct)
    {
        var stream = Streams.Account(request.Email);
        var account = await streams.ReadAsync(stream, AccountState.Decider, ct);
        if (account.Registration is not { } registration) return;
        var now = time.GetUtcNow();
        await using (var recent = db.CreateCommand("select count(*) from password_resets where account_stream = $1 and requested_at > $2"))
        {
            recent.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stream });
            recent.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.AddHours(-1) });
            if ((long)(await recent.ExecuteScalarAsync(ct))! >= PasswordEndpoints.ResetLinksPerHour)
            {
                logger.LogWarning("Password reset for account {UserId} not mailed: {Count} links in the last hour already", registration.UserId,
                    PasswordEndpoints.ResetLinksPerHour);
                return;
            }
        }
        var token = PasswordEndpoints.NewToken();
        await using (var insert = db.CreateCommand("insert into password_resets (token_hash, account_stream, requested_at, expires_at) values ($1, $2, $3, $4)"))
        {
            insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = PasswordEndpoints.HashOf(token)! });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stream });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.Add(PasswordEndpoints.ResetLinkLife) });
            await insert.ExecuteNonQueryAsync(ct);
        }
        var link = links.To($"reset/{token}");
        var text = new StringBuilder()
            .AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Hello {registration.Name},").AppendLine()
            .AppendLine("Someone, we hope you, asked to choose a new password for your CoachHub account. This link lets you do it once, within an hour:")
            .AppendLine().AppendLine(link).AppendLine()
            .AppendLine("Choosing a new password signs your account out everywhere. If you did not ask, ignore this mail: your password stays as it is.")
            .ToString();
        var html = $"<p>Hello {System.Net.WebUtility.HtmlEncode(registration.Name)},</p><p>Someone, we hope you, asked to choose a new password for your " +
            $"CoachHub account. This link lets you do it once, within an hour:</p><p><a href=\"{System.Net.WebUtility.HtmlEncode(link)}\">Choose a new password</a></p>" +
            "<p>Choosing a new password signs your account out everywhere. If you did not ask, ignore this mail: your password stays as it is.</p>";
        await mailer.SendAsync(new OutgoingMail(registration.Email, registration.Name, "Choose a new CoachHub password", text, html), ct);
    }
}
