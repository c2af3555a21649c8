using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Squads;

public sealed record AddCoachRequest(string? Email);

/// <summary>
/// Who belongs to a squad (docs/decisions/0004): the athlete leaves, a coach of the squad removes an athlete, the head
/// coach adds another coach, and the coaches are listed.
/// </summary>
public static class MembershipEndpoints
{
    public static void Map(RouteGroupBuilder squads)
    {
        squads.MapPost("/{squadId:guid}/leave", async (Guid squadId, HttpContext http, CommandPipeline pipeline) =>
        {
            var caller = Caller.From(http.User);
            await pipeline.RunAsync(Streams.Squad(squadId), Deciders.Squad, state => state.IsMember(caller.UserId) || !state.Created
                ? new LeaveSquad(caller.UserId)
                : throw new NotFoundException("That squad"), CommandOptions.From(http, caller) with { IfMatch = null });
            return Results.NoContent();
        }).RequireAuthorization(Roles.Athlete);

        squads.MapDelete("/{squadId:guid}/athletes/{athleteId:guid}", async (Guid squadId, Guid athleteId, HttpContext http, CommandPipeline pipeline, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureOwnSquadAsync(caller, squadId, http.RequestAborted);
            await pipeline.RunAsync(Streams.Squad(squadId), Deciders.Squad, state => state.IsMember(athleteId)
                ? new LeaveSquad(athleteId, RemovedBy: caller.UserId)
                : throw new NotFoundException("That athlete"), CommandOptions.From(http, caller));
            return Results.NoContent();
        }).RequireAuthorization(Roles.Coach);

        squads.MapGet("/{squadId:guid}/coaches", async (Guid squadId, HttpContext http, CoachingQueries queries) =>
        {
            await queries.EnsureOwnSquadAsync(Caller.From(http.User), squadId, http.RequestAborted);
            return Results.Ok(await queries.CoachesOfSquadAsync(squadId, http.RequestAborted));
        }).RequireAuthorization(Roles.Coach).Produces<IReadOnlyList<SquadCoach>>();

        squads.MapPost("/{squadId:guid}/coaches", async (Guid squadId, HttpContext http, CommandPipeline pipeline, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureOwnSquadAsync(caller, squadId, http.RequestAborted);
            var body = await RequestBody.ReadAsync<AddCoachRequest>(http);
            Api.Require(("email", body.Email));
            var account = await pipeline.ReadAsync(Streams.Account(body.Email!), Accounts.AccountState.Decider, http.RequestAborted);
            // Only a coach's account can be added; anything else reads as "no such coach", so emails are not probed.
            var coach = account.Registration is { Role: Roles.Coach } r ? r.UserId
                : throw new BadFieldException("email", "is not the email of a CoachHub coach.");
            var result = await pipeline.RunAsync(Streams.Squad(squadId), Deciders.Squad, _ => new AddCoach(coach, caller.UserId), CommandOptions.From(http, caller));
            return Api.Ok(http, result.Version, await queries.CoachesOfSquadAsync(squadId, http.RequestAborted));
        }).RequireAuthorization(Roles.Coach).Accepts<AddCoachRequest>("application/json").Produces<IReadOnlyList<SquadCoach>>();
    }
}
