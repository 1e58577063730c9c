using System.Globalization;
using EcomInsight.Domain.Data.Warnings;
using EcomInsight.Domain.Warnings;
using EcomInsight.Forecasting.Anomaly;
using Npgsql;
using static EcomInsight.Forecasting.Warnings.WarningEvidence;

namespace EcomInsight.Forecasting.Warnings;

/// <summary>
/// forecast_degradation per frequency: the latest scoring origin's WAPE against the median of the previous ones.
/// </summary>
internal static class DegradationRule
{
    public static async Task EvaluateAsync(NpgsqlConnection connection, string frequency, WarningOptions options,
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
        command.Parameters.AddWithValue("limit", options.DegradationWindow + 1);
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
        if (median <= 0 || latest.Wape <= median * options.DegradationRatio)
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
            ["warning_ratio"] = options.DegradationRatio,
            ["critical_ratio"] = options.DegradationCriticalRatio,
        };
        candidates.Add(new WarningCandidate(WarningTypes.ForecastDegradation,
            ratio > options.DegradationCriticalRatio ? WarningSeverities.Critical : WarningSeverities.Warning,
            "platform", "all", null, null, null, $"{family}|platform|all",
            $"{(frequency == "weekly" ? "Weekly" : "Daily")} forecast accuracy fell: WAPE {latest.Wape:P1} vs trailing median {median:P1} (origin {Date(latest.Origin)})",
            Json(evidence),
            "Compare the run with the previous ones on the Runs page (data gaps, a changed model mix); consider retraining before the next night.",
            latest.RunId));
    }
}
