using CoachHub.Domain.Athletes;
using CoachHub.Server.Platform;

namespace CoachHub.Server.Features.Athletes;

public sealed record AddShoeRequest(Guid? ShoeId, string? Name, int? StartingDistanceMeters = null);
public sealed record ShoeResponse(Guid ShoeId, long Version);

/// <summary>Add a shoe (with what it had run before), retire one: mileage drives CX-SHOE.</summary>
public static class ShoesEndpoints
{
    public static void Map(RouteGroupBuilder athletes)
    {
        athletes.MapPost("/{athleteId:guid}/shoes", async (Guid athleteId, HttpContext http, CommandPipeline pipeline, AthleteClock clock) =>
        {
            var caller = Caller.From(http.User);
            AthleteCommandRunner.EnsureSelf(caller, athleteId);
            var body = await RequestBody.ReadAsync<AddShoeRequest>(http);
            var options = CommandOptions.From(http, caller);
            var shoeId = body.ShoeId ?? (options.IdempotencyKey is { } key ? DeterministicGuid.From(key) : Guid.CreateVersion7());
            var result = await AthleteCommandRunner.RunAsync(http, pipeline, clock, athleteId,
                _ => new AddShoe(shoeId, body.Name ?? "", body.StartingDistanceMeters ?? 0), options);
            return Api.Created(http, $"/api/athletes/{athleteId}/dashboard", result.Version, new ShoeResponse(shoeId, result.Version));
        }).RequireAuthorization(Roles.Athlete).Accepts<AddShoeRequest>("application/json").Produces<ShoeResponse>(201);

        athletes.MapPost("/{athleteId:guid}/shoes/{shoeId:guid}/retire", async (Guid athleteId, Guid shoeId, HttpContext http, CommandPipeline pipeline, AthleteClock clock) =>
        {
            var caller = Caller.From(http.User);
            AthleteCommandRunner.EnsureSelf(caller, athleteId);
            var result = await AthleteCommandRunner.RunAsync(http, pipeline, clock, athleteId, _ => new RetireShoe(shoeId), CommandOptions.From(http, caller));
            return Api.Ok(http, result.Version, new ShoeResponse(shoeId, result.Version));
        }).RequireAuthorization(Roles.Athlete).Produces<ShoeResponse>();
    }
}
