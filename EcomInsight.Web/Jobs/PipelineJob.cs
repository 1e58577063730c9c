using EcomInsight.Domain.Pipeline;
using Quartz;

namespace EcomInsight.Web.Jobs;

/// <summary>
/// The one Quartz job class: runs the pipeline step named by the job data entry <see cref="StepKey"/> (a string, the
/// only thing in the data map) through <see cref="JobRunner"/>. One durable job per step, never two executions of the
/// same step at once across the cluster ([DisallowConcurrentExecution]), recovered by another node when its node dies
/// (RequestRecovery). A recovered execution first marks the dead execution's 'running' rows failed/abandoned.
/// A failed step is rethrown as a <see cref="JobExecutionException"/> (no refire) so that listeners see it.
/// </summary>
[DisallowConcurrentExecution]
public sealed class PipelineJob(JobRunner runner, ILogger<PipelineJob> logger) : IJob
{
    /// <summary>Job data key holding the step name.</summary>
    public const string StepKey = "step";

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var step = context.MergedJobDataMap.GetString(StepKey) ?? context.JobDetail.Key.Name;
        var instance = context.Scheduler.SchedulerInstanceId;
        if (context.Recovering)
        {
            // [DisallowConcurrentExecution] holds across the cluster, so any 'running' row of this step is the dead one's.
            var swept = await runner.SweepAsync(null, step).ConfigureAwait(false);
            logger.LogWarning("Recovering job {Step} on {Instance}; {Rows} stale run rows marked failed", step, instance, swept);
        }

        var outcome = await runner.RunAsync(step, context.Recovering ? "recovery" : "schedule", instance, context.FireInstanceId, null, cancellationToken).ConfigureAwait(false);
        context.Result = outcome;
        cancellationToken.ThrowIfCancellationRequested();
        if (!outcome.Succeeded)
        {
            throw new JobExecutionException($"{step}: {outcome.Error}");
        }
    }
}

/// <summary>Runs the chained step (<see cref="SchedulerOptions.Chain"/>) after a step succeeds, e.g. warnings after scoring.</summary>
public sealed class JobChainListener(IReadOnlyDictionary<string, string> chain) : IJobListener
{
    /// <inheritdoc />
    public string Name => "ecominsight-chain";

    /// <inheritdoc />
    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask JobProgressChanged(IJobExecutionContext context, Quartz.Extensibility.FireInstanceProgress progress, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (jobException is null && chain.TryGetValue(context.JobDetail.Key.Name, out var next))
        {
            await context.Scheduler.TriggerJob(JobKeys.For(next), null, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>Quartz keys of the step jobs.</summary>
public static class JobKeys
{
    /// <summary>Job group of every pipeline job.</summary>
    public const string Group = "pipeline";

    /// <summary>The job key of <paramref name="step"/>.</summary>
    public static JobKey For(string step) => new(step, Group);

    /// <summary>The steps Quartz knows, in <see cref="PipelineSteps.FullRunOrder"/> order first.</summary>
    public static IReadOnlyList<string> Steps => SchedulerOptions.AllSteps;
}
