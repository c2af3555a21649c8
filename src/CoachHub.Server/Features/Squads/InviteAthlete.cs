using System.Security.Cryptography;
using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.Squads;

public sealed record InviteRequest(string? Email = null, bool? SingleUse = null, int? DaysValid = null);
public sealed record InviteResponse(string Code, DateTimeOffset ExpiresAt, bool SingleUse, string JoinLink);

/// <summary>A coach of the squad invites athletes with a code, valid for some days, for one athlete or many.</summary>
public sealed record InviteAthleteCommand(Guid SquadId, string Code, int DaysValid, bool SingleUse, string? Email, CommandOptions Options) : ISquadCommand;

public static class InviteAthleteEndpoint
{
    public static void Map(RouteGroupBuilder squads) =>
        squads.MapPost("/{squadId:guid}/invites", async (Guid squadId, HttpContext http, IMessageBus bus, StreamStates streams, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureOwnSquadAsync(caller, squadId, http.RequestAborted);
            var body = await RequestBody.ReadOptionalAsync(http, new InviteRequest());
            var days = body.DaysValid ?? 14;
            // The API asks for days, the domain for an expiry: the same limit, named for the field the client sent.
            if (days is < 1 or > InviteAthlete.LongestValidDays) throw new BadFieldException("daysValid", $"must be between 1 and {InviteAthlete.LongestValidDays}.");
            var options = CommandOptions.From(http, caller);
            // Short, unambiguous, hard to guess; a retried request gets the same code.
            var code = options.IdempotencyKey is { } key ? InviteCodes.From(DeterministicGuid.From(key).ToByteArray()) : InviteCodes.New();
            var result = await bus.DecideAsync(new InviteAthleteCommand(squadId, code, days, body.SingleUse ?? false, body.Email, options), streams,
                http.RequestAborted);
            var invite = result.State.Invites.GetValueOrDefault(code) ?? throw new InvalidOperationException("The invite was not recorded.");
            return Api.Created(http, $"/api/squads/{squadId}/invites/{code}", result.Version,
                new InviteResponse(code, invite.ExpiresAt, invite.SingleUse, $"/join?code={code}"));
        }).RequireAuthorization(Roles.Coach).Accepts<InviteRequest>("application/json").Produces<InviteResponse>(201);
}

public static class InviteAthleteHandler
{
    public static Task<Loaded<SquadState>> LoadAsync(InviteAthleteCommand command, StreamStates streams, CancellationToken ct) =>
        ((ISquadCommand)command).LoadAsync(streams, ct);

    public static Decided<SquadState> Handle(InviteAthleteCommand command, Loaded<SquadState> squad, IDocumentSession session, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return squad.Decide(Deciders.Squad, new InviteAthlete(command.Code, now.AddDays(command.DaysValid), command.SingleUse, command.Email),
            command.Options, now, session);
    }
}

/// <summary>Invite codes: 8 characters from an alphabet without look-alikes (no 0/O, 1/I), about 40 bits of chance.</summary>
public static class InviteCodes
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>A fresh, unguessable code.</summary>
    public static string New() => From(RandomNumberGenerator.GetBytes(8));

    /// <summary>The code for these bytes (a retried request derives the same bytes from its Idempotency-Key).</summary>
    public static string From(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new([.. bytes.Take(8).Select(b => Alphabet[b % Alphabet.Length])]);
    }
}
