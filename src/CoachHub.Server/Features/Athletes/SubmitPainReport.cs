using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Server.Platform;

namespace CoachHub.Server.Features.Athletes;

public sealed record PainScoresRequest(int? PainNow, int? WorstDuringRun = null, int? NextMorningPain = null, int? PainBeforeRun = null);

/// <summary>Every red-flag question must be answered yes or no; a missing answer is a 400, never a silent "no".</summary>
public sealed record RedFlagsRequest(bool? SaddleNumbness, bool? BladderOrBowelChange, bool? BothLegsNumbOrWeak, bool? LegWeakness,
    bool? FeverOrUnwell, bool? WorseAtNight, bool? UnexplainedWeightLoss, bool? AfterFallOrImpact);

public sealed record PainReportRequest(Guid? ReportId, Guid? RunId, PainScoresRequest? Pain, PainDescription? Description,
    RedFlagsRequest? RedFlags, RecoveryContext? Context);
public sealed record PainReportResponse(Guid ReportId, long Version, IReadOnlyList<RaisedFinding> Findings, string Disclaimer);

public static class SubmitPainReportEndpoint
{
    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapPost("/{athleteId:guid}/reports", async (Guid athleteId, HttpContext http, CommandPipeline pipeline, AthleteClock clock) =>
        {
            var caller = Caller.From(http.User);
            AthleteCommandRunner.EnsureSelf(caller, athleteId);
            var body = await RequestBody.ReadAsync<PainReportRequest>(http);
            var flags = body.RedFlags;
            Api.Require(("pain", body.Pain), ("pain.painNow", body.Pain is null ? 0 : body.Pain.PainNow), ("redFlags", body.RedFlags),
                ("redFlags.saddleNumbness", flags is null ? false : flags.SaddleNumbness),
                ("redFlags.bladderOrBowelChange", flags is null ? false : flags.BladderOrBowelChange),
                ("redFlags.bothLegsNumbOrWeak", flags is null ? false : flags.BothLegsNumbOrWeak),
                ("redFlags.legWeakness", flags is null ? false : flags.LegWeakness),
                ("redFlags.feverOrUnwell", flags is null ? false : flags.FeverOrUnwell),
                ("redFlags.worseAtNight", flags is null ? false : flags.WorseAtNight),
                ("redFlags.unexplainedWeightLoss", flags is null ? false : flags.UnexplainedWeightLoss),
                ("redFlags.afterFallOrImpact", flags is null ? false : flags.AfterFallOrImpact));
            var options = CommandOptions.From(http, caller);
            var reportId = body.ReportId ?? (options.IdempotencyKey is { } key ? DeterministicGuid.From(key) : Guid.CreateVersion7());
            var pain = new PainScores(body.Pain!.PainNow!.Value, body.Pain.WorstDuringRun, body.Pain.NextMorningPain, body.Pain.PainBeforeRun);
            var redFlags = new RedFlagAnswers(flags!.SaddleNumbness!.Value, flags.BladderOrBowelChange!.Value, flags.BothLegsNumbOrWeak!.Value,
                flags.LegWeakness!.Value, flags.FeverOrUnwell!.Value, flags.WorseAtNight!.Value, flags.UnexplainedWeightLoss!.Value, flags.AfterFallOrImpact!.Value);
            var result = await AthleteCommandRunner.RunAsync(http, pipeline, clock, athleteId, _ => new SubmitPainReport(reportId, body.RunId, pain,
                body.Description ?? new PainDescription(), redFlags, body.Context ?? new RecoveryContext()), options);
            return Api.Created(http, $"/api/athletes/{athleteId}/history", result.Version,
                new PainReportResponse(reportId, result.Version, AthleteCommandRunner.Raised(result.Events), Disclaimer.Text));
        }).RequireAuthorization(Roles.Athlete).Accepts<PainReportRequest>("application/json").Produces<PainReportResponse>(201);
}
