using CoachHub.Domain.Squads;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.Squads;

public sealed record AddCoachRequest(string? Email);

/// <summary>An athlete stops training in a squad: they left, a coach removed them, or they moved to another squad.</summary>
/// <param name="RemovedBy">The coach who removed them, when one did.</param>
public sealed record LeaveSquadCommand(Guid SquadId, Guid AthleteId, LeaveSquadCommand.Why Reason, Guid? ByOrTo, CommandOptions Options) : ISquadCommand
{
    /// <summary>Left: the athlete's own choice. Removed: by the coach in <c>ByOrTo</c>. Moved: to the squad in <c>ByOrTo</c>.</summary>
    public enum Why { Left, Removed, Moved }
}

/// <summary>The head coach adds another coach, who then sees and hears everything the squad's coaches do.</summary>
public sealed record AddCoachCommand(Guid SquadId, Guid CoachId, Guid AddedBy, CommandOptions Options) : ISquadCommand;

public sealed record HandOverRequest(Guid? CoachId);

/// <summary>A coach stops coaching the squad: taken off by the head coach, or stepping down.</summary>
public sealed record RemoveCoachCommand(Guid SquadId, Guid CoachId, Guid RemovedBy, CommandOptions Options) : ISquadCommand;

/// <summary>The head coach closes the squad.</summary>
public sealed record CloseSquadCommand(Guid SquadId, Guid By, CommandOptions Options) : ISquadCommand;

/// <summary>The head coach hands the squad to one of its coaches.</summary>
public sealed record HandOverSquadCommand(Guid SquadId, Guid ToCoachId, Guid By, CommandOptions Options) : ISquadCommand;

/// <summary>
/// Who belongs to a squad (docs/decisions/0004): the athlete leaves, a coach of the squad removes an athlete, the head
/// coach adds another coach, and the coaches are listed.
/// </summary>
public static class MembershipEndpoints
{
    public static void Map(RouteGroupBuilder squads)
    {
        squads.MapPost("/{squadId:guid}/leave", async (Guid squadId, HttpContext http, IMessageBus bus, StreamStates streams) =>
        {
            var caller = Caller.From(http.User);
            await bus.DecideAsync(new LeaveSquadCommand(squadId, caller.UserId, LeaveSquadCommand.Why.Left, null,
                CommandOptions.From(http, caller) with { IfMatch = null }), streams, http.RequestAborted);
            return Results.NoContent();
        }).RequireAuthorization(Roles.Athlete);

        squads.MapDelete("/{squadId:guid}/athletes/{athleteId:guid}", async (Guid squadId, Guid athleteId, HttpContext http, IMessageBus bus, StreamStates streams,
            CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureOwnSquadAsync(caller, squadId, http.RequestAborted);
            await bus.DecideAsync(new LeaveSquadCommand(squadId, athleteId, LeaveSquadCommand.Why.Removed, caller.UserId, CommandOptions.From(http, caller)),
                streams, http.RequestAborted);
            return Results.NoContent();
        }).RequireAuthorization(Roles.Coach);

        squads.MapGet("/{squadId:guid}/coaches", async (Guid squadId, HttpContext http, CoachingQueries queries) =>
        {
            await queries.EnsureOwnSquadAsync(Caller.From(http.User), squadId, http.RequestAborted);
            return Results.Ok(await queries.CoachesOfSquadAsync(squadId, http.RequestAborted));
        }).RequireAuthorization(Roles.Coach).Produces<IReadOnlyList<SquadCoach>>();

        squads.MapPost("/{squadId:guid}/coaches", async (Guid squadId, HttpContext http, IMessageBus bus, StreamStates streams, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureOwnSquadAsync(caller, squadId, http.RequestAborted);
            var body = await RequestBody.ReadAsync<AddCoachRequest>(http);
            Api.Require(("email", body.Email));
            var account = await streams.ReadAsync(Streams.Account(body.Email!), Accounts.AccountState.Decider, http.RequestAborted);
            // Only a coach's account can be added; anything else reads as "no such coach", so emails are not probed.
            var coach = account.Registration is { Role: Roles.Coach } r ? r.UserId
                : throw new BadFieldException("email", "is not the email of a CoachHub coach.");
            var result = await bus.DecideAsync(new AddCoachCommand(squadId, coach, caller.UserId, CommandOptions.From(http, caller)), streams, http.RequestAborted);
            return Api.Ok(http, result.Version, await queries.CoachesOfSquadAsync(squadId, http.RequestAborted));
        }).RequireAuthorization(Roles.Coach).Accepts<AddCoachRequest>("application/json").Produces<IReadOnlyList<SquadCoach>>();

        // The head coach takes a coach off, or a coach steps down (their own id); the head coach stays (400 naming coachId).
        squads.MapDelete("/{squadId:guid}/coaches/{coachId:guid}", async (Guid squadId, Guid coachId, HttpContext http, IMessageBus bus, StreamStates streams,
            CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureOwnSquadAsync(caller, squadId, http.RequestAborted);
            var result = await bus.DecideAsync(new RemoveCoachCommand(squadId, coachId, caller.UserId, CommandOptions.From(http, caller)), streams, http.RequestAborted);
            return Api.Ok(http, result.Version, await queries.CoachesOfSquadAsync(squadId, http.RequestAborted));
        }).RequireAuthorization(Roles.Coach).Produces<IReadOnlyList<SquadCoach>>();

        // The head coach closes the squad: its athletes leave it (keeping their history), its codes stop, it is gone.
        squads.MapDelete("/{squadId:guid}", async (Guid squadId, HttpContext http, IMessageBus bus, StreamStates streams, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureOwnSquadAsync(caller, squadId, http.RequestAborted);
            await bus.DecideAsync(new CloseSquadCommand(squadId, caller.UserId, CommandOptions.From(http, caller)), streams, http.RequestAborted);
            return Results.NoContent();
        }).RequireAuthorization(Roles.Coach);

        squads.MapPost("/{squadId:guid}/handover", async (Guid squadId, HttpContext http, IMessageBus bus, StreamStates streams, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureOwnSquadAsync(caller, squadId, http.RequestAborted);
            var body = await RequestBody.ReadAsync<HandOverRequest>(http);
            Api.Require(("coachId", body.CoachId));
            var result = await bus.DecideAsync(new HandOverSquadCommand(squadId, body.CoachId!.Value, caller.UserId, CommandOptions.From(http, caller)), streams,
                http.RequestAborted);
            return Api.Ok(http, result.Version, await queries.CoachesOfSquadAsync(squadId, http.RequestAborted));
        }).RequireAuthorization(Roles.Coach).Accepts<HandOverRequest>("application/json").Produces<IReadOnlyList<SquadCoach>>();
    }
}

