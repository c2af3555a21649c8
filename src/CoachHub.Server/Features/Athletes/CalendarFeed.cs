using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Wolverine;

namespace CoachHub.Server.Features.Athletes;

/// <param name="Url">The address to subscribe to; absent when there is no feed. Each answer seals it anew, and every
/// sealing of the current feed works until the athlete stops it or makes a new one.</param>
public sealed record CalendarFeedStatus(bool Active, string? Url, string? WebcalUrl, DateTimeOffset? StartedAt);

public sealed record StartCalendarFeedCommand(Guid AthleteId, Guid FeedId, CommandOptions Options) : IAthleteCommand;

public sealed record StopCalendarFeedCommand(Guid AthleteId, CommandOptions Options) : IAthleteCommand;

/// <summary>
/// The athlete's plan in their own calendar app: an iCalendar feed at a secret address (issue 32). The address
/// carries the athlete and the feed's id sealed with the server's Data Protection keys, so nothing secret is stored:
/// a new feed or a stop ends every address of the old one.
/// </summary>
public static class CalendarFeedEndpoints
{
    public static void Map(RouteGroupBuilder athletes, IEndpointRouteBuilder app)
    {
        athletes.MapGet("/{athleteId:guid}/calendar-feed", async (Guid athleteId, HttpContext http, CoachingQueries queries, FeedAddresses addresses) =>
        {
            AthleteCommands.EnsureSelf(Caller.From(http.User), athleteId);
            http.Response.Headers.CacheControl = "no-store";
            return Results.Ok(await StatusAsync(athleteId, queries, addresses, http.RequestAborted));
        }).RequireAuthorization(Roles.Athlete).Produces<CalendarFeedStatus>();

        // The answer leaves the address out (the client reads it with GET), so no stored reply ever holds it.
        athletes.MapPost("/{athleteId:guid}/calendar-feed", async (Guid athleteId, HttpContext http, IMessageBus bus, StreamStates streams) =>
        {
            var caller = Caller.From(http.User);
            AthleteCommands.EnsureSelf(caller, athleteId);
            var options = CommandOptions.From(http, caller);
            var feedId = options.IdempotencyKey is { } key ? DeterministicGuid.From(key) : Guid.CreateVersion7();
            var result = await bus.DecideAsync(new StartCalendarFeedCommand(athleteId, feedId, options), streams, http.RequestAborted);
            return Api.Created(http, $"/api/athletes/{athleteId}/calendar-feed", result.Version,
                new CalendarFeedStatus(true, null, null, null));
        }).RequireAuthorization(Roles.Athlete).Produces<CalendarFeedStatus>(201);

        athletes.MapDelete("/{athleteId:guid}/calendar-feed", async (Guid athleteId, HttpContext http, IMessageBus bus, StreamStates streams) =>
        {
            var caller = Caller.From(http.User);
            AthleteCommands.EnsureSelf(caller, athleteId);
            var result = await bus.DecideAsync(new StopCalendarFeedCommand(athleteId, CommandOptions.From(http, caller)), streams, http.RequestAborted);
            return Api.Ok(http, result.Version, new CalendarFeedStatus(false, null, null, null));
        }).RequireAuthorization(Roles.Athlete).Produces<CalendarFeedStatus>();

        // What calendar apps fetch, without a session: the address is the credential.
        app.MapGet("/feeds/{token}.ics", async (string token, HttpContext http, CoachingQueries queries, FeedAddresses addresses, AthleteClock clock) =>
        {
            if (addresses.Open(token) is not var (athleteId, feedId)
                || await queries.CalendarFeedAsync(athleteId, http.RequestAborted) is not { } feed || feed.FeedId != feedId)
                return Results.NotFound();
            var profile = await queries.ProfileAsync(athleteId, http.RequestAborted);
            if (profile is null) return Results.NotFound();
            var today = clock.Today(profile.TimeZone);
            var plan = await queries.CalendarAsync(athleteId, profile.TimeZone, TrainingCalendar.WeekStartOf(today).AddDays(-7 * PlanFeed.WeeksBack),
                PlanFeed.WeeksBack + 1 + PlanFeed.WeeksAhead, http.RequestAborted);
            http.Response.Headers.CacheControl = "private, max-age=900";
            return Results.Text(PlanFeed.Write(profile, plan), "text/calendar; charset=utf-8", Encoding.UTF8);
        }).AllowAnonymous().ExcludeFromDescription();
    }

    private static async Task<CalendarFeedStatus> StatusAsync(Guid athleteId, CoachingQueries queries, FeedAddresses addresses, CancellationToken ct)
    {
        if (await queries.CalendarFeedAsync(athleteId, ct) is not { } feed) return new CalendarFeedStatus(false, null, null, null);
        var url = addresses.Url(athleteId, feed.FeedId);
        return new CalendarFeedStatus(true, url, "webcal" + url[url.IndexOf(':', StringComparison.Ordinal)..], feed.StartedAt);
    }
}

/// <summary>Seals and opens feed addresses: the athlete and the feed id, readable only with the server's keys.</summary>
public sealed class FeedAddresses(IDataProtectionProvider protection, SiteLinks links)
{
    private readonly IDataProtector protector = protection.CreateProtector("CoachHub.CalendarFeed.v1");

    public string Url(Guid athleteId, Guid feedId)
    {
        var payload = new byte[32];
        athleteId.TryWriteBytes(payload.AsSpan(0, 16));
        feedId.TryWriteBytes(payload.AsSpan(16, 16));
        return new Uri(links.Base, $"feeds/{Base64Url.EncodeToString(protector.Protect(payload))}.ics").ToString();
    }

