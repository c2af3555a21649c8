using System.Globalization;
using CoachHub.Server.Platform;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using CoachHub.Domain.Squads;
using CoachHub.Server.ReadModels;
using Npgsql;
using Wolverine.ErrorHandling;
using Wolverine.Marten;
using Wolverine.Runtime.Handlers;

namespace CoachHub.Server.Jobs;

/// <summary>
/// Hangfire owns the clock (ADR 0009): recurring jobs kept in the <c>hangfire</c> schema of CoachHub's PostgreSQL,
/// each firing enqueued once for all nodes and run by one of them; what a run does is Wolverine commands keyed per
/// athlete-week or athlete-day, so a second run, a catch-up or a manual trigger changes nothing already done.
/// </summary>
public static class JobsSetup
{
    public const string Schema = "hangfire";
    public const string DashboardPath = "/hangfire";

    public static WebApplicationBuilder AddCoachHubJobs(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton<WeeklyAdjustments>();
        services.AddSingleton<DailySweep>();
        services.AddSingleton<JobRuns>();
        services.AddSingleton<JobLedger>();
        services.AddSingleton<WeeklyDigest>();
        var every = TimeSpan.FromSeconds(builder.Configuration.GetValue("CoachHub:JobIntervalSeconds", 300));
        // Each host its own storage and activator, registered before Hangfire's process-wide defaults
        // (JobStorage.Current, JobActivator.Current; HangfireIO/Hangfire#2151): test hosts share one process.
        services.AddSingleton<JobStorage>(sp => new PostgreSqlStorage(new DataSourceConnections(sp.GetRequiredService<NpgsqlDataSource>()),
            new PostgreSqlStorageOptions
            {
                SchemaName = Schema,
                // Created by the server's migrations (ServerMigrations), never as a side effect of starting.
                PrepareSchemaIfNecessary = false,
                // NOTIFY wakes a waiting worker as soon as a job is queued; the poll is the fallback.
                EnableLongPolling = true,
                QueuePollInterval = every < TimeSpan.FromSeconds(15) ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(15),
                // A job whose node died is queued again once its heartbeats stop for this long.
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = TimeSpan.FromMinutes(1),
                // Hangfire's own locks (a recurring job's while it is scheduled or registered) are held for moments; one
                // left by a node killed while holding it is taken over after this, not the default 10 minutes.
                DistributedLockTimeout = TimeSpan.FromSeconds(15),
            }));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(c => c.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        if (!builder.Configuration.GetValue("CoachHub:RunJobs", true)) return builder;

        var node = builder.Configuration["CoachHub:NodeName"] ?? $"{Environment.MachineName}-{Environment.ProcessId}";
        services.AddHangfireServer((sp, o) =>
        {
            // The node's name, so that the dashboard's servers and a job's history say which node ran what.
            o.ServerName = node;
            o.WorkerCount = 2;
            o.SchedulePollingInterval = every < TimeSpan.FromSeconds(15) ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(15);
            o.Activator = sp.GetRequiredService<JobActivator>();
        });
        var digestCron = builder.Configuration["CoachHub:WeeklyDigestCron"] ?? WeeklyDigest.Cron;
        services.AddHostedService(sp => new RecurringJobs(sp.GetRequiredService<IRecurringJobManager>(), Cron(every), digestCron,
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<ILogger<RecurringJobs>>()));
        return builder;
    }

    /// <summary>The dashboard at /hangfire, for admins only: recurring jobs, history, failures, a manual run.</summary>
    public static WebApplication UseCoachHubJobsDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [new AdminsOnly()],
            AppPath = "/#/operations",
            DashboardTitle = "CoachHub jobs",
            DisplayStorageConnectionString = false,
        });
        return app;
    }

    /// <summary>A squad's settings changed: its own job follows (Wolverine's event forwarding, in the change's transaction).</summary>
    public static void Forward(IEventForwarding forwarding)
    {
        ArgumentNullException.ThrowIfNull(forwarding);
        forwarding.SubscribeToEvent<SquadSettingsChanged>().TransformedTo(e => new SquadClockChanged(Streams.IdOf(e.StreamKey!)));
    }

    /// <summary>
    /// The work a firing publishes waits in durable local queues (in the wolverine schema until handled, so a node that
    /// dies leaves it to another), a few athletes at a time; a firing's work never queues behind the live news.
    /// </summary>
    public static void Route(Wolverine.WolverineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.LocalQueue(WeeklyAdjustments.Queue).MaximumParallelMessages(WeeklyAdjustments.Concurrency);
        options.LocalQueue(DailySweep.Queue).MaximumParallelMessages(WeeklyAdjustments.Concurrency);
        options.PublishMessage<WeekToAdjust>().ToLocalQueue(WeeklyAdjustments.Queue);
        options.PublishMessage<SquadWeekToClose>().ToLocalQueue(WeeklyAdjustments.Queue);
        options.PublishMessage<DayToSweep>().ToLocalQueue(DailySweep.Queue);
        options.LocalQueue(WeeklyDigest.Job).MaximumParallelMessages(2);
        options.PublishMessage<DigestToSend>().ToLocalQueue(WeeklyDigest.Job);
    }

    /// <summary>Every few minutes meets "Sunday 18:00 local" in every time zone within minutes; seconds in tests.</summary>
    internal static string Cron(TimeSpan every) => every.TotalSeconds switch
    {
        < 60 => $"*/{Math.Max(1, (int)every.TotalSeconds).ToString(CultureInfo.InvariantCulture)} * * * * *",
        _ => $"*/{Math.Max(1, (int)every.TotalMinutes).ToString(CultureInfo.InvariantCulture)} * * * *",
    };

    private sealed class AdminsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Admin);
    }

    /// <summary>Hangfire's connections from the node's one data source (its pool, its name, its traces).</summary>
    private sealed class DataSourceConnections(NpgsqlDataSource db) : IConnectionFactory
    {
        public NpgsqlConnection GetOrCreateConnection() => db.CreateConnection();
    }
}

