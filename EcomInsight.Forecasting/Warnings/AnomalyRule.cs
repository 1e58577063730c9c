using System.Globalization;
using EcomInsight.Domain.Data.Warnings;
using EcomInsight.Domain.Warnings;
using EcomInsight.Forecasting.Anomaly;
using Npgsql;
using static EcomInsight.Forecasting.Warnings.WarningEvidence;

namespace EcomInsight.Forecasting.Warnings;

/// <summary>
/// anomaly: an <see cref="IsolationForest"/> over the SKUs' last complete week (see <see cref="AnomalyFeatures"/>);
/// raised when the score reaches the threshold and the SKU's own week is unusual (ratio or returns gate).
/// </summary>
internal static class AnomalyRule
{
    public static async Task EvaluateAsync(NpgsqlConnection connection, DateTimeOffset now, WarningOptions options,
        List<WarningCandidate> candidates, HashSet<string> families, CancellationToken cancellationToken)
    {
        var week = WarningEvaluationStep.BucketStart("weekly", now).AddDays(-7);
        var weekTs = new DateTimeOffset(week.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var baselineWeeks = options.AnomalyBaselineWeeks;
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
        if (rows.Count < Math.Max(2, options.AnomalyMinSkus))
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
            var unusual = ratio >= options.AnomalyRatioGate || ratio <= 1 / options.AnomalyRatioGate ||
                          returnsShare >= options.AnomalyReturnsShareGate;
            if (scores[i] < options.AnomalyThreshold || !unusual)
            {
                continue;
            }
            var severity = scores[i] >= options.AnomalyWarningScore ? WarningSeverities.Warning : WarningSeverities.Info;
            var evidence = new Dictionary<string, object?>
            {
                ["week_start"] = Date(week),
                ["score"] = Round(scores[i]),
                ["threshold"] = options.AnomalyThreshold,
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
                : returnsShare >= options.AnomalyReturnsShareGate ? $"returns {returnsShare:P0} of units"
                : $"{ratio.ToString("0.0", CultureInfo.InvariantCulture)}× its {baselineWeeks}-week mean";
            var title = $"SKU {row.Sku}: unusual week of {Date(week)} ({Number(row.Units)} units, {what}; anomaly score {scores[i].ToString("0.00", CultureInfo.InvariantCulture)})";
            candidates.Add(new WarningCandidate(WarningTypes.Anomaly, severity, "sku", row.Sku, row.Sku, row.CategoryId, null,
                $"{family}|sku|{row.Sku}", title, Json(evidence),
                "Look at the week's orders: a one-off bulk order, a return wave or a data error should not feed the forecast; correct the data or note the cause.",
                null));
        }
    }
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