    /// <summary>The athlete and feed an address names, or null for anything not sealed by these keys.</summary>
    public (Guid AthleteId, Guid FeedId)? Open(string token)
    {
        if (token.Length is 0 or > 512 || !Base64Url.IsValid(token)) return null;
        try
        {
            var payload = protector.Unprotect(Base64Url.DecodeFromChars(token));
            return payload.Length == 32 ? (new Guid(payload.AsSpan(0, 16)), new Guid(payload.AsSpan(16, 16))) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}

/// <summary>The plan as iCalendar: one all-day event per session, a paused one cancelled with the reason.</summary>
public static class PlanFeed
{
    public const int WeeksBack = 4, WeeksAhead = 12;

    public static string Write(AthleteProfile athlete, PlanCalendar plan)
    {
        ArgumentNullException.ThrowIfNull(athlete);
        ArgumentNullException.ThrowIfNull(plan);
        var calendar = new Ical.Net.Calendar { ProductId = "-//CoachHub//Training plan//EN" };
        calendar.AddProperty("X-WR-CALNAME", $"{athlete.Name}: training plan");
        calendar.AddProperty("X-WR-TIMEZONE", athlete.TimeZone);
        calendar.AddProperty("X-PUBLISHED-TTL", "PT1H");
        foreach (var week in plan.Weeks)
        {
            var suspended = week.Suspended.Select(s => s.SessionId).ToHashSet(StringComparer.Ordinal);
            foreach (var session in week.Sessions)
            {
                var paused = suspended.Contains(session.SessionId);
                calendar.Events.Add(new CalendarEvent
                {
                    Uid = $"{athlete.AthleteId:N}-{session.SessionId}@coachhub",
                    Start = new CalDateTime(session.Date),
                    End = new CalDateTime(session.Date.AddDays(1)),
                    Summary = (paused ? "Paused: " : "") + Title(session, athlete.Units),
                    Description = Details(session, paused),
                    Status = paused ? EventStatus.Cancelled : EventStatus.Confirmed,
                    Transparency = "TRANSPARENT",
                });
            }
        }
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    public static string Title(PlannedSession session, Units units)
    {
        ArgumentNullException.ThrowIfNull(session);
        var name = string.IsNullOrWhiteSpace(session.Description) ? Label(session.Type) : session.Description.Trim();
        var amount = session.DistanceMeters is { } m ? new Distance(m).Format(units)
            : session.DurationSeconds is { } s ? Minutes(s) : null;
        return amount is null ? name : $"{name} · {amount}";
    }

    private static string Details(PlannedSession session, bool paused)
    {
        var lines = new List<string>();
        if (paused)
            lines.Add("Running is paused after a red flag in a report. Please see a healthcare professional; your coach resumes the plan once you are cleared.");
        lines.Add($"{Label(session.Type)}, {session.Intensity.ToString().ToLowerInvariant()} effort");
        if (session.DistanceMeters is not null && session.DurationSeconds is { } seconds) lines.Add($"About {Minutes(seconds)}");
        if (session.WalkRun is { } w) lines.Add($"{w.Repeats} x (jog {Minutes(w.JogSeconds)}, walk {Minutes(w.WalkSeconds)})");
        lines.AddRange(session.Exercises.Select(e => "- " + e));
        if (!string.IsNullOrWhiteSpace(session.Notes)) lines.Add(session.Notes.Trim());
        return string.Join('\n', lines);
    }

    /// <summary>A duration as the coach says it: "45 min", "1 h 30 min".</summary>
    internal static string Minutes(int seconds) => seconds switch
    {
        < 60 => $"{seconds} s",
        < 3600 => $"{seconds / 60} min",
        _ => seconds % 3600 / 60 == 0 ? $"{seconds / 3600} h" : $"{seconds / 3600} h {seconds % 3600 / 60} min",
    };

    private static string Label(SessionType type) => type switch
    {
        SessionType.Easy => "Easy run",
        SessionType.LongRun => "Long run",
        SessionType.Tempo => "Tempo run",
        SessionType.Intervals => "Intervals",
        SessionType.Hills => "Hills",
        SessionType.Race => "Race",
        SessionType.WalkRun => "Walk-run",
        SessionType.Strength => "Strength",
        SessionType.Mobility => "Mobility",
        SessionType.CrossTraining => "Cross-training",
        SessionType.Rest => "Rest day",
        _ => type.ToString(),
    };
}

public static class StartCalendarFeedHandler
{
    public static Task<Loaded<AthleteState>> LoadAsync(StartCalendarFeedCommand command, StreamStates streams, CancellationToken ct) =>
        ((IAthleteCommand)command).LoadAsync(streams, ct);

    public static Decided<AthleteState> Handle(StartCalendarFeedCommand command, Loaded<AthleteState> athlete, IDocumentSession session, AthleteClock clock) =>
        athlete.Decide(new StartCalendarFeed(command.FeedId), command.Options, clock, session);
}

public static class StopCalendarFeedHandler
{
    public static Task<Loaded<AthleteState>> LoadAsync(StopCalendarFeedCommand command, StreamStates streams, CancellationToken ct) =>
        ((IAthleteCommand)command).LoadAsync(streams, ct);

    public static Decided<AthleteState> Handle(StopCalendarFeedCommand command, Loaded<AthleteState> athlete, IDocumentSession session, AthleteClock clock) =>
        athlete.Decide(new StopCalendarFeed(), command.Options, clock, session);
}
