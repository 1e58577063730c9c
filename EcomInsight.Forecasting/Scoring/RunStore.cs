using EcomInsight.Domain.Data.Runs;
using EcomInsight.Forecasting.Evaluation;
using EcomInsight.Forecasting.Pipeline;
using Npgsql;
using NpgsqlTypes;

namespace EcomInsight.Forecasting.Scoring;

/// <summary>
/// Reads and writes model runs: a run row is inserted (and committed) as 'running' before any work, its rows are
/// bulk-copied and its status flipped to 'succeeded' in one transaction, so a run that dies leaves either nothing or
/// 'running'/'failed' rows that readers skip (they only read succeeded runs).
/// </summary>
public sealed class RunStore(NpgsqlDataSource dataSource)
{
    /// <summary>'daily' or 'weekly' as stored.</summary>
    public static string Name(Frequency frequency) => frequency == Frequency.Weekly ? "weekly" : "daily";

    /// <summary>The pipeline's "now": the last sale in the database ('data' clock) or the system clock ('wall').</summary>
    /// <exception cref="FormatException">Pipeline:Clock is neither.</exception>
    public async Task<DateTimeOffset> NowAsync(string clock, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        switch (clock?.Trim().ToLowerInvariant())
        {
            case "wall":
                return time.GetUtcNow();
            case "data":
                await using (var command = dataSource.CreateCommand("SELECT max(sold_at) FROM sales_fact"))
                {
                    var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    return value is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : time.GetUtcNow();
                }

            default:
                throw new FormatException($"Pipeline:Clock '{clock}' is unknown; use data or wall.");
        }
    }

    /// <summary>Inserts a 'running' run row and commits it; returns its id.</summary>
    public async Task<long> StartAsync(string kind, Frequency frequency, long? trainRunId, string instance, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO model_run (kind, frequency, status, train_run_id, instance) VALUES (@kind, @frequency, 'running', @train, @instance) RETURNING run_id");
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("frequency", Name(frequency));
        command.Parameters.AddWithValue("train", NpgsqlDbType.Bigint, (object?)trainRunId ?? DBNull.Value);
        command.Parameters.AddWithValue("instance", instance);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Marks a run failed (outside any transaction, so it sticks when the work's transaction rolled back).</summary>
    public async Task FailAsync(long runId, string error)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE model_run SET status = 'failed', finished_at = now(), error = @error WHERE run_id = @id AND status = 'running'");
        command.Parameters.AddWithValue("id", runId);
        command.Parameters.AddWithValue("error", error.Length > 2000 ? error[..2000] : error);
        await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Recovery sweep: 'running' model runs and job runs that cannot still be running are marked failed /
    /// abandoned: those of <paramref name="deadInstance"/> (this host restarted) and any older than
    /// <paramref name="staleAfter"/>. Returns how many rows changed.
    /// </summary>
    public async Task<int> SweepAsync(string? deadInstance, TimeSpan staleAfter, string? kind = null)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            UPDATE model_run SET status = 'failed', finished_at = now(), error = 'abandoned: the run''s process stopped before it finished (recovery sweep)'
            WHERE status = 'running' AND (instance = @dead OR started_at < now() - @stale OR kind = @kind)
            """));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            UPDATE job_run SET status = 'abandoned', finished_at = now(), error = 'abandoned: the process stopped before the job finished (recovery sweep)'
            WHERE status = 'running' AND (instance = @dead OR started_at < now() - @stale OR job = @kind)
            """));
        foreach (var command in batch.BatchCommands.Cast<NpgsqlBatchCommand>())
        {
            command.Parameters.AddWithValue("dead", NpgsqlDbType.Text, (object?)deadInstance ?? DBNull.Value);
            command.Parameters.AddWithValue("stale", staleAfter);
            command.Parameters.AddWithValue("kind", NpgsqlDbType.Text, (object?)kind ?? DBNull.Value);
        }

        return await batch.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The latest succeeded training run of <paramref name="frequency"/>, or null.</summary>
    public async Task<long?> LatestTrainRunAsync(Frequency frequency, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT run_id FROM model_run WHERE kind = 'train' AND frequency = @f AND status = 'succeeded' ORDER BY finished_at DESC, run_id DESC LIMIT 1");
        command.Parameters.AddWithValue("f", Name(frequency));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
    }

