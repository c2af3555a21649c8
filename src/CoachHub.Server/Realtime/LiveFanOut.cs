using System.Collections.Concurrent;
using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Microsoft.AspNetCore.SignalR;

namespace CoachHub.Server.Realtime;

/// <summary>
/// The live fan-out: what concerns them goes to the hub groups of the athlete and their squads. One node runs it, as
/// a subscription of Marten's log (<see cref="LiveFanOutOnMarten"/>); SignalR's Redis backplane carries each message to the clients connected to any
/// node, and a single node needs no Redis. History is not news: on its first run it starts at the head of the log,
/// and after that from its checkpoint.
/// </summary>
internal sealed class LiveFanOut(IHubContext<LiveHub> hub, SquadMembership membership, TimeProvider time, ILogger<LiveFanOut> logger)
{
    public const string SubscriptionName = "live-fan-out";

    /// <summary>The event types that can make a message (or change who hears the next one).</summary>
    public static IReadOnlyList<Type> Types { get; } =
    [
        typeof(Domain.Squads.AthleteJoined), typeof(Domain.Squads.AthleteLeft), typeof(FindingRaised), typeof(AlertAcknowledged), typeof(RunLogged),
        typeof(PainReportSubmitted), typeof(WeekAdjusted), typeof(AdjustmentApproved), typeof(AdjustmentProposed),
    ];

    public static IReadOnlySet<string> TypeNames { get; } = Types.Select(CoachingEvents.TypeNameOf).ToHashSet(StringComparer.Ordinal);

    /// <summary>Which squads an athlete trains in, briefly cached: a burst of events costs one lookup.</summary>
    private readonly ConcurrentDictionary<Guid, (DateTimeOffset At, IReadOnlyList<Guid> Squads)> _squads = new();

