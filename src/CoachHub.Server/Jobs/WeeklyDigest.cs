using System.Globalization;
using System.Net;
using System.Text;
using CoachHub.Domain;
using CoachHub.Domain.Load;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Npgsql;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace CoachHub.Server.Jobs;

/// <summary>One coach's digest of a week, as the digest job publishes it.</summary>
public sealed record DigestToSend(Guid CoachId, DateOnly WeekStart);

/// <summary>
/// Every Monday morning each coach gets a mail: how last week went for each athlete of their squads against the plan,
/// how the weekly adjustment set up the new week, the changes waiting for their approval and the open alerts. The
/// job publishes one <see cref="DigestToSend"/> per coach and week; its handler writes the mail to the outbox with
/// the week's record, so a re-run, a catch-up or a second node never mails a coach twice about one week.
/// </summary>
public sealed class WeeklyDigest(NpgsqlDataSource db, TimeProvider time,
    JobLedger ledger, CoachingQueries queries, SiteLinks links, ILogger<WeeklyDigest> logger)
{
    public const string Job = "weekly-digest";

    /// <summary>
    /// Monday 06:00 UTC, after Sunday 18:00 (the default close of a week) everywhere from UTC-12 eastwards, and every
    /// hour after it that Monday: a firing that failed, or a coach whose digest could not be sent, is taken up again.
    /// </summary>
    public const string Cron = "0 6-23 * * 1";

    public async Task<JobReport> RunDueAsync(CancellationToken ct)
    {
        var week = TrainingCalendar.WeekStartOf(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        var coaches = new List<Guid>();
        await using (var cmd = db.CreateCommand($"select distinct coach_id from {CoachingProjection.SchemaName}.squad_coaches"))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) coaches.Add(r.GetGuid(0));
        var done = await ledger.DoneOrQueuedAsync(Job, [week], ct);
        var toSend = coaches.Where(c => !done.Contains((c, week))).ToList();
        await ledger.PublishAsync(Job, [.. toSend.Select(c => ((object)new DigestToSend(c, week), c, week, (Guid?)null))], [], ct);
        if (toSend.Count > 0) logger.LogInformation("Weekly digest for the week of {Week}: {Coaches} coaches", week, toSend.Count);
        return new JobReport(coaches.Count, toSend.Count);
    }

    /// <summary>The handler's work: the mail goes into the outbox in the transaction that records the week as done.</summary>
    public async Task ComposeAsync(DigestToSend digest, IDocumentSession session, IMessageBus bus, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(bus);
        // Sent already (a firing published it again while this one waited, or a retry after the commit): nothing more.
        if ((await ledger.DoneAsync(Job, [digest.WeekStart], ct)).Contains((digest.CoachId, digest.WeekStart))) return;
        var week = await queries.DigestAsync(digest.CoachId, digest.WeekStart, ct);
        string outcome;
        if (week is null) outcome = "No such coach";
        else if (week.Squads.All(s => s.Athletes.Count == 0)) outcome = "Nothing to tell: no athletes";
        else
        {
            await bus.PublishAsync(DigestMail.Compose(week, links));
            outcome = "Sent";
        }
        ledger.Record(session, Job, digest.CoachId, digest.WeekStart, outcome);
    }
}

public static class DigestToSendHandler
{
    /// <summary>
    /// Once a week, so worth waiting for: tried again after 0.5 and 2 s, then 1, 5 and 15 minutes, then a dead letter an
    /// admin can replay (the hourly firings that Monday publish it again meanwhile; the week's record lets one through).
    /// </summary>
    public static void Configure(HandlerChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        chain.OnAnyException().RetryWithCooldown(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2))
            .Then.ScheduleRetry(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)).Then.MoveToErrorQueue();
    }

    public static Task HandleAsync(DigestToSend digest, WeeklyDigest digests, IDocumentSession session, IMessageBus bus, CancellationToken ct) =>
        digests.ComposeAsync(digest, session, bus, ct);
}

