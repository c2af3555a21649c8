using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.Athletes;

public sealed record LogRunRequest(
    Guid? RunId, DateTimeOffset? StartedAt, int? DistanceMeters, int? DurationSeconds, WorkoutType? Workout, Surface? Surface,
    int? SessionRpe, int? ElevationGainMeters = null, double? TreadmillInclinePercent = null, Guid? ShoeId = null, string? Notes = null,
    string? PlannedSessionId = null, int? AverageHeartRate = null, RunSource? Source = null, IReadOnlyList<TrackPoint>? Track = null);
/// <param name="AlreadyLogged">Nothing new was recorded: a retry, or a file (or the same activity) imported before.</param>
public sealed record RunLoggedResponse(Guid RunId, long Version, IReadOnlyList<RaisedFinding> Findings, string Disclaimer, bool AlreadyLogged = false);

/// <summary>The athlete logs a run (typed in, or read from a watch's file with its heart rate and track); it is matched to the plan's session of its day and triaged as it is recorded.</summary>
public sealed record LogRunCommand(Guid AthleteId, Guid RunId, LogRunRequest Run, CommandOptions Options) : IAthleteCommand;

public static class LogRunEndpoint
{
    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapPost("/{athleteId:guid}/runs", async (Guid athleteId, HttpContext http, IMessageBus bus, StreamStates streams, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            AthleteCommands.EnsureSelf(caller, athleteId);
            var body = await RequestBody.ReadAsync<LogRunRequest>(http);
            Api.Require(("startedAt", body.StartedAt), ("distanceMeters", body.DistanceMeters), ("durationSeconds", body.DurationSeconds),
                ("workout", body.Workout), ("surface", body.Surface), ("sessionRpe", body.SessionRpe));
            var options = CommandOptions.From(http, caller);
            // A phone retrying with the same Idempotency-Key names the same run, so it is logged once.
            var runId = body.RunId ?? (options.IdempotencyKey is { } key ? DeterministicGuid.From(key) : Guid.CreateVersion7());
            var result = await bus.DecideAsync(new LogRunCommand(athleteId, runId, body, options), streams, http.RequestAborted);
            var already = !result.Events.OfType<RunLogged>().Any();
            // A file imported before answers with the run it made.
            if (already) runId = await queries.AlreadyLoggedAsync(athleteId, runId, body.Source, body.StartedAt!.Value, http.RequestAborted) ?? runId;
            return Api.Created(http, $"/api/athletes/{athleteId}/history", result.Version,
                new RunLoggedResponse(runId, result.Version, AthleteCommands.Raised(result.Events), Disclaimer.Text, already));
        }).RequireAuthorization(Roles.Athlete).Accepts<LogRunRequest>("application/json").Produces<RunLoggedResponse>(201);
}

public static class LogRunHandler
{
    public static Task<Loaded<AthleteState>> LoadAsync(LogRunCommand command, StreamStates streams, CancellationToken ct) =>
        ((IAthleteCommand)command).LoadAsync(streams, ct);

    public static async Task<Decided<AthleteState>> HandleAsync(LogRunCommand command, Loaded<AthleteState> athlete, StreamStates streams,
        IDocumentSession session, AthleteClock clock, CancellationToken ct)
    {
        var (run, state) = (command.Run, athlete.State);
        // What the plan prescribed for the run's day, kept with the run.
        var plan = (await streams.LoadAsync(Streams.Plan(command.AthleteId), Deciders.Plan, ct)).State;
        // The instant as sent; the day and week on the athlete's own clock, whatever offset the client used.
        var startedAt = AthleteClock.OnClockOf(state.TimeZoneId, run.StartedAt!.Value);
        return athlete.Decide(new LogRun(command.RunId, startedAt, run.DistanceMeters!.Value, run.DurationSeconds!.Value, run.Workout!.Value, run.Surface!.Value,
            run.SessionRpe!.Value, run.ElevationGainMeters ?? 0, run.TreadmillInclinePercent, run.ShoeId, run.Notes, run.PlannedSessionId,
            PrescribedSession.For(plan, startedAt, run.Workout.Value, run.PlannedSessionId, state.Pauses), run.AverageHeartRate, run.Source, run.Track),
            command.Options, clock, session);
    }
}
