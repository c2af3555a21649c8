using CoachHub.Domain.Athletes;
using CoachHub.Domain.Triage;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Athletes;

/// <summary>What an athlete command answers: the stream version and any findings it raised, with their advice.</summary>
public sealed record RaisedFinding(string FindingId, string RuleId, Domain.Severity Severity, string Message, string RecommendedAction);

/// <summary>Runs a command on the athlete's stream with "now" on the athlete's own clock (the domain's "today").</summary>
internal static class AthleteCommandRunner
{
    public static async Task<CommandResult<AthleteState>> RunAsync(HttpContext http, CommandPipeline pipeline, AthleteClock clock,
        Guid athleteId, Func<AthleteState, AthleteCommand> command, CommandOptions options)
    {
        // "Now" on the athlete's own clock, from the time zone in their folded state.
        return await pipeline.RunAsync(Streams.Athlete(athleteId), Deciders.Athlete, command, options,
            state => clock.Now(state.TimeZoneId), http.RequestAborted);
    }

    public static IReadOnlyList<RaisedFinding> Raised(IEnumerable<object> events) =>
        [.. events.OfType<FindingRaised>().Select(f => new RaisedFinding(f.Finding.FindingId, f.Finding.RuleId, f.Finding.Severity,
            f.Finding.AthleteMessage, f.Finding.RecommendedAction))];

    public static void EnsureSelf(Caller caller, Guid athleteId)
    {
        if (caller.UserId != athleteId) throw new NotFoundException("That athlete");
    }
}
