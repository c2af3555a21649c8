using CoachHub.Server.Platform;
using Wolverine.Persistence.Durability;
using Wolverine.Persistence.Durability.DeadLetterManagement;

namespace CoachHub.Server.Features.Operations;

/// <summary>A message that failed every try (live news that could not be sent, say), as an admin sees it.</summary>
public sealed record DeadLetter(Guid Id, string MessageType, string ExceptionType, string ExceptionMessage, DateTimeOffset SentAt, bool Replayable);

public sealed record DeadLetterList(int Total, IReadOnlyList<DeadLetter> Items);

/// <summary>
/// Admins list the messages Wolverine gave up on and replay them once the cause is fixed, or discard them
/// (docs/operations.md). Replaying hands a message back to the durable inbox: a node picks it up within seconds.
/// </summary>
public static class DeadLetterEndpoints
{
    public const int MaxLimit = 500;

    public static void Map(IEndpointRouteBuilder app)
    {
        var letters = app.MapGroup("/api/admin/dead-letters").WithTags("Operations").RequireAuthorization(Roles.Admin);
        letters.MapGet("", ListAsync).Produces<DeadLetterList>()
            .WithDescription($"The dead letters, up to `limit` (1-{MaxLimit}, 100 by default), with how many there are in all.");
        letters.MapPost("/{deadLetterId:guid}/replay", ReplayAsync).Produces<DeadLetter>(202)
            .WithDescription("Hands the message back to the inbox to be handled again; it leaves this list once a node has taken it.");
        letters.MapDelete("/{deadLetterId:guid}", DiscardAsync).Produces(204)
            .WithDescription("Drops the message for good.");
    }

    private static async Task<IResult> ListAsync(HttpContext http, IMessageStore store)
    {
        var limit = 100;
        if (http.Request.Query["limit"] is { Count: > 0 } raw && (!int.TryParse(raw, out limit) || limit is < 1 or > MaxLimit))
            throw new BadFieldException("limit", $"must be a whole number from 1 to {MaxLimit}.");
        var found = await store.DeadLetters.QueryAsync(new DeadLetterEnvelopeQuery { PageSize = limit }, http.RequestAborted);
        return Results.Ok(new DeadLetterList(found.TotalCount, [.. found.Envelopes.Select(Of).OrderByDescending(d => d.SentAt)]));
    }

    private static async Task<IResult> ReplayAsync(Guid deadLetterId, HttpContext http, IMessageStore store)
    {
        var letter = await FindAsync(store, deadLetterId);
        await store.DeadLetters.ReplayAsync(new DeadLetterEnvelopeQuery([deadLetterId]), http.RequestAborted);
        return Results.Accepted("/api/admin/dead-letters", letter with { Replayable = true });
    }

    private static async Task<IResult> DiscardAsync(Guid deadLetterId, HttpContext http, IMessageStore store)
    {
        _ = await FindAsync(store, deadLetterId);
        await store.DeadLetters.DiscardAsync(new DeadLetterEnvelopeQuery([deadLetterId]), http.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<DeadLetter> FindAsync(IMessageStore store, Guid id) =>
        await store.DeadLetters.DeadLetterEnvelopeByIdAsync(id) is { } found ? Of(found) : throw new NotFoundException("That dead letter");

    private static DeadLetter Of(DeadLetterEnvelope e) =>
        new(e.Id, e.MessageType, e.ExceptionType, e.ExceptionMessage, e.SentAt, e.Replayable);
}
