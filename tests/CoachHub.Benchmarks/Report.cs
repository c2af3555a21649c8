using System.Globalization;

namespace CoachHub.Benchmarks;

/// <summary>Prints one figure a line as "name: value unit", the format docs/performance.md quotes.</summary>
internal static class Report
{
    public static void Figure(string name, double value, string unit, string? note = null) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {value:0.###} {unit}{(note is null ? "" : "   # " + note)}"));

    public static void Note(string text) => Console.WriteLine("# " + text);

    public static double Percentile(List<double> samples, double p)
    {
        if (samples.Count == 0) return double.NaN;
        samples.Sort();
        var rank = (int)Math.Ceiling(p / 100 * samples.Count) - 1;
        return samples[Math.Clamp(rank, 0, samples.Count - 1)];
    }
}
