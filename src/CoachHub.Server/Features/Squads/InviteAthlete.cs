using System.Security.Cryptography;
using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Squads;

public sealed record InviteRequest(string? Email = null, bool? SingleUse = null, int? DaysValid = null);
public sealed record InviteResponse(string Code, DateTimeOffset ExpiresAt, bool SingleUse, string JoinLink);

public static class InviteAthleteEndpoint
{
    public static void Map(RouteGroupBuilder squads) =>
        squads.MapPost("/{squadId:guid}/invites", async (Guid squadId, HttpContext http, CommandPipeline pipeline, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureOwnSquadAsync(caller, squadId, http.RequestAborted);
            var body = await RequestBody.ReadOptionalAsync(http, new InviteRequest());
            var days = body.DaysValid ?? 14;
            if (days is < 1 or > 90) throw new BadFieldException("daysValid", "must be between 1 and 90.");
            var options = CommandOptions.From(http, caller);
            // Short, unambiguous, hard to guess; a retried request gets the same code.
            var code = options.IdempotencyKey is { } key ? CodeFrom(DeterministicGuid.From(key).ToByteArray()) : CodeFrom(RandomNumberGenerator.GetBytes(8));
            var expires = pipeline.Now.AddDays(days);
            var result = await pipeline.RunAsync(Streams.Squad(squadId), Deciders.Squad,
                _ => new InviteAthlete(code, expires, body.SingleUse ?? false, body.Email), options);
            var invite = result.State.Invites.GetValueOrDefault(code) ?? throw new InvalidOperationException("The invite was not recorded.");
            return Api.Created(http, $"/api/squads/{squadId}/invites/{code}", result.Version,
                new InviteResponse(code, invite.ExpiresAt, invite.SingleUse, $"/join?code={code}"));
        }).RequireAuthorization(Roles.Coach).Accepts<InviteRequest>("application/json").Produces<InviteResponse>(201);

    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private static string CodeFrom(byte[] bytes) => new([.. bytes.Take(8).Select(b => Alphabet[b % Alphabet.Length])]);
}
