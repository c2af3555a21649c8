using System.Net;
using System.Text.RegularExpressions;
using CoachHub.Domain;
using CoachHub.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CoachHub.Server.Tests;

/// <summary>
/// Every endpoint the app maps, called as: nobody, the athlete, another coach's athlete, the coach, another coach, an admin.
/// Generated from the app's own endpoint list, so a new endpoint is covered the day it is added, and one without
/// an explicit policy fails here.
/// </summary>
public sealed partial class AuthorizationMatrixTests(CoachHubApp app) : IClassFixture<CoachHubApp>
{
    /// <summary>The only endpoints anyone may call without signing in.</summary>
    private static readonly HashSet<string> Public =
    [
        "POST /api/auth/coaches", "POST /api/auth/athletes", "POST /api/auth/signin", "POST /api/auth/refresh",
        // Forgetting a password: the answer says nothing of who has an account; the link's token is the key (PasswordTests).
        "POST /api/auth/password-reset", "POST /api/auth/password-reset/complete",
        "GET /health/live", "GET /health/ready", "GET /openapi/{documentName}.json",
        "GET /join",
        // A calendar app's subscription: the sealed address is the credential (ExportTests).
        "GET /feeds/{token}.ics",
        // No user may read it: a scraper on the node's own machine or with the scrape token (ObservabilityTests).
        "GET /metrics",
    ];

    private sealed record Principal(string Name, string? Role, string? Token, bool OwnsTheResources);

    private static readonly HashSet<string> EndsMembership = ["POST /api/squads/{squadId:guid}/leave", "DELETE /api/squads/{squadId:guid}/athletes/{athleteId:guid}"];

