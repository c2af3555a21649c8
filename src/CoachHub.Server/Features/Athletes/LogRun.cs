using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Server.Platform;

namespace CoachHub.Server.Features.Athletes;

public sealed record LogRunRequest(
    Guid? RunId, DateTimeOffset? StartedAt, int? DistanceMeters, int? DurationSeconds, WorkoutType? Workout, Surface? Surface,
    int? SessionRpe, int? ElevationGainMeters = null, double? TreadmillInclinePercent = null, Guid? ShoeId = null, string? Notes = null,
    string? PlannedSessionId = null);
public sealed record RunLoggedResponse(Guid RunId, long Version, IReadOnlyList<RaisedFinding> Findings, string Disclaimer);

public static class LogRunEndpoint
{
    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapPost("/{athleteId:guid}/runs", async (Guid athleteId, HttpContext http, CommandPipeline pipeline, AthleteClock clock) =>
        {
            var caller = Caller.From(http.User);
            AthleteCommandRunner.EnsureSelf(caller, athleteId);
            var body = await RequestBody.ReadAsync<LogRunRequest>(http);
            Api.Require(("startedAt", body.StartedAt), ("distanceMeters", body.DistanceMeters), ("durationSeconds", body.DurationSeconds),
                ("workout", body.Workout), ("surface", body.Surface), ("sessionRpe", body.SessionRpe));
            var options = CommandOptions.From(http, caller);
            // A phone retrying with the same Idempotency-Key names the same run, so it is logged once.
            var runId = body.RunId ?? (options.IdempotencyKey is { } key ? DeterministicGuid.From(key) : Guid.CreateVersion7());
            var (plan, _) = await pipeline.LoadAsync(Streams.Plan(athleteId), Deciders.Plan, http.RequestAborted);
            var result = await AthleteCommandRunner.RunAsync(http, pipeline, clock, athleteId, athlete =>
            {
                // The instant as sent; the day and week on the athlete's own clock, whatever offset the client used.
                var startedAt = AthleteClock.OnClockOf(athlete.TimeZoneId, body.StartedAt!.Value);
                return new LogRun(runId, startedAt, body.DistanceMeters!.Value, body.DurationSeconds!.Value, body.Workout!.Value, body.Surface!.Value,
                    body.SessionRpe!.Value, body.ElevationGainMeters ?? 0, body.TreadmillInclinePercent, body.ShoeId, body.Notes, body.PlannedSessionId,
                    PrescribedSession.For(plan, startedAt, body.Workout.Value, body.PlannedSessionId, athlete.Pauses));
            }, options);
            return Api.Created(http, $"/api/athletes/{athleteId}/history", result.Version,
                new RunLoggedResponse(runId, result.Version, AthleteCommandRunner.Raised(result.Events), Disclaimer.Text));
        }).RequireAuthorization(Roles.Athlete).Accepts<LogRunRequest>("application/json").Produces<RunLoggedResponse>(201);
}
