using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;
using JasperFx.Events;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Marten;
using Wolverine.Runtime.Handlers;

namespace CoachHub.Server.Realtime;

/// <summary>
/// An event someone connected should hear of (an alert to the athlete's coaches, a proposal waiting for approval, a
/// run or report logged...). Wolverine publishes it when the event is appended through a handler's session, in the
/// append's transaction (its outbox), and handles it once that commits: no call after the commit that a crash could
/// skip. A node that dies with news not yet sent leaves it in the outbox for another node (ADR 0008).
/// </summary>
public sealed record LiveNews<TEvent>(string StreamId, TEvent Event) where TEvent : notnull;

public static class LiveNewsSetup
{
    public const string Queue = "live-news";
    public const string AlertsQueue = "live-alerts";

    /// <summary>Each event the fan-out sends, appended in a Wolverine handler's session goes out as news.</summary>
    public static void Forward(IEventForwarding forwarding)
    {
        ArgumentNullException.ThrowIfNull(forwarding);
        forwarding.SubscribeToEvent<AthleteLeft>().TransformedTo(News);
        forwarding.SubscribeToEvent<SquadClosed>().TransformedTo(News);
        forwarding.SubscribeToEvent<WeekAdjustmentsCompleted>().TransformedTo(News);
        forwarding.SubscribeToEvent<FindingRaised>().TransformedTo(News);
        forwarding.SubscribeToEvent<AlertAcknowledged>().TransformedTo(News);
        forwarding.SubscribeToEvent<RunLogged>().TransformedTo(News);
        forwarding.SubscribeToEvent<PainReportSubmitted>().TransformedTo(News);
        forwarding.SubscribeToEvent<CommentPosted>().TransformedTo(News);
        forwarding.SubscribeToEvent<RunCorrected>().TransformedTo(News);
        forwarding.SubscribeToEvent<RunDeleted>().TransformedTo(News);
        forwarding.SubscribeToEvent<PainReportCorrected>().TransformedTo(News);
        forwarding.SubscribeToEvent<PainReportDeleted>().TransformedTo(News);
        forwarding.SubscribeToEvent<WeekAdjusted>().TransformedTo(News);
        forwarding.SubscribeToEvent<AdjustmentApproved>().TransformedTo(News);
        forwarding.SubscribeToEvent<AdjustmentRejected>().TransformedTo(News);
        forwarding.SubscribeToEvent<AdjustmentProposed>().TransformedTo(News);
    }

    private static LiveNews<T> News<T>(IEvent<T> e) where T : notnull => new(e.StreamKey!, e.Data);