public static class LeaveSquadHandler
{
    public static Task<Loaded<SquadState>> LoadAsync(LeaveSquadCommand command, StreamStates streams, CancellationToken ct) =>
        ((ISquadCommand)command).LoadAsync(streams, ct);

    public static Decided<SquadState> Handle(LeaveSquadCommand command, Loaded<SquadState> squad, IDocumentSession session, TimeProvider time)
    {
        var member = squad.State.IsMember(command.AthleteId);
        // Someone no longer in the squad: a move has nothing left to do; leaving or removing reads as not found.
        if (!member && command.Reason == LeaveSquadCommand.Why.Moved) return new Decided<SquadState>(squad.State, squad.Version, []);
        if (!member && (command.Reason == LeaveSquadCommand.Why.Removed || squad.State.Created))
            return new Decided<SquadState>(squad.State, squad.Version, [],
                new NotFoundException(command.Reason == LeaveSquadCommand.Why.Removed ? "That athlete" : "That squad"));
        return squad.Decide(Deciders.Squad, command.Reason switch
        {
            LeaveSquadCommand.Why.Removed => new LeaveSquad(command.AthleteId, RemovedBy: command.ByOrTo),
            LeaveSquadCommand.Why.Moved => new LeaveSquad(command.AthleteId, MovedTo: command.ByOrTo),
            _ => new LeaveSquad(command.AthleteId),
        }, command.Options, time.GetUtcNow(), session);
    }
}

public static class AddCoachHandler
{
    public static Task<Loaded<SquadState>> LoadAsync(AddCoachCommand command, StreamStates streams, CancellationToken ct) =>
        ((ISquadCommand)command).LoadAsync(streams, ct);

    public static Decided<SquadState> Handle(AddCoachCommand command, Loaded<SquadState> squad, IDocumentSession session, TimeProvider time) =>
        squad.Decide(Deciders.Squad, new AddCoach(command.CoachId, command.AddedBy), command.Options, time.GetUtcNow(), session);
}

public static class RemoveCoachHandler
{
    public static Task<Loaded<SquadState>> LoadAsync(RemoveCoachCommand command, StreamStates streams, CancellationToken ct) =>
        ((ISquadCommand)command).LoadAsync(streams, ct);

    public static Decided<SquadState> Handle(RemoveCoachCommand command, Loaded<SquadState> squad, IDocumentSession session, TimeProvider time) =>
        squad.Decide(Deciders.Squad, new RemoveCoach(command.CoachId, command.RemovedBy), command.Options, time.GetUtcNow(), session);
}

public static class HandOverSquadHandler
{
    public static Task<Loaded<SquadState>> LoadAsync(HandOverSquadCommand command, StreamStates streams, CancellationToken ct) =>
        ((ISquadCommand)command).LoadAsync(streams, ct);

    public static Decided<SquadState> Handle(HandOverSquadCommand command, Loaded<SquadState> squad, IDocumentSession session, TimeProvider time) =>
        squad.Decide(Deciders.Squad, new HandOverSquad(command.ToCoachId, command.By), command.Options, time.GetUtcNow(), session);
}

public static class CloseSquadHandler
{
    public static Task<Loaded<SquadState>> LoadAsync(CloseSquadCommand command, StreamStates streams, CancellationToken ct) =>
        ((ISquadCommand)command).LoadAsync(streams, ct);

    public static Decided<SquadState> Handle(CloseSquadCommand command, Loaded<SquadState> squad, IDocumentSession session, TimeProvider time) =>
        squad.Decide(Deciders.Squad, new CloseSquad(command.By), command.Options, time.GetUtcNow(), session);
}
