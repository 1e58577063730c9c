using System.Globalization;
using EcomInsight.Domain.Data.Warnings;
using EcomInsight.Domain.Warnings;
using EcomInsight.Forecasting.Anomaly;
using Npgsql;
using static EcomInsight.Forecasting.Warnings.WarningEvidence;

namespace EcomInsight.Forecasting.Warnings;

/// <summary>retrain_triggered: one info warning per pending <c>retrain_request</c>.</summary>
internal static class RetrainRule
{
    private static readonly string[] Frequencies = ["daily", "weekly"];

    public static async Task EvaluateAsync(NpgsqlConnection connection, List<WarningCandidate> candidates,
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
}