/// <summary>
/// Registers the recurring jobs on every node as it starts: the same id and schedule, so registering again changes
/// nothing. Registering takes the job's Hangfire lock; one left by a node that was killed holding it expires within
/// 15 s, so a node that cannot take it tries again instead of failing to start.
/// </summary>
internal sealed class RecurringJobs(IRecurringJobManager jobs, string cron, string digestCron, NpgsqlDataSource db, ILogger<RecurringJobs> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Hangfire's registration blocks while it waits for the lock: off the start-up path.
        await Task.Yield();
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                jobs.AddOrUpdate<JobRuns>(WeeklyAdjustments.Job, r => r.WeeklyAdjustmentAsync(CancellationToken.None), cron);
                jobs.AddOrUpdate<JobRuns>(DailySweep.Job, r => r.DailySweepAsync(CancellationToken.None), cron);
                jobs.AddOrUpdate<JobRuns>(WeeklyDigest.Job, r => r.WeeklyDigestAsync(CancellationToken.None), digestCron);
                // Each squad's own job as its settings say now (read again just before, so a change handled meanwhile is
                // not undone): a change made while no node ran, or by the demo, included.
                foreach (var squadId in await SquadSchedules.SquadIdsAsync(db, stoppingToken))
                    if (await SquadSchedules.SettingsAsync(db, squadId, stoppingToken) is { } settings) SquadSchedules.Apply(jobs, squadId, settings);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Registering the recurring jobs failed (attempt {Attempt}); trying again in 5 s", attempt);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }
}

/// <summary>
/// What a firing runs. One run of each job at a time across the nodes: a PostgreSQL advisory lock, held by the run's
/// connection, which a dead node's connection gives up within a second (Platform/Database.cs); a firing that finds
/// it taken ends at once, and the next firing after the run ends carries on where it stopped (the commands are
/// keyed, and job_runs skips what is done). A failed run is not retried by Hangfire: the next firing is the retry.
/// </summary>
public sealed class JobRuns(WeeklyAdjustments adjustments, DailySweep sweep, WeeklyDigest digest, NpgsqlDataSource db, ILogger<JobRuns> logger)
{
    [AutomaticRetry(Attempts = 0)]
    public Task WeeklyAdjustmentAsync(CancellationToken ct) => AloneAsync(WeeklyAdjustments.Job, adjustments.RunDueAsync, ct);

    [AutomaticRetry(Attempts = 0)]
    public Task DailySweepAsync(CancellationToken ct) => AloneAsync(DailySweep.Job, sweep.RunDueAsync, ct);

