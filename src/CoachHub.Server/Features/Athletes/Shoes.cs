using CoachHub.Domain.Athletes;
using CoachHub.Server.Platform;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.Athletes;

public sealed record AddShoeRequest(Guid? ShoeId, string? Name, int? StartingDistanceMeters = null);
public sealed record ShoeResponse(Guid ShoeId, long Version);

public sealed record AddShoeCommand(Guid AthleteId, Guid ShoeId, string Name, int StartingDistanceMeters, CommandOptions Options) : IAthleteCommand;

public sealed record RetireShoeCommand(Guid AthleteId, Guid ShoeId, CommandOptions Options) : IAthleteCommand;

/// <summary>Add a shoe (with what it had run before), retire one: mileage drives CX-SHOE.</summary>
public static class ShoesEndpoints
{
    public static void Map(RouteGroupBuilder athletes)
    {
        athletes.MapPost("/{athleteId:guid}/shoes", async (Guid athleteId, HttpContext http, IMessageBus bus, StreamStates streams) =>
        {
            var caller = Caller.From(http.User);
            AthleteCommands.EnsureSelf(caller, athleteId);
            var body = await RequestBody.ReadAsync<AddShoeRequest>(http);
            var options = CommandOptions.From(http, caller);
            var shoeId = body.ShoeId ?? (options.IdempotencyKey is { } key ? DeterministicGuid.From(key) : Guid.CreateVersion7());
            var result = await bus.DecideAsync(new AddShoeCommand(athleteId, shoeId, body.Name ?? "", body.StartingDistanceMeters ?? 0, options), streams,
                http.RequestAborted);
            return Api.Created(http, $"/api/athletes/{athleteId}/dashboard", result.Version, new ShoeResponse(shoeId, result.Version));
        }).RequireAuthorization(Roles.Athlete).Accepts<AddShoeRequest>("application/json").Produces<ShoeResponse>(201);

        athletes.MapPost("/{athleteId:guid}/shoes/{shoeId:guid}/retire", async (Guid athleteId, Guid shoeId, HttpContext http, IMessageBus bus, StreamStates streams) =>
        {
            var caller = Caller.From(http.User);
            AthleteCommands.EnsureSelf(caller, athleteId);
            var result = await bus.DecideAsync(new RetireShoeCommand(athleteId, shoeId, CommandOptions.From(http, caller)), streams, http.RequestAborted);
            return Api.Ok(http, result.Version, new ShoeResponse(shoeId, result.Version));
        }).RequireAuthorization(Roles.Athlete).Produces<ShoeResponse>();
    }
}

public static class AddShoeHandler
{
    public static Task<Loaded<AthleteState>> LoadAsync(AddShoeCommand command, StreamStates streams, CancellationToken ct) =>
        ((IAthleteCommand)command).LoadAsync(streams, ct);

    public static Decided<AthleteState> Handle(AddShoeCommand command, Loaded<AthleteState> athlete, IDocumentSession session, AthleteClock clock) =>
        athlete.Decide(new AddShoe(command.ShoeId, command.Name, command.StartingDistanceMeters), command.Options, clock, session);
}

public static class RetireShoeHandler
{
    public static Task<Loaded<AthleteState>> LoadAsync(RetireShoeCommand command, StreamStates streams, CancellationToken ct) =>
        ((IAthleteCommand)command).LoadAsync(streams, ct);

    public static Decided<AthleteState> Handle(RetireShoeCommand command, Loaded<AthleteState> athlete, IDocumentSession session, AthleteClock clock) =>
        athlete.Decide(new RetireShoe(command.ShoeId), command.Options, clock, session);
}
