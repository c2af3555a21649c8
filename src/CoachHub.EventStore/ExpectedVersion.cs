namespace CoachHub.EventStore;

/// <summary>What the writer believes the stream's version is; the store refuses the append otherwise.</summary>
public readonly record struct ExpectedVersion
{
    private ExpectedVersion(long value) => Value = value;

    /// <summary>-1 any, -2 no stream, N >= 0 exactly N events so far (the SQL function's encoding).</summary>
    internal long Value { get; }

    public static ExpectedVersion Any { get; } = new(-1);
    public static ExpectedVersion NoStream { get; } = new(-2);

    public static ExpectedVersion Exactly(long version) =>
        version >= 0 ? new(version) : throw new ArgumentOutOfRangeException(nameof(version), version, "A stream version is never negative.");

    public static implicit operator ExpectedVersion(long version) => Exactly(version);

    /// <summary>True when a stream now at <paramref name="actual"/> satisfies this expectation.</summary>
    public bool IsSatisfiedBy(long actual) => Value switch
    {
        -1 => true,
        -2 => actual == 0,
        _ => actual == Value,
    };

    public override string ToString() => Value switch { -1 => "any", -2 => "no stream", _ => Value.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
