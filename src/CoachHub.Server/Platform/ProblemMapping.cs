using CoachHub.Domain;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace CoachHub.Server.Platform;

/// <summary>
/// Turns what endpoints throw into RFC 9457 problem details: bad fields 400 (each named), missing 404, rule
/// conflicts 409, stale If-Match 412, too large 413; anything else 500 with a trace id and no stack trace.
/// </summary>
internal sealed class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadFieldException bad => Validation([new FieldError(bad.Field, bad.Reason)]),
            CoachingRuleViolation { Errors.Count: > 0 } v => Validation(v.Errors, v.Code == "validation.failed" ? null : v.Code),
            CoachingRuleViolation v when IsNotFound(v.Code) => Problem(404, "Not found", v.Message, v.Code),
            CoachingRuleViolation v when v.Field is not null => Validation([new FieldError(v.Field, v.Message)], v.Code),
            CoachingRuleViolation v => Conflict(v),
            NotFoundException nf => Problem(404, "Not found", nf.Message),
            // API endpoints answer a stale If-Match in PreconditionFilter (with the ETag); this is the fallback.
            PreconditionFailedException pf => Precondition(pf.CurrentVersion),
            // Lost to other writers more often than Wolverine runs a command again (Messaging): rare, and worth a retry.
            JasperFx.ConcurrencyException or Marten.Exceptions.ExistingStreamIdCollisionException =>
                Problem(409, "Changed by someone else", "The resource changed while the request ran; try again."),
            RequestTooLargeException big => Problem(413, "Request too large", big.Message),
            UnsupportedBodyTypeException type => Problem(415, "Unsupported media type", type.Message),
            BadHttpRequestException bad => Problem(bad.StatusCode, "Bad request", bad.Message),
            _ when DatabaseAway(exception) => Unavailable(http),
            _ => null,
        };
        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
            problem = Problem(500, "Something went wrong", "The error was logged; quote the trace id if you report it.");
        }
        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>
    /// PostgreSQL unreachable for a moment (restarting, failing over, a dropped connection): nothing was committed
    /// that the caller was told of, and a retry soon may work. Told as 503 with Retry-After, not as our fault.
    /// </summary>
    private static bool DatabaseAway(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.PostgresException pg) return pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal);
            if (e is Npgsql.NpgsqlException { IsTransient: true }) return true;
        }
        return false;
    }

    private ProblemDetails Unavailable(HttpContext http)
    {
        logger.LogWarning("PostgreSQL was unreachable during {Method} {Path}: answered 503", http.Request.Method, http.Request.Path);
        http.Response.Headers.RetryAfter = "2";
        return Problem(503, "Briefly unavailable", "The database could not be reached for a moment. Send the request again in a few seconds; with the same Idempotency-Key it is saved once whatever happened to this one.");
    }

    private static bool IsNotFound(string code) =>
        code.EndsWith(".not-found", StringComparison.Ordinal) || code.EndsWith(".not-registered", StringComparison.Ordinal)
        || code.EndsWith(".not-started", StringComparison.Ordinal) || code.EndsWith("-unknown", StringComparison.Ordinal)
        || code.EndsWith(".unknown", StringComparison.Ordinal);

    private static HttpValidationProblemDetails Validation(IEnumerable<FieldError> errors, string? code = null)
    {
        var problem = new HttpValidationProblemDetails(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()))
        {
            Status = 400,
            Title = "Some fields are not valid",
            Detail = string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")),
        };
        if (code is not null) problem.Extensions["code"] = code;
        return problem;
    }

    private static ProblemDetails Problem(int status, string title, string detail, string? code = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (code is not null) problem.Extensions["code"] = code;
        return problem;
    }

    /// <summary>409, naming the finding behind the refusal where there is one (a red flag pausing running).</summary>
    private static ProblemDetails Conflict(CoachingRuleViolation violation)
    {
        var problem = Problem(409, "Not allowed now", violation.Message, violation.Code);
        if (violation.FindingId is not null) problem.Extensions["findingId"] = violation.FindingId;
        if (violation.RuleId is not null) problem.Extensions["ruleId"] = violation.RuleId;
        return problem;
    }

    private static ProblemDetails Precondition(long version)
    {
        var problem = Problem(412, "The resource has changed", "Reload it and apply your change to the current version.");
        problem.Extensions["currentVersion"] = version;
        return problem;
    }
}

public static class ETags
{
    public static string For(long version) => $"\"{version}\"";

    /// <summary>If-Match "N" (or N): the version the client last saw. Absent: null. Malformed: a 400 naming the header.</summary>
    public static long? IfMatch(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var header = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header)) return null;
        var raw = header.Trim().TrimStart('W', '/').Trim('"');
        return long.TryParse(raw, System.Globalization.CultureInfo.InvariantCulture, out var version) && version >= 0
            ? version
            : throw new BadFieldException("If-Match", "must be the ETag of the resource, like \"12\".");
    }
}

/// <summary>
/// A stale If-Match is answered here, not by the exception handler: that handler strips ETag from error
/// responses, and a 412 is only useful with the current ETag in it.
/// </summary>
internal sealed class PreconditionFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context);
        }
        catch (PreconditionFailedException ex)
        {
            context.HttpContext.Response.Headers.ETag = ETags.For(ex.CurrentVersion);
            return TypedResults.Problem(statusCode: 412, title: "The resource has changed",
                detail: "Reload it and apply your change to the current version.",
                extensions: new Dictionary<string, object?> { ["currentVersion"] = ex.CurrentVersion });
        }
    }
}
