using System.Diagnostics;
using EcomInsight.Domain.Data;
using EcomInsight.Domain.Data.Runs;
using EcomInsight.Domain.Pipeline;
using EcomInsight.Forecasting.Scoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EcomInsight.Web.Jobs;

/// <summary>Outcome of one step execution, as recorded in <c>job_run</c>.</summary>
/// <param name="JobRunId">The job_run row.</param>
/// <param name="Step">Step name.</param>
/// <param name="Status">'succeeded' or 'failed'.</param>
/// <param name="RowsWritten">Rows the step wrote (0 when it failed).</param>
/// <param name="Detail">The step's summary, or null.</param>
/// <param name="Error">Why it failed, or null.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record JobOutcome(long JobRunId, string Step, string Status, long RowsWritten, string? Detail, string? Error, TimeSpan Elapsed)
{
    /// <summary>Whether the step succeeded.</summary>
    public bool Succeeded => Status == RunStatus.Succeeded;
}

/// <summary>
/// Runs one pipeline step by name, for the Quartz job and the CLI alike: resolves the keyed <see cref="IPipelineStep"/>
/// in its own scope, records a <c>job_run</c> row ('running' first, then the outcome) and never throws for a step
/// failure: the outcome says what happened. A step nobody registered (its helper not merged yet) fails with
/// "step not registered" instead of crashing the scheduler.
/// </summary>
public sealed class JobRunner(IServiceScopeFactory scopes, IDbContextFactory<EcomInsightDbContext> contexts, NpgsqlDataSource dataSource,
    IOptions<PipelineOptions> options, TimeProvider time, ILogger<JobRunner> logger)
{
    /// <summary>The pipeline's "now" per <see cref="PipelineOptions.Clock"/>, unless <paramref name="now"/> is given.</summary>
    public async Task<DateTimeOffset> ResolveNowAsync(DateTimeOffset? now, CancellationToken cancellationToken) =>
        now ?? await new RunStore(dataSource).NowAsync(options.Value.Clock, time, cancellationToken).ConfigureAwait(false);

    /// <summary>Runs <paramref name="step"/> once and records it.</summary>
    /// <param name="step">Step name (<see cref="PipelineSteps"/>).</param>
    /// <param name="trigger">'schedule', 'cli', 'manual' or 'recovery'.</param>
    /// <param name="instance">Scheduler instance id or host name.</param>
    /// <param name="fireInstanceId">Quartz fire instance id, or null.</param>
    /// <param name="now">The step's now; null resolves it from the clock setting.</param>
    /// <param name="cancellationToken">Cancels the step; the job_run row is then 'failed' with the cancellation.</param>
    public async Task<JobOutcome> RunAsync(string step, string trigger, string instance, string? fireInstanceId, DateTimeOffset? now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        var clock = Stopwatch.StartNew();
        var row = new JobRun { Job = step, Trigger = trigger, Instance = instance, FireInstanceId = fireInstanceId, Status = RunStatus.Running, StartedAt = time.GetUtcNow() };
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            db.Set<JobRun>().Add(row);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        string status;
        long rows = 0;
        string? detail = null;
        string? error = null;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var implementation = scope.ServiceProvider.GetKeyedService<IPipelineStep>(step)
                ?? throw new StepNotRegisteredException(step);
            var context = new PipelineContext(await ResolveNowAsync(now, cancellationToken).ConfigureAwait(false), trigger, instance);
            var result = await implementation.RunAsync(context, cancellationToken).ConfigureAwait(false);
            (status, rows, detail) = (RunStatus.Succeeded, result.RowsWritten, result.Detail);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            status = RunStatus.Failed;
            error = e is OperationCanceledException ? "cancelled: " + e.Message : e.Message;
            if (e is StepNotRegisteredException)
            {
                logger.LogWarning("Job {Step}: step not registered; recorded as failed", step);
            }
            else
            {
                logger.LogError(e, "Job {Step} failed", step);
            }
        }

        await using (var db = await contexts.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false))
        {
            // Only a row still 'running' is finished here: a recovery sweep may have marked it abandoned meanwhile.
            await db.Set<JobRun>().Where(j => j.JobRunId == row.JobRunId && j.Status == RunStatus.Running).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, status)
                .SetProperty(j => j.FinishedAt, time.GetUtcNow())
                .SetProperty(j => j.RowsWritten, rows)
                .SetProperty(j => j.Detail, detail)
                .SetProperty(j => j.Error, error), CancellationToken.None).ConfigureAwait(false);
        }

        return new JobOutcome(row.JobRunId, step, status, rows, detail, error, clock.Elapsed);
    }

    /// <summary>Recovery sweep before a recovered or first execution (see <see cref="RunStore.SweepAsync"/>).</summary>
    public Task<int> SweepAsync(string? deadInstance, string? step) =>
        new RunStore(dataSource).SweepAsync(deadInstance, TimeSpan.FromHours(options.Value.StaleRunHours), step);
}

/// <summary>No <see cref="IPipelineStep"/> is registered under the step's name.</summary>
public sealed class StepNotRegisteredException(string step) : InvalidOperationException($"step not registered: '{step}' (no IPipelineStep is registered under that key)")
{
    /// <summary>The step name.</summary>
    public string Step { get; } = step;
}
