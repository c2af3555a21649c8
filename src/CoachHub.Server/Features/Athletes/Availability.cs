using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.Athletes;

public sealed record AvailableDayRequest(DayOfWeek? Day, int? MaxMinutes);

public sealed record AvailabilityRequest(IReadOnlyList<AvailableDayRequest?>? Days)
{
    /// <summary>A day left out of an entry is a 400 naming it, never the enum's default (Sunday).</summary>
    public WeeklyAvailability ToAvailability()
    {
        var missing = (Days ?? []).Select((d, i) => (d, i)).Where(x => x.d is { Day: null }).Select(x => new FieldError($"days[{x.i}].day", "is required.")).ToList();
        if (missing.Count > 0) throw new CoachingRuleViolation(missing);
        return new WeeklyAvailability(Days?.Select(d => d is null ? null! : new AvailableDay(d.Day!.Value, d.MaxMinutes)).ToList()!);
    }
}

public sealed record SetAvailabilityCommand(Guid AthleteId, WeeklyAvailability Availability, Guid SetBy, CommandOptions Options) : IAthleteCommand;

/// <summary>
/// The days the athlete can train and the time each allows (issue 31): the athlete says it, or their coach does for
/// them; the weekly adjustment lays out the weeks it writes within it.
/// </summary>
public static class AvailabilityEndpoints
{
    public static void Map(RouteGroupBuilder athletes)
    {
        athletes.MapGet("/{athleteId:guid}/availability", async (Guid athleteId, HttpContext http, CoachingQueries queries) =>
        {
            await queries.EnsureCanSeeAthleteAsync(Caller.From(http.User), athleteId, http.RequestAborted);
            return Results.Ok(await queries.AvailabilityAsync(athleteId, http.RequestAborted));
        }).RequireAuthorization().Produces<WeeklyAvailability>();

        athletes.MapPut("/{athleteId:guid}/availability", async (Guid athleteId, HttpContext http, IMessageBus bus, StreamStates streams, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureCanSeeAthleteAsync(caller, athleteId, http.RequestAborted);
            var body = (await RequestBody.ReadAsync<AvailabilityRequest>(http)).ToAvailability();
            var result = await bus.DecideAsync(new SetAvailabilityCommand(athleteId, body, caller.UserId, CommandOptions.From(http, caller)), streams,
                http.RequestAborted);
            return Api.Ok(http, result.Version, (result.State.Availability ?? WeeklyAvailability.Any).Normalized());
        }).RequireAuthorization().Accepts<AvailabilityRequest>("application/json").Produces<WeeklyAvailability>();
    }
}

public static class SetAvailabilityHandler
{
    public static Task<Loaded<AthleteState>> LoadAsync(SetAvailabilityCommand command, StreamStates streams, CancellationToken ct) =>
        ((IAthleteCommand)command).LoadAsync(streams, ct);

    public static Decided<AthleteState> Handle(SetAvailabilityCommand command, Loaded<AthleteState> athlete, IDocumentSession session, AthleteClock clock) =>
        athlete.Decide(new SetAvailability(command.Availability, command.SetBy), command.Options, clock, session);
}
