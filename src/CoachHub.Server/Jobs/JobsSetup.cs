using Quartz;

namespace CoachHub.Server.Jobs;

/// <summary>
/// Quartz, clustered on CoachHub's PostgreSQL (it provisions its own tables): each run of a job fires on one
/// node, and a job that was running on a node that died is recovered by another.
/// </summary>
public static class JobsSetup
{
    public static WebApplicationBuilder AddCoachHubJobs(this WebApplicationBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<WeeklyAdjustments>();
        builder.Services.AddSingleton<DailySweep>();
        if (!builder.Configuration.GetValue("CoachHub:RunJobs", true)) return builder;

        // Every few minutes is enough to meet "Sunday 18:00 local" in every time zone within minutes.
        var every = TimeSpan.FromSeconds(builder.Configuration.GetValue("CoachHub:JobIntervalSeconds", 300));
        builder.Services.AddQuartz(q =>
        {
            // The node's name is its Quartz instance id, so that logs and qrtz_fired_triggers say which node ran what.
            var node = builder.Configuration["CoachHub:NodeName"] ?? $"{Environment.MachineName}-{Environment.ProcessId}";
            q.ConfigureScheduler(s => { s.InstanceName = "CoachHub"; s.InstanceId = node; });
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(connectionString);
                store.UseClustering(c => { c.CheckinInterval = TimeSpan.FromSeconds(5); c.CheckinMisfireThreshold = TimeSpan.FromSeconds(15); });
                store.ProvisionSchema();
            });
            q.ScheduleJob<WeeklyAdjustmentJob>(
                t => t.WithIdentity("weekly-adjustment-trigger").StartNow().WithSimpleSchedule(s => s.WithInterval(every).RepeatForever()),
                j => j.WithIdentity(WeeklyAdjustments.Job).RequestRecovery().DisallowConcurrentExecution());
            q.ScheduleJob<DailySweepJob>(
                t => t.WithIdentity("daily-sweep-trigger").StartNow().WithSimpleSchedule(s => s.WithInterval(every).RepeatForever()),
                j => j.WithIdentity(DailySweep.Job).RequestRecovery().DisallowConcurrentExecution());
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return builder;
    }
}

public sealed class WeeklyAdjustmentJob(WeeklyAdjustments adjustments) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await adjustments.RunDueAsync(cancellationToken);
}

public sealed class DailySweepJob(DailySweep sweep) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await sweep.RunDueAsync(cancellationToken);
}