    /// <summary>The chosen model per series of training run <paramref name="runId"/>.</summary>
    public async Task<Dictionary<(string Level, string Key), ChosenModel>> ChosenAsync(long runId, CancellationToken cancellationToken)
    {
        var result = new Dictionary<(string, string), ChosenModel>();
        await using var command = dataSource.CreateCommand("SELECT level, series_key, params FROM model_selection WHERE run_id = @id AND chosen");
        command.Parameters.AddWithValue("id", runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result[(reader.GetString(0), reader.GetString(1))] = ChosenModel.Parse(reader.GetString(2));
        }

        return result;
    }

    /// <summary>Writes a training run's selection rows (binary COPY), marks the pending retrain requests of
    /// the panel's frequency handled, and flips the run to succeeded with its pooled metrics, in one transaction.</summary>
    public async Task<long> CompleteTrainAsync(long runId, SeriesPanel panel, IReadOnlyList<TrainedSeries> trained, string[] models, int horizon, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(trained);
        var pooled = new ErrorAccumulator();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long rows = 0;
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY model_selection (run_id, level, series_key, model, rank, chosen, wape, mae, rmse, mape, mase, bias, params, demand_class) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false))
        {
            foreach (var series in trained)
            {
                var node = panel.Nodes[series.Node];
                foreach (var candidate in series.Candidates)
                {
                    await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(runId, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(node.Level, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(node.Key, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(candidate.Model, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(candidate.Rank, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(candidate.Chosen, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
                    var e = candidate.Errors;
                    foreach (var value in new[] { e?.Wape, e?.Mae, e?.Rmse, e?.Mape, e?.Mase, e?.Bias })
                    {
                        if (value is { } v && double.IsFinite(v))
                        {
                            await writer.WriteAsync(v, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            await writer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                        }
                    }

                    await writer.WriteAsync(candidate.Params, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    if (series.DemandClass is { } demandClass)
                    {
                        await writer.WriteAsync(demandClass, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await writer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                    }

                    rows++;
                    if (candidate.Chosen && node.Level == SeriesLevel.Sku && candidate.Errors is { } chosenErrors)
                    {
                        pooled.Merge(chosenErrors);
                    }
                }
            }

            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                UPDATE retrain_request SET handled_run_id = @id WHERE handled_run_id IS NULL AND frequency = @f
                """));
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                UPDATE model_run SET status = 'succeeded', finished_at = now(), data_from = @from, data_to = @to, horizon = @h,
                    models = @models, series_count = @n, rows_written = @rows, wape = @wape, mase = @mase, bias = @bias
                WHERE run_id = @id AND status = 'running'
                """));
            foreach (var command in batch.BatchCommands.Cast<NpgsqlBatchCommand>())
            {
                command.Parameters.AddWithValue("id", runId);
                command.Parameters.AddWithValue("f", Name(panel.Frequency));
                command.Parameters.AddWithValue("from", panel.Start);
                command.Parameters.AddWithValue("to", panel.PeriodAt(Math.Max(panel.Length - 1, 0)));
                command.Parameters.AddWithValue("h", horizon);
                command.Parameters.AddWithValue("models", models);
                command.Parameters.AddWithValue("n", trained.Count);
                command.Parameters.AddWithValue("rows", rows);
                command.Parameters.AddWithValue("wape", Nullable(pooled.Wape));
                command.Parameters.AddWithValue("mase", Nullable(pooled.Mase));
                command.Parameters.AddWithValue("bias", Nullable(pooled.Bias));
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (batch.BatchCommands[1].RecordsAffected != 1)
            {
                throw new InvalidOperationException($"Training run {runId} is no longer 'running' (a recovery sweep marked it failed); its rows are discarded.");
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rows;
    }

    /// <summary>Writes a scoring run's forecast rows (binary COPY) and flips it to succeeded, in one transaction.</summary>
    public async Task<long> CompleteScoreAsync(long runId, SeriesPanel panel, IReadOnlyList<QuantileForecast> forecasts, IReadOnlyList<string> labels, string reconciliation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(forecasts);
        ArgumentNullException.ThrowIfNull(labels);
        var horizon = forecasts.Count == 0 ? 0 : forecasts[0].P50.Length;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long rows = 0;
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY forecast (run_id, level, series_key, period_start, step, p10, p50, p90, model) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < forecasts.Count; i++)
            {
                var node = panel.Nodes[i];
                var f = forecasts[i];
                for (var t = 0; t < horizon; t++)
                {
                    await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(runId, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(node.Level, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(node.Key, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(panel.PeriodAt(panel.Length + t), NpgsqlDbType.Date, cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync((short)(t + 1), NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(f.P10[t], NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(f.P50[t], NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(f.P90[t], NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(labels[i], NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    rows++;
                }
            }

            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = new NpgsqlCommand("""
            UPDATE model_run SET status = 'succeeded', finished_at = now(), data_from = @from, data_to = @to, horizon = @h,
                series_count = @n, rows_written = @rows, reconciliation = @rec
            WHERE run_id = @id AND status = 'running'
            """, connection, transaction))
        {
            command.Parameters.AddWithValue("id", runId);
            command.Parameters.AddWithValue("from", panel.Start);
            command.Parameters.AddWithValue("to", panel.PeriodAt(Math.Max(panel.Length - 1, 0)));
            command.Parameters.AddWithValue("h", horizon);
            command.Parameters.AddWithValue("n", forecasts.Count);
            command.Parameters.AddWithValue("rows", rows);
            command.Parameters.AddWithValue("rec", reconciliation);
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                throw new InvalidOperationException($"Scoring run {runId} is no longer 'running' (a recovery sweep marked it failed); its rows are discarded.");
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rows;
    }

    /// <summary>
    /// Retention of score runs: every run of the last <paramref name="keepAllDays"/> days is kept; older ones keep the
    /// last succeeded run per (frequency, UTC day) and are otherwise deleted with their forecasts (cascade). Runs still
    /// 'running' are left alone. Training runs are kept (score runs reference them). Returns runs deleted.
    /// </summary>
    public async Task<int> ApplyRetentionAsync(int keepAllDays, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            DELETE FROM model_run r
            WHERE r.kind = 'score' AND r.status <> 'running' AND r.started_at < now() - make_interval(days => @days)
              AND r.run_id NOT IN (
                  SELECT DISTINCT ON (frequency, (started_at AT TIME ZONE 'UTC')::date) run_id
                  FROM model_run
                  WHERE kind = 'score' AND status = 'succeeded'
                  ORDER BY frequency, (started_at AT TIME ZONE 'UTC')::date, started_at DESC)
            """);
        command.Parameters.AddWithValue("days", keepAllDays);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Fills in the accuracy of earlier scoring runs of <paramref name="frequency"/> as actuals arrive: over each run's
    /// SKU forecasts for periods before the one containing <paramref name="now"/>, WAPE = Σ|p50 − y| / Σy,
    /// bias = Σ(p50 − y) / Σy and coverage80 = share of actuals inside p10..p90 (y = net units, negatives as 0, a SKU
    /// without sales in a period as 0). Only runs whose horizon still reaches back to the last <paramref name="horizon"/>
    /// periods are updated. Returns runs updated.
    /// </summary>
    public async Task<int> UpdateScoreAccuracyAsync(Frequency frequency, DateTimeOffset now, int horizon, CancellationToken cancellationToken)
    {
        var current = SeriesPanel.CurrentPeriod(now, frequency);
        var oldest = current.AddDays(-(horizon + 1) * frequency.Days());
        var table = frequency == Frequency.Weekly ? "sales_weekly_sku" : "sales_daily_sku";
        await using var command = dataSource.CreateCommand($"""
            WITH r AS (
                SELECT run_id FROM model_run
                WHERE kind = 'score' AND status = 'succeeded' AND frequency = @f AND data_to >= @oldest AND data_to < @current),
            x AS (
                SELECT f.run_id, f.p10, f.p50, f.p90, greatest(coalesce(a.net_units, 0), 0)::float8 AS y
                FROM forecast f
                JOIN r USING (run_id)
                LEFT JOIN {table} a ON a.sku = f.series_key AND a.bucket = (f.period_start::timestamp AT TIME ZONE 'UTC')
                WHERE f.level = 'sku' AND f.period_start < @current),
            m AS (
                SELECT run_id, sum(abs(p50 - y)) AS abs_error, sum(p50 - y) AS error, sum(y) AS actual,
                       avg(CASE WHEN y BETWEEN p10 AND p90 THEN 1.0 ELSE 0.0 END) AS coverage
                FROM x GROUP BY run_id)
            UPDATE model_run SET wape = CASE WHEN m.actual > 0 THEN m.abs_error / m.actual END,
                                 bias = CASE WHEN m.actual > 0 THEN m.error / m.actual END,
                                 coverage80 = m.coverage
            FROM m WHERE model_run.run_id = m.run_id
            """);
        command.Parameters.AddWithValue("f", Name(frequency));
        command.Parameters.AddWithValue("oldest", oldest);
        command.Parameters.AddWithValue("current", current);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static object Nullable(double value) => double.IsFinite(value) ? value : DBNull.Value;
}
