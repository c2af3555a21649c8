using System.Net;
using System.Text.Json;

namespace CoachHub.Server.Tests;

/// <summary>Bad input: a 400 problem naming each bad field (413 when too large), and never an event appended.</summary>
public sealed class ValidationTests(CoachHubApp app) : IClassFixture<CoachHubApp>, IAsyncLifetime
{
    private User _athlete = null!;
    private static readonly string Yesterday = DateTimeOffset.UtcNow.AddDays(-1).ToString("O");

    public async Task InitializeAsync()
    {
        var (_, _, code) = await app.SquadAsync();
        _athlete = await app.AthleteAsync(code);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private string Runs => $"/api/athletes/{_athlete.Id}/runs";
    private string Reports => $"/api/athletes/{_athlete.Id}/reports";
    private const string Flags = """{"saddleNumbness":false,"bladderOrBowelChange":false,"bothLegsNumbOrWeak":false,"legWeakness":false,"feverOrUnwell":false,"worseAtNight":false,"unexplainedWeightLoss":false,"afterFallOrImpact":false}""";

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { "runs", $$"""{"startedAt":"{{Yesterday}}","distanceMeters":-5,"durationSeconds":1800,"workout":"easy","surface":"road","sessionRpe":4}""", "distanceMeters" },
        { "runs", $$"""{"startedAt":"{{Yesterday}}","distanceMeters":400001,"durationSeconds":1800,"workout":"easy","surface":"road","sessionRpe":4}""", "distanceMeters" },
        { "runs", $$"""{"startedAt":"{{Yesterday}}","distanceMeters":5000,"durationSeconds":0,"workout":"easy","surface":"road","sessionRpe":4}""", "durationSeconds" },
        { "runs", $$"""{"startedAt":"{{DateTimeOffset.UtcNow.AddDays(2):O}}","distanceMeters":5000,"durationSeconds":1800,"workout":"easy","surface":"road","sessionRpe":4}""", "startedAt" },
        { "runs", $$"""{"startedAt":"{{Yesterday}}","distanceMeters":5000,"durationSeconds":1800,"workout":"sprinting","surface":"road","sessionRpe":4}""", "workout" },
        { "runs", $$"""{"startedAt":"{{Yesterday}}","distanceMeters":5000,"durationSeconds":1800,"workout":"easy","surface":"lava","sessionRpe":4}""", "surface" },
        { "runs", $$"""{"startedAt":"{{Yesterday}}","distanceMeters":5000,"durationSeconds":1800,"workout":"easy","surface":"road","sessionRpe":11}""", "sessionRpe" },
        { "runs", $$"""{"startedAt":"{{Yesterday}}","durationSeconds":1800,"workout":"easy","surface":"road","sessionRpe":4}""", "distanceMeters" },
        // 5 km in 11 s and 172.8 km in 30 min: faster than anyone runs.
        { "runs", $$"""{"startedAt":"{{Yesterday}}","distanceMeters":5000,"durationSeconds":11,"workout":"easy","surface":"road","sessionRpe":4}""", "durationSeconds" },
        { "runs", $$"""{"startedAt":"{{Yesterday}}","distanceMeters":172800,"durationSeconds":1800,"workout":"easy","surface":"road","sessionRpe":4}""", "durationSeconds" },
        { "runs", "this is not JSON", "body" },
        { "runs", """{"startedAt":"not a date","distanceMeters":5000}""", "startedAt" },
        // PostgreSQL cannot store NUL; no person types a bell or an escape.
        { "runs", $$"""{"startedAt":"{{Yesterday}}","distanceMeters":5000,"durationSeconds":1800,"workout":"easy","surface":"road","sessionRpe":4,"notes":"easy\u0000"}""", "notes" },
        { "runs", $$"""{"startedAt":"{{Yesterday}}","distanceMeters":5000,"durationSeconds":1800,"workout":"easy","surface":"road","sessionRpe":4,"notes":"ring \u0007"}""", "notes" },
        { "reports", """{"pain":{"painNow":11},"redFlags":""" + Flags + "}", "pain.painNow" },
        { "reports", """{"pain":{"painNow":3,"worstDuringRun":-1},"redFlags":""" + Flags + "}", "pain.worstDuringRun" },
        { "reports", """{"pain":{"painNow":3}}""", "redFlags" },
        { "reports", """{"pain":{"painNow":3},"redFlags":{"saddleNumbness":false}}""", "redFlags.bladderOrBowelChange" },
        { "reports", """{"pain":{"painNow":3},"redFlags":""" + Flags + ""","context":{"stress":9}}""", "context.stress" },
        { "reports", """{"pain":{"painNow":3},"redFlags":""" + Flags + ""","description":{"location":"elbow"}}""", "description.location" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_field_is_a_400_that_names_it_and_nothing_is_appended(string endpoint, string json, string field)
    {
        var before = await app.EventCountAsync();
        var response = await _athlete.Api.SendAsync(HttpMethod.Post, endpoint == "runs" ? Runs : Reports, json);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains(field, errors);
        Assert.Equal(before, await app.EventCountAsync());
    }

    [Fact]
    public async Task A_missing_body_is_a_400_and_a_body_over_64_KB_is_a_413()
    {
        var before = await app.EventCountAsync();
        var missing = await _athlete.Api.SendAsync(HttpMethod.Post, Runs);
        Assert.Contains("body", await ApiClient.BadFieldsAsync(missing));

        var huge = JsonSerializer.Serialize(new { startedAt = Yesterday, distanceMeters = 5000, durationSeconds = 1800, workout = "easy", surface = "road", sessionRpe = 4, notes = new string('x', 70_000) });
        var tooLarge = await _athlete.Api.SendAsync(HttpMethod.Post, Runs, huge);
        await ApiClient.ProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await app.EventCountAsync());
    }

    [Fact]
    public async Task Sign_up_errors_name_their_fields_and_a_taken_email_is_refused()
    {
        var anon = app.Client();
        var bad = await anon.SendAsync(HttpMethod.Post, "/api/auth/athletes",
            """{"email":"not-an-email","password":"short","name":"","timeZone":"Mars/Olympus","inviteCode":"NOPE1234"}""");
        var errors = await ApiClient.BadFieldsAsync(bad);
        Assert.Equal(["email", "inviteCode", "name", "password", "timeZone"], errors.Order());

        var coach = await app.CoachAsync();
        var taken = await anon.SendAsync(HttpMethod.Post, "/api/auth/coaches", $$"""{"email":"{{coach.Email.ToUpperInvariant()}}","password":"{{CoachHubApp.Password}}","name":"Copy Cat"}""");
        Assert.Contains("email", await ApiClient.BadFieldsAsync(taken));
    }

    [Fact]
    public async Task An_unexpected_failure_is_a_500_problem_with_a_trace_id_and_no_stack_trace()
    {
        var (coach, squadId, _) = await app.SquadAsync();
        // A read model table gone missing is a real server fault, not the caller's.
        await app.Db.ExecuteAsync("alter table proj_coaching.plan_weeks rename to plan_weeks_moved");
        try
        {
            var response = await coach.Api.SendAsync(HttpMethod.Get, $"/api/squads/{squadId}/board");
            var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.InternalServerError);
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
            var text = problem.GetRawText();
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Npgsql", text, StringComparison.Ordinal);
        }
        finally
        {
            await app.Db.ExecuteAsync("alter table proj_coaching.plan_weeks_moved rename to plan_weeks");
        }
    }

