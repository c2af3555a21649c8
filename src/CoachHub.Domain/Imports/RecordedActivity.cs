using CoachHub.Domain.Athletes;

namespace CoachHub.Domain.Imports;

/// <summary>One sample a watch recorded. Any part but the time may be missing.</summary>
/// <param name="DistanceMeters">Covered since the start, when the device says it (TCX); otherwise it comes from the positions.</param>
public sealed record ActivityPoint(DateTimeOffset Time, double? Latitude = null, double? Longitude = null, double? ElevationMeters = null,
    int? HeartRate = null, double? DistanceMeters = null);

/// <summary>What a file holds: its samples, and the totals the file itself states, when it states them (TCX laps).</summary>
/// <param name="TimerSeconds">The watch's running time, which leaves out its pauses.</param>
public sealed record RecordedActivity(string Format, string? Sport, IReadOnlyList<ActivityPoint> Points, double? TotalDistanceMeters = null,
    double? TimerSeconds = null);

/// <summary>A file CoachHub cannot take, with a reason the athlete can act on.</summary>
public sealed class ActivityFileException(string message) : Exception(message);

/// <summary>A run as a file records it, ready to log: start, distance, moving time, climb, heart rate and the thinned track.</summary>
public sealed record ImportedRun(DateTimeOffset StartedAt, int DistanceMeters, int DurationSeconds, int ElevationGainMeters, int? AverageHeartRate,
    IReadOnlyList<TrackPoint> Track)
{
    /// <summary>Slower than this between two samples is standing still (a watch's auto-pause, a traffic light).</summary>
    public const double MovingAtLeastMetersPerSecond = 0.5;

    /// <summary>Elevation changes smaller than this are GPS or barometer noise, not climbing.</summary>
    public const double ClimbNoiseMeters = 3;

    public static ImportedRun From(RecordedActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.Sport is { } sport && NotRunning(sport))
            throw new ActivityFileException($"This activity is recorded as '{sport}', not a run: CoachHub logs runs only.");
        var points = activity.Points.OrderBy(p => p.Time).ToList();
        if (points.Count < 2) throw new ActivityFileException("The file holds fewer than two timed samples: there is no run to read in it.");
        var start = points[0].Time;

        // Distance covered at each sample: the device's own figure where it gives one, else from the positions.
        var covered = new double[points.Count];
        var hasPositions = points.Any(p => p.Latitude is not null && p.Longitude is not null);
        var hasDistances = points.Any(p => p.DistanceMeters is not null);
        if (!hasPositions && !hasDistances && activity.TotalDistanceMeters is null)
            throw new ActivityFileException("The file has neither positions nor distances: log this run by hand with its distance.");
        ActivityPoint? lastPlaced = null;
        for (var i = 1; i < points.Count; i++)
        {
            var p = points[i];
            if (hasDistances)
            {
                covered[i] = Math.Max(covered[i - 1], p.DistanceMeters ?? covered[i - 1]);
                continue;
            }
            lastPlaced ??= points[0].Latitude is null ? null : points[0];
            var step = 0.0;
            if (p.Latitude is { } lat && p.Longitude is { } lon)
            {
                if (lastPlaced is { Latitude: { } lat0, Longitude: { } lon0 }) step = Haversine(lat0, lon0, lat, lon);
                lastPlaced = p;
            }
            covered[i] = covered[i - 1] + step;
        }

        var distance = activity.TotalDistanceMeters ?? covered[^1];
        var moving = activity.TimerSeconds ?? MovingSeconds(points, covered);
        if (distance < 1 || moving < 1) throw new ActivityFileException("The file records no movement: there is no run to log.");
        var heartRates = points.Where(p => p.HeartRate is >= LogRun.MinHeartRate and <= LogRun.MaxHeartRate).Select(p => p.HeartRate!.Value).ToList();
        var track = points.Select((p, i) => new TrackPoint((int)Math.Round((p.Time - start).TotalSeconds), (int)Math.Round(covered[i]),
            p.HeartRate is >= LogRun.MinHeartRate and <= LogRun.MaxHeartRate ? p.HeartRate : null,
            p.ElevationMeters is { } e && e is >= -500 and <= 9000 ? (int)Math.Round(e) : null)).ToList();
        return new ImportedRun(start, (int)Math.Round(distance), (int)Math.Round(moving), ClimbOf(points),
            heartRates.Count == 0 ? null : (int)Math.Round(heartRates.Average()), TrackPoint.Thin(track));
    }

    private static bool NotRunning(string sport)
    {
        var s = sport.ToLowerInvariant();
        return s.Contains("bik", StringComparison.Ordinal) || s.Contains("cycl", StringComparison.Ordinal) || s.Contains("ride", StringComparison.Ordinal)
            || s.Contains("swim", StringComparison.Ordinal) || s.Contains("ski", StringComparison.Ordinal) || s.Contains("row", StringComparison.Ordinal);
    }

    private static double MovingSeconds(List<ActivityPoint> points, double[] covered)
    {
        var seconds = 0.0;
        for (var i = 1; i < points.Count; i++)
        {
            var dt = (points[i].Time - points[i - 1].Time).TotalSeconds;
            if (dt > 0 && (covered[i] - covered[i - 1]) / dt >= MovingAtLeastMetersPerSecond) seconds += dt;
        }
        return seconds;
    }

    private static int ClimbOf(List<ActivityPoint> points)
    {
        double? reference = null;
        var climb = 0.0;
        foreach (var e in points.Select(p => p.ElevationMeters).OfType<double>())
        {
            if (reference is not { } r) reference = e;
            else if (e - r >= ClimbNoiseMeters) { climb += e - r; reference = e; }
            else if (r - e >= ClimbNoiseMeters) reference = e;
        }
        return (int)Math.Round(climb);
    }

    /// <summary>Great-circle distance in metres on a sphere of the Earth's mean radius.</summary>
    public static double Haversine(double lat1, double lon1, double lat2, double lon2)
    {
        const double EarthRadius = 6_371_008.8;
        static double Rad(double d) => d * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadius * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
