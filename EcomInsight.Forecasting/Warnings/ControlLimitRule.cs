using System.Globalization;
using EcomInsight.Domain.Data.Warnings;
using EcomInsight.Domain.Warnings;
using EcomInsight.Forecasting.Anomaly;
using Npgsql;
using static EcomInsight.Forecasting.Warnings.WarningEvidence;

namespace EcomInsight.Forecasting.Warnings;

/// <summary>
/// demand_above_ucl / demand_below_lcl per frequency and level: the last complete period and the one before,
/// each against the latest succeeded scoring run that forecast it; limits from <see cref="ControlLimits"/>,
/// grade from <see cref="ControlRules.Grade"/>. Key: <c>type:frequency|level|series</c>.
/// </summary>
internal static class ControlLimitRule
{
    public static async Task EvaluateAsync(NpgsqlConnection connection, string frequency, DateTimeOffset now,
        List<WarningCandidate> candidates, HashSet<string> families, CancellationToken cancellationToken)
    {
        var days = WarningEvaluationStep.PeriodDays(frequency);
        var latest = WarningEvaluationStep.BucketStart(frequency, now).AddDays(-days);
        var previous = latest.AddDays(-days);
        var sql = $"""
            WITH periods(period_start, idx) AS (VALUES (@latest::date, 0), (@previous::date, 1)),
            runs AS MATERIALIZED (
                SELECT p.period_start, p.idx,
                       (SELECT r.run_id FROM model_run r
                        WHERE r.kind = 'score' AND r.status = 'succeeded' AND r.frequency = @frequency
                          AND (r.data_to IS NULL OR r.data_to < p.period_start)
                          AND EXISTS (SELECT 1 FROM forecast f WHERE f.run_id = r.run_id AND f.period_start = p.period_start)
                        ORDER BY r.run_id DESC LIMIT 1) AS run_id
                FROM periods p
            ),
            actual AS MATERIALIZED (
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

    internal static string SeverityOf(ControlSignal signal) => signal switch
    {
        ControlSignal.Critical => WarningSeverities.Critical,
        ControlSignal.Warning => WarningSeverities.Warning,
        _ => WarningSeverities.Info,
    };

    private sealed record ControlRow(string Level, string SeriesKey, DateOnly PeriodStart, short Step, double P10, double P50,
        double P90, long RunId, double Actual, int? CategoryId, string? CategoryName);
}
