using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Server.Platform;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.Athletes;

public sealed record PainScoresRequest(int? PainNow, int? WorstDuringRun = null, int? NextMorningPain = null, int? PainBeforeRun = null);

public sealed record PainReportRequest(Guid? ReportId, Guid? RunId, PainScoresRequest? Pain, PainDescription? Description,
    RedFlagQuestions? RedFlags, RecoveryContext? Context);
public sealed record PainReportResponse(Guid ReportId, long Version, IReadOnlyList<RaisedFinding> Findings, string Disclaimer);

/// <summary>The athlete's post-run report, triaged in the same decision that records it.</summary>
public sealed record SubmitPainReportCommand(Guid AthleteId, SubmitPainReport Report, CommandOptions Options) : IAthleteCommand;

public static class SubmitPainReportEndpoint
{
    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapPost("/{athleteId:guid}/reports", async (Guid athleteId, HttpContext http, IMessageBus bus, StreamStates streams) =>
        {
            var caller = Caller.From(http.User);
            AthleteCommands.EnsureSelf(caller, athleteId);
            var body = await RequestBody.ReadAsync<PainReportRequest>(http);
            // Every missing answer in one 400: the pain scores, then each red-flag question the domain finds unanswered.
            var missing = Api.Missing(("pain", body.Pain), ("pain.painNow", body.Pain is null ? 0 : body.Pain.PainNow), ("redFlags", body.RedFlags))
                .Concat(body.RedFlags?.Unanswered("redFlags") ?? []).ToList();
            if (missing.Count > 0) throw new CoachingRuleViolation(missing);
            var options = CommandOptions.From(http, caller);
            var reportId = body.ReportId ?? (options.IdempotencyKey is { } key ? DeterministicGuid.From(key) : Guid.CreateVersion7());
            var pain = new PainScores(body.Pain!.PainNow!.Value, body.Pain.WorstDuringRun, body.Pain.NextMorningPain, body.Pain.PainBeforeRun);
            var redFlags = body.RedFlags!.Answers();
            var report = new SubmitPainReport(reportId, body.RunId, pain, body.Description ?? new PainDescription(), redFlags, body.Context ?? new RecoveryContext());
            var result = await bus.DecideAsync(new SubmitPainReportCommand(athleteId, report, options), streams, http.RequestAborted);
            return Api.Created(http, $"/api/athletes/{athleteId}/history", result.Version,
                new PainReportResponse(reportId, result.Version, AthleteCommands.Raised(result.Events), Disclaimer.Text));
        }).RequireAuthorization(Roles.Athlete).Accepts<PainReportRequest>("application/json").Produces<PainReportResponse>(201);
}

public static class SubmitPainReportHandler
{
    public static Task<Loaded<AthleteState>> LoadAsync(SubmitPainReportCommand command, StreamStates streams, CancellationToken ct) =>
        ((IAthleteCommand)command).LoadAsync(streams, ct);

    public static Decided<AthleteState> Handle(SubmitPainReportCommand command, Loaded<AthleteState> athlete, IDocumentSession session, AthleteClock clock) =>
        athlete.Decide(command.Report, command.Options, clock, session);
}
