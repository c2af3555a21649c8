using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.Squads;

/// <summary>A coach of the squad withdraws an invite code.</summary>
public sealed record RevokeInviteCommand(Guid SquadId, string Code, Guid CoachId, CommandOptions Options) : ISquadCommand;

/// <summary>The squad's invite codes that still let someone in, and the coach's way to withdraw one.</summary>
public static class ManageInvitesEndpoints
{
    public static void Map(RouteGroupBuilder squads)
    {
        squads.MapGet("/{squadId:guid}/invites", async (Guid squadId, HttpContext http, CoachingQueries queries) =>
        {
            await queries.EnsureOwnSquadAsync(Caller.From(http.User), squadId, http.RequestAborted);
            return Results.Ok(await queries.InvitesAsync(squadId, http.RequestAborted));
        }).RequireAuthorization(Roles.Coach).Produces<IReadOnlyList<SquadInviteRow>>()
            .WithDescription("The squad's invite codes not withdrawn: who for, single use or not, how often used, when they expire.");
        squads.MapDelete("/{squadId:guid}/invites/{code}", async (Guid squadId, string code, HttpContext http, IMessageBus bus, StreamStates streams,
            CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureOwnSquadAsync(caller, squadId, http.RequestAborted);
            await bus.DecideAsync(new RevokeInviteCommand(squadId, code, caller.UserId, CommandOptions.From(http, caller)), streams, http.RequestAborted);
            return Results.NoContent();
        }).RequireAuthorization(Roles.Coach).Produces(204)
            .WithDescription("Withdraws an invite code: nobody joins with it from now on. Withdrawing it again changes nothing.");
    }
}

public static class RevokeInviteHandler
{
    public static Task<Loaded<SquadState>> LoadAsync(RevokeInviteCommand command, StreamStates streams, CancellationToken ct) =>
        ((ISquadCommand)command).LoadAsync(streams, ct);

    public static Decided<SquadState> Handle(RevokeInviteCommand command, Loaded<SquadState> squad, IDocumentSession session, TimeProvider time) =>
        squad.Decide(Deciders.Squad, new RevokeInvite(command.Code, command.CoachId), command.Options, time.GetUtcNow(), session);
}
