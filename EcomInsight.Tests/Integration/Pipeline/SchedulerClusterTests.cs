using EcomInsight.Domain;
using EcomInsight.Domain.Database;
using EcomInsight.Domain.Pipeline;
using EcomInsight.Forecasting.Pipeline;
using EcomInsight.Forecasting.Scoring;
using EcomInsight.Web.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Quartz;

namespace EcomInsight.Tests.Integration.Pipeline;

/// <summary>
/// Two application hosts with the scheduler on, sharing one clustered Quartz store in a fresh migrated database (as two
/// app instances would). The 'score' step is replaced by a probe that counts executions and can hang until cancelled.
/// </summary>
[Collection("postgres")]
[Trait("Category", "Integration")]
public sealed class SchedulerClusterTests(PostgresFixture postgres)
{
    private sealed class Probe
    {
        private int _runs;

        public int Runs => _runs;

        /// <summary>When set, the first execution starts a model run and hangs until cancelled (a job killed mid-run).</summary>
        public bool HangFirst { get; init; }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<PipelineStepResult> RunAsync(NpgsqlDataSource db, PipelineContext context, CancellationToken token)
        {
            var run = Interlocked.Increment(ref _runs);
            if (HangFirst && run == 1)
            {
                // Like the real step: the run row is committed as 'running' before the work, then the process is stopped.
                await new RunStore(db).StartAsync("score", Frequency.Weekly, null, context.Instance, CancellationToken.None);
                Started.TrySetResult();
                await Task.Delay(Timeout.Infinite, token);
            }

            Started.TrySetResult();
            await Task.Delay(1500, token); // long enough for the other node to try to take the same trigger
            return new PipelineStepResult(1, $"probe run {run} on {context.Instance}");
        }
    }

    private sealed class ProbeStep(Probe probe, NpgsqlDataSource db) : IPipelineStep
    {
        public Task<PipelineStepResult> RunAsync(PipelineContext context, CancellationToken cancellationToken) => probe.RunAsync(db, context, cancellationToken);
    }

    private static IHost BuildHost(string connectionString, Probe probe)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:EcomInsight"] = connectionString,
            ["Database:UseLocalCluster"] = "false",
            ["Pipeline:Clock"] = "wall",
            ["Scheduler:CheckinIntervalSeconds"] = "1",
            ["Scheduler:CheckinMisfireSeconds"] = "1",
        };
        foreach (var step in SchedulerOptions.AllSteps)
        {
            settings[$"Scheduler:Cron:{step}"] = ""; // nothing fires by itself; the tests trigger
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddEcomInsightDomain(builder.Configuration);
        builder.Services.AddEcomInsightJobs(builder.Configuration);
        builder.Services.AddKeyedScoped<IPipelineStep>(PipelineSteps.Score, (provider, _) => new ProbeStep(probe, provider.GetRequiredService<NpgsqlDataSource>()));
        return builder.Build();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task AJobTriggeredOnAClusterOfTwoInstancesRunsExactlyOnce()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync();
        await using var db = NpgsqlDataSource.Create(connectionString);
        await new Migrator(db).MigrateAsync();
        var probe = new Probe();
        using var first = BuildHost(connectionString, probe);
        using var second = BuildHost(connectionString, probe);
        await first.StartAsync();
        await second.StartAsync();
        try
        {
            var scheduler = await first.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            await scheduler.TriggerJob(JobKeys.For(PipelineSteps.Score), null);
            await WaitForAsync(async () => await ScalarAsync<long>(db, "SELECT count(*) FROM job_run WHERE job = 'score' AND status = 'succeeded'") == 1, TimeSpan.FromSeconds(60), "the triggered job");
            await Task.Delay(3000); // a second execution, if any, would start within this

            Assert.Equal(1, probe.Runs);
            Assert.Equal(1L, await ScalarAsync<long>(db, "SELECT count(*) FROM job_run WHERE job = 'score'"));
            Assert.Equal("schedule", await ScalarAsync<string>(db, "SELECT trigger FROM job_run WHERE job = 'score'"));
            Assert.Equal(2L, await ScalarAsync<long>(db, "SELECT count(DISTINCT instance_name) FROM qrtz_scheduler_state"));
            Assert.Equal(1L, await ScalarAsync<long>(db, "SELECT rows_written FROM job_run WHERE job = 'score'"));
        }
        finally
        {
            await second.StopAsync();
            await first.StopAsync();
        }
    }

    [Fact]
    public async Task AJobKilledMidRunIsRecoveredByTheOtherInstanceAndLeavesNoRunningOrPartialRun()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync();
        await using var db = NpgsqlDataSource.Create(connectionString);
        await new Migrator(db).MigrateAsync();
        var probe = new Probe { HangFirst = true };
        using var doomed = BuildHost(connectionString, probe);
        await doomed.StartAsync();
        var scheduler = await doomed.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.TriggerJob(JobKeys.For(PipelineSteps.Score), null);
        await probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(1L, await ScalarAsync<long>(db, "SELECT count(*) FROM model_run WHERE status = 'running'"));

        // The instance goes away without waiting for its job: the job is cancelled mid-run and handed back for recovery.
        await scheduler.Shutdown(waitForJobsToComplete: false);
        using var survivor = BuildHost(connectionString, probe);
        await survivor.StartAsync();
        try
        {
            await WaitForAsync(async () => await ScalarAsync<long>(db, "SELECT count(*) FROM job_run WHERE job = 'score' AND status = 'succeeded'") == 1, TimeSpan.FromSeconds(90), "the recovered job");

            Assert.Equal(2, probe.Runs);
            Assert.Equal("recovery", await ScalarAsync<string>(db, "SELECT trigger FROM job_run WHERE job = 'score' AND status = 'succeeded'"));
            Assert.Equal(1L, await ScalarAsync<long>(db, "SELECT count(*) FROM job_run WHERE job = 'score' AND status IN ('failed', 'abandoned')"));
            Assert.Equal(0L, await ScalarAsync<long>(db, "SELECT count(*) FROM model_run WHERE status IN ('running', 'succeeded')"));
            Assert.Equal(1L, await ScalarAsync<long>(db, "SELECT count(*) FROM model_run WHERE status = 'failed'"));
        }
        finally
        {
            await survivor.StopAsync();
            await doomed.StopAsync();
        }
    }

    [Fact]
    public async Task AStepThatNobodyRegisteredIsRecordedAsFailedWithoutStoppingTheScheduler()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync();
        await using var db = NpgsqlDataSource.Create(connectionString);
        await new Migrator(db).MigrateAsync();
        var probe = new Probe();
        using var host = BuildHost(connectionString, probe);
        await host.StartAsync();
        try
        {
            var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            await scheduler.TriggerJob(JobKeys.For(PipelineSteps.DigestWeekly), null);
            await WaitForAsync(async () => await ScalarAsync<long>(db, "SELECT count(*) FROM job_run WHERE job = 'digest-weekly' AND status = 'failed'") == 1, TimeSpan.FromSeconds(60), "the unregistered step");
            await scheduler.TriggerJob(JobKeys.For(PipelineSteps.Score), null);
            await WaitForAsync(async () => await ScalarAsync<long>(db, "SELECT count(*) FROM job_run WHERE job = 'score' AND status = 'succeeded'") == 1, TimeSpan.FromSeconds(60), "the next job");

            Assert.StartsWith("step not registered", await ScalarAsync<string>(db, "SELECT error FROM job_run WHERE job = 'digest-weekly'"), StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
