using System.IO.Compression;
using System.Security.Cryptography;
using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Imports;
using CoachHub.Server.Platform;
using CoachHub.Server.ReadModels;
using Microsoft.AspNetCore.Http.Features;
using Wolverine;

namespace CoachHub.Server.Features.Athletes;

/// <param name="Status">imported, or alreadyImported when the file or the same activity was logged before.</param>
public sealed record ImportedFile(string File, string Status, Guid RunId, DateTimeOffset StartedAt, int DistanceMeters, int DurationSeconds,
    int? AverageHeartRate, IReadOnlyList<RaisedFinding> Findings);

public sealed record ImportResponse(IReadOnlyList<ImportedFile> Runs, string Disclaimer);

/// <summary>
/// POST /api/athletes/{me}/imports (multipart/form-data): GPX and TCX files from a watch's app, alone, gzipped or in
/// a zip, become runs with their heart rate and track (issue 32). Every file is read and checked before the first
/// run is logged: one bad file is a 400 naming it, and nothing is written. FIT files are read in the browser with
/// Garmin's SDK and posted to /runs.
/// </summary>
public static class ImportRunsEndpoint
{
    public const long MaxUploadBytes = 20L * 1024 * 1024;
    public const long MaxExpandedBytes = 32L * 1024 * 1024;
    public const int MaxFiles = 50;

    public static void Map(RouteGroupBuilder athletes) =>
        athletes.MapPost("/{athleteId:guid}/imports", async (Guid athleteId, HttpContext http, IMessageBus bus, StreamStates streams, CoachingQueries queries) =>
        {
            var caller = Caller.From(http.User);
            AthleteCommands.EnsureSelf(caller, athleteId);
            var runs = await ReadAsync(http);
            var answers = new List<ImportedFile>();
            var options = CommandOptions.From(http, caller);
            foreach (var (file, request) in runs)
            {
                var runId = DeterministicGuid.From($"{athleteId}:{request.Source!.FileSha256}");
                // Each file its own command key: one key for the lot would make the second file read as a retry of the first.
                var own = options with { IdempotencyKey = options.IdempotencyKey is { } key ? $"{key}:{request.Source.FileSha256}" : null };
                var result = await bus.DecideAsync(new LogRunCommand(athleteId, runId, request, own), streams, http.RequestAborted);
                var already = !result.Events.OfType<RunLogged>().Any();
                if (already) runId = await queries.AlreadyLoggedAsync(athleteId, runId, request.Source, request.StartedAt!.Value, http.RequestAborted) ?? runId;
                answers.Add(new ImportedFile(file, already ? "alreadyImported" : "imported", runId, request.StartedAt!.Value,
                    request.DistanceMeters!.Value, request.DurationSeconds!.Value, request.AverageHeartRate, AthleteCommands.Raised(result.Events)));
            }
            return Results.Ok(new ImportResponse(answers, Disclaimer.Text));
        }).RequireAuthorization(Roles.Athlete).DisableAntiforgery().Produces<ImportResponse>();
    // No Accepts metadata: routing would answer a JSON body 415 before authorization; the endpoint says it instead.