/// <summary>The digest's wording, in text and HTML (every name from users encoded).</summary>
public static class DigestMail
{
    public static OutgoingMail Compose(CoachDigest digest, SiteLinks links)
    {
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(links);
        var when = digest.WeekStart.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        var html = new StringBuilder();
        static string H(string s) => WebUtility.HtmlEncode(s);
        text.AppendLine(CultureInfo.InvariantCulture, $"Hello {digest.Name},").AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Your squads as the week of Monday {when} begins.").AppendLine();
        html.Append(CultureInfo.InvariantCulture, $"<p>Hello {H(digest.Name)},</p><p>Your squads as the week of Monday {when} begins.</p>");

        if (digest.OpenAlerts.Count > 0)
        {
            var link = links.To("inbox");
            text.AppendLine(CultureInfo.InvariantCulture, $"Open alerts ({digest.OpenAlerts.Count}), see {link}");
            html.Append(CultureInfo.InvariantCulture, $"<h3>Open alerts ({digest.OpenAlerts.Count})</h3><ul>");
            foreach (var a in digest.OpenAlerts)
            {
                var seen = a.AcknowledgedAt is null ? "not acknowledged" : "acknowledged";
                text.AppendLine(CultureInfo.InvariantCulture, $"  - {a.AthleteName}: {SeverityWord(a.Severity)}, {a.Message} ({seen})");
                html.Append(CultureInfo.InvariantCulture, $"<li><b>{H(a.AthleteName)}</b>: {SeverityWord(a.Severity)}, {H(a.Message)} ({seen})</li>");
            }
            text.AppendLine();
            html.Append(CultureInfo.InvariantCulture, $"</ul><p><a href=\"{H(link)}\">Open the inbox</a></p>");
        }
        if (digest.Waiting.Count > 0)
        {
            var link = links.To("inbox");
            text.AppendLine(CultureInfo.InvariantCulture, $"Changes waiting for your approval ({digest.Waiting.Count}), see {link}");
            html.Append(CultureInfo.InvariantCulture, $"<h3>Changes waiting for your approval ({digest.Waiting.Count})</h3><ul>");
            foreach (var c in digest.Waiting)
            {
                var week = c.WeekStart.ToString("d MMM", CultureInfo.InvariantCulture);
                text.AppendLine(CultureInfo.InvariantCulture, $"  - {c.AthleteName}: {OutcomeWord(c.Outcome)} for the week of {week}");
                html.Append(CultureInfo.InvariantCulture, $"<li><b>{H(c.AthleteName)}</b>: {OutcomeWord(c.Outcome)} for the week of {week}</li>");
            }
            text.AppendLine();
            html.Append(CultureInfo.InvariantCulture, $"</ul><p><a href=\"{H(link)}\">Approve or reject them</a></p>");
        }

        foreach (var squad in digest.Squads.Where(s => s.Athletes.Count > 0))
        {
            var link = links.To($"squads/{squad.SquadId}");
            var measured = squad.Athletes.Where(a => a.LastWeek is not null).ToList();
            var onPlan = measured.Count(a => a.LastWeek!.Status == ComplianceStatus.Green);
            var offPlan = squad.Athletes.Where(a => a.RunningPaused || a.LastWeek is { Status: not ComplianceStatus.Green }).ToList();
            var outcomes = squad.Athletes.Where(a => a.NextWeekOutcome is not null && !a.NextWeekWaiting).GroupBy(a => OutcomeWord(a.NextWeekOutcome!))
                .OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} {g.Key}").ToList();
            var lastWeek = $"Last week {onPlan} of {measured.Count} athletes with running planned were on plan (within 20%)."
                + (squad.Athletes.Count > measured.Count ? $" {squad.Athletes.Count - measured.Count} had no running planned." : "");
            var waiting = squad.Athletes.Count(a => a.NextWeekWaiting);
            if (waiting > 0) outcomes.Add($"{waiting} waiting for your approval");
            var newWeek = outcomes.Count > 0 ? $"The new week: {string.Join(", ", outcomes)}." : "The weekly adjustment has not decided the new week yet.";
            text.AppendLine(CultureInfo.InvariantCulture, $"{squad.Name} ({Athletes(squad.Athletes.Count)}), {link}")
                .AppendLine(CultureInfo.InvariantCulture, $"  {lastWeek}").AppendLine(CultureInfo.InvariantCulture, $"  {newWeek}");
            html.Append(CultureInfo.InvariantCulture, $"<h3><a href=\"{H(link)}\">{H(squad.Name)}</a> ({Athletes(squad.Athletes.Count)})</h3><p>{H(lastWeek)}<br>{H(newWeek)}</p>");
            if (offPlan.Count > 0)
            {
                text.AppendLine("  To look at:");
                html.Append("<p>To look at:</p><ul>");
                foreach (var a in offPlan)
                {
                    var line = a.RunningPaused ? "running paused by a red flag"
                        : $"{Km(a.LastWeek!.Done)} of {Km(a.LastWeek.Planned)} ({a.LastWeek.Percent}%), {(a.LastWeek.Status == ComplianceStatus.Red ? "far off plan" : "partly on plan")}";
                    text.AppendLine(CultureInfo.InvariantCulture, $"    - {a.Name}: {line}");
                    html.Append(CultureInfo.InvariantCulture, $"<li><b>{H(a.Name)}</b>: {H(line)}</li>");
                }
                html.Append("</ul>");
            }
            text.AppendLine();
        }

        const string Care = "CoachHub gives training guidance, not a diagnosis. An athlete with a red flag should be seen by a health professional.";
        const string Why = "You get this mail each Monday because you coach a squad on CoachHub.";
        text.AppendLine(Care).AppendLine(Why);
        html.Append(CultureInfo.InvariantCulture, $"<p><small>{Care}<br>{Why}</small></p>");
        return new OutgoingMail(digest.Email, digest.Name, $"Your squads: the week of {when}", text.ToString(), html.ToString());
    }

    private static string Km(int meters) => (meters / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + " km";

    private static string Athletes(int count) => count == 1 ? "1 athlete" : $"{count} athletes";

    private static string SeverityWord(Severity severity) => severity switch
    {
        Severity.Emergency => "emergency",
        Severity.Urgent => "urgent",
        Severity.Warning => "warning",
        _ => severity.ToString().ToLowerInvariant(),
    };

    /// <summary>An adjustment's outcome as the read model stores it ("deload", "returnToRun", ...) in plain words.</summary>
    public static string OutcomeWord(string outcome) => outcome.ToLowerInvariant() switch
    {
        "progress" => "progress",
        "hold" => "hold",
        "deload" => "deload",
        "pause" => "running paused",
        "returntorun" => "return to running",
        var other => other,
    };
}
