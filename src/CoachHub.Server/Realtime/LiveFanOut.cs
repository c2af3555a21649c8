using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Microsoft.AspNetCore.SignalR;

namespace CoachHub.Server.Realtime;

/// <summary>
/// The live fan-out: what concerns them goes to the athlete and to the coaches of their squads, each by user id (every
/// connection of that user, on any node), looked up when the news is sent. It runs as the
/// handler of <see cref="LiveNews{TEvent}"/>, which Wolverine publishes with the events that caused it, in their
/// transaction, on whichever node appended them (ADR 0008); SignalR's Redis backplane carries each message to the
/// clients connected to any node, and a single node needs no Redis.
/// </summary>
public sealed class LiveFanOut(IHubContext<LiveHub> hub, SquadMembership membership)
{
    /// <summary>Sends what <paramref name="data"/>, appended to <paramref name="streamId"/>, says to whoever may hear it; a
    /// failure (Redis, the database) is thrown, for Wolverine to retry.</summary>
    public async Task SendAsync(string streamId, object data, CancellationToken ct)
    {
        if (streamId.StartsWith("squad-", StringComparison.Ordinal))
        {
            if (data is Domain.Squads.AthleteLeft left)
            {
                // The coaches of the squad they left hear of it at once (a move, a removal or the athlete leaving).
                var squadCoaches = Users(await membership.CoachesOfSquadAsync(Streams.IdOf(streamId), ct));
                await hub.Clients.Users(squadCoaches).SendAsync(LiveMessages.AthleteLeft,
                    new LeftMessage(left.AthleteId, Streams.IdOf(streamId), left.MovedTo is not null, left.RemovedBy is not null, left.LeftAt), ct);
            }
            if (data is Domain.Squads.SquadClosed closed)
            {
                // Its coaches are gone from the read model in the same append: the event names them.
                await hub.Clients.Users(Users(closed.Coaches ?? [])).SendAsync(LiveMessages.SquadClosed,
                    new SquadClosedMessage(Streams.IdOf(streamId), closed.ClosedBy, closed.ClosedAt), ct);
            }
            if (data is Domain.Squads.WeekAdjustmentsCompleted done)
            {
                // One notice to the squad's coaches for the whole squad, not one per athlete.
                var c = done.Counts;
                await hub.Clients.Users(Users(await membership.CoachesOfSquadAsync(Streams.IdOf(streamId), ct))).SendAsync(LiveMessages.WeekAdjustmentsCompleted,
                    new WeekAdjustmentsMessage(Streams.IdOf(streamId), done.WeekStart, c.Athletes, c.Progressed, c.Held, c.Deloaded, c.Paused, c.ReturningToRun,
                        c.WaitingForApproval, c.Unchanged, done.DoneAt), ct);
            }
            return;
        }
        if (!streamId.StartsWith("athlete-", StringComparison.Ordinal) && !streamId.StartsWith("plan-", StringComparison.Ordinal)) return;
        var athleteId = Streams.IdOf(streamId);
        // Every coach of every squad the athlete is in now (news is handled after its commit, in no set order): every
        // coach who can read the athlete hears them (one squad, but a move joins the new one before it leaves the old).
        var coaches = Users(await membership.CoachesOfAthleteAsync(athleteId, ct));

        var (method, message, toAthlete) = data switch
        {
            FindingRaised f => (LiveMessages.FindingRaised, (object)new FindingMessage(athleteId, f.Finding.FindingId, f.Finding.RuleId, f.Finding.Severity,
                f.Finding.CoachMessage, f.Finding.AthleteMessage, f.Finding.RecommendedAction, f.RaisedAt, Disclaimer.Text), true),
            AlertAcknowledged a => (LiveMessages.AlertAcknowledged, new AcknowledgedMessage(athleteId, a.FindingId, a.CoachId, a.AcknowledgedAt), false),
            RunLogged r => (LiveMessages.RunLogged, new RunMessage(athleteId, r.RunId, r.StartedAt, r.DistanceMeters, r.DurationSeconds), false),
            PainReportSubmitted p => (LiveMessages.PainReportSubmitted, new ReportMessage(athleteId, p.ReportId, p.ReportedAt, p.Pain.PainNow, p.Pain.WorstDuringRun), false),
            // The conversation is the athlete's and their coaches': both sides hear it.
            CommentPosted c => (LiveMessages.CommentPosted, new CommentMessage(athleteId, c.CommentId, c.Thread, c.ThreadId, c.AuthorId, c.AuthorName, c.ByCoach,
                c.Text, c.PostedAt), true),
            // A run or report corrected or taken back: boards, dashboards and calendars read it again.
            RunCorrected c => (LiveMessages.HistoryCorrected, new CorrectedMessage(athleteId, ThreadKind.Run, c.Run.RunId, false), true),
            RunDeleted d => (LiveMessages.HistoryCorrected, new CorrectedMessage(athleteId, ThreadKind.Run, d.RunId, true), true),
            PainReportCorrected c => (LiveMessages.HistoryCorrected, new CorrectedMessage(athleteId, ThreadKind.Report, c.Report.ReportId, false), true),
            PainReportDeleted d => (LiveMessages.HistoryCorrected, new CorrectedMessage(athleteId, ThreadKind.Report, d.ReportId, true), true),
            WeekAdjusted w => (LiveMessages.PlanAdjusted, new PlanMessage(athleteId, w.WeekStart, w.Outcome, w.RuleIds, w.Reasons), true),
            AdjustmentApproved a => (LiveMessages.PlanAdjusted, new PlanMessage(athleteId, a.WeekStart, AdjustmentOutcome.Hold, [], ["Approved by your coach"]), true),
            // The week goes back to what it was: the athlete's calendar, the board and every coach's inbox follow.
            AdjustmentRejected r => (LiveMessages.PlanAdjusted, new PlanMessage(athleteId, r.WeekStart, AdjustmentOutcome.Hold, [], ["Your coach kept the week as it was"]), true),
            AdjustmentProposed p => (LiveMessages.AdjustmentProposed, new PlanMessage(athleteId, p.WeekStart, p.Outcome, p.RuleIds, p.Reasons), false),
            _ => (null, null, false),
        };
        if (method is null) return;
        if (coaches.Count > 0) await hub.Clients.Users(coaches).SendAsync(method, message, ct);
        if (toAthlete)
        {
            // Each audience hears only what it may read: the coach's wording of a finding stays with the coaches.
            var forAthlete = data is FindingRaised raised
                ? new AthleteFindingMessage(athleteId, raised.Finding.FindingId, raised.Finding.RuleId, raised.Finding.Severity,
                    raised.Finding.AthleteMessage, raised.Finding.RecommendedAction, raised.RaisedAt, Disclaimer.Text)
                : message;
            await hub.Clients.User(athleteId.ToString()).SendAsync(method, forAthlete, ct);
        }
    }

    /// <summary>User ids as SignalR names them: the NameIdentifier claim, a Guid's "D" form.</summary>
    private static List<string> Users(IEnumerable<Guid> ids) => [.. ids.Select(id => id.ToString())];
}
