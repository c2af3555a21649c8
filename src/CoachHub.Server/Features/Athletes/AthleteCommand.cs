using CoachHub.Domain.Athletes;
using CoachHub.Domain.Triage;
using CoachHub.Server.Platform;
using Marten;

namespace CoachHub.Server.Features.Athletes;

/// <summary>What an athlete command answers: the stream version and any findings it raised, with their advice.</summary>
public sealed record RaisedFinding(string FindingId, string RuleId, Domain.Severity Severity, string Message, string RecommendedAction);

/// <summary>A command on an athlete's stream, carried by Wolverine (ADR 0007).</summary>
public interface IAthleteCommand : IStreamCommand<AthleteState>
{
    Guid AthleteId { get; }

    Task<Loaded<AthleteState>> IStreamCommand<AthleteState>.LoadAsync(StreamStates streams, CancellationToken ct) =>
        streams.LoadAsync(Streams.Athlete(AthleteId), Deciders.Athlete, ct);
}

internal static class AthleteCommands
{
    /// <summary>Decides <paramref name="command"/> with "now" on the athlete's own clock (the domain's "today"), from the time zone in their state.</summary>
    public static Decided<AthleteState> Decide(this Loaded<AthleteState> athlete, AthleteCommand command, CommandOptions options, AthleteClock clock,
        IDocumentSession session) =>
        athlete.Decide(Deciders.Athlete, command, options, clock.Now(athlete.State.TimeZoneId), session);

    public static IReadOnlyList<RaisedFinding> Raised(IEnumerable<object> events) =>
        [.. events.OfType<FindingRaised>().Select(f => new RaisedFinding(f.Finding.FindingId, f.Finding.RuleId, f.Finding.Severity,
            f.Finding.AthleteMessage, f.Finding.RecommendedAction))];

    public static void EnsureSelf(Caller caller, Guid athleteId)
    {
        if (caller.UserId != athleteId) throw new NotFoundException("That athlete");
    }
}
