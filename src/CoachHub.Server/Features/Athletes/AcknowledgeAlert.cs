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
