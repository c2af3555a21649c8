using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoachHub.Testing;

namespace CoachHub.Server.Tests;

/// <summary>
/// Operators rebuild the read model from the API as from the command line, and follow it: only admins may, one runs at
/// a time, a rebuild whose node stopped is reported as interrupted, and admins are made by the server's own command.
/// </summary>
public sealed class OperationsTests
{
    [Fact]
    public async Task An_admin_rebuilds_the_read_model_and_follows_it_to_the_end_and_coaches_may_not()
    {
        var app = await DemoSunday.StartAsync();
        await using var _ = app.AsDisposable();
        var before = await DemoSunday.TablesAsync(app.Db.ConnectionString);
        await app.Db.ExecuteAsync("delete from proj_coaching.runs; update proj_coaching.athletes set last_pain = 10");
        var admin = await app.AdminAsync();
        var coach = await app.Client().SignInAsync("coach@demo.coachhub.app", "demo-password");

        Assert.Equal(HttpStatusCode.Forbidden, (await app.Client(coach).Http.PostAsJsonAsync("/api/admin/rebuilds", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Client(coach).Http.GetAsync("/api/admin/rebuilds")).StatusCode);
        var bad = await admin.Api.Http.PostAsJsonAsync("/api/admin/rebuilds", new { readModel = "boards" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("readModel", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var started = await admin.Api.Http.PostAsJsonAsync("/api/admin/rebuilds", new { readModel = "coaching" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var location = started.Headers.Location!.ToString();
        JsonElement status = default;
        await Eventually.TrueAsync(async () => (status = await admin.Api.GetOkAsync(location)).GetProperty("state").GetString() != "running",
            TimeSpan.FromSeconds(30), "the rebuild to end");

        Assert.Equal("done", status.GetProperty("state").GetString());
        var events = await app.Db.ScalarAsync<long>("select count(*) from events.mt_events");
        Assert.Equal(events, status.GetProperty("events").GetInt64());
        Assert.Equal(events, status.GetProperty("total").GetInt64());
        Assert.Contains("Oona Operator", status.GetProperty("startedBy").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await DemoSunday.TablesAsync(app.Db.ConnectionString));
        var recent = await admin.Api.GetOkAsync("/api/admin/rebuilds");
        Assert.Equal(status.GetProperty("rebuildId").GetGuid(), recent[0].GetProperty("rebuildId").GetGuid());
    }

    [Fact]
    public async Task One_rebuild_runs_at_a_time_and_one_whose_node_went_quiet_is_reported_interrupted()
    {
        var app = new CoachHubApp();
        await app.InitializeAsync();
        await using var _ = app.AsDisposable();
        var admin = await app.AdminAsync();
        var elsewhere = Guid.NewGuid();
        // A rebuild running on another node, which records its progress.
        await app.Db.ExecuteAsync($"""
            insert into rebuilds (id, read_model, state, events, total, started_at, updated_at, started_by, node)
            values ('{elsewhere}', 'coaching', 'running', 4000, 9000, now(), now(), 'someone', 'node-b')
            """);

        var refused = await admin.Api.Http.PostAsJsonAsync("/api/admin/rebuilds", new { });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains(elsewhere.ToString(), await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("running", (await admin.Api.GetOkAsync($"/api/admin/rebuilds/{elsewhere}")).GetProperty("state").GetString());

        // Its node died: nothing refreshes the row any more.
        await app.Db.ExecuteAsync($"update rebuilds set updated_at = now() - interval '1 minute' where id = '{elsewhere}'");
        var quiet = await admin.Api.GetOkAsync($"/api/admin/rebuilds/{elsewhere}");
        Assert.Equal("interrupted", quiet.GetProperty("state").GetString());
        Assert.Contains("stopped", quiet.GetProperty("error").GetString(), StringComparison.Ordinal);
        var started = await admin.Api.Http.PostAsJsonAsync("/api/admin/rebuilds", new { });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Api.Http.GetAsync($"/api/admin/rebuilds/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task The_servers_own_commands_make_an_admin_and_rebuild_and_the_command_lines_rebuild_is_listed()
    {
        var app = new CoachHubApp();
        await app.InitializeAsync();
        await using var _ = app.AsDisposable();
        var email = $"ops-{Guid.NewGuid():N}@example.com";

        var weak = await ServerProcess.RunCommandAsync(app.Db.ConnectionString, "password", "admin", email, "Oona Operator");
        Assert.True(weak.ExitCode == 1, weak.Output);
        Assert.Contains("password:", weak.Output, StringComparison.Ordinal);
        var made = await ServerProcess.RunCommandAsync(app.Db.ConnectionString, CoachHubApp.Password, "admin", email, "Oona Operator");
        Assert.True(made.ExitCode == 0, made.Output);
        var again = await ServerProcess.RunCommandAsync(app.Db.ConnectionString, CoachHubApp.Password, "admin", email, "Oona Operator");
        Assert.True(again.ExitCode == 1, again.Output);
        Assert.Contains("already registered", again.Output, StringComparison.Ordinal);

        var token = await app.Client().SignInAsync(email, CoachHubApp.Password);
        Assert.Equal("admin", (await app.Client(token).GetOkAsync("/api/me")).GetProperty("role").GetString());
        // An admin has no squads, no athletes: the coaching API is closed to them.
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Client(token).Http.GetAsync("/api/squads")).StatusCode);

        var rebuilt = await ServerProcess.RunCommandAsync(app.Db.ConnectionString, null, "rebuild", "coaching");
        Assert.True(rebuilt.ExitCode == 0, rebuilt.Output);
        Assert.Contains("rebuilt coaching", rebuilt.Output, StringComparison.Ordinal);
        var recent = await app.Client(token).GetOkAsync("/api/admin/rebuilds");
        Assert.Equal("done", recent[0].GetProperty("state").GetString());
        Assert.StartsWith("the command line", recent[0].GetProperty("startedBy").GetString(), StringComparison.Ordinal);
    }
}
