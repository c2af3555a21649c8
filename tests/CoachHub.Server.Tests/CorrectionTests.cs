using System.Net;
using System.Net.Http.Json;

namespace CoachHub.Server.Tests;

/// <summary>An athlete corrects or deletes a run or a report: appended as events, never rewriting the past; triage and the views read the corrected facts.</summary>
public sealed class CorrectionTests(CoachHubApp app) : IClassFixture<CoachHubApp>
{
    [Fact]
    public async Task A_corrected_run_and_report_change_every_view_and_the_findings_while_the_first_versions_stay_in_the_log()
    {
        var (coach, squadId, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code, timeZone: "UTC");
        var startedAt = DateTimeOffset.UtcNow.AddHours(-3);
        var runId = (await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/runs", Bodies.Run(startedAt, 8_000, 2_700))).GetProperty("runId").GetGuid();
        var report = await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/reports", new
        {
            runId, pain = new { painNow = 7, worstDuringRun = 8 }, redFlags = Bodies.NoRedFlags, context = new { sleepHours = 7, stress = 2 },
        });
        var reportId = report.GetProperty("reportId").GetGuid();
        var raised = report.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("findingId").GetString()).ToList();
        Assert.NotEmpty(raised);

        // The watch lost GPS: 10 km, not 8.
        var fixedRun = await ApiClient.OkAsync(await athlete.Api.Http.PutAsJsonAsync($"/api/athletes/{athlete.Id}/runs/{runId}",
            new { startedAt, distanceMeters = 10_000, durationSeconds = 2_700, workout = "easy", surface = "road", sessionRpe = 4, notes = "GPS dropped out" }));
        Assert.True(fixedRun.GetProperty("changed").GetBoolean());
        var page = await coach.Api.GetOkAsync($"/api/athletes/{athlete.Id}/runs/{runId}");
        Assert.Equal(10_000, page.GetProperty("run").GetProperty("distanceMeters").GetInt32());
        Assert.Equal(270, page.GetProperty("paceSecondsPerKm").GetInt32());
        var row = (await coach.Api.GetOkAsync($"/api/squads/{squadId}/board")).GetProperty("athletes").EnumerateArray().Single();
        Assert.Equal(10_000, row.GetProperty("doneMeters").GetInt32());

        // The pain was 1, not 7: what the 7 raised is no longer open.
        var fixedReport = await ApiClient.OkAsync(await athlete.Api.Http.PutAsJsonAsync($"/api/athletes/{athlete.Id}/reports/{reportId}",
            new { pain = new { painNow = 1, worstDuringRun = 2 } }));
        Assert.True(fixedReport.GetProperty("changed").GetBoolean());
        var open = (await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/dashboard")).GetProperty("openFindings").EnumerateArray()
            .Select(f => f.GetProperty("findingId").GetString()).ToList();
        Assert.Empty(open.Intersect(raised));
        Assert.Equal(1, (await coach.Api.GetOkAsync($"/api/athletes/{athlete.Id}/runs/{runId}")).GetProperty("reports")[0].GetProperty("painNow").GetInt32());

        // The same correction again changes nothing; the first versions are still in the log.
        var again = await ApiClient.OkAsync(await athlete.Api.Http.PutAsJsonAsync($"/api/athletes/{athlete.Id}/reports/{reportId}",
            new { pain = new { painNow = 1, worstDuringRun = 2 } }));
        Assert.False(again.GetProperty("changed").GetBoolean());
        Assert.Equal(1, await app.Db.ScalarAsync<long>($"select count(*) from events.mt_events where type = 'run.logged.v1' and data->>'runId' = '{runId}'"));

        // A run with a report is corrected, not deleted; the report goes first, then the run.
        Assert.Equal(HttpStatusCode.Conflict, (await athlete.Api.Http.DeleteAsync($"/api/athletes/{athlete.Id}/runs/{runId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await athlete.Api.Http.DeleteAsync($"/api/athletes/{athlete.Id}/reports/{reportId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await athlete.Api.Http.DeleteAsync($"/api/athletes/{athlete.Id}/runs/{runId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coach.Api.Http.GetAsync($"/api/athletes/{athlete.Id}/runs/{runId}")).StatusCode);
        Assert.Equal(0, (await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/history")).GetProperty("total").GetInt64());
        Assert.Equal(0, (await coach.Api.GetOkAsync($"/api/squads/{squadId}/board")).GetProperty("athletes")[0].GetProperty("doneMeters").GetInt32());
        var gone = await ApiClient.OkAsync(await athlete.Api.Http.DeleteAsync($"/api/athletes/{athlete.Id}/runs/{runId}"));
        Assert.False(gone.GetProperty("changed").GetBoolean());
    }

    [Fact]
    public async Task A_red_flag_stays_on_record_and_only_the_athlete_corrects_their_own_history()
    {
        var (coach, _, code) = await app.SquadAsync();
        var athlete = await app.AthleteAsync(code);
        var flagged = await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/reports", Bodies.SaddleNumbnessReport);
        var reportId = flagged.GetProperty("reportId").GetGuid();
        var report = $"/api/athletes/{athlete.Id}/reports/{reportId}";

        var refused = await athlete.Api.Http.DeleteAsync(report);
        Assert.Equal("report.red-flag-stays", (await ApiClient.ProblemAsync(refused, HttpStatusCode.Conflict)).GetProperty("code").GetString());
        // Its pain can be corrected; the red flag and the pause stay until a professional clears the athlete.
        await ApiClient.OkAsync(await athlete.Api.Http.PutAsJsonAsync(report, new { pain = new { painNow = 0 } }));
        var dashboard = await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/dashboard");
        Assert.Contains(dashboard.GetProperty("openFindings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "RF-SADDLE");

        var other = await app.AthleteAsync(code, "Other");
        var before = await app.EventCountAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await coach.Api.Http.PutAsJsonAsync(report, new { pain = new { painNow = 0 } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Api.Http.DeleteAsync(report)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await athlete.Api.Http.PutAsJsonAsync($"/api/athletes/{athlete.Id}/reports/{Guid.NewGuid()}",
            new { pain = new { painNow = 0 } })).StatusCode);
        Assert.Equal(["pain"], await ApiClient.BadFieldsAsync(await athlete.Api.SendAsync(HttpMethod.Put, report, "{}")));
        Assert.Equal(["distanceMeters", "durationSeconds", "workout", "surface", "sessionRpe"],
            await ApiClient.BadFieldsAsync(await athlete.Api.SendAsync(HttpMethod.Put, $"/api/athletes/{athlete.Id}/runs/{Guid.NewGuid()}", $$"""{"startedAt":"{{DateTimeOffset.UtcNow:O}}"}""")));
        Assert.Equal(before, await app.EventCountAsync());
    }
}
