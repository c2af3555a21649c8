using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CoachHub.Server.Platform;

/// <summary>
/// Reads a JSON request body with our limits and our errors: over 64 KB is a 413, a missing body or malformed
/// JSON or an unknown enum value is a 400 that names the field, and nothing downstream runs.
/// </summary>
public static class RequestBody
{
    public const int MaxBytes = 64 * 1024;
    internal const string NotPlainText = "must not contain control characters (only tab and newline are allowed).";

    public static void ConfigureJson(JsonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ConfigureJson(options.SerializerOptions);
    }

    /// <summary>The API's JSON, also used by the real-time hub: camelCase enum names, nulls left out.</summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new PlainTextConverter());
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    }

    /// <summary>For endpoints whose body may be left out: no body at all means <paramref name="fallback"/>.</summary>
    public static Task<T> ReadOptionalAsync<T>(HttpContext http, T fallback)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Request.ContentLength is null or 0 && http.Request.Headers.ContentType.Count == 0
            ? Task.FromResult(fallback) : ReadAsync<T>(http);
    }

    public static async Task<T> ReadAsync<T>(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Request.ContentLength > MaxBytes) throw new RequestTooLargeException();
        // A body in another format is not ours to guess at: 415, before anything reads it.
        var typed = http.Request.Headers.ContentType.Count > 0;
        if ((typed || http.Request.ContentLength > 0) && !http.Request.HasJsonContentType()) throw new UnsupportedBodyTypeException();
        var buffer = ArrayPool<byte>.Shared.Rent(MaxBytes + 1);
        try
        {
            var length = 0;
            while (length <= MaxBytes)
            {
                var read = await http.Request.Body.ReadAsync(buffer.AsMemory(length, MaxBytes + 1 - length), http.RequestAborted);
                if (read == 0) break;
                length += read;
            }
            if (length > MaxBytes) throw new RequestTooLargeException();
            if (length == 0) throw new BadFieldException("body", "A JSON body is required.");
            var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            try
            {
                return JsonSerializer.Deserialize<T>(buffer.AsSpan(0, length), options)
                    ?? throw new BadFieldException("body", "A JSON object is required.");
            }
            catch (JsonException ex)
            {
                var field = ex.Path is null or "$" ? "body" : ex.Path.TrimStart('$', '.');
                throw new BadFieldException(field, ex is NotPlainTextException ? NotPlainText
                    : ex.Path is null or "$" ? "is not valid JSON." : "has a value of the wrong type or an unknown value.");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

public sealed class UnsupportedBodyTypeException(string? message = null) : Exception(message ?? "The request body must be JSON (Content-Type: application/json).");

public sealed class RequestTooLargeException(string? message = null) : Exception(message ?? $"The request body is larger than {RequestBody.MaxBytes / 1024} KB.");

/// <summary>One field of the request is wrong: answered as a 400 that names it.</summary>
public sealed class BadFieldException(string field, string message) : Exception($"{field}: {message}")
{
    public string Field { get; } = field;
    public string Reason { get; } = message;
}

/// <summary>The If-Match version is not the stream's: answered as a 412 with the current ETag.</summary>
public sealed class PreconditionFailedException(long currentVersion) : Exception($"The resource is at version {currentVersion}.")
{
    public long CurrentVersion { get; } = currentVersion;
}

/// <summary>Not there, or not this caller's to see: both answered as 404 so as not to reveal which.</summary>
public sealed class NotFoundException(string what) : Exception($"{what} was not found.");
