namespace CoachHub.Server.Platform;

/// <summary>A stream's pure decider, as the domain defines it.</summary>
public sealed record Decider<TState, TCommand>(
    TState Initial,
    Func<TState, object, TState> Evolve,
    Func<TCommand, TState, DateTimeOffset, IReadOnlyList<object>> Decide);

/// <summary>What a request brings to the command it makes: If-Match, Idempotency-Key, who, and its trace.</summary>
public sealed record CommandOptions
{
    public long? IfMatch { get; init; }
    public string? IdempotencyKey { get; init; }
    public string? UserId { get; init; }
    public Guid? CorrelationId { get; init; }

    /// <summary>If-Match and Idempotency-Key from the request; the key is scoped to the caller and the route.</summary>
    public static CommandOptions From(HttpContext http, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(caller);
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length > 200) throw new BadFieldException("Idempotency-Key", "must be at most 200 characters.");
        return new CommandOptions
        {
            IfMatch = ETags.IfMatch(http),
            IdempotencyKey = key.Length == 0 ? null : $"{caller.UserId:N}:{http.Request.Method}:{http.Request.Path}:{key}",
            UserId = caller.UserId.ToString(),
            CorrelationId = System.Diagnostics.Activity.Current is { } a ? DeterministicGuid.From(a.TraceId.ToString()) : null,
        };
    }
}

public static class DeterministicGuid
{
    /// <summary>A stable id derived from text: a retried request with the same Idempotency-Key names the same run.</summary>
    public static Guid From(string text) =>
        new(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
}
