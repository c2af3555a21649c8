using CoachHub.Domain.Athletes;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Athletes;

public sealed record AcknowledgeRequest(string? Note = null);

public static class AcknowledgeAlertEndpoint
{
    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapPost("/{athleteId:guid}/findings/{findingId}/acknowledge", async (Guid athleteId, string findingId, HttpContext http, CommandPipeline pipeline, CoachingQueries queries, AthleteClock clock) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureCoachOfAthleteAsync(caller, athleteId, http.RequestAborted);
            var body = await RequestBody.ReadOptionalAsync(http, new AcknowledgeRequest());
            var result = await AthleteCommandRunner.RunAsync(http, pipeline, clock, athleteId,
                _ => new AcknowledgeAlert(findingId, caller.UserId, body.Note), CommandOptions.From(http, caller));
            return Api.Ok(http, result.Version, new { athleteId, findingId, acknowledged = true });
        }).RequireAuthorization(Roles.Coach).Accepts<AcknowledgeRequest>("application/json");
}
