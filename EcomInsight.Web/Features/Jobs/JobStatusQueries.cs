using System.Globalization;
using EcomInsight.Web.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;

namespace EcomInsight.Web.Features.Jobs;

/// <summary>
/// What <c>/admin/jobs</c> shows and does. Reads Quartz's own tables (<c>qrtz_triggers</c>, <c>qrtz_cron_triggers</c>,
/// <c>qrtz_scheduler_state</c>; times there are .NET UTC ticks, the check-in interval milliseconds) and the latest
/// <c>job_run</c> per step with one set-based query each, so the page works on a node whose own scheduler is off.
/// "Run now" triggers the step's durable Quartz job when this node runs the scheduler, else runs the step in the
/// request through <see cref="JobRunner"/> (the CLI's path; trigger 'manual'); both write an <c>audit_log</c> row.
/// </summary>
public sealed class JobStatusQueries(NpgsqlDataSource dataSource, IOptions<SchedulerOptions> options, JobRunner runner, ISchedulerFactory schedulers)
{
    /// <summary>Quartz scheduler name (<c>sched_name</c>) the jobs live under (set in <see cref="JobsServiceCollectionExtensions"/>).</summary>
    public const string SchedulerName = "EcomInsight";

    /// <summary>Audit action of a manual run.</summary>
    public const string AuditAction = "job.run";

    /// <summary>The scheduler settings of this instance.</summary>
    public SchedulerOptions Settings => options.Value;

    /// <summary>Every step with its configured cron and chain, its Quartz trigger (if stored) and its latest job_run, in <see cref="SchedulerOptions.AllSteps"/> order.</summary>
    public async Task<IReadOnlyList<JobStepStatus>> StepsAsync(CancellationToken cancellationToken)
    {
        var triggers = new Dictionary<string, (string? Cron, DateTimeOffset? Next, DateTimeOffset? Previous, string State)>(StringComparer.Ordinal);
        await using (var command = dataSource.CreateCommand("""
            SELECT DISTINCT ON (t.job_name) t.job_name, c.cron_expression, t.next_fire_time, t.prev_fire_time, t.trigger_state
            FROM qrtz_triggers t
            LEFT JOIN qrtz_cron_triggers c USING (sched_name, trigger_name, trigger_group)
            WHERE t.sched_name = $1 AND t.job_group = $2
            ORDER BY t.job_name, (c.cron_expression IS NULL), t.next_fire_time NULLS LAST
            """))
        {
            command.Parameters.AddWithValue(SchedulerName);
            command.Parameters.AddWithValue(JobKeys.Group);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                triggers[reader.GetString(0)] = (reader.IsDBNull(1) ? null : reader.GetString(1), Ticks(reader, 2), Ticks(reader, 3), reader.GetString(4));
            }
        }

