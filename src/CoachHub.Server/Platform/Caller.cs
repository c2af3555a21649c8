using System.Security.Claims;

namespace CoachHub.Server.Platform;

public static class Roles
{
    public const string Coach = "coach";
    public const string Athlete = "athlete";
    /// <summary>An operator: rebuilds and other maintenance, no squads, no athletes' data.</summary>
    public const string Admin = "admin";
}

/// <summary>The signed-in user as endpoints need them: id, role, name.</summary>
public sealed record Caller(Guid UserId, string Role, string Name)
{
    public bool IsCoach => Role == Roles.Coach;
    public bool IsAthlete => Role == Roles.Athlete;

    public static Caller From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        return Guid.TryParse(id, out var userId)
            ? new Caller(userId, user.FindFirstValue(ClaimTypes.Role) ?? "", user.FindFirstValue(ClaimTypes.Name) ?? "")
            : throw new InvalidOperationException("An authenticated request without a user id.");
    }

    public static ClaimsPrincipal Principal(Guid userId, string role, string name, string scheme) =>
        new(new ClaimsIdentity([
            new Claim(ClaimTypes.NameIdentifier, userId.ToString()),
            new Claim(ClaimTypes.Role, role),
            new Claim(ClaimTypes.Name, name),
        ], scheme));
}
