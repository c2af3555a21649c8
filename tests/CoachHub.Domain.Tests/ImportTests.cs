using System.Text;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Imports;
using CoachHub.Domain.Tests.Support;

namespace CoachHub.Domain.Tests;

/// <summary>GPX and TCX files read into runs (tests/fixtures/activities/make.py says what each file holds), and imports logged once.</summary>
public sealed class ImportTests
{
    private static FileStream Fixture(string name) => File.OpenRead(Path.Combine(AppContext.BaseDirectory, "activities", name));

    [Fact]
    public void A_gpx_run_gives_its_start_distance_moving_time_climb_and_heart_rate()
    {
        using var file = Fixture("easy-5k.gpx");
        var activity = ActivityXml.ReadGpx(file);
        Assert.Equal("running", activity.Sport);
        Assert.Equal(313, activity.Points.Count);
        var run = ImportedRun.From(activity);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero), run.StartedAt);
        Assert.InRange(run.DistanceMeters, 4_990, 5_010);
        Assert.Equal(1_500, run.DurationSeconds); // the minute at the traffic light is not running time
        Assert.InRange(run.ElevationGainMeters, 15, 21); // up 10 m, down 20, up 10
        Assert.InRange(run.AverageHeartRate!.Value, 146, 152);
        Assert.Equal(313, run.Track.Count); // under the most kept
        Assert.Equal(0, run.Track[0].Seconds);
        Assert.Equal(1_560, run.Track[^1].Seconds);
        Assert.Empty(TrackPoint.Validate(run.Track));
    }

    [Fact]
    public void A_tcx_run_takes_its_laps_timer_time_and_distance()
    {
        using var file = Fixture("tempo-8k.tcx");
        var run = ImportedRun.From(ActivityXml.ReadTcx(file));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 18, 30, 0, TimeSpan.Zero), run.StartedAt);
        Assert.Equal(8_000, run.DistanceMeters);
        Assert.Equal(2_160, run.DurationSeconds);
        Assert.InRange(run.AverageHeartRate!.Value, 152, 158);
        Assert.Equal(8_000, run.Track[^1].Meters);
    }

    [Theory]
    [InlineData("ride.gpx", "not a run")]
    [InlineData("laughs.gpx", "DTD")]
    [InlineData("broken.gpx", "not well-formed")]
    public void Files_that_are_no_run_are_refused_with_a_reason(string name, string reason)
    {
        using var file = Fixture(name);
        var refused = Assert.Throws<ActivityFileException>(() => ImportedRun.From(ActivityXml.ReadGpx(file)));
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tcx_is_not_a_gpx_and_a_file_without_distance_is_refused()
    {
        using (var tcx = Fixture("tempo-8k.tcx"))
            Assert.Contains("does not start with <gpx>", Assert.Throws<ActivityFileException>(() => ActivityXml.ReadGpx(tcx)).Message, StringComparison.Ordinal);
        var noDistance = """
            <gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
            <trkpt><time>2026-11-28T08:00:00Z</time></trkpt><trkpt><time>2026-11-28T08:30:00Z</time></trkpt>
            </trkseg></trk></gpx>
            """;
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(noDistance));
        Assert.Contains("neither positions nor distances", Assert.Throws<ActivityFileException>(() => ImportedRun.From(ActivityXml.ReadGpx(stream))).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_nested_far_deeper_than_any_export_is_refused_before_it_is_read()
    {
        var nest = string.Concat(Enumerable.Repeat("<a>", 100_000)) + string.Concat(Enumerable.Repeat("</a>", 100_000));
        var gpx = $"""<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg><trkpt lat="1" lon="1"><time>{nest}</time></trkpt></trkseg></trk></gpx>""";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(gpx));
        Assert.Contains("nests its elements", Assert.Throws<ActivityFileException>(() => ActivityXml.ReadGpx(stream)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_track_is_thinned_to_the_most_points_kept_with_its_ends()
    {
        var points = Enumerable.Range(0, 3_601).Select(s => new TrackPoint(s, s * 3)).ToList();
        var thin = TrackPoint.Thin(points);
        Assert.Equal(TrackPoint.MaxPoints, thin.Count);
        Assert.Equal(points[0], thin[0]);
        Assert.Equal(points[^1], thin[^1]);
    }

    private static readonly AthleteRegistered Registered = new(HistoryBuilder.Id(100), "Aoife", "Europe/Dublin", Units.Kilometres, Clock.Now.AddDays(-60));
    private static readonly string Sha = new('a', 64), OtherSha = new('b', 64);

    private static LogRun Imported(Guid id, DateTimeOffset at, string sha, string format = "gpx") =>
        new(id, at, 5_000, 1_500, WorkoutType.Easy, Surface.Road, 4, AverageHeartRate: 150, Source: new RunSource(format, sha),
            Track: [new TrackPoint(0, 0, 140), new TrackPoint(1_500, 5_000, 158)]);

    [Fact]
    public void An_import_records_the_run_and_its_track_and_the_same_activity_again_records_nothing()
    {
        var at = Clock.Now.AddDays(-1);
        var first = Imported(HistoryBuilder.Id(1), at, Sha);
        var events = Spec.Athlete().Given(Registered).When(first).ThenEvents();
        Assert.IsType<RunLogged>(events[0]);
        Assert.Equal(150, ((RunLogged)events[0]).AverageHeartRate);
        Assert.Equal(2, Assert.IsType<RunTrackRecorded>(events[1]).Points.Count);

        var logged = (RunLogged)events[0];
        // The same file, and the same activity from another export 30 s apart: nothing new.
        Spec.Athlete().Given(Registered, logged).When(Imported(HistoryBuilder.Id(2), at.AddHours(3), Sha)).Then();
        Spec.Athlete().Given(Registered, logged).When(Imported(HistoryBuilder.Id(3), at.AddSeconds(30), OtherSha, "fit")).Then();
        // Another run later that day is a run of its own.
        Assert.NotEmpty(Spec.Athlete().Given(Registered, logged).When(Imported(HistoryBuilder.Id(4), at.AddHours(5), OtherSha)).ThenEvents());
    }

    [Fact]
    public void An_import_with_a_bad_source_or_track_is_refused_by_field()
    {
        var at = Clock.Now.AddDays(-1);
        Spec.Athlete().Given(Registered).When(Imported(HistoryBuilder.Id(1), at, "not-a-hash")).ThenRejectsField("source.fileSha256");
        Spec.Athlete().Given(Registered).When(Imported(HistoryBuilder.Id(1), at, Sha, "kml")).ThenRejectsField("source.format");
        Spec.Athlete().Given(Registered).When(Imported(HistoryBuilder.Id(1), at, Sha) with { Track = [new TrackPoint(10, 100), new TrackPoint(5, 50)] })
            .ThenRejectsField("track");
        Spec.Athlete().Given(Registered).When(Imported(HistoryBuilder.Id(1), at, Sha) with { AverageHeartRate = 400 }).ThenRejectsField("averageHeartRate");
    }
}
