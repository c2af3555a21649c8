using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;
using CoachHub.Server.Accounts;
using CoachHub.Server.Platform;
using Microsoft.AspNetCore.Identity;

namespace CoachHub.Server.Demo;

/// <summary>
/// Demo squads for ./coachhub run: a coach, twelve athletes and 5 to 12 weeks of history, replayed through the
/// same commands the API and the weekly job use, each at the time it happened, so every week after the first is
/// the product's own adjustment. Exactly one athlete has an open red flag (Aoife), one is due a deload (Ben), the
/// others progress or hold, and the second squad's coach has this week's changes waiting for approval. Ids are
/// derived from names, so running it again changes nothing; the coach's account is written last and marks the
/// seed as complete.
/// </summary>
internal sealed class DemoSeeder(StreamStates streams, Marten.IDocumentStore store, TimeProvider time, ILogger<DemoSeeder> logger) : IHostedService
{
    public const string CoachEmail = "coach@demo.coachhub.app";
    public const string Password = "demo-password";
    private static readonly PasswordHasher<AccountRegistered> Hasher = new();

    private static readonly string[] Names =
    [
        "Aoife Byrne", "Ben Okafor", "Carla Mendes", "Dara Walsh", "Eoin Murphy", "Fatima Khan",
        "Gus Lindqvist", "Hana Sato", "Ivan Petrov", "Jess Doyle", "Kofi Mensah", "Lena Fischer",
    ];

    /// <summary>Aoife reported a red flag two days ago; Ben's pain after last week's runs calls for a deload.</summary>
    private const int RedFlagAthlete = 0, DeloadAthlete = 1;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var coachAccount = await streams.ReadAsync(Streams.Account(CoachEmail), AccountState.Decider, cancellationToken);
        if (coachAccount.Registration is null)
        {
            logger.LogInformation("Seeding the demo squad (once)...");
            await SeedAsync(cancellationToken);
        }
        // The demo's codes are random like any other, made when it is seeded: nothing guessable works anywhere.
        var squad = (await streams.LoadAsync(Streams.Squad(Id("squad")), Deciders.Squad, cancellationToken)).State;
        var invite = squad.Invites.Values.Where(i => !i.SingleUse && i.ExpiresAt > time.GetUtcNow()).MaxBy(i => i.ExpiresAt);
        Console.WriteLine($"""

            Demo logins (password "{Password}"):
              coach:    {CoachEmail}
              athletes: {string.Join(", ", Names.Take(3).Select(Email))} ... (12 in all)
              invite code for new athletes: {invite?.Code ?? "none left: create one on the Squad page"}

            """);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Email(string name) => $"{name.Split(' ')[0].ToLowerInvariant()}@demo.coachhub.app";

    private static Guid Id(string what) => DeterministicGuid.From("demo:" + what);

    /// <summary>
    /// How many weeks each athlete has trained. The weekly adjustment deloads every fifth week (four build weeks,
    /// then a lighter one), so the lengths are chosen so that nobody but Ben (whose pain calls for it) is due a
    /// deload next week: none of them is four build weeks past their last lighter week.
    /// </summary>
    private static readonly int[] WeeksTrained = [9, 10, 5, 6, 7, 9, 10, 11, 12, 5, 6, 7];

    /// <summary>Kofi and Lena train in the second squad, whose coach approves every automated change.</summary>
    private static bool InApprovalSquad(int athlete) => athlete >= 10;

    private async Task SeedAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = TrainingCalendar.LocalDate(Dublin(now));
        var thisWeek = TrainingCalendar.WeekStartOf(today);
        var start = Dublin(thisWeek.AddDays(-7 * 13).ToDateTime(new TimeOnly(9, 0)));
        var coachId = Id("coach");
        var squadId = Id("squad");
        var approvalSquadId = Id("approval-squad");

