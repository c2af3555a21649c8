using System.Reflection;
using System.Text.RegularExpressions;
using CoachHub.Domain;
using CoachHub.Domain.Athletes;

namespace CoachHub.Domain.Tests;

public sealed partial class EventCatalogTests
{
    private static readonly Assembly Domain = typeof(CoachingEvents).Assembly;

    [Fact]
    public void EveryEventTypeInTheAssemblyIsListed()
    {
        var attributed = Domain.GetTypes().Where(t => t.GetCustomAttribute<EventTypeAttribute>() is not null).ToHashSet();
        Assert.Equal(attributed.OrderBy(t => t.FullName), CoachingEvents.All.OrderBy(t => t.FullName));
    }

    [Fact]
    public void EveryListedEventHasAName()
    {
        Assert.All(CoachingEvents.All, t => Assert.NotNull(t.GetCustomAttribute<EventTypeAttribute>()));
    }

    [Fact]
    public void NamesAreUnique()
    {
        var names = CoachingEvents.All.Select(CoachingEvents.TypeNameOf).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(names.Count, CoachingEvents.ByName.Count);
    }

    [Fact]
    public void NamesAreLowerCaseDottedPastTenseAndVersioned()
    {
        Assert.All(CoachingEvents.All, t =>
        {
            var name = CoachingEvents.TypeNameOf(t);
            Assert.Matches(WellFormed(), name);
            var action = name.Split('.')[^2];
            Assert.True(
                action.Split('-').Any(word => word.EndsWith("ed", StringComparison.Ordinal) || word == "left"),
                $"{name}: '{action}' is not past tense");
        });
    }

    [Fact]
    public void EventsArePlainSealedRecordsOfSerializableShapes()
    {
        Assert.All(CoachingEvents.All, t =>
        {
            Assert.True(t.IsSealed, $"{t.Name} should be sealed");
            Assert.NotNull(t.GetMethod("<Clone>$"));
            AssertSerializable(t, t.Name, []);
        });
    }

    [Fact]
    public void TheExampleNameFromTheArchitectureIsUsed()
    {
        Assert.Equal("pain-report.submitted.v1", CoachingEvents.TypeNameOf(typeof(PainReportSubmitted)));
        Assert.Equal(typeof(PainReportSubmitted), CoachingEvents.ByName["pain-report.submitted.v1"]);
    }

    [Fact]
    public void AnUnnamedTypeIsRefused()
    {
        Assert.Throws<ArgumentException>(() => CoachingEvents.TypeNameOf(typeof(string)));
    }

    private static void AssertSerializable(Type type, string path, HashSet<Type> seen)
    {
        if (!seen.Add(type))
        {
            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract"))
        {
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var where = $"{path}.{property.Name}";
            if (propertyType.IsPrimitive || propertyType.IsEnum || propertyType == typeof(string) || propertyType == typeof(Guid)
                || propertyType == typeof(DateOnly) || propertyType == typeof(DateTimeOffset) || propertyType == typeof(decimal))
            {
                continue;
            }

            if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
            {
                var element = propertyType.GetGenericArguments()[0];
                if (element != typeof(string) && element != typeof(Guid))
                {
                    AssertRecord(element, where);
                    AssertSerializable(element, where, seen);
                }

                continue;
            }

            AssertRecord(propertyType, where);
            AssertSerializable(propertyType, where, seen);
        }
    }

    private static void AssertRecord(Type type, string where)
    {
        Assert.True(type.Assembly == Domain && type.IsSealed && type.GetMethod("<Clone>$") is not null, $"{where}: {type.Name} is not a sealed domain record");
    }

    [GeneratedRegex("^[a-z]+(-[a-z]+)*(\\.[a-z]+(-[a-z]+)*)+\\.v[0-9]+$")]
    private static partial Regex WellFormed();
}
