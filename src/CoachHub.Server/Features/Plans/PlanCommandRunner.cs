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

    public static async Task<CommandResult<PlanState>> RunAsync(HttpContext http, CommandPipeline pipeline, CoachingQueries queries,
        Guid athleteId, Func<PlanState, PlanCommand> command)
    {
        var caller = Caller.From(http.User);
        var profile = await queries.ProfileAsync(athleteId, http.RequestAborted) ?? throw new NotFoundException("That athlete");
        return await pipeline.RunAsync(Streams.Plan(athleteId), Deciders.Plan, command,
            CommandOptions.From(http, caller) with { Now = queries.LocalNow(profile.TimeZone) }, http.RequestAborted);
    }

    public static DateOnly WeekStart(string weekStart) =>
        DateOnly.TryParseExact(weekStart, "yyyy-MM-dd", out var date) && date.DayOfWeek == DayOfWeek.Monday ? date
            : throw new BadFieldException("weekStart", "must be a Monday, written yyyy-MM-dd.");
}
