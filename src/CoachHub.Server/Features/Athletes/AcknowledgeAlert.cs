using CoachHub.Domain.Athletes;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.Athletes;

public sealed record AcknowledgeRequest(string? Note = null);

/// <summary>A coach of the athlete has seen a finding and is acting on it.</summary>
public sealed record AcknowledgeAlertCommand(Guid AthleteId, string FindingId, Guid CoachId, string? Note, CommandOptions Options) : IAthleteCommand;

public static class AcknowledgeAlertEndpoint
{
    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapPost("/{athleteId:guid}/findings/{findingId}/acknowledge", async (Guid athleteId, string findingId, HttpContext http, IMessageBus bus, StreamStates streams, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureCoachOfAthleteAsync(caller, athleteId, http.RequestAborted);
            var body = await RequestBody.ReadOptionalAsync(http, new AcknowledgeRequest());
            var result = await bus.DecideAsync(new AcknowledgeAlertCommand(athleteId, findingId, caller.UserId, body.Note, CommandOptions.From(http, caller)),
                streams, http.RequestAborted);
            return Api.Ok(http, result.Version, new { athleteId, findingId, acknowledged = true });
        }).RequireAuthorization(Roles.Coach).Accepts<AcknowledgeRequest>("application/json");
}

public static class AcknowledgeAlertHandler
{
    public static Task<Loaded<AthleteState>> LoadAsync(AcknowledgeAlertCommand command, StreamStates streams, CancellationToken ct) =>
        ((IAthleteCommand)command).LoadAsync(streams, ct);

    public static Decided<AthleteState> Handle(AcknowledgeAlertCommand command, Loaded<AthleteState> athlete, IDocumentSession session, AthleteClock clock) =>
        athlete.Decide(new AcknowledgeAlert(command.FindingId, command.CoachId, command.Note), command.Options, clock, session);
}

public sealed record FindingNoteRequest(string? Note);

public sealed record NoteOnFindingCommand(Guid AthleteId, NoteOnFinding Note, CommandOptions Options) : IAthleteCommand;

/// <summary>
/// A finding's history for the athlete's coaches, and a coach's note on it at any time ("called her, physio on
/// Tuesday"), open or closed: the alert's story, kept with the athlete's events.
/// </summary>
public static class FindingHistoryEndpoints
{
    public static void Map(RouteGroupBuilder athletes)
    {
        athletes.MapGet("/{athleteId:guid}/findings/{findingId}", async (Guid athleteId, string findingId, HttpContext http, CoachingQueries queries) =>
        {
            await queries.EnsureCoachOfAthleteAsync(Caller.From(http.User), athleteId, http.RequestAborted);
            return Results.Ok(await queries.FindingHistoryAsync(athleteId, findingId, http.RequestAborted) ?? throw new NotFoundException("That finding"));
        }).RequireAuthorization(Roles.Coach).Produces<FindingHistory>();

        athletes.MapPost("/{athleteId:guid}/findings/{findingId}/notes", async (Guid athleteId, string findingId, HttpContext http, IMessageBus bus,
            StreamStates streams, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureCoachOfAthleteAsync(caller, athleteId, http.RequestAborted);
            var body = await RequestBody.ReadAsync<FindingNoteRequest>(http);
            Api.Require(("note", body.Note));
            var name = string.IsNullOrWhiteSpace(caller.Name) ? "Coach" : caller.Name;
            var result = await bus.DecideAsync(new NoteOnFindingCommand(athleteId, new NoteOnFinding(findingId, caller.UserId, name, body.Note!),
                CommandOptions.From(http, caller)), streams, http.RequestAborted);
            return Api.Created(http, $"/api/athletes/{athleteId}/findings/{Uri.EscapeDataString(findingId)}", result.Version, new { athleteId, findingId });
        }).RequireAuthorization(Roles.Coach).Accepts<FindingNoteRequest>("application/json");
    }
}

public static class NoteOnFindingHandler
{
    public static Task<Loaded<AthleteState>> LoadAsync(NoteOnFindingCommand command, StreamStates streams, CancellationToken ct) =>
        ((IAthleteCommand)command).LoadAsync(streams, ct);

    public static Decided<AthleteState> Handle(NoteOnFindingCommand command, Loaded<AthleteState> athlete, IDocumentSession session, AthleteClock clock) =>
        athlete.Decide(command.Note, command.Options, clock, session);
}
