using System.Net;
using System.Net.Http.Json;
using CoachHub.Domain;
using CoachHub.Domain.Plans;
using CoachHub.Server.Jobs;
using CoachHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CoachHub.Server.Tests;

/// <summary>The weekly adjustment and daily sweep on a clock the test moves: Sunday 22 November 2026, Dublin (UTC+0 in winter).</summary>
public sealed class JobTests : IAsyncLifetime
{
    private static readonly DateTimeOffset SundayAfternoon = new(2026, 11, 22, 16, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly NextMonday = new(2026, 11, 23);
    private readonly CoachHubApp _app = new() { Clock = new ManualClock(SundayAfternoon) };

    public Task InitializeAsync() => _app.InitializeAsync();
    public Task DisposeAsync() => _app.DisposeAsync();

    private static readonly string[] Outcomes = ["progressed", "held", "deloaded", "paused", "returningToRun", "waitingForApproval", "unchanged"];

    private ManualClock Clock => _app.Clock!;

    private async Task<(User Coach, Guid SquadId, User Athlete)> PlannedAthleteAsync(string timeZone = "Europe/Dublin", bool approval = false)
    {
        var (coach, squadId, code) = await _app.SquadAsync();
        if (approval) await coach.Api.PutOkAsync($"/api/squads/{squadId}/settings", new { adjustmentsNeedApproval = true });
        var athlete = await _app.AthleteAsync(code, "Ana", timeZone);
        await coach.Api.PostOkAsync($"/api/athletes/{athlete.Id}/plan", new { goal = "10k", startDate = NextMonday.AddDays(-7), weeklyDistanceMeters = 20_000 });
        return (coach, squadId, athlete);
    }

    private Task<long> PlanEventsAsync(Guid athleteId, string type) =>
        _app.Db.ScalarAsync<long>($"select count(*) from {PostgresDatabase.AllEvents} e where stream_id = 'plan-{athleteId:N}' and type = '{type}'");

    [Fact]
    public async Task The_next_week_is_adjusted_once_at_Sunday_18_00_local_and_never_again()
    {
        var (_, _, athlete) = await PlannedAthleteAsync();
        await _app.WeeklyAsync();
        Assert.Equal(0, await PlanEventsAsync(athlete.Id, "plan.week-adjusted.v1"));

        Clock.Now = SundayAfternoon.AddHours(2.5);
        var report = await _app.WeeklyAsync();
        Assert.Equal(1, report.Published);
        Assert.Equal(1, await PlanEventsAsync(athlete.Id, "plan.week-adjusted.v1"));
        var calendar = await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/plan?from={NextMonday:yyyy-MM-dd}&weeks=1");
        var adjustment = calendar.GetProperty("weeks")[0].GetProperty("adjustment");
        Assert.NotEmpty(adjustment.GetProperty("ruleIds").EnumerateArray());
        Assert.NotEmpty(calendar.GetProperty("weeks")[0].GetProperty("sessions").EnumerateArray());

        // Re-runs (another node, a retry after a crash, the bookkeeping lost) never adjust twice.
        await _app.WeeklyAsync();
        await _app.Db.ExecuteAsync("delete from job_runs");
        await _app.WeeklyAsync();
        Assert.Equal(1, await PlanEventsAsync(athlete.Id, "plan.week-adjusted.v1"));
    }

    [Fact]
    public async Task The_week_the_job_writes_keeps_to_the_days_and_time_the_athlete_has()
    {
        var (coach, _, athlete) = await PlannedAthleteAsync();
        var path = $"/api/athletes/{athlete.Id}/availability";
        Assert.Equal(7, (await coach.Api.GetOkAsync(path)).GetProperty("days").GetArrayLength());

        // Refused whole, naming the field: nothing is written.
        var (otherCoach, _, _) = await _app.SquadAsync("Someone else's squad");
        var before = await _app.EventCountAsync();
        Assert.Equal(["days"], await ApiClient.BadFieldsAsync(await athlete.Api.SendAsync(HttpMethod.Put, path, """{"days":[]}""")));
        Assert.Equal(["days[0].day"], await ApiClient.BadFieldsAsync(await athlete.Api.SendAsync(HttpMethod.Put, path, """{"days":[{"maxMinutes":30}]}""")));
        Assert.Equal(["days"], await ApiClient.BadFieldsAsync(await athlete.Api.SendAsync(HttpMethod.Put, path, $$"""{"days":[{{string.Join(',', Enumerable.Repeat("null", 500))}}]}""")));
        Assert.Equal(["days[0].maxMinutes"], await ApiClient.BadFieldsAsync(await athlete.Api.SendAsync(HttpMethod.Put, path, """{"days":[{"day":"monday","maxMinutes":5}]}""")));
        Assert.Equal(HttpStatusCode.NotFound, (await otherCoach.Api.SendAsync(HttpMethod.Put, path, """{"days":[{"day":"monday"}]}""")).StatusCode);
        Assert.Equal(before, await _app.EventCountAsync());

        var set = await athlete.Api.PutOkAsync(path, new { days = new object[] { new { day = "saturday" }, new { day = "wednesday", maxMinutes = 40 } } });
        Assert.Equal("wednesday", set.GetProperty("days")[0].GetProperty("day").GetString());
        Assert.Equal(40, (await coach.Api.GetOkAsync(path)).GetProperty("days")[0].GetProperty("maxMinutes").GetInt32());

        Clock.Now = SundayAfternoon.AddHours(2.5);
        await _app.WeeklyAsync();
        var week = (await coach.Api.GetOkAsync($"/api/athletes/{athlete.Id}/plan?from={NextMonday:yyyy-MM-dd}&weeks=1")).GetProperty("weeks")[0];
        // The starter week's Tuesday run goes to Wednesday (36 min at 6 min/km fits 40); Thursday's finds no free day.
        Assert.Equal([(DayOfWeek.Wednesday, 6_000), (DayOfWeek.Saturday, 8_000)], week.GetProperty("sessions").EnumerateArray()
            .Select(s => (DateOnly.Parse(s.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture).DayOfWeek, s.GetProperty("distanceMeters").GetInt32())));
        Assert.Contains(week.GetProperty("adjustment").GetProperty("reasons").EnumerateArray(),
            r => r.GetString()!.StartsWith("Fitted to the athlete's availability (Wed (40 min), Sat)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_runs_page_says_what_changed_because_of_it_from_the_events()
    {
        var (coach, _, athlete) = await PlannedAthleteAsync();
        var startedAt = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);
        var runId = (await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/runs", Bodies.Run(startedAt))).GetProperty("runId").GetGuid();
        var page = $"/api/athletes/{athlete.Id}/runs/{runId}";
        Assert.Empty((await coach.Api.GetOkAsync(page)).GetProperty("changes").EnumerateArray());

        // Pain 7/10 after it (PM-HIGH), a correction, the coach's match; then the weekly job deloads next week for it.
        await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/reports", new
        {
            runId, pain = new { painNow = 7, worstDuringRun = 7 }, redFlags = Bodies.NoRedFlags, context = new { sleepHours = 7, stress = 2 },
        });
        await athlete.Api.PutOkAsync($"/api/athletes/{athlete.Id}/runs/{runId}", new { startedAt, distanceMeters = 9_000, durationSeconds = 3_000, workout = "easy", surface = "road", sessionRpe = 4 });
        await coach.Api.PutOkAsync($"/api/athletes/{athlete.Id}/runs/{runId}/session", new { sessionId = (string?)null });
        Clock.Now = SundayAfternoon.AddHours(2.5);
        await _app.WeeklyAsync();

        var changes = (await coach.Api.GetOkAsync(page)).GetProperty("changes").EnumerateArray()
            .Select(c => (Kind: c.GetProperty("kind").GetString(), Text: c.GetProperty("text").GetString()!)).ToList();
        Assert.Equal(["corrected", "matched", "adjusted"], changes.Select(c => c.Kind));
        Assert.Equal("Corrected by the athlete: 9.0 km in 50 min.", changes[0].Text);
        Assert.Equal("The coach marked it as no planned session.", changes[1].Text);
        Assert.Equal("The week of Mon 23 Nov was adjusted: a lighter (deload) week, because of PM-HIGH.", changes[2].Text);

        // Once that week has begun, the fitness chart marks it, beside the pain reported.
        Clock.Now = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        coach = coach with { Token = await _app.Client().SignInAsync(coach.Email, CoachHubApp.Password) };
        var fitness = await coach.Api.GetOkAsync($"/api/athletes/{athlete.Id}/fitness?days=30");
        var mark = Assert.Single(fitness.GetProperty("adjustments").EnumerateArray());
        Assert.Equal(("2026-11-23", "deload"), (mark.GetProperty("weekStart").GetString(), mark.GetProperty("outcome").GetString()));
        Assert.Contains(fitness.GetProperty("pain").EnumerateArray(), p => p.GetProperty("painNow").GetInt32() == 7);
    }

    [Fact]
    public async Task The_squads_coaches_are_told_once_when_every_athlete_with_a_plan_has_next_week_decided()
    {
        var (coach, squadId, code) = await _app.SquadAsync();
        var dubliner = await _app.AthleteAsync(code, "Ana", "Europe/Dublin");
        var newYorker = await _app.AthleteAsync(code, "Bea", "America/New_York");
        await _app.AthleteAsync(code, "Cai", "Europe/Dublin"); // no plan: not part of the weekly adjustment
        foreach (var athlete in new[] { dubliner, newYorker })
            await coach.Api.PostOkAsync($"/api/athletes/{athlete.Id}/plan", new { goal = "10k", startDate = NextMonday.AddDays(-7), weeklyDistanceMeters = 20_000 });
        Task<long> NoticesAsync() => _app.Db.ScalarAsync<long>(
            $"select count(*) from {PostgresDatabase.AllEvents} e where stream_id = 'squad-{squadId:N}' and type = 'squad.week-adjustments-completed.v1'");

        // 18:30 in Dublin, 13:30 in New York: one athlete's week has closed, the other's not yet.
        Clock.Now = SundayAfternoon.AddHours(2.5);
        await _app.WeeklyAsync();
        Assert.Equal(0, await NoticesAsync());

        Clock.Now = SundayAfternoon.AddHours(7.5); // 18:30 in New York
        await _app.WeeklyAsync();
        Assert.Equal(1, await NoticesAsync());
        var notice = await _app.Db.ScalarAsync<string>(
            $"select data::text from {PostgresDatabase.AllEvents} e where stream_id = 'squad-{squadId:N}' and type = 'squad.week-adjustments-completed.v1'");
        using var json = System.Text.Json.JsonDocument.Parse(notice);
        Assert.Equal("2026-11-23", json.RootElement.GetProperty("weekStart").GetString());
        var counts = json.RootElement.GetProperty("counts");
        Assert.Equal(2, Outcomes.Sum(k => counts.GetProperty(k).GetInt32()));

        // Later runs, the bookkeeping lost included, say nothing more about that week.
        await _app.WeeklyAsync();
        await _app.Db.ExecuteAsync("delete from job_runs");
        await _app.WeeklyAsync();
        Assert.Equal(1, await NoticesAsync());
    }

    [Fact]
    public async Task Each_athlete_is_adjusted_at_their_own_local_time_and_a_missed_week_is_caught_up_once()
    {
        var (_, _, newYorker) = await PlannedAthleteAsync("America/New_York");
        Clock.Now = SundayAfternoon.AddHours(2.5); // 13:30 in New York
        await _app.WeeklyAsync();
        Assert.Equal(0, await PlanEventsAsync(newYorker.Id, "plan.week-adjusted.v1"));

        // The servers were down from Sunday evening until Monday afternoon: one catch-up, not one per missed run.
        Clock.Now = SundayAfternoon.AddHours(24 + 2);
        await _app.WeeklyAsync();
        await _app.WeeklyAsync();
        Assert.Equal(1, await PlanEventsAsync(newYorker.Id, "plan.week-adjusted.v1"));

        // A week missed for longer than its first three days is left as the coach planned it.
        Clock.Now = SundayAfternoon.AddDays(11);
        Assert.Equal(0, (await _app.WeeklyAsync()).Due);
    }

    [Fact]
    public async Task A_squad_on_its_own_clock_closes_every_athletes_week_at_its_day_and_hour_there()
    {
        var (coach, squadId, athlete) = await PlannedAthleteAsync("America/New_York");
        // A zone that does not exist, or is not shaped like one, is named; nothing changes.
        Assert.Equal(["timeZone"], await ApiClient.BadFieldsAsync(await coach.Api.Http.PutAsJsonAsync($"/api/squads/{squadId}/settings", new { timeZone = "Mars/Olympus" })));
        Assert.Equal(["timeZone"], await ApiClient.BadFieldsAsync(await coach.Api.Http.PutAsJsonAsync($"/api/squads/{squadId}/settings", new { timeZone = "not a zone!" })));
        var settings = await coach.Api.PutOkAsync($"/api/squads/{squadId}/settings", new { timeZone = "Europe/Dublin" });
        Assert.Equal("Europe/Dublin", settings.GetProperty("timeZone").GetString());

        // 18:30 in Dublin is 13:30 in New York: the squad's week has closed, so its own job decides the New Yorker's
        // next week; the periodic run, behind it, finds nothing left to do.
        Clock.Now = SundayAfternoon.AddHours(2.5);
        Assert.Equal(1, (await _app.WeeklyAsync(squadId)).Published);
        Assert.Equal(1, await PlanEventsAsync(athlete.Id, "plan.week-adjusted.v1"));
        Assert.Equal(0, (await _app.WeeklyAsync()).Published);
        Assert.Equal(1, await PlanEventsAsync(athlete.Id, "plan.week-adjusted.v1"));

        // "" hands the clock back to each athlete; other settings stay as they were.
        var cleared = await coach.Api.PutOkAsync($"/api/squads/{squadId}/settings", new { timeZone = "" });
        Assert.False(cleared.TryGetProperty("timeZone", out var zone) && zone.ValueKind != System.Text.Json.JsonValueKind.Null);
        Assert.Equal(18, cleared.GetProperty("weeklyAdjustmentHour").GetInt32());
    }

    [Fact]
    public async Task Where_the_squad_asks_for_approval_the_change_is_proposed_to_the_coach()
    {
        var (coach, squadId, athlete) = await PlannedAthleteAsync(approval: true);
        Clock.Now = SundayAfternoon.AddHours(3);
        await _app.WeeklyAsync();

        Assert.Equal(1, await PlanEventsAsync(athlete.Id, "plan.adjustment-proposed.v1"));
        Assert.Equal(0, await PlanEventsAsync(athlete.Id, "plan.week-adjusted.v1"));
        var board = await coach.Api.GetOkAsync($"/api/squads/{squadId}/board");
        Assert.True(board.GetProperty("athletes")[0].GetProperty("adjustmentWaiting").GetBoolean());

        // The coach's inbox lists it, no other coach's does, and once approved it is gone.
        var changes = await coach.Api.GetOkAsync("/api/inbox/changes");
        var change = Assert.Single(changes.EnumerateArray());
        Assert.Equal(athlete.Id, change.GetProperty("athleteId").GetGuid());
        Assert.Equal("2026-11-23", change.GetProperty("weekStart").GetString());
        Assert.NotEmpty(change.GetProperty("ruleIds").EnumerateArray());
        Assert.NotEmpty(change.GetProperty("reasons").EnumerateArray());
        var (otherCoach, _, _) = await _app.SquadAsync("Other squad");
        Assert.Empty((await otherCoach.Api.GetOkAsync("/api/inbox/changes")).EnumerateArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await athlete.Api.Http.GetAsync("/api/inbox/changes")).StatusCode);
        await coach.Api.PostOkAsync($"/api/athletes/{athlete.Id}/plan/weeks/2026-11-23/approve", new { });
        Assert.Empty((await coach.Api.GetOkAsync("/api/inbox/changes")).EnumerateArray());
    }

    [Fact]
    public async Task An_open_urgent_finding_pauses_running_for_the_next_week()
    {
        var (_, _, athlete) = await PlannedAthleteAsync();
        await athlete.Api.PostOkAsync($"/api/athletes/{athlete.Id}/reports", Bodies.Report(6, 8, new
        {
            saddleNumbness = false, bladderOrBowelChange = false, bothLegsNumbOrWeak = false, legWeakness = true,
            feverOrUnwell = false, worseAtNight = false, unexplainedWeightLoss = false, afterFallOrImpact = false,
        }));
        Clock.Now = SundayAfternoon.AddHours(3);
        await _app.WeeklyAsync();

        var calendar = await athlete.Api.GetOkAsync($"/api/athletes/{athlete.Id}/plan?from={NextMonday:yyyy-MM-dd}&weeks=1");
        var week = calendar.GetProperty("weeks")[0];
        Assert.Equal("pause", week.GetProperty("adjustment").GetProperty("outcome").GetString());
        Assert.Contains("RF-WEAKNESS", week.GetProperty("adjustment").GetProperty("ruleIds").EnumerateArray().Select(r => r.GetString()));
        Assert.DoesNotContain(week.GetProperty("sessions").EnumerateArray(), s => s.GetProperty("type").GetString() is "easy" or "longRun" or "tempo" or "intervals" or "hills");
    }

    [Fact]
    public async Task One_athletes_failure_is_retried_later_and_never_holds_up_the_others()
    {
        var (_, _, broken) = await PlannedAthleteAsync();
        var (_, _, fine) = await PlannedAthleteAsync();
        // An event no build of ours can read: loading this athlete's plan fails.
        await _app.Db.ExecuteAsync($$"""
            insert into events.mt_events (seq_id, id, stream_id, version, data, type)
            select nextval('events.mt_events_sequence'), gen_random_uuid(), id, version + 1, '{}', 'plan.from-the-future.v9'
              from events.mt_streams where id = 'plan-{{broken.Id:N}}';
            update events.mt_streams set version = version + 1 where id = 'plan-{{broken.Id:N}}'
            """);
        Clock.Now = SundayAfternoon.AddHours(3);

        // Both are published; the broken one fails its tries and is left for the next firing, the other is adjusted.
        var report = await _app.WeeklyAsync();
        Assert.Equal((2, 2), (report.Due, report.Published));
        Assert.Equal(1, await PlanEventsAsync(fine.Id, "plan.week-adjusted.v1"));
        Assert.Equal(0L, await _app.Db.ScalarAsync<long>($"select count(*) from job_runs where athlete_id = '{broken.Id}'"));

        await _app.Db.ExecuteAsync(
            $"delete from events.mt_events where stream_id = 'plan-{broken.Id:N}' and type = 'plan.from-the-future.v9'; update events.mt_streams set version = version - 1 where id = 'plan-{broken.Id:N}'");
        // Published and not done, it is left to its queue for a while: a firing meanwhile does not publish it again.
        Assert.Equal(0, (await _app.WeeklyAsync()).Published);
        Clock.Now += JobLedger.GiveUpAfter + TimeSpan.FromMinutes(1);
        report = await _app.WeeklyAsync();
        Assert.Equal(1, report.Published);
        Assert.Equal(1, await PlanEventsAsync(broken.Id, "plan.week-adjusted.v1"));
        Assert.Equal(1, await PlanEventsAsync(fine.Id, "plan.week-adjusted.v1"));
    }

    [Fact]
    public async Task Each_coach_gets_one_digest_a_week_by_mail_of_their_own_squads_only()
    {
        var (coach, squadId, ana) = await PlannedAthleteAsync();
        // A name that is markup: the mail's HTML shows it as text.
        var code = (await coach.Api.PostOkAsync($"/api/squads/{squadId}/invites", new { })).GetProperty("code").GetString();
        var bo = await _app.AthleteAsync(code, "Bo <b>Bold</b>");
        await coach.Api.PostOkAsync($"/api/athletes/{bo.Id}/plan", new { goal = "10k", startDate = NextMonday.AddDays(-7), weeklyDistanceMeters = 20_000 });
        // Last week: 10 km planned for each; Ana ran 3 km of it, Bo nothing.
        var lastMonday = NextMonday.AddDays(-7);
        foreach (var athlete in new[] { ana, bo })
            await coach.Api.PutOkAsync($"/api/athletes/{athlete.Id}/plan/weeks/{lastMonday:yyyy-MM-dd}", new
            {
                sessions = new object[]
                {
                    new { sessionId = "tue", date = lastMonday.AddDays(1), type = "easy", intensity = "easy", distanceMeters = 5_000, description = "Easy", exercises = Array.Empty<string>() },
                    new { sessionId = "thu", date = lastMonday.AddDays(3), type = "easy", intensity = "easy", distanceMeters = 5_000, description = "Easy", exercises = Array.Empty<string>() },
                },
            });
        await ana.Api.PostOkAsync($"/api/athletes/{ana.Id}/runs", Bodies.Run(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero), 3_000, 1_200));
        var (otherCoach, _, otherCode) = await _app.SquadAsync("Elsewhere");
        await _app.AthleteAsync(otherCode, "Zed Elsewhere");
        Clock.Now = SundayAfternoon.AddHours(3);
        await _app.WeeklyAsync();

        // Monday 06:00 UTC, the digest's hour: one per coach.
        Clock.Now = new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);
        Task<JobReport> DigestAsync() => _app.FireAsync(sp => sp.GetRequiredService<WeeklyDigest>().RunDueAsync(default));
        Assert.Equal(2, (await DigestAsync()).Published);
        const string Subject = "Your squads: the week of 23 November 2026";
        var mail = await TestMailbox.WaitForAsync(coach.Email, m => m.Subject == Subject);
        var (text, html) = (mail.TextBody ?? "", mail.HtmlBody ?? "");
        Assert.True(text.Contains("Ana: 3.0 km of 10.0 km (30%), far off plan", StringComparison.Ordinal), text);
        Assert.Contains("0.0 km of 10.0 km (0%), far off plan", text, StringComparison.Ordinal);
        Assert.Contains("far off plan", text, StringComparison.Ordinal);
        Assert.Contains("Last week 0 of 2 athletes with running planned were on plan", text, StringComparison.Ordinal);
        Assert.Contains("The new week: 2 ", text, StringComparison.Ordinal);
        Assert.Contains($"https://coachhub.test/#/squads/{squadId}", text, StringComparison.Ordinal);
        Assert.Contains("not a diagnosis", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Zed", text, StringComparison.Ordinal);
        Assert.Contains("Bo &lt;b&gt;Bold&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Bold</b>", html, StringComparison.Ordinal);
        Assert.Contains("Elsewhere (1 athlete)", (await TestMailbox.WaitForAsync(otherCoach.Email, m => m.Subject == Subject)).TextBody, StringComparison.Ordinal);

        // Once a week: a later firing (another node, a catch-up) mails nobody again.
        Clock.Now = Clock.Now.AddHours(3);
        Assert.Equal(0, (await DigestAsync()).Published);
        Assert.Single(TestMailbox.For(coach.Email), m => m.Subject == Subject);
    }

    [Fact]
    public async Task The_daily_sweep_runs_once_per_athlete_per_local_day()
    {
        var (_, _, athlete) = await PlannedAthleteAsync();
        Assert.Equal(1, (await _app.SweepAsync()).Published);
        Assert.Equal(0, (await _app.SweepAsync()).Published);
        Clock.Now = SundayAfternoon.AddDays(1);
        Assert.Equal(1, (await _app.SweepAsync()).Published);
        Assert.Equal(2L, await _app.Db.ScalarAsync<long>($"select count(*) from job_runs where job = 'daily-sweep' and athlete_id = '{athlete.Id}'"));
    }
}

/// <summary>
/// Hangfire itself: the server's recurring jobs in the hangfire schema of our PostgreSQL fire and run the jobs, and
/// its dashboard is for admins only.
/// </summary>
public sealed class HangfireTests : IAsyncLifetime
{
    private readonly CoachHubApp _app = new() { RunJobs = true };

