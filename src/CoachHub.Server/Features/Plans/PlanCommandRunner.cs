using CoachHub.Domain.Plans;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;

namespace CoachHub.Server.Features.Plans;

/// <summary>
/// Plan commands are the coach's: each endpoint calls <see cref="EnsureCoachAsync"/> first (before reading the
/// body), then <see cref="RunAsync"/>.
/// </summary>
internal static class PlanCommandRunner
{
    /// <summary>Checked before the body is read: a stranger learns nothing from our validation messages.</summary>
    public static Task EnsureCoachAsync(HttpContext http, CoachingQueries queries, Guid athleteId) =>
        queries.EnsureCoachOfAthleteAsync(Caller.From(http.User), athleteId, http.RequestAborted);

    /// <param name="command">Given the plan and the athlete's pauses (a red flag pausing running restricts what a coach may plan).</param>
    public static async Task<CommandResult<PlanState>> RunAsync(HttpContext http, CommandPipeline pipeline, AthleteClock clock,
        Guid athleteId, Func<PlanState, IReadOnlyList<RunningPause>, PlanCommand> command)
    {
        var caller = Caller.From(http.User);
        // The athlete's own stream (the cached fold), not a read model, says whether running is paused: the decision
        // that raised the red flag is the one this one must see. It gives the athlete's time zone too.
        var (athlete, _) = await pipeline.LoadAsync(Streams.Athlete(athleteId), Deciders.Athlete, http.RequestAborted);
        if (!athlete.Registered) throw new NotFoundException("That athlete");
        var pauses = athlete.Pauses;
        return await pipeline.RunAsync(Streams.Plan(athleteId), Deciders.Plan, plan => command(plan, pauses),
            CommandOptions.From(http, caller) with { Now = clock.Now(athlete.TimeZoneId) }, http.RequestAborted);
    }

    public static DateOnly WeekStart(string weekStart) =>
        DateOnly.TryParseExact(weekStart, "yyyy-MM-dd", out var date) && date.DayOfWeek == DayOfWeek.Monday ? date
            : throw new BadFieldException("weekStart", "must be a Monday, written yyyy-MM-dd.");
}
