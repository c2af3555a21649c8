namespace CoachHub.Domain;

/// <summary>Collects input errors for one command; field names match the camelCase JSON the API receives.</summary>
internal sealed class FieldErrors
{
    private readonly List<FieldError> errors = [];

    public FieldErrors Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            errors.Add(new FieldError(field, message));
        }

        return this;
    }

    public FieldErrors Range(string field, int value, int min, int max) =>
        Require(value >= min && value <= max, field, $"must be between {min} and {max}");

    public FieldErrors Range(string field, int? value, int min, int max) =>
        value is { } v ? Range(field, v, min, max) : this;

    public FieldErrors Range(string field, double? value, double min, double max) =>
        value is { } v
            ? Require(double.IsFinite(v) && v >= min && v <= max, field, FormattableString.Invariant($"must be between {min} and {max}"))
            : this;

    public FieldErrors Text(string field, string? value, int maxLength, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Require(!required, field, "is required");
        }

        return Require(value.Length <= maxLength, field, $"must be at most {maxLength} characters");
    }

    /// <summary>An email address as a person would write one (name@domain), when one is given.</summary>
    public FieldErrors Email(string field, string? value, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value)) return Require(!required, field, "is required");
        return Require(EmailAddress.IsValid(value), field, "must be an email address");
    }

    public FieldErrors NotEmpty(string field, Guid value) => Require(value != Guid.Empty, field, "is required");

    /// <summary>Clocks drift and athletes log across midnight, so up to a day ahead of "now" is accepted.</summary>
    public FieldErrors NotInFuture(string field, DateTimeOffset value, DateTimeOffset now) =>
        Require(value <= now.AddDays(1), field, "must not be more than a day in the future");

    public FieldErrors NotInFuture(string field, DateOnly value, DateTimeOffset now) =>
        Require(value <= TrainingCalendar.LocalDate(now).AddDays(1), field, "must not be more than a day in the future");

    public FieldErrors Defined<TEnum>(string field, TEnum value)
        where TEnum : struct, Enum =>
        Require(Enum.IsDefined(value), field, "is not a known value");

    public FieldErrors Merge(string prefix, IEnumerable<FieldError> nested)
    {
        foreach (var error in nested)
        {
            errors.Add(error with { Field = $"{prefix}.{error.Field}" });
        }

        return this;
    }

    /// <summary>Errors another type's Validate found, under their own field names.</summary>
    public FieldErrors Also(IEnumerable<FieldError> more)
    {
        errors.AddRange(more);
        return this;
    }

    public IReadOnlyList<FieldError> ToList() => errors.ToArray();

    public static void ThrowIfAny(IReadOnlyList<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw new CoachingRuleViolation(errors);
        }
    }
}

/// <summary>The one rule for an email address, for accounts and invites alike.</summary>
public static class EmailAddress
{
    /// <summary>name@domain.tld as a person writes it: no display name, at most 254 characters.</summary>
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return false;
        var trimmed = value.Trim();
        return trimmed.Length <= 254 && System.Net.Mail.MailAddress.TryCreate(trimmed, out var parsed) && parsed.Address == trimmed
            && parsed.Host.Contains('.', StringComparison.Ordinal);
    }
}
