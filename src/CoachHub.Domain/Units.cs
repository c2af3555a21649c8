using System.Globalization;

namespace CoachHub.Domain;

/// <summary>How a squad or athlete wants distances shown. Storage is always whole metres.</summary>
public enum Units
{
    Kilometres = 0,
    Miles = 1,
}

/// <summary>A distance held as whole metres, the unit every event stores.</summary>
public readonly record struct Distance(int Meters)
{
    public const double MetersPerKilometre = 1000.0;
    public const double MetersPerMile = 1609.344;

    public static Distance FromKilometres(double kilometres) => From(kilometres, Units.Kilometres);

    public static Distance FromMiles(double miles) => From(miles, Units.Miles);

    /// <summary>Converts an amount in the given units to the nearest whole metre.</summary>
    public static Distance From(double amount, Units units) =>
        new(checked((int)Math.Round(amount * MetersPer(units), MidpointRounding.AwayFromZero)));

    public static double MetersPer(Units units) => units switch
    {
        Units.Kilometres => MetersPerKilometre,
        Units.Miles => MetersPerMile,
        _ => throw new ArgumentOutOfRangeException(nameof(units), units, "Unknown units."),
    };

    public double In(Units units) => Meters / MetersPer(units);

    public double Kilometres => In(Units.Kilometres);

    public double Miles => In(Units.Miles);

    /// <summary>For messages: one decimal and the unit's abbreviation, e.g. "12.3 km".</summary>
    public string Format(Units units) =>
        string.Create(CultureInfo.InvariantCulture, $"{In(units):0.0} {Abbreviation(units)}");

    public static string Abbreviation(Units units) => units == Units.Miles ? "mi" : "km";
}
