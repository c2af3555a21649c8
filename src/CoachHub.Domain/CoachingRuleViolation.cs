namespace CoachHub.Domain;

/// <summary>A named input field and what is wrong with it, so the API can answer 400 naming the field.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>
/// A command broke a coaching rule (code such as "squad.invite-expired") or carried invalid input
/// (code "validation.failed" with the field errors).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Naming",
    "CA1710:Identifiers should have correct suffix",
    Justification = "The name is the API contract: a broken coaching rule, not a programming error.")]
public sealed class CoachingRuleViolation : Exception
{
    public const string ValidationFailed = "validation.failed";

    public CoachingRuleViolation(string code, string message, string? field = null)
        : base(message)
    {
        Code = code;
        Field = field;
        Errors = field is null ? [] : [new FieldError(field, message)];
    }

    public CoachingRuleViolation(IReadOnlyList<FieldError> errors)
        : base(Describe(errors))
    {
        ArgumentNullException.ThrowIfNull(errors);
        Code = ValidationFailed;
        Field = errors.Count > 0 ? errors[0].Field : null;
        Errors = errors;
    }

    public CoachingRuleViolation()
        : this("coaching.rule-violated", "A coaching rule was violated.")
    {
    }

    public CoachingRuleViolation(string message)
        : this("coaching.rule-violated", message)
    {
    }

    public CoachingRuleViolation(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "coaching.rule-violated";
        Errors = [];
    }

    public string Code { get; }

    public string? Field { get; }

    public IReadOnlyList<FieldError> Errors { get; }

    /// <summary>The finding that forbids the command, when one does (a red flag pausing running).</summary>
    public string? FindingId { get; init; }

    public string? RuleId { get; init; }

    private static string Describe(IReadOnlyList<FieldError>? errors) =>
        errors is null || errors.Count == 0
            ? "The input is not valid."
            : string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}"));
}
