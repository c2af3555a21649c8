using CoachHub.Domain.Athletes;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.Athletes;

/// <summary>The coach records that a healthcare professional assessed the athlete and cleared them to run.</summary>
public sealed record ClearanceRequest(string? AssessedBy, DateOnly? AssessedOn, string? Note = null);

public sealed record ClearToRunCommand(Guid AthleteId, Guid CoachId, string AssessedBy, DateOnly AssessedOn, string? Note, CommandOptions Options) : IAthleteCommand;

public static class ClearToRunEndpoint
{
    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapPost("/{athleteId:guid}/clearance", async (Guid athleteId, HttpContext http, IMessageBus bus, StreamStates streams, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureCoachOfAthleteAsync(caller, athleteId, http.RequestAborted);
            var body = await RequestBody.ReadAsync<ClearanceRequest>(http);
            Api.Require(("assessedBy", body.AssessedBy), ("assessedOn", body.AssessedOn));
            var result = await bus.DecideAsync(new ClearToRunCommand(athleteId, caller.UserId, body.AssessedBy!, body.AssessedOn!.Value, body.Note,
                CommandOptions.From(http, caller)), streams, http.RequestAborted);
            return Api.Ok(http, result.Version, new { athleteId, cleared = true, resolved = result.Events.OfType<FindingResolved>().Count() });
        }).RequireAuthorization(Roles.Coach).Accepts<ClearanceRequest>("application/json");
}

public static class ClearToRunHandler
{
    public static Task<Loaded<AthleteState>> LoadAsync(ClearToRunCommand command, StreamStates streams, CancellationToken ct) =>
        ((IAthleteCommand)command).LoadAsync(streams, ct);

    public static Decided<AthleteState> Handle(ClearToRunCommand command, Loaded<AthleteState> athlete, IDocumentSession session, AthleteClock clock) =>
        athlete.Decide(new ClearToRun(command.CoachId, command.AssessedBy, command.AssessedOn, command.Note), command.Options, clock, session);
}
