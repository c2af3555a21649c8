using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace CoachHub.Server.Tests;

/// <summary>
/// POST /api/athletes/{me}/imports: GPX and TCX files become runs with heart rate and track, once; hostile files are a
/// 400 or 413 and write nothing (tests/fixtures/activities/make.py made the files).
/// </summary>
public sealed class ImportTests(CoachHubApp app) : IClassFixture<CoachHubApp>
{
    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "activities", name));

    private static MultipartFormDataContent Upload(int? rpe, params (string Name, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent();
        if (rpe is { } r) form.Add(new StringContent(r.ToString(System.Globalization.CultureInfo.InvariantCulture)), "sessionRpe");
        foreach (var (name, bytes) in files)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(content, "files", name);
        }
        return form;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize)) gzip.Write(bytes);
        return output.ToArray();
    }

    private static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create))
            foreach (var (name, bytes) in entries)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                entry.Write(bytes);
            }
        return output.ToArray();
    }

    [Fact]
    public async Task Gpx_and_tcx_files_become_runs_with_heart_rate_and_track_and_a_second_upload_logs_nothing()
    {
        var (coach, _, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code, timeZone: "Europe/Dublin");
        var response = await athlete.Api.Http.PostAsync($"/api/athletes/{athlete.Id}/imports",
            Upload(5, ("easy-5k.gpx", Fixture("easy-5k.gpx")), ("tempo-8k.tcx", Fixture("tempo-8k.tcx"))));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var runs = (await ApiClient.OkAsync(response)).GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(["imported", "imported"], runs.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(8_000, runs[1].GetProperty("distanceMeters").GetInt32());
        Assert.Equal(2_160, runs[1].GetProperty("durationSeconds").GetInt32());

        // The coach opens the run: pace, heart rate and the samples for its charts, on the athlete's clock.
        var page = await coach.Api.GetOkAsync($"/api/athletes/{athlete.Id}/runs/{runs[0].GetProperty("runId").GetGuid()}");
        Assert.Equal("2026-11-28T08:00:00+00:00", page.GetProperty("run").GetProperty("startedAt").GetString()); // Dublin is on UTC in November
        Assert.InRange(page.GetProperty("run").GetProperty("averageHeartRate").GetInt32(), 146, 152);
        Assert.Equal("gpx", page.GetProperty("run").GetProperty("source").GetProperty("format").GetString());
        Assert.Equal(313, page.GetProperty("track").GetArrayLength());
        Assert.Equal(300, page.GetProperty("paceSecondsPerKm").GetInt32());

        // Again, gzipped, and the tcx inside a zip: the same activities, nothing new.
        var before = await app.EventCountAsync();
        var again = await athlete.Api.Http.PostAsync($"/api/athletes/{athlete.Id}/imports",
            Upload(5, ("easy-5k.gpx.gz", Gzip(Fixture("easy-5k.gpx"))), ("export.zip", Zip(("tempo-8k.tcx", Fixture("tempo-8k.tcx"))))));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var repeated = (await ApiClient.OkAsync(again)).GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(["alreadyImported", "alreadyImported"], repeated.Select(r => r.GetProperty("status").GetString()));
        // Each names the run it made the first time.
        Assert.Equal(runs.Select(r => r.GetProperty("runId").GetGuid()), repeated.Select(r => r.GetProperty("runId").GetGuid()));
        Assert.Equal(before, await app.EventCountAsync());
        Assert.Equal(2, (await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/history")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Hostile_and_malformed_uploads_are_refused_by_name_and_write_nothing()
    {
        var (_, _, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code);
        var good = ("easy-5k.gpx", Fixture("easy-5k.gpx"));
        var zeros = new byte[40 * 1024 * 1024];
        (string Name, byte[] Bytes)[][] refusals =
        [
            [good, ("laughs.gpx", Fixture("laughs.gpx"))],
            [good, ("broken.gpx", Fixture("broken.gpx"))],
            [("ride.gpx", Fixture("ride.gpx"))],
            [("notes.txt", Encoding.UTF8.GetBytes("just some text"))],
            [("bomb.gpx.gz", Gzip(zeros))],
            [("bomb.zip", Zip(("a.gpx", zeros)))],
            [("broken.zip", [0x50, 0x4b, 0x03, 0x04, 1, 2, 3])],
            [("activity.fit", [14, 0x20, 0, 0, 0, 0, 0, 0, (byte)'.', (byte)'F', (byte)'I', (byte)'T', 0, 0])],
        ];
        var before = await app.EventCountAsync();
        foreach (var files in refusals)
        {
            var response = await athlete.Api.Http.PostAsync($"/api/athletes/{athlete.Id}/imports", Upload(4, files));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{files[^1].Name}: {(int)response.StatusCode} {body}");
            Assert.Contains(files[^1].Name, body, StringComparison.Ordinal);
            Assert.Equal(["files"], await ApiClient.BadFieldsAsync(response));
        }
        Assert.Equal(["sessionRpe"], await ApiClient.BadFieldsAsync(await athlete.Api.Http.PostAsync($"/api/athletes/{athlete.Id}/imports", Upload(null, good))));
        Assert.Equal(["files"], await ApiClient.BadFieldsAsync(await athlete.Api.Http.PostAsync($"/api/athletes/{athlete.Id}/imports", Upload(4))));
        var json = await athlete.Api.Http.PostAsync($"/api/athletes/{athlete.Id}/imports", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        var huge = await athlete.Api.Http.PostAsync($"/api/athletes/{athlete.Id}/imports", Upload(4, ("huge.gpx", new byte[50 * 1024 * 1024])));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(before, await app.EventCountAsync());

        // And the next request is served as usual.
        var ok = await athlete.Api.Http.PostAsync($"/api/athletes/{athlete.Id}/imports", Upload(4, good));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }
}
