using CoachHub.Domain;
using CoachHub.Domain.Athletes;

namespace CoachHub.Domain.Tests.Support;

/// <summary>Writes an athlete's history the way a coach would describe it: runs, reports, shoes, clearances.</summary>
internal sealed class HistoryBuilder(DateOnly today)
{
    private readonly List<RunLogged> runs = [];
    private readonly List<PainReportSubmitted> reports = [];
    private readonly List<Shoe> shoes = [];
    private readonly List<ClearedToRun> clearances = [];
    private int nextId;

    public HistoryBuilder()
        : this(Clock.Today)
    {
    }

    public DateOnly Today { get; } = today;

    public static Guid Id(int n) => Guid.Parse($"00000000-0000-0000-0000-{n:D12}");

    public DateOnly DaysAgo(int days) => Today.AddDays(-days);

    public Guid Run(
        DateOnly day,
        double km,
        WorkoutType workout = WorkoutType.Easy,
        Surface surface = Surface.Road,
        int? minutes = null,
        int rpe = 4,
        Guid? shoe = null,
        int hour = 7,
        string? plannedSessionId = null,
        Plans.PrescribedSession? prescribed = null)
    {
        var id = Id(++nextId);
        var meters = (int)Math.Round(km * 1000);
        runs.Add(new RunLogged(id, Clock.At(day, hour), meters, (minutes ?? (int)Math.Round(km * 6)) * 60, workout, surface, rpe, ShoeId: shoe,
            PlannedSessionId: plannedSessionId, Prescribed: prescribed));
        return id;
    }

    public Guid Report(
        DateOnly day,
        int painNow,
        int? worst = null,
        int? nextMorning = null,
        int? before = null,
        Guid? run = null,
        RedFlagAnswers? flags = null,
        PainDescription? description = null,
        RecoveryContext? context = null,
        int hour = 20)
    {
        var id = Id(++nextId);
        reports.Add(new PainReportSubmitted(
            id,
            run,
            Clock.At(day, hour),
            new PainScores(painNow, worst, nextMorning, before),
            description ?? new PainDescription(),
            flags ?? RedFlagAnswers.None,
            context ?? new RecoveryContext()));
        return id;
    }

    public Guid Shoe(string name, double startingKm = 0, bool retired = false)
    {
        var id = Id(++nextId);
        shoes.Add(new Shoe(id, name, (int)Math.Round(startingKm * 1000), retired));
        return id;
    }

    public HistoryBuilder Clearance(DateTimeOffset at)
    {
        clearances.Add(new ClearedToRun(Id(999), "physiotherapist", TrainingCalendar.LocalDate(at), null, at));
        return this;
    }

    public IReadOnlyList<RunLogged> Runs => runs;

    public AthleteHistory Build() => new(Today, runs.ToList(), reports.ToList(), shoes.ToList(), clearances.ToList());
}
