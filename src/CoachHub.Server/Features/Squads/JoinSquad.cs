using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Squads;

/// <param name="ConfirmMove">True once the athlete has confirmed leaving the squad they train in now (docs/decisions/0004).</param>
public sealed record JoinSquadRequest(string? InviteCode, bool? ConfirmMove = null);
public sealed record JoinedSquad(Guid SquadId, string Name, Guid? LeftSquadId);

public static class JoinSquadEndpoint
{
    public static void Map(RouteGroupBuilder squads) =>
        squads.MapPost("/join", async (HttpContext http, CommandPipeline pipeline, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            var body = await RequestBody.ReadAsync<JoinSquadRequest>(http);
            Api.Require(("inviteCode", body.InviteCode));
            var squadId = await queries.SquadForInviteAsync(body.InviteCode!, http.RequestAborted)
                ?? throw new BadFieldException("inviteCode", "is not a valid invite code.");
            var (current, _) = await queries.SquadOfAthleteAsync(caller.UserId, http.RequestAborted);
            var options = CommandOptions.From(http, caller) with { IfMatch = null };
            var result = await pipeline.RunAsync(Streams.Squad(squadId), Deciders.Squad,
                _ => new JoinSquad(caller.UserId, body.InviteCode!, current, body.ConfirmMove ?? false), options);
            // Joined first, left second: if the second step fails the athlete is briefly in both squads (both coaches
            // hear the alerts), never in none. A retry of the request finishes the move.
            Guid? left = null;
            if (current is { } old && old != squadId)
            {
                var (before, _) = await pipeline.LoadAsync(Streams.Squad(old), Deciders.Squad, http.RequestAborted);
                if (before.IsMember(caller.UserId))
                {
                    await pipeline.RunAsync(Streams.Squad(old), Deciders.Squad, _ => new LeaveSquad(caller.UserId, MovedTo: squadId),
                        new CommandOptions { UserId = caller.UserId.ToString(), IdempotencyKey = options.IdempotencyKey is { } k ? $"{k}:leave" : null },
                        http.RequestAborted);
                }
                left = old;
            }
            return Api.Ok(http, result.Version, new JoinedSquad(squadId, result.State.Name, left));
        }).RequireAuthorization(Roles.Athlete).Accepts<JoinSquadRequest>("application/json").Produces<JoinedSquad>();
}
