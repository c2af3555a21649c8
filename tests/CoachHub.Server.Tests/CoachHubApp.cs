using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CoachHub.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CoachHub.Server.Tests;

/// <summary>The real server (real HTTP pipeline, real PostgreSQL) on a throwaway database for one test class.</summary>
public class CoachHubApp : IAsyncLifetime
{
    private WebApplicationFactory<Program> _factory = null!;
    public PostgresDatabase Db { get; } = new();
    public int SignInAttemptsPerMinute { get; init; } = 100_000;
    /// <summary>A clock the test moves by hand; the real one when null.</summary>
    public ManualClock? Clock { get; init; }
    /// <summary>Hangfire's server off by default: tests call the jobs' work directly, except the one that checks Hangfire itself.</summary>
    public bool RunJobs { get; init; }
    /// <summary>Seed the demo squads at start-up, as ./coachhub run does.</summary>
    public bool SeedDemo { get; init; }

    public async Task InitializeAsync()
    {
        await Db.InitializeAsync();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("ConnectionStrings:CoachHub", Db.ConnectionString);
            // The template ./coachhub test migrated holds every schema: this host creates none.
            b.UseSetting("CoachHub:CreateSchemaOnStart", "false");
            b.UseSetting("CoachHub:SignInAttemptsPerMinute", SignInAttemptsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseSetting("CoachHub:RunJobs", RunJobs ? "true" : "false");
            b.UseSetting("CoachHub:JobIntervalSeconds", "1");
            b.UseSetting("CoachHub:SeedDemo", SeedDemo ? "true" : "false");
            // Mail goes to a real SMTP server in this process; links point where this host would be.
            foreach (var (key, value) in TestMailbox.Settings()) b.UseSetting(key, value);
            b.UseSetting("CoachHub:PublicUrl", "https://coachhub.test");
            if (Clock is not null) b.ConfigureServices(s => s.AddSingleton<TimeProvider>(Clock));
        });
        using var warm = _factory.CreateClient();
        (await warm.GetAsync("/health/ready")).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await Db.DisposeAsync();
    }

    public IServiceProvider Services => _factory.Services;

    /// <summary>The server's time: its clock's when it has one.</summary>
    public DateTimeOffset Now => (Clock ?? TimeProvider.System).GetUtcNow();

    /// <summary>Today's date in UTC on the server's clock.</summary>
    public DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    public HttpClient Anonymous() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public ApiClient Client(string? token = null)
    {
        var http = Anonymous();
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new ApiClient(http);
    }

    public Task<long> EventCountAsync() => Db.ScalarAsync<long>($"select count(*) from {PostgresDatabase.AllEvents} e");

    public const string Password = "correct horse battery";

    public async Task<User> CoachAsync(string name = "Cora Coach")
    {
        var email = $"coach-{Guid.NewGuid():N}@example.com";
        var anon = Client();
        var signedUp = await anon.PostOkAsync("/api/auth/coaches", new { email, password = Password, name });
        return new User(signedUp.GetProperty("userId").GetGuid(), email, await anon.SignInAsync(email, Password), this);
    }

    public async Task<(User Coach, Guid SquadId, string InviteCode)> SquadAsync(string squadName = "Morning Milers")
    {
        var coach = await CoachAsync();
        var squad = await coach.Api.PostOkAsync("/api/squads", new { name = squadName });
        var squadId = squad.GetProperty("squadId").GetGuid();
        var invite = await coach.Api.PostOkAsync($"/api/squads/{squadId}/invites", new { });
        return (coach, squadId, invite.GetProperty("code").GetString()!);
    }

    public async Task<User> AthleteAsync(string? inviteCode, string name = "Ana Runner", string timeZone = "Europe/Dublin")
    {
        var email = $"athlete-{Guid.NewGuid():N}@example.com";
        var anon = Client();
        var signedUp = await anon.PostOkAsync("/api/auth/athletes", new { email, password = Password, name, timeZone, inviteCode });
        return new User(signedUp.GetProperty("userId").GetGuid(), email, await anon.SignInAsync(email, Password), this);
    }

    /// <summary>An operator, made as the server's `admin` command makes them (no public API makes one).</summary>
    public async Task<User> AdminAsync(string name = "Oona Operator")
    {
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        var errors = await Accounts.AdminAccounts.RegisterAsync(Services.GetRequiredService<Platform.StreamStates>(), TimeProvider.System, email, name, Password);
        Assert.Empty(errors);
        var anon = Client();
        var token = await anon.SignInAsync(email, Password);
        var me = await App(token).GetOkAsync("/api/me");
        return new User(me.GetProperty("userId").GetGuid(), email, token, this);
    }

    private ApiClient App(string token) => Client(token);

    /// <summary>
    /// A job's firing, waited on until every message it published is handled (Wolverine's tracking): the firing only
    /// publishes, and a test reads what the work did.
    /// </summary>
    public async Task<Jobs.JobReport> FireAsync(Func<IServiceProvider, Task<Jobs.JobReport>> firing)
    {
        ArgumentNullException.ThrowIfNull(firing);
        Jobs.JobReport? report = null;
        await Wolverine.Tracking.WolverineHostMessageTrackingExtensions.TrackActivity(Services.GetRequiredService<Microsoft.Extensions.Hosting.IHost>(), TimeSpan.FromSeconds(90))
            .DoNotAssertOnExceptionsDetected()
            .ExecuteAndWaitAsync((Func<Wolverine.IMessageContext, Task>)(async _ => report = await firing(Services)));
        return report!;
    }

    /// <summary>The weekly adjustment's firing (everyone, or one squad's own job), its athletes handled.</summary>
    public Task<Jobs.JobReport> WeeklyAsync(Guid? squadId = null) =>
        FireAsync(sp => sp.GetRequiredService<Jobs.WeeklyAdjustments>().RunDueAsync(squadId, default));

    /// <summary>The daily sweep's firing, its athlete-days handled.</summary>
    public Task<Jobs.JobReport> SweepAsync() => FireAsync(sp => sp.GetRequiredService<Jobs.DailySweep>().RunDueAsync(default));

    /// <summary>A dead letter as a handler that failed past its retries leaves one (RealtimeTests makes real ones).</summary>
    public async Task<Guid> DeadLetterAsync()
    {
        var runtime = Services.GetRequiredService<Wolverine.Runtime.IWolverineRuntime>();
        var news = new Realtime.LiveNews<Domain.Athletes.AlertAcknowledged>($"athlete-{Guid.NewGuid():N}",
            new Domain.Athletes.AlertAcknowledged("f-1", Guid.NewGuid(), null, Now));
        var envelope = new Wolverine.Envelope(news)
        {
            Destination = new Uri($"local://{Realtime.LiveNewsSetup.AlertsQueue}"), ContentType = "application/json", Serializer = runtime.Options.DefaultSerializer,
        };
        await runtime.Storage.Inbox.MoveToDeadLetterStorageAsync(envelope, new InvalidOperationException("Redis is away"));
        return envelope.Id;
    }
}

