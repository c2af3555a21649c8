using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.Squads;

public sealed record CreateSquadRequest(string? Name);
public sealed record SquadCreatedResponse(Guid SquadId, string Name, SquadSettings Settings);

/// <summary>A coach starts a squad, as its head coach.</summary>
public sealed record CreateSquadCommand(Guid SquadId, Guid CoachId, string Name, CommandOptions Options) : ISquadCommand;

public static class CreateSquadEndpoint
{
    public static void Map(RouteGroupBuilder squads) =>
        squads.MapPost("", async (HttpContext http, IMessageBus bus, StreamStates streams) =>
        {
            var body = await RequestBody.ReadAsync<CreateSquadRequest>(http);
            var caller = Caller.From(http.User);
            var options = CommandOptions.From(http, caller) with { IfMatch = null };
            // A retried request names the same squad, so it creates it once.
            var squadId = options.IdempotencyKey is { } key ? DeterministicGuid.From(key) : Guid.CreateVersion7();
            var result = await bus.DecideAsync(new CreateSquadCommand(squadId, caller.UserId, body.Name ?? "", options), streams, http.RequestAborted);
            return Api.Created(http, $"/api/squads/{squadId}", result.Version, new SquadCreatedResponse(squadId, result.State.Name, result.State.Settings));
        }).RequireAuthorization(Roles.Coach).Accepts<CreateSquadRequest>("application/json").Produces<SquadCreatedResponse>(201);
}

public static class CreateSquadHandler
{
    public static Task<Loaded<SquadState>> LoadAsync(CreateSquadCommand command, StreamStates streams, CancellationToken ct) =>
        ((ISquadCommand)command).LoadAsync(streams, ct);

    public static Decided<SquadState> Handle(CreateSquadCommand command, Loaded<SquadState> squad, IDocumentSession session, TimeProvider time) =>
        squad.Decide(Deciders.Squad, new CreateSquad(command.SquadId, command.CoachId, command.Name), command.Options, time.GetUtcNow(), session);
}
