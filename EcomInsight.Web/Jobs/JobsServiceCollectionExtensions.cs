using EcomInsight.Domain.Database;
using EcomInsight.Forecasting.Scoring;
using Microsoft.Extensions.Options;
using Quartz;

namespace EcomInsight.Web.Jobs;

/// <summary>Registers the pipeline steps' runner and the Quartz scheduler.</summary>
public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the training/scoring steps (<see cref="PipelineServiceCollectionExtensions.AddEcomInsightPipeline"/>),
    /// <see cref="SchedulerOptions"/> (section <c>Scheduler</c>), <see cref="JobRunner"/> and Quartz 4 with the persistent
    /// ADO.NET job store in the application's PostgreSQL (tables of migration 0007, PostgreSQL delegate, clustered, job
    /// data stored as strings, System.Text.Json serializer): one durable, recoverable <see cref="PipelineJob"/> per step,
    /// cron triggers in <see cref="SchedulerOptions.TimeZone"/>, and <see cref="JobChainListener"/>. The hosted scheduler
    /// starts only when <c>Scheduler:Enabled</c> is true (default).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">Read for the <c>Scheduler</c> section (at registration: which jobs and triggers exist).</param>
    public static IServiceCollection AddEcomInsightJobs(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddEcomInsightPipeline();
        services.TryAddSingletonTimeProvider();
        services.AddOptions<SchedulerOptions>()
            .BindConfiguration(SchedulerOptions.SectionName)
            .Validate(o => o.CheckinIntervalSeconds >= 1 && o.CheckinMisfireSeconds >= 1, "Scheduler:CheckinIntervalSeconds and Scheduler:CheckinMisfireSeconds must be at least 1.")
            .Validate(o => IsKnownZone(o.TimeZone), "Scheduler:TimeZone must be a known time zone id, e.g. Europe/London.")
            .ValidateOnStart();
        services.AddSingleton<JobRunner>();
        // The Admin → Jobs page reads the schedule and runs steps through the same runner.
        services.AddScoped<Features.Jobs.JobStatusQueries>();
        services.AddHostedService<RunSweepAtStart>();

        var settings = new SchedulerOptions();
        configuration.GetSection(SchedulerOptions.SectionName).Bind(settings);
        var zone = IsKnownZone(settings.TimeZone) ? settings.FindTimeZone() : TimeZoneInfo.Utc;
        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(s =>
            {
                s.InstanceName = "EcomInsight";
                s.ShutdownJobInterruption = ShutdownJobInterruption.WhenNotWaitingForJobs;
            });
            quartz.UseDefaultTimeZone(zone);
            quartz.UsePersistentStore(store =>
            {
                store.UsePostgres(source => source.DataSourceFactory = provider => provider.GetRequiredService<Npgsql.NpgsqlDataSource>());
                store.UseClustering(cluster =>
                {
                    cluster.CheckinInterval = TimeSpan.FromSeconds(settings.CheckinIntervalSeconds);
                    cluster.CheckinMisfireThreshold = TimeSpan.FromSeconds(settings.CheckinMisfireSeconds);
                });
                store.UseSystemTextJsonSerializer();
                store.ConfigureStore(ado =>
                {
                    ado.StoreJobDataAsStrings = true;
                    ado.TablePrefix = "qrtz_";
                    ado.SchemaProvisioning = SchemaProvisioning.Validate; // migration 0007 creates the tables; Quartz checks them at start
                    ado.RecoverFiringsCancelledByShutdown = true;
                });
            });
            foreach (var step in SchedulerOptions.AllSteps)
            {
                quartz.AddJob<PipelineJob>(job => job
                    .WithIdentity(JobKeys.For(step))
                    .WithDescription($"Pipeline step '{step}'")
                    .StoreDurably()
                    .RequestRecovery()
                    .UsingJobData(PipelineJob.StepKey, step));
                if (settings.Cron.TryGetValue(step, out var cron) && !string.IsNullOrWhiteSpace(cron))
                {
                    quartz.AddTrigger(trigger => trigger
                        .ForJob(JobKeys.For(step))
                        .WithIdentity(step + "-cron", JobKeys.Group)
                        .WithCronSchedule(cron, schedule => schedule.InTimeZone(zone)));
                }
            }

            quartz.AddJobListener(provider => new JobChainListener(settings.Chain), []);
        });
        if (settings.Enabled)
        {
            services.AddQuartzHostedService(hosted => hosted.WaitForJobsToComplete = true);
        }

        return services;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    private static bool IsKnownZone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
}

/// <summary>At start, marks 'running' model and job runs older than Pipeline:StaleRunHours failed (their process died).</summary>
internal sealed class RunSweepAtStart(JobRunner runner, ILogger<RunSweepAtStart> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var swept = await runner.SweepAsync(null, null).ConfigureAwait(false);
            if (swept > 0)
            {
                logger.LogWarning("Recovery sweep: {Rows} stale 'running' model/job runs marked failed", swept);
            }
        }
        catch (Npgsql.NpgsqlException e)
        {
            logger.LogWarning(e, "Recovery sweep skipped: the database is not reachable");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
