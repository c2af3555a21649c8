using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.Squads;

public sealed record RenameSquadRequest(string? Name);

/// <summary>The head coach or an added coach renames the squad.</summary>
public sealed record RenameSquadCommand(Guid SquadId, string Name, CommandOptions Options);

public static class RenameSquadEndpoint
{
    public static void Map(RouteGroupBuilder squads) =>
        squads.MapPut("/{squadId:guid}/name", async (Guid squadId, HttpContext http, IMessageBus bus, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureOwnSquadAsync(caller, squadId, http.RequestAborted);
            var body = await RequestBody.ReadAsync<RenameSquadRequest>(http);
            var result = await bus.DecideAsync<SquadState>(new RenameSquadCommand(squadId, body.Name ?? "", CommandOptions.From(http, caller)),
                http.RequestAborted);
            return Api.Ok(http, result.Version, new { squadId, name = result.State.Name });
        }).RequireAuthorization(Roles.Coach).Accepts<RenameSquadRequest>("application/json");
}

public static class RenameSquadHandler
{
    public static Task<Loaded<SquadState>> LoadAsync(RenameSquadCommand command, StreamStates streams, CancellationToken ct) =>
        streams.LoadAsync(Streams.Squad(command.SquadId), Deciders.Squad, ct);

    public static Decided<SquadState> Handle(RenameSquadCommand command, Loaded<SquadState> squad, IDocumentSession session, TimeProvider time) =>
        squad.Decide(Deciders.Squad, new RenameSquad(command.Name), command.Options, time.GetUtcNow(), session);
}
