using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;
using CoachHub.Server.Features.Squads;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.Plans;

/// <param name="AthleteId">Whose planned week to save: an athlete of the squad.</param>
public sealed record SaveWeekTemplateRequest(string? Name, Guid? AthleteId, string? WeekStart);

public sealed record ApplyWeekTemplateRequest(Guid? TemplateId);

public sealed record SaveWeekTemplateCommand(Guid SquadId, Guid TemplateId, string Name, IReadOnlyList<TemplateSession> Sessions, Guid CoachId, CommandOptions Options)
    : ISquadCommand;

public sealed record DeleteWeekTemplateCommand(Guid SquadId, Guid TemplateId, Guid CoachId, CommandOptions Options) : ISquadCommand;

/// <summary>
/// Week templates (issue 31): a coach saves an athlete's planned week under a name for the squad, and plans any
/// athlete's unplanned week from it. A template keeps sessions by weekday; applying one plans the week through the
/// same command as planning it by hand, so the same rules hold (a paused athlete gets no running).
/// </summary>
public static class WeekTemplateEndpoints
{
    public static void Map(RouteGroupBuilder athletes, RouteGroupBuilder squads)
    {
        squads.MapGet("/{squadId:guid}/templates", async (Guid squadId, HttpContext http, CoachingQueries queries) =>
        {
            await queries.EnsureOwnSquadAsync(Caller.From(http.User), squadId, http.RequestAborted);
            return Results.Ok(await queries.WeekTemplatesAsync(squadId, http.RequestAborted));
        }).RequireAuthorization(Roles.Coach).Produces<IReadOnlyList<WeekTemplateView>>();

        squads.MapPost("/{squadId:guid}/templates", async (Guid squadId, HttpContext http, IMessageBus bus, StreamStates streams, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureOwnSquadAsync(caller, squadId, http.RequestAborted);
            var body = await RequestBody.ReadAsync<SaveWeekTemplateRequest>(http);
            Api.Require(("athleteId", body.AthleteId), ("weekStart", body.WeekStart));
            var week = PlanCommands.WeekStart(body.WeekStart!);
            if ((await queries.ProfileAsync(body.AthleteId!.Value, http.RequestAborted))?.SquadId != squadId)
                throw new BadFieldException("athleteId", "must be an athlete of this squad.");
            var planned = (await streams.LoadAsync(Streams.Plan(body.AthleteId.Value), Deciders.Plan, http.RequestAborted)).State.WeekOf(week);
            if (planned is not { Sessions.Count: > 0 }) throw new BadFieldException("weekStart", "has no sessions to save: plan the week first.");
            var options = CommandOptions.From(http, caller);
            var templateId = options.IdempotencyKey is { } key ? DeterministicGuid.From(key) : Guid.CreateVersion7();
            var sessions = WeekTemplates.From(planned);
            var result = await bus.DecideAsync(new SaveWeekTemplateCommand(squadId, templateId, body.Name ?? "", sessions, caller.UserId, options),
                streams, http.RequestAborted);
            return Api.Created(http, $"/api/squads/{squadId}/templates", result.Version,
                new { templateId, name = result.State.WeekTemplates.GetValueOrDefault(templateId), sessions });
        }).RequireAuthorization(Roles.Coach).Accepts<SaveWeekTemplateRequest>("application/json");

        squads.MapDelete("/{squadId:guid}/templates/{templateId:guid}", async (Guid squadId, Guid templateId, HttpContext http, IMessageBus bus, StreamStates streams,
            CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureOwnSquadAsync(caller, squadId, http.RequestAborted);
            var result = await bus.DecideAsync(new DeleteWeekTemplateCommand(squadId, templateId, caller.UserId, CommandOptions.From(http, caller)), streams,
                http.RequestAborted);
            return Api.Ok(http, result.Version, new { templateId, deleted = true });
        }).RequireAuthorization(Roles.Coach);

        athletes.MapPost("/{athleteId:guid}/plan/weeks/{weekStart}/template", async (Guid athleteId, string weekStart, HttpContext http, IMessageBus bus,
            StreamStates streams, CoachingQueries queries) =>
        {
            var week = PlanCommands.WeekStart(weekStart);
            await PlanCommands.EnsureCoachAsync(http, queries, athleteId);
            var body = await RequestBody.ReadAsync<ApplyWeekTemplateRequest>(http);
            Api.Require(("templateId", body.TemplateId));
            var squadId = (await queries.ProfileAsync(athleteId, http.RequestAborted))?.SquadId;
            var template = squadId is { } squad ? await queries.WeekTemplateAsync(squad, body.TemplateId!.Value, http.RequestAborted) : null;
            if (template is null) throw new BadFieldException("templateId", "must be a template of the athlete's squad.");
            var caller = Caller.From(http.User);
            var sessions = WeekTemplates.Into(template.Sessions, week, template.TemplateId);
            var result = await bus.DecideAsync(new PlanWeekCommand(athleteId, week, sessions, caller.UserId, CommandOptions.From(http, caller)), streams,
                http.RequestAborted);
            return Api.Ok(http, result.Version, result.State.WeekOf(week) ?? new PlannedWeek(week, []));
        }).RequireAuthorization(Roles.Coach).Accepts<ApplyWeekTemplateRequest>("application/json").Produces<PlannedWeek>();
    }
}

public static class SaveWeekTemplateHandler
{
    public static Task<Loaded<SquadState>> LoadAsync(SaveWeekTemplateCommand command, StreamStates streams, CancellationToken ct) =>
        ((ISquadCommand)command).LoadAsync(streams, ct);

    public static Decided<SquadState> Handle(SaveWeekTemplateCommand command, Loaded<SquadState> squad, IDocumentSession session, TimeProvider time) =>
        squad.Decide(Deciders.Squad, new SaveWeekTemplate(command.TemplateId, command.Name, command.Sessions, command.CoachId), command.Options, time.GetUtcNow(), session);
}

public static class DeleteWeekTemplateHandler
{
    public static Task<Loaded<SquadState>> LoadAsync(DeleteWeekTemplateCommand command, StreamStates streams, CancellationToken ct) =>
        ((ISquadCommand)command).LoadAsync(streams, ct);

    public static Decided<SquadState> Handle(DeleteWeekTemplateCommand command, Loaded<SquadState> squad, IDocumentSession session, TimeProvider time) =>
        squad.Decide(Deciders.Squad, new DeleteWeekTemplate(command.TemplateId, command.CoachId), command.Options, time.GetUtcNow(), session);
}