    public async Task HandleAsync(string streamId, object data, CancellationToken ct)
    {
        try
        {
            await SendAsync(streamId, data, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Real time is best effort: the views read the same facts from the read model, and a stalled Redis must
            // not hold every later message back behind retries.
            logger.LogWarning(ex, "Could not push {Event} of {Stream} to connected clients", data.GetType().Name, streamId);
        }
    }

    private async Task SendAsync(string streamId, object data, CancellationToken ct)
    {
        if (streamId.StartsWith("squad-", StringComparison.Ordinal))
        {
            // Membership changed: the next event for this athlete looks its squads up again.
            if (data is Domain.Squads.AthleteJoined joined) _squads.TryRemove(joined.AthleteId, out _);
            if (data is Domain.Squads.AthleteLeft left)
            {
                _squads.TryRemove(left.AthleteId, out _);
                // The coaches of the squad they left hear of it at once (a move, a removal or the athlete leaving).
                var group = LiveHub.SquadGroup(Streams.IdOf(streamId));
                await hub.Clients.Group(group).SendAsync(LiveMessages.AthleteLeft,
                    new LeftMessage(left.AthleteId, Streams.IdOf(streamId), left.MovedTo is not null, left.RemovedBy is not null, left.LeftAt), ct);
            }
            return;
        }
        if (!streamId.StartsWith("athlete-", StringComparison.Ordinal) && !streamId.StartsWith("plan-", StringComparison.Ordinal)) return;
        var athleteId = Streams.IdOf(streamId);
        var athleteGroup = LiveHub.AthleteGroup(athleteId);
        var groups = (await SquadsOfAsync(athleteId, ct)).Select(LiveHub.SquadGroup).ToList();

        var (method, message, toAthlete) = data switch
        {
            FindingRaised f => (LiveMessages.FindingRaised, (object)new FindingMessage(athleteId, f.Finding.FindingId, f.Finding.RuleId, f.Finding.Severity,
                f.Finding.CoachMessage, f.Finding.AthleteMessage, f.Finding.RecommendedAction, f.RaisedAt, Disclaimer.Text), true),
            AlertAcknowledged a => (LiveMessages.AlertAcknowledged, new AcknowledgedMessage(athleteId, a.FindingId, a.CoachId, a.AcknowledgedAt), false),
            RunLogged r => (LiveMessages.RunLogged, new RunMessage(athleteId, r.RunId, r.StartedAt, r.DistanceMeters, r.DurationSeconds), false),
            PainReportSubmitted p => (LiveMessages.PainReportSubmitted, new ReportMessage(athleteId, p.ReportId, p.ReportedAt, p.Pain.PainNow, p.Pain.WorstDuringRun), false),
            WeekAdjusted w => (LiveMessages.PlanAdjusted, new PlanMessage(athleteId, w.WeekStart, w.Outcome, w.RuleIds, w.Reasons), true),
            AdjustmentApproved a => (LiveMessages.PlanAdjusted, new PlanMessage(athleteId, a.WeekStart, AdjustmentOutcome.Hold, [], ["Approved by your coach"]), true),
            AdjustmentProposed p => (LiveMessages.AdjustmentProposed, new PlanMessage(athleteId, p.WeekStart, p.Outcome, p.RuleIds, p.Reasons), false),
            _ => (null, null, false),
        };
        if (method is null) return;
        if (groups.Count > 0) await hub.Clients.Groups(groups).SendAsync(method, message, ct);
        if (toAthlete)
        {
            // Each audience hears only what it may read: the coach's wording of a finding stays with the coaches.
            var forAthlete = data is FindingRaised raised
                ? new AthleteFindingMessage(athleteId, raised.Finding.FindingId, raised.Finding.RuleId, raised.Finding.Severity,
                    raised.Finding.AthleteMessage, raised.Finding.RecommendedAction, raised.RaisedAt, Disclaimer.Text)
                : message;
            await hub.Clients.Group(athleteGroup).SendAsync(method, forAthlete, ct);
        }
    }

    private async Task<IReadOnlyList<Guid>> SquadsOfAsync(Guid athleteId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_squads.TryGetValue(athleteId, out var cached) && now - cached.At < TimeSpan.FromSeconds(30)) return cached.Squads;
        // Every squad the athlete is in: every coach who can read the athlete hears them (one squad, but a move
        // joins the new one before it leaves the old).
        var squads = await membership.SquadsOfAthleteAsync(athleteId, ct);
        _squads[athleteId] = (now, squads);
        return squads;
    }
}

/// <summary>
/// The fan-out on Marten: a subscription its async daemon runs on one node (HotCold), from the high-water mark of
/// its first run on (SubscribeFromFirstRun), then from its progress.
/// </summary>
internal sealed class LiveFanOutOnMarten : Marten.Subscriptions.SubscriptionBase
{
    private readonly LiveFanOut _fanOut;

    public LiveFanOutOnMarten(LiveFanOut fanOut)
    {
        _fanOut = fanOut;
        Name = LiveFanOut.SubscriptionName;
        foreach (var type in LiveFanOut.Types) IncludeType(type);
        Options.SubscribeFromFirstRun();
    }

    public override async Task<Marten.IChangeListener> ProcessEventsAsync(JasperFx.Events.Projections.EventRange page,
        JasperFx.Events.Daemon.ISubscriptionController controller, Marten.IDocumentOperations operations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        foreach (var e in page.Events)
            if (e.Data is { } data && e.StreamKey is { } stream && LiveFanOut.Types.Contains(e.EventType))
                await _fanOut.HandleAsync(stream, data, cancellationToken);
        return NothingToDoAfterCommit.Instance;
    }

    private sealed class NothingToDoAfterCommit : Marten.IChangeListener
    {
        public static NothingToDoAfterCommit Instance { get; } = new();
        public Task AfterCommitAsync(Marten.IDocumentSession session, Marten.Services.IChangeSet commit, CancellationToken token) => Task.CompletedTask;
        public Task BeforeCommitAsync(Marten.IDocumentSession session, Marten.Services.IChangeSet commit, CancellationToken token) => Task.CompletedTask;
    }
}
