using CoachHub.Domain.Athletes;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Athletes;

/// <summary>The coach records that a healthcare professional assessed the athlete and cleared them to run.</summary>
public sealed record ClearanceRequest(string? AssessedBy, DateOnly? AssessedOn, string? Note = null);

public static class ClearToRunEndpoint
{
    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapPost("/{athleteId:guid}/clearance", async (Guid athleteId, HttpContext http, CommandPipeline pipeline, CoachingQueries queries, AthleteClock clock) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureCoachOfAthleteAsync(caller, athleteId, http.RequestAborted);
            var body = await RequestBody.ReadAsync<ClearanceRequest>(http);
            Api.Require(("assessedBy", body.AssessedBy), ("assessedOn", body.AssessedOn));
            var result = await AthleteCommandRunner.RunAsync(http, pipeline, clock, athleteId,
                _ => new ClearToRun(caller.UserId, body.AssessedBy!, body.AssessedOn!.Value, body.Note), CommandOptions.From(http, caller));
            return Api.Ok(http, result.Version, new { athleteId, cleared = true, resolved = result.Events.OfType<FindingResolved>().Count() });
        }).RequireAuthorization(Roles.Coach).Accepts<ClearanceRequest>("application/json");
}