        var runs = new Dictionary<string, JobRunSummary>(StringComparer.Ordinal);
        await using (var command = dataSource.CreateCommand("""
            SELECT DISTINCT ON (job) job, job_run_id, trigger, instance, started_at, finished_at, status, rows_written, detail, error
            FROM job_run ORDER BY job, started_at DESC, job_run_id DESC
            """))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                runs[reader.GetString(0)] = new JobRunSummary(reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
                    reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetInt64(7), reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9));
            }
        }

        var settings = options.Value;
        return [.. SchedulerOptions.AllSteps.Select(step =>
        {
            settings.Cron.TryGetValue(step, out var cron);
            settings.Chain.TryGetValue(step, out var chain);
            var stored = triggers.TryGetValue(step, out var t) ? t : default;
            return new JobStepStatus(step, string.IsNullOrWhiteSpace(cron) ? null : cron, chain, stored.Cron, stored.Next, stored.Previous,
                stored.State, runs.GetValueOrDefault(step));
        })];
    }

    /// <summary>Scheduler instances of the cluster (<c>qrtz_scheduler_state</c>), latest check-in first.</summary>
    public async Task<IReadOnlyList<SchedulerInstance>> InstancesAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT instance_name, last_checkin_time, checkin_interval FROM qrtz_scheduler_state
            WHERE sched_name = $1 ORDER BY last_checkin_time DESC, instance_name
            """);
        command.Parameters.AddWithValue(SchedulerName);
        var list = new List<SchedulerInstance>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new SchedulerInstance(reader.GetString(0), new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero), TimeSpan.FromMilliseconds(reader.GetInt64(2))));
        }
        return list;
    }

    /// <summary>
    /// Runs <paramref name="step"/> now: with the scheduler on in this instance, fires its Quartz job at once (the
    /// cluster runs it, recorded in job_run with trigger 'schedule'); otherwise runs it in this request through
    /// <see cref="JobRunner"/> (trigger 'manual'). Writes an <c>audit_log</c> row (<see cref="AuditAction"/>).
    /// </summary>
    /// <param name="step">Step name; must be one of <see cref="SchedulerOptions.AllSteps"/>.</param>
    /// <param name="userId">The acting admin (app_user.id), or null.</param>
    /// <param name="cancellationToken">Cancels an inline run (recorded as failed).</param>
    /// <returns>Whether it was accepted and a message for the page.</returns>
    public async Task<(bool Ok, string Message)> RunNowAsync(string? step, string? userId, CancellationToken cancellationToken)
    {
        if (step is null || !SchedulerOptions.AllSteps.Contains(step, StringComparer.Ordinal))
        {
            return (false, $"step: '{step}' is not a pipeline step ({string.Join(", ", SchedulerOptions.AllSteps)}).");
        }

        (bool Ok, string Message) result;
        if (options.Value.Enabled)
        {
            var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
            await scheduler.TriggerJob(JobKeys.For(step), cancellationToken).ConfigureAwait(false);
            result = (true, $"{step}: queued in the scheduler; its run appears below once it starts.");
        }
        else
        {
            var outcome = await runner.RunAsync(step, "manual", Environment.MachineName, null, null, cancellationToken).ConfigureAwait(false);
            result = (outcome.Succeeded, outcome.Succeeded
                ? string.Create(CultureInfo.InvariantCulture, $"{step}: succeeded in {outcome.Elapsed.TotalSeconds:F1} s, {outcome.RowsWritten:N0} rows. {outcome.Detail}").TrimEnd()
                : $"{step}: failed: {outcome.Error}");
        }

        await using var command = dataSource.CreateCommand("""
            INSERT INTO audit_log (user_id, action, subject, detail)
            VALUES ((SELECT id FROM app_user WHERE id = $1), $2, $3, $4)
            """);
        command.Parameters.AddWithValue((object?)userId ?? DBNull.Value);
        command.Parameters.AddWithValue(AuditAction);
        command.Parameters.AddWithValue(step);
        command.Parameters.AddWithValue(result.Message);
        await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    private static DateTimeOffset? Ticks(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) || reader.GetInt64(ordinal) <= 0 ? null : new DateTimeOffset(reader.GetInt64(ordinal), TimeSpan.Zero);
}

/// <summary>One step's schedule and last run.</summary>
/// <param name="Step">Step name.</param>
/// <param name="Cron">Configured cron (<c>Scheduler:Cron:&lt;step&gt;</c>), null when unscheduled.</param>
/// <param name="Chain">Step run after this one succeeds (<c>Scheduler:Chain:&lt;step&gt;</c>), or null.</param>
/// <param name="StoredCron">Cron of the trigger Quartz stored, or null (none stored).</param>
/// <param name="NextFire">Next fire time (UTC) from qrtz_triggers, or null.</param>
/// <param name="PreviousFire">Previous fire time (UTC), or null.</param>
/// <param name="TriggerState">Quartz trigger state (WAITING, PAUSED, ACQUIRED, BLOCKED, ERROR...), or null.</param>
/// <param name="LastRun">The newest job_run of the step, or null.</param>
public sealed record JobStepStatus(string Step, string? Cron, string? Chain, string? StoredCron, DateTimeOffset? NextFire,
    DateTimeOffset? PreviousFire, string? TriggerState, JobRunSummary? LastRun);

/// <summary>A job_run row.</summary>
/// <param name="JobRunId">Id.</param>
/// <param name="Trigger">schedule, cli, manual or recovery.</param>
/// <param name="Instance">Scheduler instance or host.</param>
/// <param name="StartedAt">Start (UTC).</param>
/// <param name="FinishedAt">End (UTC), null while running.</param>
/// <param name="Status">running, succeeded, failed or abandoned.</param>
/// <param name="RowsWritten">Rows written, or null.</param>
/// <param name="Detail">Summary, or null.</param>
/// <param name="Error">Error, or null.</param>
public sealed record JobRunSummary(long JobRunId, string Trigger, string Instance, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    string Status, long? RowsWritten, string? Detail, string? Error)
{
    /// <summary>Run time, null while running.</summary>
    public TimeSpan? Duration => FinishedAt - StartedAt;
}

/// <summary>A node of the Quartz cluster.</summary>
/// <param name="Name">Instance id.</param>
/// <param name="LastCheckin">Last check-in (UTC).</param>
/// <param name="Interval">Check-in interval.</param>
public sealed record SchedulerInstance(string Name, DateTimeOffset LastCheckin, TimeSpan Interval);
