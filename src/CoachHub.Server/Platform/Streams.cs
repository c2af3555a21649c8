using System.Security.Cryptography;
using System.Text;

namespace CoachHub.Server.Platform;

/// <summary>Stream ids: one stream per coach, squad, athlete, athlete's plan and sign-in account.</summary>
public static class Streams
{
    public static string Coach(Guid id) => $"coach-{id:N}";
    public static string Squad(Guid id) => $"squad-{id:N}";
    public static string Athlete(Guid id) => $"athlete-{id:N}";
    public static string Plan(Guid athleteId) => $"plan-{athleteId:N}";

    /// <summary>Keyed by the normalized email, so that an email can register once (the stream must not exist).</summary>
    public static string Account(string email) =>
        $"account-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(NormalizeEmail(email))))[..40]}";

    public static string NormalizeEmail(string email) => email.Trim().ToUpperInvariant();

    public static Guid IdOf(string streamId) => Guid.ParseExact(streamId[(streamId.IndexOf('-', StringComparison.Ordinal) + 1)..], "N");
}