        await Run(Streams.Coach(coachId), Deciders.Coach, new RegisterCoach(coachId, "Róisín Demo", CoachEmail), start);
        await Run(Streams.Squad(squadId), Deciders.Squad, new CreateSquad(squadId, coachId, "Riverside Runners"), start);
        await Run(Streams.Squad(approvalSquadId), Deciders.Squad, new CreateSquad(approvalSquadId, coachId, "Harbour Milers"), start);
        await Run(Streams.Squad(approvalSquadId), Deciders.Squad, new ChangeSquadSettings(SquadSettings.Default with { AdjustmentsNeedApproval = true }), start);
        var foundingCode = Features.Squads.InviteCodes.New();
        await Run(Streams.Squad(squadId), Deciders.Squad, new InviteAthlete(foundingCode, start.AddDays(89), SingleUse: false), start);
        await Run(Streams.Squad(approvalSquadId), Deciders.Squad, new InviteAthlete(foundingCode, start.AddDays(89), SingleUse: false), start);
        await Run(Streams.Squad(squadId), Deciders.Squad, new InviteAthlete(Features.Squads.InviteCodes.New(), now.AddDays(InviteAthlete.LongestValidDays), SingleUse: false), now);

        for (var a = 0; a < Names.Length; a++)
        {
            var name = Names[a];
            var athleteId = Id(name);
            var squad = InApprovalSquad(a) ? approvalSquadId : squadId;
            var settings = InApprovalSquad(a) ? SquadSettings.Default with { AdjustmentsNeedApproval = true } : SquadSettings.Default;
            await AccountAsync(athleteId, Email(name), name, Roles.Athlete, start);
            await Run(Streams.Athlete(athleteId), Deciders.Athlete, new RegisterAthlete(athleteId, name, Zone), start);
            await Run(Streams.Squad(squad), Deciders.Squad, new JoinSquad(athleteId, foundingCode), start);
            var shoeId = Id(name + ":shoe");
            // Gus's shoes have done more than 500 miles: a CX-SHOE watch, explained beside his progress.
            await Run(Streams.Athlete(athleteId), Deciders.Athlete, new AddShoe(shoeId, "Daily trainer", a == 6 ? 790_000 : 40_000 + a * 12_000), start);
            var firstWeek = thisWeek.AddDays(-7 * WeeksTrained[a]);
            var baseMeters = 18_000 + a * 2_500;
            await Run(Streams.Plan(athleteId), Deciders.Plan, new StartPlan(athleteId, a % 2 == 0 ? "Autumn 10k" : "Half marathon", firstWeek, baseMeters),
                Dublin(firstWeek.AddDays(-3).ToDateTime(new TimeOnly(9, 0))));
            // The coach plans the first week; every week after it is the weekly adjustment's, on Sunday at 18:00.
            await Run(Streams.Plan(athleteId), Deciders.Plan, new PlanWeek(firstWeek, WeekOf(firstWeek, baseMeters), coachId, []), Dublin(firstWeek.AddDays(-1).ToDateTime(new TimeOnly(20, 0))));
            for (var monday = firstWeek; monday <= thisWeek; monday = monday.AddDays(7))
            {
                // In the approval squad the coach plans this week themselves; the automated change to it waits for approval.
                if (monday == thisWeek && InApprovalSquad(a))
                    await Run(Streams.Plan(athleteId), Deciders.Plan, new PlanWeek(monday, await SameAsLastWeekAsync(athleteId, monday), coachId, []),
                        Dublin(monday.AddDays(-1).ToDateTime(new TimeOnly(12, 0))));
                if (monday > firstWeek) await AdjustAsync(athleteId, monday, settings, coachId, approve: monday < thisWeek);
                var plan = (await streams.LoadAsync(Streams.Plan(athleteId), Deciders.Plan, ct)).State;
                // Aoife has not run since her red flag two days ago.
                var until = a == RedFlagAthlete ? now.AddDays(-2) : now;
                foreach (var session in (plan.WeekOf(monday)?.Sessions ?? []).Where(s => SessionTypes.IsRun(s.Type) && s.DistanceMeters is not null))
                    await RunSessionAsync(a, athleteId, shoeId, session, WeeksTrained[a] - TrainingCalendar.DaysBetween(monday, thisWeek) / 7, until);
            }

            if (a == RedFlagAthlete)
                await Run(Streams.Athlete(athleteId), Deciders.Athlete, new SubmitPainReport(Id($"{name}:red-flag"), null,
                    new PainScores(6, 7), new PainDescription(PainLocation.Left, PainSpread.BelowKnee, PainOnset.RightAfter, PainCharacter.ShootingOrZingy),
                    RedFlagAnswers.None with { LegWeakness = true }, new RecoveryContext(6, 3, 6, 9)), Dublin(now.AddDays(-2)));
        }
        await TellSquadsAsync(squadId, approvalSquadId, thisWeek);
        // Written last: its presence means the whole seed is there.
        await AccountAsync(coachId, CoachEmail, "Róisín Demo", Roles.Coach, start);
        logger.LogInformation("Demo squads seeded");
    }

    /// <summary>Each Sunday evening's notice to a squad's coaches, as the weekly job gives it once all its athletes are decided.</summary>
    private async Task TellSquadsAsync(Guid squadId, Guid approvalSquadId, DateOnly thisWeek)
    {
        foreach (var (squad, approval) in new[] { (squadId, false), (approvalSquadId, true) })
        {
            var athletes = new List<(DateOnly FirstWeek, PlanState Plan)>();
            foreach (var a in Enumerable.Range(0, Names.Length).Where(a => InApprovalSquad(a) == approval))
                athletes.Add((thisWeek.AddDays(-7 * WeeksTrained[a]), (await streams.LoadAsync(Streams.Plan(Id(Names[a])), Deciders.Plan, CancellationToken.None)).State));
            for (var monday = athletes.Min(x => x.FirstWeek).AddDays(7); monday <= thisWeek; monday = monday.AddDays(7))
            {
                var counts = WeekAdjustmentCounts.Of([.. athletes.Where(x => x.FirstWeek < monday).Select(x => x.Plan.Pending.ContainsKey(monday)
                    ? ((AdjustmentOutcome?)null, true)
                    : (x.Plan.Adjustments.TryGetValue(monday, out var adjusted) ? adjusted.Outcome : (AdjustmentOutcome?)null, false))]);
                await Run(Streams.Squad(squad), Deciders.Squad, new RecordWeekAdjustments(monday, counts), Dublin(monday.AddDays(-1).ToDateTime(new TimeOnly(18, 5))));
            }
        }
    }

    /// <summary>The weekly adjustment as the job runs it; in the approval squad the coach approved each week on the Monday morning, except this week's, which waits.</summary>
    private async Task AdjustAsync(Guid athleteId, DateOnly monday, SquadSettings settings, Guid coachId, bool approve)
    {
        var at = Dublin(monday.AddDays(-1).ToDateTime(new TimeOnly(18, 0)));
        var athlete = (await streams.LoadAsync(Streams.Athlete(athleteId), Deciders.Athlete, CancellationToken.None)).State;
        await Run(Streams.Plan(athleteId), Deciders.Plan,
            new AdjustWeek(monday, athlete.HistoryAsOf(TrainingCalendar.LocalDate(at)), athlete.OpenFindingList(), settings), at);
        var plan = (await streams.LoadAsync(Streams.Plan(athleteId), Deciders.Plan, CancellationToken.None)).State;
        if (approve && plan.Pending.ContainsKey(monday))
            await Run(Streams.Plan(athleteId), Deciders.Plan, new ApproveAdjustment(monday, coachId, athlete.Pauses), Dublin(monday.ToDateTime(new TimeOnly(7, 30))));
    }

    private async Task<List<PlannedSession>> SameAsLastWeekAsync(Guid athleteId, DateOnly monday)
    {
        var plan = (await streams.LoadAsync(Streams.Plan(athleteId), Deciders.Plan, CancellationToken.None)).State;
        return [.. (plan.WeekOf(monday.AddDays(-7))?.Sessions ?? []).Select(s => s with { SessionId = $"{s.Date.AddDays(7):yyyyMMdd}-coach-{s.SessionId[^3..]}", Date = s.Date.AddDays(7) })];
    }

    /// <summary>
    /// Sessions are run in the morning, up to <paramref name="until"/>; an easy run is missed now and then (never the
    /// long run); distances wander a little around the plan; Ben's back has hurt lately.
    /// </summary>
    private async Task RunSessionAsync(int a, Guid athleteId, Guid shoeId, PlannedSession session, int week, DateTimeOffset until)
    {
        var name = Names[a];
        var seed = (a * 31 + week * 7 + session.Date.Day) % 10;
        var started = Dublin(session.Date.ToDateTime(new TimeOnly(7 + a % 3, 0)));
        if (started.AddMinutes(90) > until || (seed == 0 && session.Type != SessionType.LongRun)) return;
        var meters = (int)(session.DistanceMeters!.Value * (0.95 + seed / 100.0));
        var runId = Id($"{name}:run:{session.Date}");
        var type = session.Type switch { SessionType.LongRun => WorkoutType.LongRun, SessionType.Tempo => WorkoutType.Tempo, _ => WorkoutType.Easy };
        await Run(Streams.Athlete(athleteId), Deciders.Athlete, new LogRun(runId, started, meters, meters * 6 / 20 + 60 * seed,
            type, seed % 3 == 0 ? Surface.Trail : Surface.Road, type == WorkoutType.Tempo ? 7 : 4, ShoeId: shoeId, PlannedSessionId: session.SessionId,
            Prescribed: new PrescribedSession(session.SessionId, session.Type, session.DistanceMeters, session.DurationSeconds)), started.AddMinutes(70));
        var pain = a == DeloadAthlete && week >= WeeksTrained[a] - 1 ? 6 : a % 4 == 2 && seed == 5 ? 2 : 0;
        await Run(Streams.Athlete(athleteId), Deciders.Athlete, new SubmitPainReport(Id($"{name}:report:{session.Date}"), runId,
            new PainScores(pain, pain + (seed % 2)), new PainDescription(), RedFlagAnswers.None,
            new RecoveryContext(SleepHours: 7 + seed / 5.0, Stress: 1 + seed % 3, FearOfHarm: a == DeloadAthlete ? 5 : 2)), started.AddMinutes(90));
    }

    private static List<PlannedSession> WeekOf(DateOnly monday, int volume) =>
    [
        Session("tue", monday.AddDays(1), SessionType.Easy, Intensity.Easy, volume * 20 / 100, "Easy run, conversational pace"),
        Session("thu", monday.AddDays(3), SessionType.Tempo, Intensity.Moderate, volume * 25 / 100, "20 min tempo in the middle"),
        Session("sat", monday.AddDays(5), SessionType.Easy, Intensity.Easy, volume * 20 / 100, "Easy run on grass or trail"),
        Session("sun", monday.AddDays(6), SessionType.LongRun, Intensity.Easy, volume * 35 / 100, "Long run, relaxed"),
    ];

    private static PlannedSession Session(string id, DateOnly date, SessionType type, Intensity intensity, int meters, string description) =>
        new($"{date:yyyyMMdd}-{id}", date, type, intensity, meters / 100 * 100, null, description, []);

    private const string Zone = "Europe/Dublin";

    /// <summary>The demo athletes live in Dublin: instants carry Dublin's offset, as the API gives them.</summary>
    private static DateTimeOffset Dublin(DateTimeOffset instant) => AthleteClock.OnClockOf(Zone, instant);

    private static DateTimeOffset Dublin(DateTime local) =>
        Dublin(new DateTimeOffset(local, TimeZoneInfo.FindSystemTimeZoneById(Zone).GetUtcOffset(local)));

    private async Task Run<TState, TCommand>(string stream, Decider<TState, TCommand> decider, TCommand command, DateTimeOffset at)
    {
        try
        {
            // The demo's past, decided as it would have been then, through the same decision and append as any command.
            var loaded = await streams.LoadAsync(stream, decider, CancellationToken.None);
            await using var session = store.LightweightSession();
            if (loaded.Decide(decider, command, new CommandOptions { UserId = "demo-seed" }, at, session).Refusal is { } refused)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(refused);
            await session.SaveChangesAsync();
        }
        catch (CoachingRuleViolation ex) when (ex.Code is "plan.week-already-planned" or "plan.already-started" or "squad.invite-code-taken" or "plan.no-pending-adjustment")
        {
            // Already there from an earlier, interrupted seed.
        }
    }

    private async Task AccountAsync(Guid userId, string email, string name, string role, DateTimeOffset at)
    {
        var registration = new AccountRegistered(userId, email, name, role, "", at);
        registration = registration with { PasswordHash = Hasher.HashPassword(registration, Password) };
        // False when an earlier, interrupted seed registered it.
        await streams.StartAsync(Streams.Account(email), [registration], "demo-seed", CancellationToken.None);
    }
}
