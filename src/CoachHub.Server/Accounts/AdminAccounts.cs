using CoachHub.Domain;
using CoachHub.Server.Platform;

namespace CoachHub.Server.Accounts;

/// <summary>
/// Operators' accounts (role admin): made from the command line on the server (`./coachhub admin EMAIL NAME`), never
/// through the public API, with the same password rules and the same one-account-per-email stream as everyone.
/// </summary>
public static class AdminAccounts
{
    /// <returns>What is wrong with the email, name or password; empty when the account was made.</returns>
    public static async Task<List<FieldError>> RegisterAsync(StreamStates streams, TimeProvider time, string email, string name, string password)
    {
        ArgumentNullException.ThrowIfNull(streams);
        ArgumentNullException.ThrowIfNull(time);
        var errors = Credentials.Validate(email, password, name);
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 100) errors.Add(new FieldError("name", "must be 1 to 100 characters."));
        if (errors.Count > 0) return errors;
        try
        {
            await AccountEndpoints.RegisterAccountAsync(streams, time.GetUtcNow(), Guid.CreateVersion7(), email, name, Roles.Admin, password, CancellationToken.None);
            return [];
        }
        catch (BadFieldException taken)
        {
            return [new FieldError(taken.Field, taken.Reason)];
        }
    }
}