    public Task InitializeAsync() => _app.InitializeAsync();
    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task The_recurring_jobs_run_from_PostgreSQL_and_only_admins_see_the_dashboard()
    {
        var (coach, squadId, code) = await _app.SquadAsync();
        var athlete = await _app.AthleteAsync(code);
        await Eventually.TrueAsync(async () => await _app.Db.ScalarAsync<long>("select count(*) from job_runs where job = 'daily-sweep'") >= 1,
            TimeSpan.FromSeconds(20), "the daily sweep ran through Hangfire");
        Assert.Equal(["daily-sweep", "weekly-adjustment", "weekly-digest"],
            (await _app.Db.QueryAsync("select value from hangfire.set where key = 'recurring-jobs' order by value")).Select(r => (string)r[0]));
        Assert.True(await _app.Db.ScalarAsync<long>("select count(*) from hangfire.server") >= 1);

        var admin = await _app.AdminAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.Anonymous().GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _app.Client(athlete.Token).Http.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _app.Client(coach.Token).Http.GetAsync("/hangfire/recurring")).StatusCode);
        // A squad with a clock of its own gets its own job at its day and hour there; a change moves it; without a
        // clock it goes back to the periodic one.
        var job = $"weekly-adjustment:{squadId:N}";
        Task<string?> ScheduleAsync() => _app.Db.ScalarAsync<string?>(
            $"select string_agg(field || '=' || value, ' ' order by field) from hangfire.hash where key = 'recurring-job:{job}' and field in ('Cron', 'TimeZoneId')");
        await coach.Api.PutOkAsync($"/api/squads/{squadId}/settings", new { timeZone = "America/New_York" });
        await Eventually.TrueAsync(async () => await ScheduleAsync() == "Cron=0 18 * * 0 TimeZoneId=America/New_York", TimeSpan.FromSeconds(10), "the squad's own job");
        await coach.Api.PutOkAsync($"/api/squads/{squadId}/settings", new { weeklyAdjustmentDay = "monday", weeklyAdjustmentHour = 6 });
        await Eventually.TrueAsync(async () => await ScheduleAsync() == "Cron=0 6 * * 1 TimeZoneId=America/New_York", TimeSpan.FromSeconds(10), "the job moved");
        await coach.Api.PutOkAsync($"/api/squads/{squadId}/settings", new { timeZone = "" });
        await Eventually.TrueAsync(async () => await ScheduleAsync() is null, TimeSpan.FromSeconds(10), "the squad's job removed");

        var recurring = await _app.Client(admin.Token).Http.GetAsync("/hangfire/recurring");
        Assert.Equal(HttpStatusCode.OK, recurring.StatusCode);
        var page = await recurring.Content.ReadAsStringAsync();
        Assert.Contains("weekly-adjustment", page, StringComparison.Ordinal);
        Assert.Contains("daily-sweep", page, StringComparison.Ordinal);
    }
}
