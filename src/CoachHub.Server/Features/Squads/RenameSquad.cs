using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.Squads;

public sealed record RenameSquadRequest(string? Name);

/// <summary>A coach of the squad renames it.</summary>
public sealed record RenameSquadCommand(Guid SquadId, string Name, CommandOptions Options) : ISquadCommand;

public static class RenameSquadEndpoint
{
    public static void Map(RouteGroupBuilder squads) =>
        squads.MapPut("/{squadId:guid}/name", async (Guid squadId, HttpContext http, IMessageBus bus, StreamStates streams, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureOwnSquadAsync(caller, squadId, http.RequestAborted);
            var body = await RequestBody.ReadAsync<RenameSquadRequest>(http);
            var result = await bus.DecideAsync(new RenameSquadCommand(squadId, body.Name ?? "", CommandOptions.From(http, caller)), streams, http.RequestAborted);
            return Api.Ok(http, result.Version, new { squadId, name = result.State.Name });
        }).RequireAuthorization(Roles.Coach).Accepts<RenameSquadRequest>("application/json");
}

public static class RenameSquadHandler
{
    public static Task<Loaded<SquadState>> LoadAsync(RenameSquadCommand command, StreamStates streams, CancellationToken ct) =>
        ((ISquadCommand)command).LoadAsync(streams, ct);

    public static Decided<SquadState> Handle(RenameSquadCommand command, Loaded<SquadState> squad, IDocumentSession session, TimeProvider time) =>
        squad.Decide(Deciders.Squad, new RenameSquad(command.Name), command.Options, time.GetUtcNow(), session);
}
