using CoachHub.Domain;

namespace CoachHub.Server.Platform;

/// <summary>Small pieces every endpoint shares: required fields, ETag responses.</summary>
public static class Api
{
    /// <summary>Throws one 400 naming every missing field.</summary>
    public static void Require(params (string Field, object? Value)[] fields)
    {
        var missing = Missing(fields);
        if (missing.Count > 0) throw new CoachingRuleViolation(missing);
    }

    /// <summary>A field error for each value that is null.</summary>
    public static IReadOnlyList<FieldError> Missing(params (string Field, object? Value)[] fields) =>
        [.. fields.Where(f => f.Value is null).Select(f => new FieldError(f.Field, "is required."))];

    public static IResult Ok<T>(HttpContext http, long version, T body)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.ETag = ETags.For(version);
        return Results.Ok(body);
    }

    public static IResult Created<T>(HttpContext http, string location, long version, T body)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.ETag = ETags.For(version);
        return Results.Created(location, body);
    }
}
