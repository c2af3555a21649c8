using CoachHub.Domain.Athletes;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Marten;
using Wolverine;

namespace CoachHub.Server.Features.Athletes;

public sealed record PostCommentRequest(Guid? CommentId, string? Text);
public sealed record CommentResponse(Guid CommentId, long Version);

public sealed record PostCommentCommand(Guid AthleteId, PostComment Comment, CommandOptions Options) : IAthleteCommand;

/// <summary>
/// A conversation on each run and each report, between the athlete and the squad's coaches (issue 32): read, write,
/// mark read; and the athlete's threads with what the reader has not read. New comments reach both sides live.
/// </summary>
public static class ConversationEndpoints
{
    public static void Map(RouteGroupBuilder athletes)
    {
        foreach (var (segment, kind, field) in new[] { ("runs", ThreadKind.Run, "runId"), ("reports", ThreadKind.Report, "reportId") })
        {
            var thread = kind;
            athletes.MapGet($"/{{athleteId:guid}}/{segment}/{{{field}:guid}}/comments", async (Guid athleteId, HttpContext http, CoachingQueries queries,
                ConversationQueries conversations) =>
            {
                var (caller, threadId) = await EnsureThreadAsync(http, athleteId, thread, field, queries, conversations);
                return Results.Ok(await conversations.ThreadAsync(athleteId, thread, threadId, caller.UserId, http.RequestAborted));
            }).RequireAuthorization().Produces<CommentThread>();

            athletes.MapPost($"/{{athleteId:guid}}/{segment}/{{{field}:guid}}/comments", async (Guid athleteId, HttpContext http, CoachingQueries queries,
                ConversationQueries conversations, IMessageBus bus, StreamStates streams) =>
            {
                var (caller, threadId) = await EnsureThreadAsync(http, athleteId, thread, field, queries, conversations);
                var body = await RequestBody.ReadAsync<PostCommentRequest>(http);
                Api.Require(("text", body.Text));
                var options = CommandOptions.From(http, caller);
                var commentId = body.CommentId ?? (options.IdempotencyKey is { } key ? DeterministicGuid.From(key) : Guid.CreateVersion7());
                var name = string.IsNullOrWhiteSpace(caller.Name) ? (caller.IsCoach ? "Coach" : "Athlete") : caller.Name;
                var result = await bus.DecideAsync(new PostCommentCommand(athleteId,
                    new PostComment(commentId, thread, threadId, caller.UserId, name, caller.IsCoach, body.Text!), options), streams, http.RequestAborted);
                return Api.Created(http, $"/api/athletes/{athleteId}/{segment}/{threadId}/comments", result.Version, new CommentResponse(commentId, result.Version));
            }).RequireAuthorization().Accepts<PostCommentRequest>("application/json").Produces<CommentResponse>(201);

            athletes.MapPost($"/{{athleteId:guid}}/{segment}/{{{field}:guid}}/comments/read", async (Guid athleteId, HttpContext http, CoachingQueries queries,
                ConversationQueries conversations, TimeProvider time) =>
            {
                var (caller, threadId) = await EnsureThreadAsync(http, athleteId, thread, field, queries, conversations);
                await conversations.MarkReadAsync(caller.UserId, threadId, time.GetUtcNow(), http.RequestAborted);
                return Results.NoContent();
            }).RequireAuthorization();
        }

        athletes.MapGet("/{athleteId:guid}/threads", async (Guid athleteId, HttpContext http, CoachingQueries queries, ConversationQueries conversations) =>
        {
            var caller = Caller.From(http.User);
            await queries.EnsureCanSeeAthleteAsync(caller, athleteId, http.RequestAborted);
            return Results.Ok(await conversations.ThreadsAsync(athleteId, caller.UserId, http.RequestAborted));
        }).RequireAuthorization().Produces<IReadOnlyList<ThreadSummary>>();
    }

    /// <summary>The athlete or one of their coaches, and a run or report the athlete has: else 404.</summary>
    private static async Task<(Caller Caller, Guid ThreadId)> EnsureThreadAsync(HttpContext http, Guid athleteId, ThreadKind thread, string field,
        CoachingQueries queries, ConversationQueries conversations)
    {
        var caller = Caller.From(http.User);
        await queries.EnsureCanSeeAthleteAsync(caller, athleteId, http.RequestAborted);
        var threadId = Guid.Parse((string)http.GetRouteValue(field)!);
        if (!await conversations.ExistsAsync(athleteId, thread, threadId, http.RequestAborted))
            throw new NotFoundException(thread == ThreadKind.Run ? "That run" : "That report");
        return (caller, threadId);
    }
}

public static class PostCommentHandler
{
    public static Task<Loaded<AthleteState>> LoadAsync(PostCommentCommand command, StreamStates streams, CancellationToken ct) =>
        ((IAthleteCommand)command).LoadAsync(streams, ct);

    public static Decided<AthleteState> Handle(PostCommentCommand command, Loaded<AthleteState> athlete, IDocumentSession session, AthleteClock clock) =>
        athlete.Decide(command.Comment, command.Options, clock, session);
}
