using System.Globalization;
using System.Text;
using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using CsvHelper;

namespace CoachHub.Server.Features.Athletes;

/// <summary>
/// GET /api/athletes/{id}/history.csv: every run and every report, oldest first, for a spreadsheet (issue 32).
/// Times are on the athlete's clock, distances in the athlete's units; a report names the run it followed.
/// </summary>
public static class ExportHistoryEndpoint
{
    // A note starting with '=' or '+' stays text, never a spreadsheet formula; the byte order mark tells Excel it is UTF-8.
    private static readonly CsvWriterOptions Csv = new() { Injection = CsvInjection.Escape, WriteByteOrderMark = true };

    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapGet("/{athleteId:guid}/history.csv", async (Guid athleteId, HttpContext http, CoachingQueries queries) =>
        {
            await queries.EnsureCanSeeAthleteAsync(Caller.From(http.User), athleteId, http.RequestAborted);
            var profile = await queries.ProfileAsync(athleteId, http.RequestAborted) ?? throw new NotFoundException("That athlete");
            var runs = await queries.RunsSinceAsync(athleteId, DateOnly.MinValue, http.RequestAborted);
            var reports = await queries.PainSinceAsync(athleteId, DateTimeOffset.MinValue, http.RequestAborted);
            var shoes = await queries.ShoeNamesAsync(athleteId, http.RequestAborted);
            var csv = Write(profile, runs, reports, shoes);
            var name = new string([.. profile.Name.Where(char.IsAsciiLetterOrDigit)]) is { Length: > 0 } n ? n : "athlete";
            return Results.File(csv, "text/csv; charset=utf-8", $"coachhub-{name}-history.csv");
        }).RequireAuthorization().Produces(200, contentType: "text/csv");

    public static byte[] Write(AthleteProfile athlete, IReadOnlyList<RunLogged> runs, IReadOnlyList<PainPoint> reports, IReadOnlyDictionary<Guid, string> shoes)
    {
        ArgumentNullException.ThrowIfNull(athlete);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(shoes);
        var unit = athlete.Units == Units.Miles ? "mi" : "km";
        using var output = new MemoryStream();
        using (var csv = CsvWriter.Create(output, Csv, leaveOpen: true))
        {
            csv.WriteRecord(["kind", "date", "time", $"distance_{unit}", "duration", $"pace_per_{unit}", "workout", "surface", "effort_rpe",
                "elevation_gain_m", "shoe", "notes", "pain_now", "worst_pain_during_run", "next_morning_pain", "red_flag", "run_id", "report_id"]);
            var rows = runs.Select(r => (At: r.StartedAt, Run: (RunLogged?)r, Report: (PainPoint?)null))
                .Concat(reports.Select(p => (At: AthleteClock.OnClockOf(athlete.TimeZone, p.ReportedAt), Run: (RunLogged?)null, Report: (PainPoint?)p)))
                .OrderBy(row => row.At);
            foreach (var (at, run, report) in rows)
            {
                string[] when = [TrainingCalendar.LocalDate(at).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), at.ToString("HH:mm zzz", CultureInfo.InvariantCulture)];
                if (run is not null)
                {
                    var distance = new Distance(run.DistanceMeters).In(athlete.Units);
                    csv.WriteRecord(["run", when[0], when[1], Number(distance, "0.00"), Clock(run.DurationSeconds, withHours: true),
                        Clock((int)Math.Round(run.DurationSeconds / distance), withHours: false), run.Workout.ToString(), run.Surface.ToString(), Number(run.SessionRpe),
                        Number(run.ElevationGainMeters), run.ShoeId is { } shoe && shoes.TryGetValue(shoe, out var shoeName) ? shoeName : "", run.Notes ?? "",
                        "", "", "", "", run.RunId.ToString(), ""]);
                }
                else
                {
                    csv.WriteRecord(["report", when[0], when[1], "", "", "", "", "", "", "", "", "", Number(report!.PainNow),
                        report.WorstDuringRun is { } worst ? Number(worst) : "", report.NextMorningPain is { } morning ? Number(morning) : "",
                        report.RedFlag ? "yes" : "no", report.RunId?.ToString() ?? "", report.ReportId.ToString()]);
                }
            }
        }
        return output.ToArray();
    }

    private static string Number(double value, string format = "0") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>h:mm:ss (hours past 24 included) or m:ss (minutes past 60 included).</summary>
    private static string Clock(int seconds, bool withHours) => withHours
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds % 3600 / 60:00}:{seconds % 60:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}:{seconds % 60:00}");
}