    /// <summary>
    /// Findings through a durable local queue of their own, the rest of the news through another: an emergency never
    /// waits behind the thousands of plan changes a weekly run makes. The outbox's rows are the queues' durability.
    /// </summary>
    public static void Route(WolverineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Sending waits on the database (who coaches the athlete) and Redis, not the CPU: 5 at a time (the
        // default here) fell behind a burst of 1,700 reports a second by 10,000 messages.
        options.LocalQueue(AlertsQueue).MaximumParallelMessages(20);
        options.LocalQueue(Queue).MaximumParallelMessages(20);
        options.PublishMessage<LiveNews<FindingRaised>>().ToLocalQueue(AlertsQueue);
        options.PublishMessage<LiveNews<AlertAcknowledged>>().ToLocalQueue(AlertsQueue);
        options.PublishMessage<LiveNews<AthleteLeft>>().ToLocalQueue(Queue);
        options.PublishMessage<LiveNews<SquadClosed>>().ToLocalQueue(Queue);
        options.PublishMessage<LiveNews<WeekAdjustmentsCompleted>>().ToLocalQueue(Queue);
        options.PublishMessage<LiveNews<RunLogged>>().ToLocalQueue(Queue);
        options.PublishMessage<LiveNews<PainReportSubmitted>>().ToLocalQueue(Queue);
        options.PublishMessage<LiveNews<CommentPosted>>().ToLocalQueue(Queue);
        options.PublishMessage<LiveNews<RunCorrected>>().ToLocalQueue(Queue);
        options.PublishMessage<LiveNews<RunDeleted>>().ToLocalQueue(Queue);
        options.PublishMessage<LiveNews<PainReportCorrected>>().ToLocalQueue(Queue);
        options.PublishMessage<LiveNews<PainReportDeleted>>().ToLocalQueue(Queue);
        options.PublishMessage<LiveNews<WeekAdjusted>>().ToLocalQueue(Queue);
        options.PublishMessage<LiveNews<AdjustmentApproved>>().ToLocalQueue(Queue);
        options.PublishMessage<LiveNews<AdjustmentRejected>>().ToLocalQueue(Queue);
        options.PublishMessage<LiveNews<AdjustmentProposed>>().ToLocalQueue(Queue);
    }
}

/// <summary>
/// Sends each piece of news to the hub. A failure (Redis or the database away) is tried again at once, then after
/// pauses; news that still fails goes to the dead letters, where an admin can replay it (docs/operations.md).
/// </summary>
public static class LiveNewsHandler
{
    /// <summary>Tried 5 times over about 10 s before it is a dead letter.</summary>
    public static void Configure(HandlerChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        chain.OnAnyException()
            .RetryWithCooldown(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500))
            .Then.ScheduleRetry(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5))
            .Then.MoveToErrorQueue();
    }

    public static Task Handle(LiveNews<AthleteLeft> news, LiveFanOut fanOut, CancellationToken ct) => fanOut.SendAsync(news.StreamId, news.Event, ct);
    public static Task Handle(LiveNews<SquadClosed> news, LiveFanOut fanOut, CancellationToken ct) => fanOut.SendAsync(news.StreamId, news.Event, ct);
    public static Task Handle(LiveNews<WeekAdjustmentsCompleted> news, LiveFanOut fanOut, CancellationToken ct) => fanOut.SendAsync(news.StreamId, news.Event, ct);
    public static Task Handle(LiveNews<FindingRaised> news, LiveFanOut fanOut, CancellationToken ct) => fanOut.SendAsync(news.StreamId, news.Event, ct);
    public static Task Handle(LiveNews<AlertAcknowledged> news, LiveFanOut fanOut, CancellationToken ct) => fanOut.SendAsync(news.StreamId, news.Event, ct);
    public static Task Handle(LiveNews<RunLogged> news, LiveFanOut fanOut, CancellationToken ct) => fanOut.SendAsync(news.StreamId, news.Event, ct);
    public static Task Handle(LiveNews<PainReportSubmitted> news, LiveFanOut fanOut, CancellationToken ct) => fanOut.SendAsync(news.StreamId, news.Event, ct);
    public static Task Handle(LiveNews<CommentPosted> news, LiveFanOut fanOut, CancellationToken ct) => fanOut.SendAsync(news.StreamId, news.Event, ct);
    public static Task Handle(LiveNews<RunCorrected> news, LiveFanOut fanOut, CancellationToken ct) => fanOut.SendAsync(news.StreamId, news.Event, ct);
    public static Task Handle(LiveNews<RunDeleted> news, LiveFanOut fanOut, CancellationToken ct) => fanOut.SendAsync(news.StreamId, news.Event, ct);
    public static Task Handle(LiveNews<PainReportCorrected> news, LiveFanOut fanOut, CancellationToken ct) => fanOut.SendAsync(news.StreamId, news.Event, ct);
    public static Task Handle(LiveNews<PainReportDeleted> news, LiveFanOut fanOut, CancellationToken ct) => fanOut.SendAsync(news.StreamId, news.Event, ct);
    public static Task Handle(LiveNews<WeekAdjusted> news, LiveFanOut fanOut, CancellationToken ct) => fanOut.SendAsync(news.StreamId, news.Event, ct);
    public static Task Handle(LiveNews<AdjustmentApproved> news, LiveFanOut fanOut, CancellationToken ct) => fanOut.SendAsync(news.StreamId, news.Event, ct);
    public static Task Handle(LiveNews<AdjustmentRejected> news, LiveFanOut fanOut, CancellationToken ct) => fanOut.SendAsync(news.StreamId, news.Event, ct);
    public static Task Handle(LiveNews<AdjustmentProposed> news, LiveFanOut fanOut, CancellationToken ct) => fanOut.SendAsync(news.StreamId, news.Event, ct);
}
