using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Squads;

public sealed record RenameSquadRequest(string? Name);

public static class RenameSquadEndpoint
{
    public static void Map(RouteGroupBuilder squads) =>
        squads.MapPut("/{squadId:guid}/name", async (Guid squadId, HttpContext http, CommandPipeline pipeline, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureOwnSquadAsync(caller, squadId, http.RequestAborted);
            var body = await RequestBody.ReadAsync<RenameSquadRequest>(http);
            var result = await pipeline.RunAsync(Streams.Squad(squadId), Deciders.Squad, _ => new RenameSquad(body.Name ?? ""), CommandOptions.From(http, caller));
            return Api.Ok(http, result.Version, new { squadId, name = result.State.Name });
        }).RequireAuthorization(Roles.Coach).Accepts<RenameSquadRequest>("application/json");
}
