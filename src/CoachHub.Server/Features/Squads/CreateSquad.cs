using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;

namespace CoachHub.Server.Features.Squads;

public sealed record CreateSquadRequest(string? Name);
public sealed record SquadCreatedResponse(Guid SquadId, string Name, SquadSettings Settings);

public static class CreateSquadEndpoint
{
    public static void Map(RouteGroupBuilder squads) =>
        squads.MapPost("", async (HttpContext http, CommandPipeline pipeline) =>
        {
            var body = await RequestBody.ReadAsync<CreateSquadRequest>(http);
            var caller = Caller.From(http.User);
            var options = CommandOptions.From(http, caller);
            // A retried request names the same squad, so it creates it once.
            var squadId = options.IdempotencyKey is { } key ? DeterministicGuid.From(key) : Guid.CreateVersion7();
            var result = await pipeline.RunAsync(Streams.Squad(squadId), Deciders.Squad,
                _ => new CreateSquad(squadId, caller.UserId, body.Name ?? ""), options with { IfMatch = null });
            return Api.Created(http, $"/api/squads/{squadId}", result.Version, new SquadCreatedResponse(squadId, result.State.Name, result.State.Settings));
        }).RequireAuthorization(Roles.Coach).Accepts<CreateSquadRequest>("application/json").Produces<SquadCreatedResponse>(201);
}