    [Fact]
    public async Task Every_endpoint_declares_who_may_call_it()
    {
        var undeclared = Endpoints()
            .Where(e => e.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null && e.Endpoint.Metadata.GetMetadata<IAuthorizeData>() is null)
            .Select(e => e.Key).ToList();
        Assert.True(undeclared.Count == 0, $"Endpoints without an explicit policy: {string.Join(", ", undeclared)}");

        var anonymous = Endpoints().Where(e => e.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(e => e.Key).ToHashSet();
        Assert.Equal(Public.Order(), anonymous.Order());
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Each_caller_gets_exactly_what_their_role_and_ownership_allow_and_refusals_write_nothing()
    {
        var (coach, squadId, code) = await app.SquadAsync("Owned squad");
        var athlete = await app.AthleteAsync(code, "Owned Athlete");
        var (otherCoach, _, otherCode) = await app.SquadAsync("Someone else's squad");
        var otherAthlete = await app.AthleteAsync(otherCode, "Other Athlete");

        var shoe = await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/shoes", new { name = "Ghost 16" });
        var run = await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/runs", Bodies.Run(DateTimeOffset.UtcNow.AddHours(-3)));
        // A spare invite code to withdraw (the athlete joins again with the other).
        var spare = (await coach.Api.PostOkAsync($"/api/squads/{squadId}/invites", new { })).GetProperty("code").GetString()!;
        var report = await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/reports", Bodies.Report(7, 8));
        var findingId = report.GetProperty("findings")[0].GetProperty("findingId").GetString()!;
        var monday = TrainingCalendar.WeekStartOf(DateOnly.FromDateTime(DateTime.UtcNow)).AddDays(7);
        await coach.Api.PostOkAsync($"/api/athletes/{athlete.Id}/plan", new { goal = "10k", startDate = monday, weeklyDistanceMeters = 20_000 });
        await coach.Api.PutOkAsync($"/api/athletes/{athlete.Id}/plan/weeks/{monday:yyyy-MM-dd}", new
        {
            sessions = new[] { new { sessionId = "thu", date = monday.AddDays(3), type = "easy", intensity = "easy", distanceMeters = 6_000, description = "Easy", exercises = Array.Empty<string>() } },
        });
        var template = await coach.Api.PostOkAsync($"/api/squads/{squadId}/templates", new { name = "Matrix week", athleteId = athlete.Id, weekStart = monday });

        // An operator, and one finished rebuild of theirs to read back.
        var admin = await app.AdminAsync();
        var rebuild = (await admin.Api.PostOkAsync("/api/admin/rebuilds", new { })).GetProperty("rebuildId").GetGuid();
        await Eventually.TrueAsync(async () => (await admin.Api.GetOkAsync($"/api/admin/rebuilds/{rebuild}")).GetProperty("state").GetString() == "done",
            TimeSpan.FromSeconds(30), "the rebuild to end");

        var values = new Dictionary<string, string>
        {
            ["rebuildId"] = rebuild.ToString(),
            ["squadId"] = squadId.ToString(),
            ["athleteId"] = athlete.Id.ToString(),
            ["shoeId"] = shoe.GetProperty("shoeId").GetString()!,
            ["runId"] = run.GetProperty("runId").GetGuid().ToString(),
            ["reportId"] = report.GetProperty("reportId").GetGuid().ToString(),
            ["findingId"] = Uri.EscapeDataString(findingId),
            ["weekStart"] = monday.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["sessionId"] = "thu",
            ["templateId"] = template.GetProperty("templateId").GetGuid().ToString(),
            ["code"] = spare,
            // Not a coach of the squad: taking them off changes nothing.
            ["coachId"] = Guid.NewGuid().ToString(),
            ["documentName"] = "v1",
        };
        Principal[] principals =
        [
            new("anonymous", null, null, false),
            new("the athlete", "athlete", athlete.Token, true),
            new("another coach's athlete", "athlete", otherAthlete.Token, false),
            new("the coach", "coach", coach.Token, true),
            new("another coach", "coach", otherCoach.Token, false),
            new("an admin", "admin", admin.Token, false),
        ];

        var failures = new List<string>();
        var checkedCalls = 0;
        // Leaving and removing take the athlete out of the squad: they run late, the athlete joining again before each
        // call. Signing out ends each caller's session for good: it runs last of all.
        // Closing the squad ends it for everyone: after those, before signing out.
        foreach (var (key, endpoint, method, pattern) in Endpoints().OrderBy(e => e.Key == "POST /api/auth/signout" ? 3 : e.Key == "DELETE /api/squads/{squadId:guid}" ? 2
            : EndsMembership.Contains(e.Key) ? 1 : 0))
        {
            if (key == "GET /metrics")
            {
                // Signed in or not, a caller from elsewhere without the scrape token is refused.
                foreach (var principal in principals)
                {
                    var scrape = await app.Client(principal.Token).Http.GetAsync("/metrics");
                    checkedCalls++;
                    if (scrape.StatusCode != HttpStatusCode.Forbidden) failures.Add($"GET /metrics as {principal.Name}: expected 403, got {(int)scrape.StatusCode}");
                }
                continue;
            }
            if (Public.Contains(key)) continue;
            // Replaying or discarding uses a dead letter up: a fresh one for each.
            if (pattern.Contains("{deadLetterId", StringComparison.Ordinal)) values["deadLetterId"] = (await app.DeadLetterAsync()).ToString();
            var policy = endpoint.Metadata.GetMetadata<IAuthorizeData>()?.Policy;
            var path = RouteValue().Replace(pattern, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v
                : throw new InvalidOperationException($"No test value for {{{m.Groups[1].Value}}} in {pattern}"));
            var ownsSomething = pattern.Contains("{athleteId", StringComparison.Ordinal) || pattern.Contains("{squadId", StringComparison.Ordinal);
            foreach (var principal in principals)
            {
                var expectedRefusal = principal.Token is null ? HttpStatusCode.Unauthorized
                    : policy is not null && policy != principal.Role ? HttpStatusCode.Forbidden
                    : ownsSomething && !principal.OwnsTheResources ? HttpStatusCode.NotFound
                    : (HttpStatusCode?)null;
                if (EndsMembership.Contains(key)) await athlete.Api.PostOkAsync("/api/squads/join", new { inviteCode = code });
                var before = await app.EventCountAsync();
                var client = app.Client(principal.Token);
                var response = await client.SendAsync(new HttpMethod(method), path, method is "POST" or "PUT" ? "{}" : null);
                var status = response.StatusCode;
                checkedCalls++;
                if (expectedRefusal is { } refusal)
                {
                    if (status != refusal) failures.Add($"{key} as {principal.Name}: expected {(int)refusal}, got {(int)status}");
                    else if (await app.EventCountAsync() != before) failures.Add($"{key} as {principal.Name}: refused but wrote events");
                }
                else if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.InternalServerError)
                {
                    failures.Add($"{key} as {principal.Name}: expected to be let in, got {(int)status} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }
        Assert.True(checkedCalls >= 24 * principals.Length, $"only {checkedCalls} calls were checked");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private IEnumerable<(string Key, RouteEndpoint Endpoint, string Method, string Pattern)> Endpoints() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => ($"{m} {e.RoutePattern.RawText}", e, m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Select(x => (x.Item1.Replace(" //", " /", StringComparison.Ordinal), x.e, x.m, x.Item4));

    [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
    private static partial Regex RouteValue();
}