    [Fact]
    public async Task A_control_character_in_any_text_is_a_400_naming_it_and_the_next_requests_are_served_as_usual()
    {
        var (coach, squadId, _) = await app.SquadAsync();
        var before = await app.EventCountAsync();
        var create = await coach.Api.SendAsync(HttpMethod.Post, "/api/squads", """{"name":"Night\u0000Owls"}""");
        Assert.Contains("name", await ApiClient.BadFieldsAsync(create));
        var rename = await coach.Api.SendAsync(HttpMethod.Put, $"/api/squads/{squadId}/name", """{"name":"\u0000"}""");
        Assert.Contains("name", await ApiClient.BadFieldsAsync(rename));
        var signUp = await app.Client().SendAsync(HttpMethod.Post, "/api/auth/coaches",
            $$"""{"email":"nul-{{Guid.NewGuid():N}}@example.com","password":"{{CoachHubApp.Password}}","name":"Cora\u0000"}""");
        Assert.Contains("name", await ApiClient.BadFieldsAsync(signUp));
        Assert.Equal(before, await app.EventCountAsync());

        // Unrelated callers right after are served as usual, and tab and newline are text like any other.
        for (var i = 0; i < 5; i++) await app.CoachAsync($"Coach {i}");
        var run = await _athlete.Api.SendAsync(HttpMethod.Post, Runs,
            $$"""{"startedAt":"{{Yesterday}}","distanceMeters":5000,"durationSeconds":1800,"workout":"easy","surface":"road","sessionRpe":4,"notes":"felt good\n\tthen tired"}""");
        var logged = await ApiClient.OkAsync(run);
        var notes = await app.Db.ScalarAsync<string>($"select notes from proj_coaching.runs where run_id = '{logged.GetProperty("runId").GetGuid()}'");
        Assert.Equal("felt good\n\tthen tired", notes);
    }

