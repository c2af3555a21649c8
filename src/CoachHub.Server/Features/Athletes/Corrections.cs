using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.Athletes;

public sealed record CorrectRunRequest(DateTimeOffset? StartedAt, int? DistanceMeters, int? DurationSeconds, WorkoutType? Workout, Surface? Surface,
    int? SessionRpe, int? ElevationGainMeters = null, double? TreadmillInclinePercent = null, Guid? ShoeId = null, string? Notes = null);

/// <param name="SessionId">The planned session the run was for; absent or null: none.</param>
public sealed record MatchRunRequest(string? SessionId);

public sealed record CorrectReportRequest(PainScoresRequest? Pain, PainDescription? Description, RecoveryContext? Context);

/// <param name="Changed">False when the correction said what was already recorded (or repeated one).</param>
public sealed record CorrectionResponse(Guid Id, long Version, bool Changed, IReadOnlyList<RaisedFinding> Findings, string Disclaimer);

/// <summary>One correction or deletion of the athlete's own run or report, with the run's time zone for its new start.</summary>
public sealed record CorrectHistoryCommand(Guid AthleteId, AthleteCommand Correction, CommandOptions Options) : IAthleteCommand;

/// <summary>
/// The athlete corrects or deletes a run or a report they logged (issue 32): each is an event appended after the
/// first, the past is never rewritten, and triage and every view read the corrected facts. A report with a red flag
/// is never deleted and its red-flag answers are never corrected; a run with a report is corrected, not deleted.
/// </summary>
public static class CorrectionEndpoints
{
    public static void Map(RouteGroupBuilder athletes)
    {
        athletes.MapPut("/{athleteId:guid}/runs/{runId:guid}", async (Guid athleteId, Guid runId, HttpContext http, IMessageBus bus, StreamStates streams) =>
        {
            var caller = Caller.From(http.User);
            AthleteCommands.EnsureSelf(caller, athleteId);
            var body = await RequestBody.ReadAsync<CorrectRunRequest>(http);
            Api.Require(("startedAt", body.StartedAt), ("distanceMeters", body.DistanceMeters), ("durationSeconds", body.DurationSeconds),
                ("workout", body.Workout), ("surface", body.Surface), ("sessionRpe", body.SessionRpe));
            var correction = new CorrectRun(runId, body.StartedAt!.Value, body.DistanceMeters!.Value, body.DurationSeconds!.Value, body.Workout!.Value,
                body.Surface!.Value, body.SessionRpe!.Value, body.ElevationGainMeters ?? 0, body.TreadmillInclinePercent, body.ShoeId, body.Notes);
            return await DecideAsync(http, bus, streams, athleteId, runId, correction, caller);
        }).RequireAuthorization(Roles.Athlete).Accepts<CorrectRunRequest>("application/json").Produces<CorrectionResponse>();

        // A coach says which planned session of the run's week it was for, or none (then it is grey, unplanned).
        athletes.MapPut("/{athleteId:guid}/runs/{runId:guid}/session", async (Guid athleteId, Guid runId, HttpContext http, IMessageBus bus,
            StreamStates streams, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureCoachOfAthleteAsync(caller, athleteId, http.RequestAborted);
            var body = await RequestBody.ReadAsync<MatchRunRequest>(http);
            var run = await queries.RunAsync(athleteId, runId, http.RequestAborted) ?? throw new NotFoundException("That run");
            if (body.SessionId is { } sessionId)
            {
                var profile = await queries.ProfileAsync(athleteId, http.RequestAborted) ?? throw new NotFoundException("That athlete");
                var week = (await queries.CalendarAsync(athleteId, profile.TimeZone, Domain.Load.LoadMetrics.LocalDate(run), 1, http.RequestAborted)).Weeks[0];
                if (!week.Sessions.Any(s => s.SessionId == sessionId))
                    throw new BadFieldException("sessionId", "is not a session of the run's week.");
            }
            var match = new MatchRun(runId, body.SessionId ?? Domain.Plans.SessionMatching.NoSession, caller.UserId);
            return await DecideAsync(http, bus, streams, athleteId, runId, match, caller);
        }).RequireAuthorization(Roles.Coach).Accepts<MatchRunRequest>("application/json").Produces<CorrectionResponse>();

        athletes.MapDelete("/{athleteId:guid}/runs/{runId:guid}", async (Guid athleteId, Guid runId, HttpContext http, IMessageBus bus, StreamStates streams) =>
        {
            var caller = Caller.From(http.User);
            AthleteCommands.EnsureSelf(caller, athleteId);
            return await DecideAsync(http, bus, streams, athleteId, runId, new DeleteRun(runId), caller);
        }).RequireAuthorization(Roles.Athlete).Produces<CorrectionResponse>();

        athletes.MapPut("/{athleteId:guid}/reports/{reportId:guid}", async (Guid athleteId, Guid reportId, HttpContext http, IMessageBus bus, StreamStates streams) =>
        {
            var caller = Caller.From(http.User);
            AthleteCommands.EnsureSelf(caller, athleteId);
            var body = await RequestBody.ReadAsync<CorrectReportRequest>(http);
            Api.Require(("pain", body.Pain), ("pain.painNow", body.Pain is null ? 0 : body.Pain.PainNow));
            var pain = new PainScores(body.Pain!.PainNow!.Value, body.Pain.WorstDuringRun, body.Pain.NextMorningPain, body.Pain.PainBeforeRun);
            // Left out, the description and context stay as they were.
            var correction = new CorrectPainReport(reportId, pain, body.Description, body.Context);
            return await DecideAsync(http, bus, streams, athleteId, reportId, correction, caller);
        }).RequireAuthorization(Roles.Athlete).Accepts<CorrectReportRequest>("application/json").Produces<CorrectionResponse>();

        athletes.MapDelete("/{athleteId:guid}/reports/{reportId:guid}", async (Guid athleteId, Guid reportId, HttpContext http, IMessageBus bus,
            StreamStates streams) =>
        {
            var caller = Caller.From(http.User);
            AthleteCommands.EnsureSelf(caller, athleteId);
            return await DecideAsync(http, bus, streams, athleteId, reportId, new DeletePainReport(reportId), caller);
        }).RequireAuthorization(Roles.Athlete).Produces<CorrectionResponse>();
    }

    private static async Task<IResult> DecideAsync(HttpContext http, IMessageBus bus, StreamStates streams, Guid athleteId, Guid id, AthleteCommand correction,
        Caller caller)
    {
        var result = await bus.DecideAsync(new CorrectHistoryCommand(athleteId, correction, CommandOptions.From(http, caller)), streams, http.RequestAborted);
        return Api.Ok(http, result.Version, new CorrectionResponse(id, result.Version, result.Events.Count > 0, AthleteCommands.Raised(result.Events), Disclaimer.Text));
    }
}

public static class CorrectHistoryHandler
{
    public static Task<Loaded<AthleteState>> LoadAsync(CorrectHistoryCommand command, StreamStates streams, CancellationToken ct) =>
        ((IAthleteCommand)command).LoadAsync(streams, ct);

    public static Decided<AthleteState> Handle(CorrectHistoryCommand command, Loaded<AthleteState> athlete, IDocumentSession session, AthleteClock clock)
    {
        // A corrected start keeps its instant and takes the athlete's own offset, as a logged one does.
        var correction = command.Correction is CorrectRun run ? run with { StartedAt = AthleteClock.OnClockOf(athlete.State.TimeZoneId, run.StartedAt) } : command.Correction;
        return athlete.Decide(correction, command.Options, clock, session);
    }
}
