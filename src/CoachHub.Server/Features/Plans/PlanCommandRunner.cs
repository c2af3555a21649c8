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
    public static async Task<CommandResult<PlanState>> RunAsync(HttpContext http, CommandPipeline pipeline, CoachingQueries queries,
        Guid athleteId, Func<PlanState, IReadOnlyList<RunningPause>, PlanCommand> command)
    {
        var caller = Caller.From(http.User);
        var profile = await queries.ProfileAsync(athleteId, http.RequestAborted) ?? throw new NotFoundException("That athlete");
        // The athlete's own stream, not a read model, says whether running is paused: the decision that raised the
        // red flag is the one this one must see.
        var (athlete, _) = await pipeline.LoadAsync(Streams.Athlete(athleteId), Deciders.Athlete, http.RequestAborted);
        var pauses = athlete.Pauses;
        return await pipeline.RunAsync(Streams.Plan(athleteId), Deciders.Plan, plan => command(plan, pauses),
            CommandOptions.From(http, caller) with { Now = queries.LocalNow(profile.TimeZone) }, http.RequestAborted);
    }

    public static DateOnly WeekStart(string weekStart) =>
        DateOnly.TryParseExact(weekStart, "yyyy-MM-dd", out var date) && date.DayOfWeek == DayOfWeek.Monday ? date
            : throw new BadFieldException("weekStart", "must be a Monday, written yyyy-MM-dd.");
}