    /// <summary>Every file of the upload as a run to log, or the first problem as a 400 (413 when too large).</summary>
    private static async Task<List<(string File, LogRunRequest Run)>> ReadAsync(HttpContext http)
    {
        if (!http.Request.HasFormContentType || !http.Request.ContentType!.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            throw new UnsupportedBodyTypeException("Upload the files as multipart/form-data (a form with files).");
        var tooLarge = $"An upload holds at most {MaxUploadBytes / 1024 / 1024} MB: send fewer files at a time.";
        if (http.Request.ContentLength > MaxUploadBytes) throw new RequestTooLargeException(tooLarge);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxUploadBytes;
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = MaxUploadBytes, ValueCountLimit = 16 }, http.RequestAborted);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            throw new RequestTooLargeException(tooLarge);
        }
        catch (InvalidDataException)
        {
            throw new BadFieldException("files", "The upload is not a well-formed multipart form.");
        }

        var workout = Choice<WorkoutType>(form, "workout") ?? WorkoutType.Easy;
        var surface = Choice<Surface>(form, "surface") ?? Surface.Road;
        int? rpe = int.TryParse(form["sessionRpe"], out var r) ? r : null;
        if (rpe is not (>= 1 and <= 10)) throw new BadFieldException("sessionRpe", "How hard the runs felt, 1-10, is required.");
        if (form.Files.Count == 0) throw new BadFieldException("files", "Choose at least one GPX or TCX file.");

        var files = new List<(string Name, byte[] Bytes)>();
        foreach (var upload in form.Files)
        {
            await using var stream = upload.OpenReadStream();
            await UnpackAsync(Path.GetFileName(upload.FileName), stream, files, http.RequestAborted);
            // One budget for the whole upload, not one per file: many small bombs add up.
            if (files.Sum(f => (long)f.Bytes.Length) > MaxExpandedBytes * 2)
                throw new BadFieldException("files", $"The files expand to more than {MaxExpandedBytes * 2 / 1024 / 1024} MB together: send fewer at a time.");
        }
        if (files.Count > MaxFiles) throw new BadFieldException("files", $"At most {MaxFiles} activities at a time.");

        var runs = new List<(string, LogRunRequest)>();
        foreach (var (name, bytes) in files)
        {
            var format = Format(name, bytes);
            ImportedRun run;
            try
            {
                using var content = new MemoryStream(bytes, writable: false);
                run = ImportedRun.From(format == "tcx" ? ActivityXml.ReadTcx(content) : ActivityXml.ReadGpx(content));
            }
            catch (ActivityFileException e)
            {
                throw new BadFieldException("files", $"{name}: {e.Message}");
            }
            var request = new LogRunRequest(null, run.StartedAt, run.DistanceMeters, run.DurationSeconds, workout, surface, rpe,
                run.ElevationGainMeters, Notes: null, AverageHeartRate: run.AverageHeartRate,
                Source: new RunSource(format, Convert.ToHexStringLower(SHA256.HashData(bytes))), Track: run.Track);
            // The domain's own checks, file by file, before anything is logged.
            var errors = LogRun.Validate(new LogRun(Guid.NewGuid(), run.StartedAt, run.DistanceMeters, run.DurationSeconds, workout, surface, rpe.Value,
                run.ElevationGainMeters, AverageHeartRate: run.AverageHeartRate, Source: request.Source, Track: run.Track), DateTimeOffset.UtcNow);
            if (errors.Count > 0) throw new BadFieldException("files", $"{name}: {errors[0].Field} {errors[0].Message}.");
            runs.Add((name, request));
        }
        return runs;
    }

    /// <summary>A plain file, a gzipped one, or a zip's files, each read to at most <see cref="MaxExpandedBytes"/>.</summary>
    private static async Task UnpackAsync(string name, Stream stream, List<(string, byte[])> files, CancellationToken ct)
    {
        var bytes = await ReadBoundedAsync(stream, name, ct);
        if (bytes is [0x1f, 0x8b, ..])
        {
            await using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            var inner = name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? name[..^3] : name;
            files.Add((inner, await ReadBoundedAsync(gzip, name, ct)));
        }
        else if (bytes is [0x50, 0x4b, 0x03, 0x04, ..])
        {
            ZipArchive zip;
            try
            {
                zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            }
            catch (InvalidDataException)
            {
                throw new BadFieldException("files", $"{name}: the zip archive is damaged.");
            }
            using (zip)
            {
                long expanded = 0;
                foreach (var entry in zip.Entries.Where(e => !e.FullName.EndsWith('/')))
                {
                    if (files.Count >= MaxFiles) throw new BadFieldException("files", $"{name}: at most {MaxFiles} activities at a time.");
                    Stream entryStream;
                    try
                    {
                        entryStream = entry.Open();
                    }
                    catch (Exception e) when (e is InvalidDataException or NotSupportedException)
                    {
                        throw new BadFieldException("files", $"{name}: {entry.FullName} is compressed in a way CoachHub cannot read; zip it again with plain deflate.");
                    }
                    await using var opened = entryStream;
                    var content = await ReadBoundedAsync(opened, $"{name}/{entry.FullName}", ct, MaxExpandedBytes - expanded);
                    expanded += content.Length;
                    files.Add((Path.GetFileName(entry.FullName), content));
                }
            }
        }
        else
        {
            files.Add((name, bytes));
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream stream, string name, CancellationToken ct, long max = MaxExpandedBytes)
    {
        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        try
        {
            for (int read; (read = await stream.ReadAsync(buffer, ct)) > 0;)
            {
                if (copy.Length + read > max)
                    throw new BadFieldException("files", $"{name}: expands to more than {MaxExpandedBytes / 1024 / 1024} MB, far beyond any run's file.");
                copy.Write(buffer, 0, read);
            }
        }
        catch (InvalidDataException)
        {
            throw new BadFieldException("files", $"{name}: the compressed data is damaged.");
        }
        return copy.ToArray();
    }

    /// <summary>gpx or tcx by the file's own root element (a name can lie); fit and anything else are refused here.</summary>
    private static string Format(string name, byte[] bytes)
    {
        if (bytes.Length >= 12 && bytes[8] == '.' && bytes[9] == 'F' && bytes[10] == 'I' && bytes[11] == 'T')
            throw new BadFieldException("files", $"{name}: FIT files are read by CoachHub's import page in your browser; choose it there.");
        var head = System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 4096));
        if (head.Contains("<TrainingCenterDatabase", StringComparison.Ordinal)) return "tcx";
        if (head.Contains("<gpx", StringComparison.Ordinal) || head.Contains("<!DOCTYPE gpx", StringComparison.Ordinal)) return "gpx";
        throw new BadFieldException("files", $"{name}: not a GPX or TCX file. CoachHub imports GPX, TCX and FIT files, alone, gzipped or zipped.");
    }

    private static T? Choice<T>(IFormCollection form, string field) where T : struct, Enum =>
        form[field].ToString() is { Length: > 0 } text
            ? Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) ? value : throw new BadFieldException(field, "is not a known value.")
            : null;
}
