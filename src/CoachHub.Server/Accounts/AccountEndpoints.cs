using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Microsoft.Extensions.Options;

namespace CoachHub.Server.Accounts;

public sealed record CoachSignUp(string Email, string Password, string Name);
public sealed record AthleteSignUp(string Email, string Password, string Name, string TimeZone, Units Units = Units.Kilometres, string? InviteCode = null);
public sealed record SignInRequest(string Email, string Password);
public sealed record RefreshRequest(string? RefreshToken);
public sealed record SignedUp(Guid UserId, string Role, string Name, Guid? SquadId = null);
public sealed record Me(Guid UserId, string Role, string Name);

/// <summary>Sign in, refresh, sign out, who am I; and the account every sign-up starts with (Features/SignUp).</summary>
public static class AccountEndpoints
{
    private static readonly PasswordHasher<AccountRegistered> Hasher = new();

    public static void Map(IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Accounts");
        auth.MapPost("/signin", SignIn).AllowAnonymous().RequireRateLimiting(AuthSetup.SignInLimit).Accepts<SignInRequest>("application/json")
            .Produces<AccessTokenResponse>().WithDescription("Returns a bearer token, or with ?useCookies=true sets the web app's cookie.");
        auth.MapPost("/refresh", Refresh).AllowAnonymous().Accepts<RefreshRequest>("application/json").Produces<AccessTokenResponse>()
            .WithDescription("Trades a refresh token from sign-in for new tokens of the same session, until that session signs out.");
        auth.MapPost("/signout", SignOut).RequireAuthorization()
            .WithDescription("Ends this session on every node: its cookie, bearer token and refresh token stop working.");
        app.MapGet("/api/me", (HttpContext http) =>
        {
            var caller = Caller.From(http.User);
            return Results.Ok(new Me(caller.UserId, caller.Role, caller.Name));
        }).RequireAuthorization().WithTags("Accounts");
    }

    /// <summary>
    /// Starts the account's stream, one per email (the stream id is the email's): a second sign-up with the email,
    /// however close in time, is refused on the stream's start and nothing is appended.
    /// </summary>
    public static async Task RegisterAccountAsync(StreamStates streams, DateTimeOffset now, Guid userId, string email, string name, string role,
        string password, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var registration = new AccountRegistered(userId, email.Trim(), name.Trim(), role, "", now);
        registration = registration with { PasswordHash = Hasher.HashPassword(registration, password) };
        if (!await streams.StartAsync(Streams.Account(email), [registration], userId.ToString(), ct))
            throw new BadFieldException("email", "is already registered; sign in instead.");
    }

    private static async Task<IResult> SignIn(HttpContext http, StreamStates streams, SignInLimits limits, bool? useCookies)
    {
        var body = await RequestBody.ReadAsync<SignInRequest>(http);
        if (string.IsNullOrWhiteSpace(body.Email) || string.IsNullOrEmpty(body.Password))
            throw new CoachingRuleViolation([new FieldError("email", "and password are required.")]);
        var accountStream = Streams.Account(body.Email);
        // Counted for unknown emails too, so the answer does not tell which accounts exist.
        if (await limits.WaitAsync(accountStream, http.RequestAborted) is { } wait)
        {
            SignInLimits.SetRetryAfter(http.Response, wait);
            return Results.Problem(statusCode: 429, title: "Too many wrong passwords",
                detail: "This account had too many wrong passwords; try again after the time in Retry-After.");
        }
        var account = await streams.ReadAsync(accountStream, AccountState.Decider, http.RequestAborted);
        var registration = account.Registration;
        // Hash even for an unknown email, so the answer takes as long either way.
        var verdict = Hasher.VerifyHashedPassword(registration ?? Dummy, account.PasswordHash ?? Dummy.PasswordHash, body.Password);
        if (registration is null || verdict == PasswordVerificationResult.Failed)
        {
            await limits.FailedAsync(accountStream, http.RequestAborted);
            return Results.Problem(statusCode: 401, title: "Wrong email or password");
        }
        await limits.SucceededAsync(accountStream, http.RequestAborted);

        var scheme = useCookies == true ? CookieAuthenticationDefaults.AuthenticationScheme : BearerTokenDefaults.AuthenticationScheme;
        var principal = Caller.Principal(registration.UserId, registration.Role, registration.Name, scheme);
        var identity = principal.Identities.First();
        identity.AddClaim(Sessions.NewSessionClaim());
        // Which account (a password change finds it by email) and its version (a later change ends this session).
        identity.AddClaim(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Email, registration.Email));
        identity.AddClaim(Sessions.AccountVersion(account.Version));
        if (useCookies == true)
        {
            await http.SignInAsync(scheme, principal, new AuthenticationProperties { IsPersistent = true });
            return Results.Ok(new Me(registration.UserId, registration.Role, registration.Name));
        }
        return Results.SignIn(principal, authenticationScheme: scheme);
    }

    private static async Task<IResult> Refresh(HttpContext http, IOptionsMonitor<BearerTokenOptions> bearer, Sessions sessions, TimeProvider time)
    {
        var body = await RequestBody.ReadAsync<RefreshRequest>(http);
        Api.Require(("refreshToken", body.RefreshToken));
        var ticket = bearer.Get(BearerTokenDefaults.AuthenticationScheme).RefreshTokenProtector.Unprotect(body.RefreshToken);
        if (ticket?.Principal is not { } principal || ticket.Properties.ExpiresUtc is not { } expires || expires <= time.GetUtcNow()
            || !await sessions.IsCurrentAsync(principal, http.RequestAborted))
            return Results.Problem(statusCode: 401, title: "Sign in again", detail: "The refresh token has expired or its session was signed out.");
        return Results.SignIn(principal, authenticationScheme: BearerTokenDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> SignOut(HttpContext http, Sessions sessions)
    {
        await sessions.SignOutAsync(http.User, http.RequestAborted);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.NoContent();
    }

    private static readonly AccountRegistered Dummy = CreateDummy();

    private static AccountRegistered CreateDummy()
    {
        var dummy = new AccountRegistered(Guid.Empty, "", "", "", "", DateTimeOffset.UnixEpoch);
        return dummy with { PasswordHash = Hasher.HashPassword(dummy, Guid.NewGuid().ToString()) };
    }
}
