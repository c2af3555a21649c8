using CoachHub.Domain;
using FsCheck;
using FsCheck.Fluent;

namespace CoachHub.Domain.Tests;

public sealed class UnitsTests
{
    [Fact]
    public void MilesAndKilometresConvertToWholeMetres()
    {
        Assert.Equal(1609, Distance.FromMiles(1).Meters);
        Assert.Equal(42195, Distance.FromKilometres(42.195).Meters);
        Assert.Equal(804672, Distance.FromMiles(500).Meters);
        Assert.Equal("5.0 km", new Distance(5000).Format(Units.Kilometres));
        Assert.Equal("3.1 mi", new Distance(5000).Format(Units.Miles));
    }

    [Fact]
    public void MetresSurviveATripThroughEitherUnit()
    {
        var arb = Gen.Choose(0, 400_000).SelectMany(m => Gen.Elements(Units.Kilometres, Units.Miles), (m, u) => (Meters: m, Units: u)).ToArbitrary();
        Prop.ForAll(arb, x => Distance.From(new Distance(x.Meters).In(x.Units), x.Units).Meters == x.Meters)
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void AnAmountShownToTwoDecimalsComesBackWithinHalfAMetre()
    {
        var arb = Gen.Choose(0, 40_000).SelectMany(h => Gen.Elements(Units.Kilometres, Units.Miles), (h, u) => (Amount: h / 100.0, Units: u)).ToArbitrary();
        Prop.ForAll(arb, x =>
        {
            var stored = Distance.From(x.Amount, x.Units);
            return Math.Abs((stored.In(x.Units) - x.Amount) * Distance.MetersPer(x.Units)) <= 0.5;
        }).QuickCheckThrowOnFailure();
    }
}