    [AutomaticRetry(Attempts = 0)]
    public Task WeeklyDigestAsync(CancellationToken ct) => AloneAsync(WeeklyDigest.Job, digest.RunDueAsync, ct);

    /// <summary>One squad with a clock of its own, at its day and hour there (<see cref="SquadSchedules"/>).</summary>
    [AutomaticRetry(Attempts = 0)]
    public Task SquadWeeklyAdjustmentAsync(Guid squadId, CancellationToken ct) =>
        AloneAsync(SquadSchedules.JobId(squadId), c => adjustments.RunDueAsync(squadId, c), ct);

    private async Task AloneAsync(string job, Func<CancellationToken, Task<JobReport>> run, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        // 64-bit keys, as the migrations' lock; taken without the run's token, so a cancellation cannot leave a lock
        // granted and the finally below unrun.
        await using (var take = new NpgsqlCommand("select pg_try_advisory_lock(hashtextextended($1, 0))", connection) { Parameters = { new() { Value = job } } })
        {
            if (await take.ExecuteScalarAsync(CancellationToken.None) is not true)
            {
                logger.LogDebug("{Job}: a run is under way on another node", job);
                return;
            }
        }
        try
        {
            await run(ct);
        }
        finally
        {
            await using var release = new NpgsqlCommand("select pg_advisory_unlock(hashtextextended($1, 0))", connection) { Parameters = { new() { Value = job } } };
            await release.ExecuteScalarAsync(CancellationToken.None);
        }
    }
}

/// <summary>A squad's settings changed: its recurring job is added, moved or removed to match.</summary>
public sealed record SquadClockChanged(Guid SquadId);

/// <summary>
/// A squad with a clock of its own (settings.timeZone) has its own recurring job, "weekly-adjustment:SQUAD", at its
/// adjustment day and hour in that zone, so that its week is decided at that moment; the periodic job is the safety
/// net behind it (WeeklyAdjustments.RunDueAsync).
/// </summary>
public static class SquadSchedules
{
    public static string JobId(Guid squadId) => $"{WeeklyAdjustments.Job}:{squadId:N}";

    /// <summary>Minute 0 of the squad's hour on its day (Hangfire's cron: 0 is Sunday).</summary>
    public static string Cron(SquadSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return string.Create(CultureInfo.InvariantCulture, $"0 {settings.WeeklyAdjustmentHour} * * {(int)settings.WeeklyAdjustmentDay}");
    }

    public static void Apply(IRecurringJobManager jobs, Guid squadId, SquadSettings settings)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.TimeZone is not { } zone || !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var timeZone))
        {
            jobs.RemoveIfExists(JobId(squadId));
            return;
        }
        jobs.AddOrUpdate<JobRuns>(JobId(squadId), r => r.SquadWeeklyAdjustmentAsync(squadId, CancellationToken.None), Cron(settings),
            new RecurringJobOptions { TimeZone = timeZone });
    }

    public static async Task<SquadSettings?> SettingsAsync(NpgsqlDataSource db, Guid squadId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var cmd = db.CreateCommand($"select settings::text from {CoachingProjection.SchemaName}.squads where squad_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = squadId });
        return await cmd.ExecuteScalarAsync(ct) is string json ? System.Text.Json.JsonSerializer.Deserialize(json, CoachingJson.Default.SquadSettings) : null;
    }

    public static async Task<List<Guid>> SquadIdsAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var cmd = db.CreateCommand($"select squad_id from {CoachingProjection.SchemaName}.squads");
        var list = new List<Guid>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(r.GetGuid(0));
        return list;
    }
}

public static class SquadClockChangedHandler
{
    /// <summary>The database or Hangfire's lock away: tried again after 1, 5 and 30 s, then a dead letter for an admin.</summary>
    public static void Configure(HandlerChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        chain.OnAnyException().RetryWithCooldown(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)).Then.ScheduleRetry(TimeSpan.FromSeconds(30)).Then.MoveToErrorQueue();
    }

    /// <summary>Reads the settings as they stand now (the change is committed): a later change wins whatever the order.</summary>
    public static async Task Handle(SquadClockChanged changed, NpgsqlDataSource db, IRecurringJobManager jobs, CancellationToken ct)
    {
        if (await SquadSchedules.SettingsAsync(db, changed.SquadId, ct) is { } settings) SquadSchedules.Apply(jobs, changed.SquadId, settings);
    }
}
