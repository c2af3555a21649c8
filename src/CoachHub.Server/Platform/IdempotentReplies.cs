using Npgsql;
using System.Security.Claims;
using System.Security.Cryptography;

namespace CoachHub.Server.Platform;

/// <summary>
/// A POST retried with the same Idempotency-Key (same caller, same route) is answered as the first was: the
/// same status, ETag, Location and body, from PostgreSQL, on any node. The same key with another body is a 422.
/// Only successful answers are kept: a refused request may be corrected and sent again under its key. The
/// command pipeline's own key check still guards the events when two tries race.
/// </summary>
public sealed class IdempotentReplies(RequestDelegate next, NpgsqlDataSource db, TimeProvider time)
{
    public const string Header = "Idempotency-Key";
    public static readonly TimeSpan Kept = TimeSpan.FromHours(24);

    public static bool Applies(HttpContext http) =>
        HttpMethods.IsPost(http.Request.Method) && http.Request.Path.StartsWithSegments("/api") && http.Request.Headers[Header].Count == 1
        && http.Request.Headers[Header].ToString() is { Length: > 0 and <= 200 };

    public async Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Request.ContentLength > RequestBody.MaxBytes) { await next(http); return; }
        var caller = http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous";
        var key = $"{caller}:{http.Request.Path}{http.Request.QueryString}:{http.Request.Headers[Header]}";
        http.Request.EnableBuffering(RequestBody.MaxBytes + 1);
        byte[] bodyHash;
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            var buffer = new byte[8192];
            var total = 0;
            for (int read; (read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0;)
            {
                total += read;
                if (total > RequestBody.MaxBytes) break; // the endpoint answers 413
                sha.AppendData(buffer, 0, read);
            }
            bodyHash = sha.GetHashAndReset();
            http.Request.Body.Position = 0;
        }

        if (await FindAsync(key, http.RequestAborted) is { } first)
        {
            if (!first.BodyHash.AsSpan().SequenceEqual(bodyHash))
            {
                await Results.Problem(statusCode: 422, title: "Idempotency-Key reused",
                    detail: "This Idempotency-Key was already used with a different body; send a new key for a new request.").ExecuteAsync(http);
                return;
            }
            http.Response.StatusCode = first.Status;
            if (first.ContentType is not null) http.Response.ContentType = first.ContentType;
            if (first.ETag is not null) http.Response.Headers.ETag = first.ETag;
            if (first.Location is not null) http.Response.Headers.Location = first.Location;
            http.Response.Headers["Idempotent-Replayed"] = "true";
            await http.Response.Body.WriteAsync(first.Body, http.RequestAborted);
            return;
        }

        var original = http.Response.Body;
        await using var captured = new MemoryStream();
        http.Response.Body = captured;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }
        if (http.Response.StatusCode is >= 200 and < 300)
            await SaveAsync(key, bodyHash, http.Response, captured.ToArray(), CancellationToken.None);
        captured.Position = 0;
        await captured.CopyToAsync(original, http.RequestAborted);
    }

    private sealed record Reply(byte[] BodyHash, int Status, string? ContentType, string? ETag, string? Location, byte[] Body);

    private async Task<Reply?> FindAsync(string key, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "select body_sha256, status, content_type, etag, location, body from idempotent_replies where key = $1 and answered_at > $2");
        cmd.Parameters.AddWithValue(key);
        cmd.Parameters.AddWithValue((time.GetUtcNow() - Kept).UtcDateTime);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new Reply((byte[])reader[0], reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), (byte[])reader[5]);
    }

    private async Task SaveAsync(string key, byte[] bodyHash, HttpResponse response, byte[] body, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var batch = db.CreateBatch();
        // Two tries racing: the first to finish is the answer kept; the command pipeline appended once either way.
        batch.BatchCommands.Add(new Npgsql.NpgsqlBatchCommand("""
            insert into idempotent_replies (key, body_sha256, status, content_type, etag, location, body, answered_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (key) do nothing
            """)
        {
            Parameters =
            {
                new() { Value = key }, new() { Value = bodyHash }, new() { Value = response.StatusCode },
                new() { Value = (object?)response.ContentType ?? DBNull.Value },
                new() { Value = response.Headers.ETag.Count > 0 ? response.Headers.ETag.ToString() : DBNull.Value },
                new() { Value = response.Headers.Location.Count > 0 ? response.Headers.Location.ToString() : DBNull.Value },
                new() { Value = body }, new() { Value = now },
            },
        });
        batch.BatchCommands.Add(new Npgsql.NpgsqlBatchCommand("delete from idempotent_replies where answered_at < $1") { Parameters = { new() { Value = now - Kept } } });
        await batch.ExecuteNonQueryAsync(ct);
    }
}
