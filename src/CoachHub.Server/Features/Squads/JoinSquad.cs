using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.Squads;

/// <param name="ConfirmMove">True once the athlete has confirmed leaving the squad they train in now (docs/decisions/0004).</param>
public sealed record JoinSquadRequest(string? InviteCode, bool? ConfirmMove = null);
public sealed record JoinedSquad(Guid SquadId, string Name, Guid? LeftSquadId);

/// <summary>An athlete joins a squad with its invite code; moving from another squad is confirmed first.</summary>
public sealed record JoinSquadCommand(Guid SquadId, Guid AthleteId, string InviteCode, Guid? CurrentSquadId, bool ConfirmMove, CommandOptions Options)
    : ISquadCommand;

public static class JoinSquadEndpoint
{
    public static void Map(RouteGroupBuilder squads) =>
        squads.MapPost("/join", async (HttpContext http, IMessageBus bus, StreamStates streams, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            var body = await RequestBody.ReadAsync<JoinSquadRequest>(http);
            Api.Require(("inviteCode", body.InviteCode));
            var squadId = await queries.SquadForInviteAsync(body.InviteCode!, http.RequestAborted)
                ?? throw new BadFieldException("inviteCode", "is not a valid invite code.");
            var (current, _) = await queries.SquadOfAthleteAsync(caller.UserId, http.RequestAborted);
            var options = CommandOptions.From(http, caller) with { IfMatch = null };
            var result = await bus.DecideAsync(new JoinSquadCommand(squadId, caller.UserId, body.InviteCode!, current, body.ConfirmMove ?? false, options),
                streams, http.RequestAborted);
            // Joined first, left second: if the second step fails the athlete is briefly in both squads (both coaches
            // hear the alerts), never in none. A retry of the request finishes the move.
            Guid? left = null;
            if (current is { } old && old != squadId)
            {
                await bus.DecideAsync(new LeaveSquadCommand(old, caller.UserId, LeaveSquadCommand.Why.Moved, squadId,
                    new CommandOptions { UserId = caller.UserId.ToString(), IdempotencyKey = options.IdempotencyKey is { } k ? $"{k}:leave" : null }),
                    streams, http.RequestAborted);
                left = old;
            }
            return Api.Ok(http, result.Version, new JoinedSquad(squadId, result.State.Name, left));
        }).RequireAuthorization(Roles.Athlete).Accepts<JoinSquadRequest>("application/json").Produces<JoinedSquad>();
}

public static class JoinSquadHandler
{
    public static Task<Loaded<SquadState>> LoadAsync(JoinSquadCommand command, StreamStates streams, CancellationToken ct) =>
        ((ISquadCommand)command).LoadAsync(streams, ct);

    public static Decided<SquadState> Handle(JoinSquadCommand command, Loaded<SquadState> squad, IDocumentSession session, TimeProvider time) =>
        squad.Decide(Deciders.Squad, new JoinSquad(command.AthleteId, command.InviteCode, command.CurrentSquadId, command.ConfirmMove),
            command.Options, time.GetUtcNow(), session);
}
