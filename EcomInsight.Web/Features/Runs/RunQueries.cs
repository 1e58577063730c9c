using Npgsql;

namespace EcomInsight.Web.Features.Runs;

/// <summary>The model runs page: training and scoring runs (model_run) and recent job executions (job_run).</summary>
/// <param name="db">The application's data source.</param>
public sealed class RunQueries(NpgsqlDataSource db)
{
    /// <summary>Rows per page of the run list.</summary>
    public const int PageSize = 25;

    /// <summary>
    /// One page of model runs, newest first, optionally only of one <paramref name="kind"/> (<c>train</c>/<c>score</c>)
    /// and <paramref name="frequency"/> (<c>daily</c>/<c>weekly</c>); unknown values match nothing. With the total.
    /// </summary>
    public async Task<RunPage> GetRunsAsync(string? kind, string? frequency, int page, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand("""
            SELECT run_id, kind, frequency, status, started_at, finished_at, train_run_id, data_from, data_to, horizon,
                   models, series_count, rows_written, wape, mase, bias, coverage80, reconciliation, instance, error,
                   count(*) OVER () AS total
            FROM model_run
            WHERE (@kind::text IS NULL OR kind = @kind) AND (@frequency::text IS NULL OR frequency = @frequency)
            ORDER BY started_at DESC, run_id DESC
            LIMIT @limit OFFSET @offset
            """);
        command.Parameters.Add(new NpgsqlParameter("kind", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)kind ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("frequency", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)frequency ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", PageSize);
        command.Parameters.AddWithValue("offset", (long)(Math.Max(page, 1) - 1) * PageSize);
        var runs = new List<ModelRunRow>();
        long total = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                runs.Add(new ModelRunRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetFieldValue<DateTimeOffset>(4), Nullable<DateTimeOffset>(reader, 5), Nullable<long>(reader, 6),
                    Nullable<DateOnly>(reader, 7), Nullable<DateOnly>(reader, 8), Nullable<int>(reader, 9),
                    reader.IsDBNull(10) ? [] : reader.GetFieldValue<string[]>(10), Nullable<int>(reader, 11), Nullable<long>(reader, 12),
                    Nullable<double>(reader, 13), Nullable<double>(reader, 14), Nullable<double>(reader, 15), Nullable<double>(reader, 16),
                    reader.IsDBNull(17) ? null : reader.GetString(17), reader.IsDBNull(18) ? null : reader.GetString(18),
                    reader.IsDBNull(19) ? null : reader.GetString(19)));
                total = reader.GetInt64(20);
            }
        }
        if (runs.Count == 0 && page > 1)
        {
            total = await CountAsync(kind, frequency, cancellationToken).ConfigureAwait(false);
        }
        return new RunPage(runs, total);
    }

    private async Task<long> CountAsync(string? kind, string? frequency, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT count(*) FROM model_run WHERE (@kind::text IS NULL OR kind = @kind) AND (@frequency::text IS NULL OR frequency = @frequency)");
        command.Parameters.Add(new NpgsqlParameter("kind", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)kind ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("frequency", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)frequency ?? DBNull.Value });
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>The latest <paramref name="limit"/> job executions (job_run), newest first, optionally of one job.</summary>
    public async Task<IReadOnlyList<JobRunRow>> GetJobRunsAsync(string? job, int limit = 30, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand("""
            SELECT job_run_id, job, trigger, instance, started_at, finished_at, status, rows_written, detail, error
            FROM job_run
            WHERE @job::text IS NULL OR job = @job
            ORDER BY started_at DESC, job_run_id DESC
            LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter("job", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)job ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", limit);
        var rows = new List<JobRunRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new JobRunRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), Nullable<DateTimeOffset>(reader, 5), reader.GetString(6),
                Nullable<long>(reader, 7), reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9)));
        }
        return rows;
    }

    private static T? Nullable<T>(NpgsqlDataReader reader, int ordinal) where T : struct
        => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);
}

/// <summary>One page of model runs.</summary>
/// <param name="Rows">At most <see cref="RunQueries.PageSize"/> runs.</param>
/// <param name="Total">Runs matching the filter.</param>
public sealed record RunPage(IReadOnlyList<ModelRunRow> Rows, long Total);

/// <summary>A training or scoring run (model_run; accuracy null until recorded).</summary>
/// <param name="RunId">Key.</param>
/// <param name="Kind">train or score.</param>
/// <param name="Frequency">daily or weekly.</param>
/// <param name="Status">running, succeeded or failed.</param>
/// <param name="StartedAt">Start (UTC).</param>
/// <param name="FinishedAt">End (UTC).</param>
/// <param name="TrainRunId">Scoring runs: the training run used.</param>
/// <param name="DataFrom">First period of history used.</param>
/// <param name="DataTo">Last period of history used (the origin).</param>
/// <param name="Horizon">Periods ahead.</param>
/// <param name="Models">Candidate model names.</param>
/// <param name="SeriesCount">Series handled.</param>
/// <param name="RowsWritten">Rows written.</param>
/// <param name="Wape">Σ|e| / Σ actual.</param>
/// <param name="Mase">Mean absolute scaled error.</param>
/// <param name="Bias">(Σ forecast − Σ actual) / Σ actual.</param>
/// <param name="Coverage80">Share of actuals inside p10..p90.</param>
/// <param name="Reconciliation">Hierarchy method of scoring runs.</param>
/// <param name="Instance">Host that ran it.</param>
/// <param name="Error">Error of a failed run.</param>
public sealed record ModelRunRow(long RunId, string Kind, string Frequency, string Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    long? TrainRunId, DateOnly? DataFrom, DateOnly? DataTo, int? Horizon, IReadOnlyList<string> Models, int? SeriesCount, long? RowsWritten,
    double? Wape, double? Mase, double? Bias, double? Coverage80, string? Reconciliation, string? Instance, string? Error)
{
    /// <summary>Finished minus started; null while running.</summary>
    public TimeSpan? Duration => FinishedAt - StartedAt;
}

/// <summary>One execution of a scheduled job or its command-line verb (job_run).</summary>
/// <param name="JobRunId">Key.</param>
/// <param name="Job">Job name, e.g. train.</param>
/// <param name="Trigger">schedule, cli, manual or recovery.</param>
/// <param name="Instance">Scheduler instance / host.</param>
/// <param name="StartedAt">Start (UTC).</param>
/// <param name="FinishedAt">End (UTC).</param>
/// <param name="Status">running, succeeded, failed or abandoned.</param>
/// <param name="RowsWritten">Rows written.</param>
/// <param name="Detail">One-line summary.</param>
/// <param name="Error">Error of a failed execution.</param>
public sealed record JobRunRow(long JobRunId, string Job, string Trigger, string Instance, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    string Status, long? RowsWritten, string? Detail, string? Error)
{
    /// <summary>Finished minus started; null while running.</summary>
    public TimeSpan? Duration => FinishedAt - StartedAt;
}
