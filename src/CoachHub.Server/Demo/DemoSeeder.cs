using CoachHub.Domain;
using CoachHub.Domain.Athletes;
using CoachHub.Domain.Plans;
using CoachHub.Domain.Squads;
using CoachHub.EventStore;
using CoachHub.Server.Accounts;
using CoachHub.Server.Platform;
using Microsoft.AspNetCore.Identity;

namespace CoachHub.Server.Demo;

/// <summary>
/// A demo squad for ./coachhub run: a coach, twelve athletes and eight weeks of history, replayed through the
/// same commands the API uses, each at the time it happened. Ids are derived from names, so running it again
/// changes nothing; the coach's account is written last and marks the seed as complete.
/// </summary>
internal sealed class DemoSeeder(CommandPipeline pipeline, PostgresEventStore store, TimeProvider time, ILogger<DemoSeeder> logger) : IHostedService
{
    public const string CoachEmail = "coach@demo.coachhub.app";
    public const string Password = "demo-password";
    private static readonly PasswordHasher<AccountRegistered> Hasher = new();

    private static readonly string[] Names =
    [
        "Aoife Byrne", "Ben Okafor", "Carla Mendes", "Dara Walsh", "Eoin Murphy", "Fatima Khan",
        "Gus Lindqvist", "Hana Sato", "Ivan Petrov", "Jess Doyle", "Kofi Mensah", "Lena Fischer",
    ];

    /// <summary>Aoife reported a red flag two days ago; Ben's pain after runs calls for a deload.</summary>
    private const int RedFlagAthlete = 0, DeloadAthlete = 1;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (coachAccount, _) = await store.AggregateAsync(Streams.Account(CoachEmail), AccountState.Decider.Initial, AccountState.Decider.Evolve, cancellationToken);
        if (coachAccount.Registration is null)
        {
            logger.LogInformation("Seeding the demo squad (once)...");
            await SeedAsync(cancellationToken);
        }
        // The demo's codes are random like any other, made when it is seeded: nothing guessable works anywhere.
        var (squad, _) = await pipeline.LoadAsync(Streams.Squad(Id("squad")), Deciders.Squad, cancellationToken);
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

    private async Task SeedAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var thisWeek = TrainingCalendar.WeekStartOf(today);
        var firstWeek = thisWeek.AddDays(-7 * 8);
        var start = new DateTimeOffset(firstWeek.AddDays(-3).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);
        var coachId = Id("coach");
        var squadId = Id("squad");

        await Run(Streams.Coach(coachId), Deciders.Coach, new RegisterCoach(coachId, "Róisín Demo", CoachEmail), start);
        await Run(Streams.Squad(squadId), Deciders.Squad, new CreateSquad(squadId, coachId, "Riverside Runners"), start);
        var foundingCode = Features.Squads.InviteCodes.New();
        await Run(Streams.Squad(squadId), Deciders.Squad, new InviteAthlete(foundingCode, start.AddDays(89), SingleUse: false), start);
        await Run(Streams.Squad(squadId), Deciders.Squad, new InviteAthlete(Features.Squads.InviteCodes.New(), now.AddDays(90), SingleUse: false), now);

