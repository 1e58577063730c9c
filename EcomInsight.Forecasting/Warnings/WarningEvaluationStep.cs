using System.Globalization;
using EcomInsight.Domain.Data.Warnings;
using EcomInsight.Domain.Pipeline;
using EcomInsight.Domain.Warnings;
using EcomInsight.Forecasting.Anomaly;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using static EcomInsight.Forecasting.Warnings.WarningEvidence;

namespace EcomInsight.Forecasting.Warnings;

/// <summary>
/// Pipeline step <c>warnings</c> (after each scoring): evaluates every warning rule over the latest data and
/// writes the result with <see cref="WarningWriter"/> (raise, re-grade, auto-resolve; never a duplicate).
/// </summary>
/// <remarks>
/// Rules (thresholds in <see cref="WarningOptions"/>; details and sources in docs/warnings.md):
/// <list type="bullet">
/// <item><b>demand_above_ucl / demand_below_lcl</b>, per frequency (daily, weekly) and level (SKU, category,
/// platform): the last complete period before <see cref="PipelineContext.Now"/> and the one before it, each
/// against the latest succeeded scoring run that forecast it; limits from <see cref="ControlLimits"/>, grade
/// from <see cref="ControlRules.Grade"/> (beyond 3σ warning; beyond 4σ or two periods in a row critical; two
/// periods beyond 2σ info). Key: type:frequency|level|series.</item>
/// <item><b>anomaly</b>: an <see cref="IsolationForest"/> over the SKUs' last complete week (log units,
/// log ratio to the 8-week mean, returns share, log order lines); score ≥ threshold and the SKU's own week
/// unusual (ratio or returns gate) → info, ≥ the warning score → warning.</item>
/// <item><b>stockout_risk</b> from inventory_recommendation: projected position = position − demand/day ×
/// lead time below safety stock → warning, below zero → critical.</item>
/// <item><b>overstock</b>: days of cover beyond 180 (A/B: warning; beyond 365 critical) or 365 (C: info).</item>
/// <item><b>forecast_degradation</b>, per frequency: the latest scoring origin's WAPE above the median of the
/// previous origins × 1.2 → warning, × 1.5 → critical.</item>
/// <item><b>retrain_triggered</b>: each pending retrain_request → info, auto-resolved once handled.</item>
/// </list>
/// </remarks>
public sealed class WarningEvaluationStep(
    NpgsqlDataSource dataSource,
    WarningWriter writer,
    IOptions<WarningOptions> options,
    ILogger<WarningEvaluationStep> logger) : IPipelineStep
{
    private static readonly string[] Frequencies = ["daily", "weekly"];
    private readonly WarningOptions _options = options.Value;

    /// <inheritdoc />
    public async Task<PipelineStepResult> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var candidates = new List<WarningCandidate>();
        var families = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        foreach (var frequency in Frequencies)
        {
            await EvaluateControlLimitsAsync(connection, frequency, context.Now, candidates, families, cancellationToken);
            await EvaluateDegradationAsync(connection, frequency, candidates, families, cancellationToken);
        }
        await EvaluateAnomaliesAsync(connection, context.Now, candidates, families, cancellationToken);
        await EvaluateInventoryAsync(connection, candidates, families, cancellationToken);
        await EvaluateRetrainRequestsAsync(connection, candidates, families, cancellationToken);
        await connection.CloseAsync();

        var result = await writer.WriteAsync(candidates, families, cancellationToken);
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"{candidates.Count:N0} conditions in {families.Count} families: {result.Raised:N0} raised, {result.Regraded:N0} re-graded, {result.Unchanged:N0} unchanged, {result.AutoResolved:N0} auto-resolved");
        logger.LogInformation("Warnings: {Detail}", detail);
        return new PipelineStepResult(result.RowsWritten, detail);
    }

    /// <summary>Start of the bucket containing <paramref name="now"/> (UTC day, or ISO week starting Monday).</summary>
    /// <param name="frequency">'daily' or 'weekly'.</param>
    /// <param name="now">The instant.</param>
    internal static DateOnly BucketStart(string frequency, DateTimeOffset now)
    {
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        return frequency == "weekly" ? day.AddDays(-(((int)day.DayOfWeek + 6) % 7)) : day;
    }

    internal static int PeriodDays(string frequency) => frequency == "weekly" ? 7 : 1;

    private static async Task EvaluateControlLimitsAsync(NpgsqlConnection connection, string frequency, DateTimeOffset now,
        List<WarningCandidate> candidates, HashSet<string> families, CancellationToken cancellationToken)
    {
        var days = PeriodDays(frequency);
        var latest = BucketStart(frequency, now).AddDays(-days);
        var previous = latest.AddDays(-days);
        var sql = $"""
            WITH periods(period_start, idx) AS (VALUES (@latest::date, 0), (@previous::date, 1)),
            runs AS (
                SELECT p.period_start, p.idx,
                       (SELECT r.run_id FROM model_run r
                        WHERE r.kind = 'score' AND r.status = 'succeeded' AND r.frequency = @frequency
                          AND (r.data_to IS NULL OR r.data_to < p.period_start)
                          AND EXISTS (SELECT 1 FROM forecast f WHERE f.run_id = r.run_id AND f.period_start = p.period_start)
                        ORDER BY r.run_id DESC LIMIT 1) AS run_id
                FROM periods p
            ),
            actual AS (
                SELECT 'sku'::text AS level, sku AS series_key, bucket, net_units::double precision AS units
                FROM sales_{frequency}_sku WHERE bucket IN (@latest_ts, @previous_ts)
                UNION ALL
                SELECT 'category', category_id::text, bucket, net_units::double precision
                FROM sales_{frequency}_category WHERE bucket IN (@latest_ts, @previous_ts) AND category_id IS NOT NULL
                UNION ALL
                SELECT 'platform', 'all', bucket, net_units::double precision
                FROM sales_{frequency}_platform WHERE bucket IN (@latest_ts, @previous_ts)
            )
            SELECT ru.idx, f.level, f.series_key, f.period_start, f.step, f.p10, f.p50, f.p90, ru.run_id,
                   COALESCE(a.units, 0),
                   CASE f.level WHEN 'sku' THEN p.category_id WHEN 'category' THEN c.category_id END,
                   c.name
            FROM runs ru
            JOIN forecast f ON f.run_id = ru.run_id AND f.period_start = ru.period_start
            LEFT JOIN actual a ON a.level = f.level AND a.series_key = f.series_key
                              AND a.bucket = (f.period_start::timestamp AT TIME ZONE 'UTC')
            LEFT JOIN product p ON f.level = 'sku' AND p.sku = f.series_key
            LEFT JOIN category c ON f.level = 'category' AND c.category_id::text = f.series_key
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("latest", latest);
        command.Parameters.AddWithValue("previous", previous);
        command.Parameters.AddWithValue("latest_ts", new DateTimeOffset(latest.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        command.Parameters.AddWithValue("previous_ts", new DateTimeOffset(previous.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        command.Parameters.AddWithValue("frequency", frequency);

        var latestRows = new Dictionary<(string Level, string Key), ControlRow>();
        var previousRows = new Dictionary<(string Level, string Key), ControlRow>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = new ControlRow(reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateOnly>(3),
                    reader.GetInt16(4), reader.GetDouble(5), reader.GetDouble(6), reader.GetDouble(7), reader.GetInt64(8),
                    reader.GetDouble(9), reader.IsDBNull(10) ? null : reader.GetInt32(10), reader.IsDBNull(11) ? null : reader.GetString(11));
                (reader.GetInt32(0) == 0 ? latestRows : previousRows)[(row.Level, row.SeriesKey)] = row;
            }
        }
        if (latestRows.Count == 0)
        {
            // No scoring run forecast the latest complete period: the condition cannot be assessed, so the
            // family is not evaluated (its active warnings stay as they are).
            return;
        }
        families.Add(WarningTypes.DemandAboveUcl + ":" + frequency);
        families.Add(WarningTypes.DemandBelowLcl + ":" + frequency);

        foreach (var (key, row) in latestRows)
        {
            var limits = ControlLimits.FromQuantiles(row.P10, row.P50, row.P90);
            var z = limits.Z(row.Actual);
            double? previousZ = null;
            ControlLimits? previousLimits = null;
            previousRows.TryGetValue(key, out var before);
            if (before is not null)
            {
                previousLimits = ControlLimits.FromQuantiles(before.P10, before.P50, before.P90);
                previousZ = previousLimits.Value.Z(before.Actual);
            }
            var signal = ControlRules.Grade(z, previousZ);
            if (signal == ControlSignal.None)
            {
                continue;
            }
            var above = z > 0;
            var type = above ? WarningTypes.DemandAboveUcl : WarningTypes.DemandBelowLcl;
            var limitName = above ? "UCL" : "LCL";
            var limit = above ? limits.Ucl : limits.Lcl;
            var evidence = new Dictionary<string, object?>
            {
                ["frequency"] = frequency,
                ["period_start"] = Date(row.PeriodStart),
                ["actual"] = Round(row.Actual),
                ["p10"] = Round(row.P10),
                ["p50"] = Round(row.P50),
                ["p90"] = Round(row.P90),
                ["sigma"] = Round(limits.Sigma),
                ["ucl"] = Round(limits.Ucl),
                ["lcl"] = Round(limits.Lcl),
                ["z"] = Round(z),
                ["run_id"] = row.RunId,
                ["step"] = row.Step,
                ["rule"] = signal switch
                {
                    ControlSignal.Critical when Math.Abs(z) > 4 => "beyond 4 sigma",
                    ControlSignal.Critical => "beyond 3 sigma in two consecutive periods",
                    ControlSignal.Warning => "beyond 3 sigma",
                    _ => "two consecutive periods beyond 2 sigma",
                },
                ["previous"] = before is null ? null : new Dictionary<string, object?>
                {
                    ["period_start"] = Date(before.PeriodStart),
                    ["actual"] = Round(before.Actual),
                    ["p50"] = Round(before.P50),
                    ["ucl"] = Round(previousLimits!.Value.Ucl),
                    ["lcl"] = Round(previousLimits.Value.Lcl),
                    ["z"] = Round(previousZ!.Value),
                    ["run_id"] = before.RunId,
                },
            };
            var boundary = signal == ControlSignal.Info ? (above ? "above the 2-sigma line" : "below the 2-sigma line") :
                $"{(above ? "above" : "below")} {limitName} {Number(limit)}";
            var title = $"{Series(row.Level, row.SeriesKey, row.CategoryName)}: demand {Number(row.Actual)} {boundary} in {Period(frequency, row.PeriodStart)} (forecast {Number(row.P50)})";
            var action = above
                ? "Check for a promotion, a bulk order or a data error. If demand has shifted, request retraining and review stock cover and open orders."
                : "Check availability (stock-outs, listing or feed problems). If demand has fallen, review open orders and the forecast.";
            candidates.Add(new WarningCandidate(type, SeverityOf(signal), row.Level, row.SeriesKey,
                row.Level == "sku" ? row.SeriesKey : null, row.CategoryId, null,
                $"{type}:{frequency}|{row.Level}|{row.SeriesKey}", title, Json(evidence), action, row.RunId));
        }
    }

    private static string SeverityOf(ControlSignal signal) => signal switch
    {
        ControlSignal.Critical => WarningSeverities.Critical,
        ControlSignal.Warning => WarningSeverities.Warning,
        _ => WarningSeverities.Info,
    };

    private async Task EvaluateAnomaliesAsync(NpgsqlConnection connection, DateTimeOffset now,
        List<WarningCandidate> candidates, HashSet<string> families, CancellationToken cancellationToken)
    {
        var week = BucketStart("weekly", now).AddDays(-7);
        var weekTs = new DateTimeOffset(week.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var baselineWeeks = _options.AnomalyBaselineWeeks;
        const string sql = """
            SELECT s.sku, p.category_id,
                   COALESCE(sum(s.units_sold) FILTER (WHERE s.bucket = @week), 0)::double precision,
                   COALESCE(sum(s.units_returned) FILTER (WHERE s.bucket = @week), 0)::double precision,
                   COALESCE(sum(s.order_lines) FILTER (WHERE s.bucket = @week), 0)::double precision,
                   COALESCE(sum(s.units_sold) FILTER (WHERE s.bucket < @week), 0)::double precision / @weeks
            FROM sales_weekly_sku s
            LEFT JOIN product p ON p.sku = s.sku
            WHERE s.bucket >= @from AND s.bucket <= @week
            GROUP BY s.sku, p.category_id
            HAVING sum(s.units_sold) > 0
            ORDER BY s.sku
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("week", weekTs);
        command.Parameters.AddWithValue("from", weekTs.AddDays(-7 * baselineWeeks));
        command.Parameters.AddWithValue("weeks", (double)baselineWeeks);
        var rows = new List<AnomalyRow>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new AnomalyRow(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt32(1),
                    reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5)));
            }
        }
        var family = WarningTypes.Anomaly + ":weekly";
        families.Add(family);
        if (rows.Count < 2)
        {
            return;
        }

        var features = AnomalyFeatures.Build(rows);
        var forest = IsolationForest.Fit(features, rows.Count, AnomalyFeatures.Columns);
        var scores = new double[rows.Count];
        forest.ScoreAll(features, scores);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var ratio = row.BaselineMean > 0 ? row.Units / row.BaselineMean : double.PositiveInfinity;
            var returnsShare = row.Returned / Math.Max(row.Units + row.Returned, 1);
            var unusual = ratio >= _options.AnomalyRatioGate || ratio <= 1 / _options.AnomalyRatioGate ||
                          returnsShare >= _options.AnomalyReturnsShareGate;
            if (scores[i] < _options.AnomalyThreshold || !unusual)
            {
                continue;
            }
            var severity = scores[i] >= _options.AnomalyWarningScore ? WarningSeverities.Warning : WarningSeverities.Info;
            var evidence = new Dictionary<string, object?>
            {
                ["week_start"] = Date(week),
                ["score"] = Round(scores[i]),
                ["threshold"] = _options.AnomalyThreshold,
                ["units_sold"] = row.Units,
                ["units_returned"] = row.Returned,
                ["order_lines"] = row.OrderLines,
                ["baseline_weeks"] = baselineWeeks,
                ["baseline_mean_units"] = Round(row.BaselineMean),
                ["ratio_to_baseline"] = double.IsFinite(ratio) ? Round(ratio) : null,
                ["returns_share"] = Round(returnsShare),
                ["skus_scored"] = rows.Count,
                ["trees"] = forest.TreeCount,
                ["subsample"] = forest.SubsampleSize,
            };
            var what = double.IsInfinity(ratio) ? "no sales in the previous weeks"
                : returnsShare >= _options.AnomalyReturnsShareGate ? $"returns {returnsShare:P0} of units"
                : $"{ratio.ToString("0.0", CultureInfo.InvariantCulture)}× its {baselineWeeks}-week mean";
            var title = $"SKU {row.Sku}: unusual week of {Date(week)} ({Number(row.Units)} units, {what}; anomaly score {scores[i].ToString("0.00", CultureInfo.InvariantCulture)})";
            candidates.Add(new WarningCandidate(WarningTypes.Anomaly, severity, "sku", row.Sku, row.Sku, row.CategoryId, null,
                $"{family}|sku|{row.Sku}", title, Json(evidence),
                "Look at the week's orders: a one-off bulk order, a return wave or a data error should not feed the forecast; correct the data or note the cause.",
                null));
        }
    }

    private async Task EvaluateInventoryAsync(NpgsqlConnection connection, List<WarningCandidate> candidates,
        HashSet<string> families, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT r.sku, r.warehouse_id, w.code, p.category_id, r.computed_at, r.run_id, r.abc, r.xyz,
                   r.lead_time_days, r.demand_per_day, r.safety_stock, r.reorder_point, r.on_hand, r.on_order,
                   r.inventory_position, r.suggested_order, r.days_of_cover, r.stockout_risk, r.simulated
            FROM inventory_recommendation r
            JOIN warehouse w ON w.warehouse_id = r.warehouse_id
            LEFT JOIN product p ON p.sku = r.sku
            ORDER BY r.sku, r.warehouse_id
            """;
        families.Add(WarningTypes.StockoutRisk);
        families.Add(WarningTypes.Overstock);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var sku = reader.GetString(0);
            var warehouseId = reader.GetInt16(1);
            var warehouse = reader.GetString(2);
            int? categoryId = reader.IsDBNull(3) ? null : reader.GetInt32(3);
            var computedAt = reader.GetFieldValue<DateTimeOffset>(4);
            long? runId = reader.IsDBNull(5) ? null : reader.GetInt64(5);
            var abc = reader.GetString(6).Trim();
            var leadTime = reader.GetInt32(8);
            var perDay = reader.GetDouble(9);
            var safetyStock = reader.GetDouble(10);
            var position = reader.GetInt32(14);
            double? cover = reader.IsDBNull(16) ? null : reader.GetDouble(16);
            var simulated = reader.GetBoolean(18);
            var leadTimeDemand = perDay * leadTime;
            var projected = position - leadTimeDemand;
            var common = new Dictionary<string, object?>
            {
                ["warehouse"] = warehouse,
                ["computed_at"] = computedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["run_id"] = runId,
                ["abc"] = abc,
                ["xyz"] = reader.GetString(7).Trim(),
                ["on_hand"] = reader.GetInt32(12),
                ["on_order"] = reader.GetInt32(13),
                ["inventory_position"] = position,
                ["demand_per_day"] = Round(perDay),
                ["lead_time_days"] = leadTime,
                ["safety_stock"] = Round(safetyStock),
                ["reorder_point"] = Round(reader.GetDouble(11)),
                ["suggested_order"] = reader.GetInt32(15),
                ["days_of_cover"] = cover is { } c ? Round(c, 1) : null,
                ["stockout_probability"] = Round(reader.GetDouble(17)),
                ["simulated"] = simulated,
            };

            if (perDay > 0 && projected < safetyStock)
            {
                var evidence = new Dictionary<string, object?>(common)
                {
                    ["lead_time_demand"] = Round(leadTimeDemand),
                    ["projected_position"] = Round(projected),
                };
                var critical = projected < 0;
                var title = critical
                    ? $"SKU {sku} @ {warehouse}: stock-out expected within the {leadTime}-day lead time (position {Number(position)}, lead-time demand {Number(leadTimeDemand)})"
                    : $"SKU {sku} @ {warehouse}: projected position {Number(projected)} below safety stock {Number(safetyStock)} within the {leadTime}-day lead time";
                candidates.Add(new WarningCandidate(WarningTypes.StockoutRisk,
                    critical ? WarningSeverities.Critical : WarningSeverities.Warning, "sku", sku, sku, categoryId, warehouseId,
                    $"{WarningTypes.StockoutRisk}|sku|{sku}|{warehouseId.ToString(CultureInfo.InvariantCulture)}", title, Json(evidence),
                    critical ? "Order now (expedite if possible): the position does not cover the lead-time demand."
                             : "Place the suggested order in this cycle's replenishment plan.",
                    runId));
            }

            if (cover is { } days)
            {
                var isAB = abc is "A" or "B";
                var severity = isAB && days > _options.OverstockDaysCritical ? WarningSeverities.Critical
                    : isAB && days > _options.OverstockDaysAB ? WarningSeverities.Warning
                    : !isAB && days > _options.OverstockDaysCritical ? WarningSeverities.Info
                    : null;
                if (severity is null)
                {
                    continue;
                }
                var threshold = isAB ? _options.OverstockDaysAB : _options.OverstockDaysCritical;
                var evidence = new Dictionary<string, object?>(common) { ["cover_threshold_days"] = threshold };
                candidates.Add(new WarningCandidate(WarningTypes.Overstock, severity, "sku", sku, sku, categoryId, warehouseId,
                    $"{WarningTypes.Overstock}|sku|{sku}|{warehouseId.ToString(CultureInfo.InvariantCulture)}",
                    $"SKU {sku} @ {warehouse}: {Number(days)} days of cover (class {abc}, threshold {Number(threshold)} days)",
                    Json(evidence),
                    "Hold further orders; consider a promotion, a transfer to another warehouse or returning stock to the supplier.",
                    runId));
            }
        }
    }

    private async Task EvaluateDegradationAsync(NpgsqlConnection connection, string frequency,
        List<WarningCandidate> candidates, HashSet<string> families, CancellationToken cancellationToken)
    {
        // One run per scoring origin (the latest with accuracy), newest origins first.
        const string sql = """
            SELECT run_id, data_to, wape FROM (
                SELECT DISTINCT ON (data_to) run_id, data_to, wape
                FROM model_run
                WHERE kind = 'score' AND status = 'succeeded' AND frequency = @frequency AND wape IS NOT NULL AND data_to IS NOT NULL
                ORDER BY data_to, run_id DESC
            ) r
            ORDER BY data_to DESC
            LIMIT @limit
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("frequency", frequency);
        command.Parameters.AddWithValue("limit", _options.DegradationWindow + 1);
        var runs = new List<(long RunId, DateOnly Origin, double Wape)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                runs.Add((reader.GetInt64(0), reader.GetFieldValue<DateOnly>(1), reader.GetDouble(2)));
            }
        }
        if (runs.Count < 4)
        {
            return;   // fewer than 3 earlier origins: no trailing median to compare with
        }
        var family = $"{WarningTypes.ForecastDegradation}:{frequency}";
        families.Add(family);
        var latest = runs[0];
        var trailing = runs.Skip(1).Select(r => r.Wape).Order().ToArray();
        var median = trailing.Length % 2 == 1 ? trailing[trailing.Length / 2]
            : (trailing[(trailing.Length / 2) - 1] + trailing[trailing.Length / 2]) / 2;
        if (median <= 0 || latest.Wape <= median * _options.DegradationRatio)
        {
            return;
        }
        var ratio = latest.Wape / median;
        var evidence = new Dictionary<string, object?>
        {
            ["frequency"] = frequency,
            ["run_id"] = latest.RunId,
            ["origin"] = Date(latest.Origin),
            ["wape"] = Round(latest.Wape, 4),
            ["trailing_median_wape"] = Round(median, 4),
            ["ratio"] = Round(ratio),
            ["trailing_runs"] = runs.Skip(1).Select(r => new Dictionary<string, object?>
            {
                ["run_id"] = r.RunId, ["origin"] = Date(r.Origin), ["wape"] = Round(r.Wape, 4),
            }).ToList(),
            ["warning_ratio"] = _options.DegradationRatio,
            ["critical_ratio"] = _options.DegradationCriticalRatio,
        };
        candidates.Add(new WarningCandidate(WarningTypes.ForecastDegradation,
            ratio > _options.DegradationCriticalRatio ? WarningSeverities.Critical : WarningSeverities.Warning,
            "platform", "all", null, null, null, $"{family}|platform|all",
            $"{(frequency == "weekly" ? "Weekly" : "Daily")} forecast accuracy fell: WAPE {latest.Wape:P1} vs trailing median {median:P1} (origin {Date(latest.Origin)})",
            Json(evidence),
            "Compare the run with the previous ones on the Runs page (data gaps, a changed model mix); consider retraining before the next night.",
            latest.RunId));
    }

    private static async Task EvaluateRetrainRequestsAsync(NpgsqlConnection connection, List<WarningCandidate> candidates,
        HashSet<string> families, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT r.request_id, r.level, r.series_key, r.frequency, r.requested_at, r.reason,
                   CASE r.level WHEN 'sku' THEN p.category_id WHEN 'category' THEN c.category_id END, c.name
            FROM retrain_request r
            LEFT JOIN product p ON r.level = 'sku' AND p.sku = r.series_key
            LEFT JOIN category c ON r.level = 'category' AND c.category_id::text = r.series_key
            WHERE r.handled_run_id IS NULL
            ORDER BY r.request_id
            """;
        foreach (var frequency in Frequencies)
        {
            families.Add($"{WarningTypes.RetrainTriggered}:{frequency}");
        }
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var level = reader.GetString(1);
            var seriesKey = reader.GetString(2);
            var frequency = reader.GetString(3);
            var reason = reader.GetString(5);
            var evidence = new Dictionary<string, object?>
            {
                ["request_id"] = reader.GetInt64(0),
                ["frequency"] = frequency,
                ["requested_at"] = reader.GetFieldValue<DateTimeOffset>(4).UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["reason"] = reason,
            };
            candidates.Add(new WarningCandidate(WarningTypes.RetrainTriggered, WarningSeverities.Info, level, seriesKey,
                level == "sku" ? seriesKey : null, reader.IsDBNull(6) ? null : reader.GetInt32(6), null,
                $"{WarningTypes.RetrainTriggered}:{frequency}|{level}|{seriesKey}",
                $"{Series(level, seriesKey, reader.IsDBNull(7) ? null : reader.GetString(7))}: {frequency} model retraining scheduled ({reason})",
                Json(evidence),
                "No action needed: the series is retrained before the next nightly run. Treat its forecasts with care until then.",
                null));
        }
    }

    private sealed record ControlRow(string Level, string SeriesKey, DateOnly PeriodStart, short Step, double P10, double P50,
        double P90, long RunId, double Actual, int? CategoryId, string? CategoryName);
}

/// <summary>One SKU's last complete week and its baseline (anomaly features' input).</summary>
/// <param name="Sku">The SKU.</param>
/// <param name="CategoryId">Its category.</param>
/// <param name="Units">Units sold in the week.</param>
/// <param name="Returned">Units returned in the week.</param>
/// <param name="OrderLines">Sales lines in the week.</param>
/// <param name="BaselineMean">Mean weekly units sold over the baseline weeks before it.</param>
internal sealed record AnomalyRow(string Sku, int? CategoryId, double Units, double Returned, double OrderLines, double BaselineMean);

/// <summary>The isolation forest's feature matrix (pure).</summary>
internal static class AnomalyFeatures
{
    /// <summary>log(1 + units), log((1 + units) / (1 + baseline mean)), returns share, log(1 + order lines).</summary>
    public const int Columns = 4;

    public static double[] Build(IReadOnlyList<AnomalyRow> rows)
    {
        var data = new double[rows.Count * Columns];
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            data[(i * Columns) + 0] = Math.Log(1 + Math.Max(r.Units, 0));
            data[(i * Columns) + 1] = Math.Log((1 + Math.Max(r.Units, 0)) / (1 + Math.Max(r.BaselineMean, 0)));
            data[(i * Columns) + 2] = r.Returned / Math.Max(r.Units + r.Returned, 1);
            data[(i * Columns) + 3] = Math.Log(1 + Math.Max(r.OrderLines, 0));
        }
        return data;
    }
}