    [Theory]
    [InlineData("history?page=2147483647&pageSize=100", "page")]
    [InlineData("history?page=21474838&pageSize=100", "page")]
    [InlineData("history?page=0", "page")]
    [InlineData("history?pageSize=101", "pageSize")]
    [InlineData("plan?from=9999-12-27&weeks=4", "from")]
    [InlineData("plan?from=0001-01-01", "from")]
    [InlineData("plan?weeks=53", "weeks")]
    [InlineData("load?days=1000", "days")]
    public async Task A_query_parameter_out_of_range_is_a_400_naming_it(string query, string field)
    {
        var response = await _athlete.Api.SendAsync(HttpMethod.Get, $"/api/athletes/{_athlete.Id}/{query}");
        Assert.Contains(field, await ApiClient.BadFieldsAsync(response));
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_a_415_and_enum_names_are_read_in_any_case()
    {
        var plain = await app.Client().Http.PostAsync("/api/auth/coaches",
            new StringContent($$"""{"email":"plain-{{Guid.NewGuid():N}}@example.com","password":"{{CoachHubApp.Password}}","name":"Cora"}""", System.Text.Encoding.UTF8, "text/plain"));
        await ApiClient.ProblemAsync(plain, HttpStatusCode.UnsupportedMediaType);

        // The documented rule (docs/api.md): enum values match whatever their case; answers use camelCase.
        var shouted = await _athlete.Api.SendAsync(HttpMethod.Post, Runs,
            $$"""{"startedAt":"{{Yesterday}}","distanceMeters":5000,"durationSeconds":1800,"workout":"LONGRUN","surface":"Road","sessionRpe":4}""");
        var runId = (await ApiClient.OkAsync(shouted)).GetProperty("runId").GetGuid();
        Assert.Equal("LongRun", await app.Db.ScalarAsync<string>($"select workout from proj_coaching.runs where run_id = '{runId}'"));
    }

    [Fact]
    public async Task An_invite_for_someone_needs_a_real_email_address()
    {
        var (coach, squadId, _) = await app.SquadAsync();
        var before = await app.EventCountAsync();
        var bad = await coach.Api.SendAsync(HttpMethod.Post, $"/api/squads/{squadId}/invites", """{"email":"not-an-email"}""");
        Assert.Contains("email", await ApiClient.BadFieldsAsync(bad));
        Assert.Equal(before, await app.EventCountAsync());
    }

    [Theory]
    [InlineData("          ", "Cora Coach")]          // ten spaces: too short
    [InlineData("            ", "Cora Coach")]        // twelve spaces: one character repeated
    [InlineData("1234567890", "Cora Coach")]          // too short
    [InlineData("password1234", "Cora Coach")]        // among the most common
    [InlineData("PASSWORD1234", "Cora Coach")]        // the same, whatever the case
    [InlineData("qwertyuiop123", "Cora Coach")]
    [InlineData("cora coach runs far", "Cora Coach")] // the account's own name
    [InlineData("my name is Cora!", "Cora Coach")]
    public async Task A_guessable_password_is_refused_naming_password_and_nothing_is_registered(string password, string name)
    {
        var before = await app.EventCountAsync();
        var response = await app.Client().SendAsync(HttpMethod.Post, "/api/auth/coaches",
            JsonSerializer.Serialize(new { email = $"c{Guid.NewGuid():N}@example.com", password, name }));
        Assert.Equal(["password"], await ApiClient.BadFieldsAsync(response));
        Assert.Equal(before, await app.EventCountAsync());
    }

    [Fact]
    public async Task A_password_made_from_the_email_is_refused_and_a_long_unusual_one_of_any_characters_is_welcome()
    {
        var local = $"marathoner{Guid.NewGuid():N}"[..16];
        var fromEmail = await app.Client().SendAsync(HttpMethod.Post, "/api/auth/athletes",
            JsonSerializer.Serialize(new { email = $"{local}@example.com", password = $"{local}!!", name = "Ana", timeZone = "Europe/Dublin" }));
        Assert.Equal(["password"], await ApiClient.BadFieldsAsync(fromEmail));

        // No composition rules: spaces, accents and emoji count like any other character.
        var welcome = await app.Client().SendAsync(HttpMethod.Post, "/api/auth/coaches",
            JsonSerializer.Serialize(new { email = $"c{Guid.NewGuid():N}@example.com", password = "tide pools at dawn 🌊 é", name = "Cora Coach" }));
        Assert.Equal(HttpStatusCode.Created, welcome.StatusCode);
    }
}