        for (var a = 0; a < Names.Length; a++)
        {
            var name = Names[a];
            var athleteId = Id(name);
            await AccountAsync(athleteId, Email(name), name, Roles.Athlete, start);
            await Run(Streams.Athlete(athleteId), Deciders.Athlete, new RegisterAthlete(athleteId, name, "Europe/Dublin"), start);
            await Run(Streams.Squad(squadId), Deciders.Squad, new JoinSquad(athleteId, foundingCode), start);
            var shoeId = Id(name + ":shoe");
            // Gus's shoes have done more than 500 miles: a CX-SHOE finding for the demo.
            await Run(Streams.Athlete(athleteId), Deciders.Athlete, new AddShoe(shoeId, "Daily trainer", a == 6 ? 790_000 : 40_000 + a * 12_000), start);
            var baseMeters = 18_000 + a * 2_500;
            await Run(Streams.Plan(athleteId), Deciders.Plan, new StartPlan(athleteId, a % 2 == 0 ? "Autumn 10k" : "Half marathon", firstWeek, baseMeters), start);

            for (var week = 0; week <= 9; week++)
            {
                var monday = firstWeek.AddDays(7 * week);
                // Builds about 7% a week with a lighter fourth week, as the squad's settings ask.
                var volume = (int)(baseMeters * Math.Pow(1.07, week) * (week % 4 == 3 ? 0.7 : 1));
                var sessions = WeekOf(monday, volume, week % 4 == 3);
                await Run(Streams.Plan(athleteId), Deciders.Plan, new PlanWeek(monday, sessions, coachId, []), At(monday.AddDays(-1), 20));
                if (monday > thisWeek) continue;
                foreach (var session in sessions.Where(s => s.Date < today))
                {
                    // Most sessions are done, a few missed; distances wander a little around the plan.
                    var seed = (a * 31 + week * 7 + session.Date.Day) % 10;
                    if (seed == 0) continue;
                    var meters = (int)(session.DistanceMeters!.Value * (0.9 + seed / 50.0));
                    var started = At(session.Date, 7 + a % 3);
                    var runId = Id($"{name}:run:{session.Date}");
                    var type = session.Type switch { SessionType.LongRun => WorkoutType.LongRun, SessionType.Tempo => WorkoutType.Tempo, _ => WorkoutType.Easy };
                    await Run(Streams.Athlete(athleteId), Deciders.Athlete, new LogRun(runId, started, meters, meters * 6 / 20 + 60 * seed,
                        type, seed % 3 == 0 ? Surface.Trail : Surface.Road, type == WorkoutType.Tempo ? 7 : 4, ShoeId: shoeId), started.AddMinutes(70));
                    // Most runs are pain-free; a few athletes have an occasional niggle; Ben's back has been sore lately.
                    var pain = a == DeloadAthlete && week >= 7 ? 6 : a % 4 == 2 && seed == 5 ? 2 : 0;
                    await Run(Streams.Athlete(athleteId), Deciders.Athlete, new SubmitPainReport(Id($"{name}:report:{session.Date}"), runId,
                        new PainScores(pain, pain + (seed % 2)), new PainDescription(), RedFlagAnswers.None,
                        new RecoveryContext(SleepHours: 6.5 + seed / 5.0, Stress: 1 + seed % 3, FearOfHarm: a == DeloadAthlete ? 5 : 2)), started.AddMinutes(90));
                }
            }

            if (a == RedFlagAthlete)
                await Run(Streams.Athlete(athleteId), Deciders.Athlete, new SubmitPainReport(Id($"{name}:red-flag"), null,
                    new PainScores(6, 7), new PainDescription(PainLocation.Left, PainSpread.BelowKnee, PainOnset.RightAfter, PainCharacter.ShootingOrZingy),
                    RedFlagAnswers.None with { LegWeakness = true }, new RecoveryContext(6, 3, 6, 9)), now.AddDays(-2));
        }
        // Written last: its presence means the whole seed is there.
        await AccountAsync(coachId, CoachEmail, "Róisín Demo", Roles.Coach, start);
        logger.LogInformation("Demo squad seeded");
    }

    private static List<PlannedSession> WeekOf(DateOnly monday, int volume, bool lighter) =>
    [
        Session("tue", monday.AddDays(1), SessionType.Easy, Intensity.Easy, volume * 20 / 100, "Easy run, conversational pace"),
        Session("thu", monday.AddDays(3), lighter ? SessionType.Easy : SessionType.Tempo, lighter ? Intensity.Easy : Intensity.Moderate,
            volume * 25 / 100, lighter ? "Easy run" : "20 min tempo in the middle"),
        Session("sat", monday.AddDays(5), SessionType.Easy, Intensity.Easy, volume * 20 / 100, "Easy run on grass or trail"),
        Session("sun", monday.AddDays(6), SessionType.LongRun, Intensity.Easy, volume * 35 / 100, "Long run, relaxed"),
    ];

    private static PlannedSession Session(string id, DateOnly date, SessionType type, Intensity intensity, int meters, string description) =>
        new($"{date:yyyyMMdd}-{id}", date, type, intensity, meters, null, description, []);

    private static DateTimeOffset At(DateOnly date, int hour) => new(date.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);

    private async Task Run<TState, TCommand>(string stream, Decider<TState, TCommand> decider, TCommand command, DateTimeOffset at)
    {
        try
        {
            await pipeline.RunAsync(stream, decider, _ => command, new CommandOptions { Now = at, UserId = "demo-seed" });
        }
        catch (CoachingRuleViolation ex) when (ex.Code is "plan.week-already-planned" or "plan.already-started" or "squad.invite-code-taken")
        {
            // Already there from an earlier, interrupted seed.
        }
    }

    private async Task AccountAsync(Guid userId, string email, string name, string role, DateTimeOffset at)
    {
        var registration = new AccountRegistered(userId, email, name, role, "", at);
        registration = registration with { PasswordHash = Hasher.HashPassword(registration, Password) };
        try
        {
            await store.AppendAsync(Streams.Account(email), ExpectedVersion.NoStream, registration);
        }
        catch (ConcurrencyException)
        {
            // Registered by an earlier, interrupted seed.
        }
    }
}