public sealed record User(Guid Id, string Email, string Token, CoachHubApp App)
{
    public ApiClient Api => App.Client(Token);
}

/// <summary>JSON over HTTP with the assertions every test repeats.</summary>
public sealed class ApiClient(HttpClient http)
{
    public HttpClient Http => http;

    public async Task<JsonElement> PostOkAsync(string path, object body)
    {
        var response = await http.PostAsJsonAsync(path, body);
        return await OkAsync(response);
    }

    public async Task<JsonElement> PutOkAsync(string path, object body) => await OkAsync(await http.PutAsJsonAsync(path, body));

    public async Task<JsonElement> GetOkAsync(string path) => await OkAsync(await http.GetAsync(path));

    public static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<string> SignInAsync(string email, string password)
    {
        var token = await PostOkAsync("/api/auth/signin", new { email, password });
        return token.GetProperty("accessToken").GetString()!;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        configure?.Invoke(request);
        return http.SendAsync(request);
    }

    /// <summary>The fields a 400 problem names, in its order.</summary>
    public static async Task<IReadOnlyList<string>> BadFieldsAsync(HttpResponseMessage response) =>
        [.. (await ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateObject().Select(p => p.Name)];

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

public static class Bodies
{
    public static object Run(DateTimeOffset startedAt, int meters = 8_000, int seconds = 2_700, string workout = "easy", string surface = "road", int rpe = 4) =>
        new { startedAt, distanceMeters = meters, durationSeconds = seconds, workout, surface, sessionRpe = rpe };

    public static object NoRedFlags => new
    {
        saddleNumbness = false, bladderOrBowelChange = false, bothLegsNumbOrWeak = false, legWeakness = false,
        feverOrUnwell = false, worseAtNight = false, unexplainedWeightLoss = false, afterFallOrImpact = false,
    };

    public static object Report(int painNow = 2, int? worst = 3, object? redFlags = null) =>
        new { pain = new { painNow, worstDuringRun = worst }, redFlags = redFlags ?? NoRedFlags, context = new { sleepHours = 7.5, stress = 2 } };

    public static object SaddleNumbnessReport => Report(5, 6, new
    {
        saddleNumbness = true, bladderOrBowelChange = false, bothLegsNumbOrWeak = false, legWeakness = false,
        feverOrUnwell = false, worseAtNight = false, unexplainedWeightLoss = false, afterFallOrImpact = false,
    });
}

/// <summary>
/// The server on a clock that starts at noon (UTC) on Wednesday 3 June 2026 and moves at real time's pace:
/// "yesterday", "this week" and "next Monday" are the same week whichever day the suite runs, and what happens
/// later in a test still happens later.
/// </summary>
public sealed class MidweekApp : CoachHubApp
{
    public static readonly DateTimeOffset Start = new(2026, 6, 3, 12, 0, 0, TimeSpan.Zero);

    public MidweekApp() => Clock = new ManualClock(Start, ticking: true);
}

/// <summary>A TimeProvider whose time the test sets; standing still, or ticking on from each time set.</summary>
public sealed class ManualClock(DateTimeOffset start, bool ticking = false) : TimeProvider
{
    private sealed record Mark(DateTimeOffset At, long Timestamp);

    private volatile Mark _mark = new(start, Stopwatch.GetTimestamp());

    public DateTimeOffset Now
    {
        get
        {
            var mark = _mark;
            return ticking ? mark.At + Stopwatch.GetElapsedTime(mark.Timestamp) : mark.At;
        }
        set => _mark = new Mark(value, Stopwatch.GetTimestamp());
    }

    public override DateTimeOffset GetUtcNow() => Now;
}
