using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Squads;
using CoachHub.Server.Accounts;
using CoachHub.Server.Features.Squads;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.SignUp;

/// <summary>A new coach's own stream: name and email.</summary>
public sealed record RegisterCoachCommand(Guid CoachId, string Name, string Email, CommandOptions Options) : IStreamCommand<CoachState>
{
    public Task<Loaded<CoachState>> LoadAsync(StreamStates streams, CancellationToken ct) => streams.LoadAsync(Streams.Coach(CoachId), Deciders.Coach, ct);
}

/// <summary>A new athlete's own stream: name, time zone and units.</summary>
public sealed record RegisterAthleteCommand(Guid AthleteId, string Name, string TimeZone, Units Units, CommandOptions Options) : IStreamCommand<AthleteState>
{
    public Task<Loaded<AthleteState>> LoadAsync(StreamStates streams, CancellationToken ct) =>
        streams.LoadAsync(Streams.Athlete(AthleteId), Deciders.Athlete, ct);
}

/// <summary>
/// Sign up as a coach, or as an athlete (joining a squad when an invite code comes with it): the account first (one
/// per email), then the coach's or athlete's own stream, then the squad.
/// </summary>
public static class SignUpEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Accounts");
        auth.MapPost("/coaches", SignUpCoachAsync).AllowAnonymous().Accepts<CoachSignUp>("application/json").Produces<SignedUp>(201);
        auth.MapPost("/athletes", SignUpAthleteAsync).AllowAnonymous().Accepts<AthleteSignUp>("application/json").Produces<SignedUp>(201);
    }

    private static async Task<IResult> SignUpCoachAsync(HttpContext http, IMessageBus bus, StreamStates streams, TimeProvider time)
    {
        var body = await RequestBody.ReadAsync<CoachSignUp>(http);
        var coachId = Guid.CreateVersion7();
        var now = time.GetUtcNow();
        var errors = Credentials.Validate(body.Email, body.Password, body.Name);
        errors.AddRange(RegisterCoach.Validate(new RegisterCoach(coachId, body.Name, body.Email ?? ""), now).Where(e => e.Field != "email"));
        if (errors.Count > 0) throw new CoachingRuleViolation(errors);

        await AccountEndpoints.RegisterAccountAsync(streams, now, coachId, body.Email!, body.Name, Roles.Coach, body.Password, http.RequestAborted);
        await bus.DecideAsync(new RegisterCoachCommand(coachId, body.Name, body.Email!.Trim(), new CommandOptions { UserId = coachId.ToString() }), streams,
            http.RequestAborted);
        return Results.Created("/api/me", new SignedUp(coachId, Roles.Coach, body.Name.Trim()));
    }

    private static async Task<IResult> SignUpAthleteAsync(HttpContext http, IMessageBus bus, StreamStates streams, CoachingQueries queries, TimeProvider time)
    {
        var body = await RequestBody.ReadAsync<AthleteSignUp>(http);
        var athleteId = Guid.CreateVersion7();
        var now = time.GetUtcNow();
        var errors = Credentials.Validate(body.Email, body.Password, body.Name);
        errors.AddRange(RegisterAthlete.Validate(new RegisterAthlete(athleteId, body.Name, body.TimeZone ?? "", body.Units), now)
            .Select(e => e.Field == "timeZoneId" ? e with { Field = "timeZone" } : e));
        if (body.TimeZone is not null && errors.All(e => e.Field != "timeZone") && !TimeZoneInfo.TryFindSystemTimeZoneById(body.TimeZone, out _))
            errors.Add(new FieldError("timeZone", "is not a known time zone."));
        Guid? squadId = null;
        if (!string.IsNullOrWhiteSpace(body.InviteCode))
            squadId = await queries.SquadForInviteAsync(body.InviteCode, http.RequestAborted);
        if (body.InviteCode is not null && squadId is null)
            errors.Add(new FieldError("inviteCode", "is not a valid invite code."));
        if (errors.Count > 0) throw new CoachingRuleViolation(errors);

        await AccountEndpoints.RegisterAccountAsync(streams, now, athleteId, body.Email!, body.Name, Roles.Athlete, body.Password, http.RequestAborted);
        var options = new CommandOptions { UserId = athleteId.ToString() };
        await bus.DecideAsync(new RegisterAthleteCommand(athleteId, body.Name, body.TimeZone!, body.Units, options), streams, http.RequestAborted);
        if (squadId is { } squad)
            await bus.DecideAsync(new JoinSquadCommand(squad, athleteId, body.InviteCode!, null, false, options), streams, http.RequestAborted);
        return Results.Created("/api/me", new SignedUp(athleteId, Roles.Athlete, body.Name.Trim(), squadId));
    }
}

public static class RegisterCoachHandler
{
    public static Task<Loaded<CoachState>> LoadAsync(RegisterCoachCommand command, StreamStates streams, CancellationToken ct) => command.LoadAsync(streams, ct);

    public static Decided<CoachState> Handle(RegisterCoachCommand command, Loaded<CoachState> coach, IDocumentSession session, TimeProvider time) =>
        coach.Decide(Deciders.Coach, new RegisterCoach(command.CoachId, command.Name, command.Email), command.Options, time.GetUtcNow(), session);
}

public static class RegisterAthleteHandler
{
    public static Task<Loaded<AthleteState>> LoadAsync(RegisterAthleteCommand command, StreamStates streams, CancellationToken ct) =>
        command.LoadAsync(streams, ct);

    public static Decided<AthleteState> Handle(RegisterAthleteCommand command, Loaded<AthleteState> athlete, IDocumentSession session, TimeProvider time) =>
        athlete.Decide(Deciders.Athlete, new RegisterAthlete(command.AthleteId, command.Name, command.TimeZone, command.Units), command.Options,
            time.GetUtcNow(), session);
}
