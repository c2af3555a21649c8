using CoachHub.Domain;
using CoachHub.Server.Platform;

namespace CoachHub.Server.Accounts;

/// <summary>A sign-in account: one per email, holding the role and a password hash (never the password).</summary>
[EventType(TypeName)]
public sealed record AccountRegistered(Guid UserId, string Email, string Name, string Role, string PasswordHash, DateTimeOffset RegisteredAt)
{
    public const string TypeName = "account.registered.v1";
}

public sealed record AccountState(AccountRegistered? Registration)
{
    public static Decider<AccountState, AccountRegistered> Decider { get; } = new(
        new AccountState((AccountRegistered?)null),
        (state, e) => e is AccountRegistered r ? new AccountState(r) : state,
        (command, state, _) => state.Registration is null ? [command]
            : throw new BadFieldException("email", "is already registered; sign in instead."));
}

public static class Credentials
{
    public const int MinPasswordLength = 10;

    public static List<FieldError> Validate(string? email, string? password)
    {
        var errors = new List<FieldError>();
        if (!EmailAddress.IsValid(email)) errors.Add(new FieldError("email", "must be an email address."));
        if (password is null || password.Length < MinPasswordLength || password.Length > 128)
            errors.Add(new FieldError("password", $"must be {MinPasswordLength} to 128 characters."));
        return errors;
    }
}
