using EcomInsight.Forecasting.Evaluation;

namespace EcomInsight.Forecasting.Scoring;

/// <summary>Holdout accuracy of one reconciliation method at one hierarchy level.</summary>
/// <param name="Method">'base' (unreconciled), 'bottom-up' or 'top-down'.</param>
/// <param name="Level">'sku', 'category' or 'platform'.</param>
/// <param name="Errors">Pooled errors over the level's series, origins and steps (WAPE, bias, MASE, coverage of p10..p90).</param>
public sealed record ReconciliationScore(string Method, string Level, ErrorAccumulator Errors);

/// <summary>
/// Compares hierarchy reconciliation methods on a holdout of the data: at each origin (the last <c>h</c> periods,
/// then <c>step</c> earlier each), every series is forecast from the data before the origin exactly as scoring does
/// (full selection, calibrated intervals), the base forecasts are reconciled bottom-up and top-down, and each is scored
/// against the held-out actuals per level. Decides <see cref="PipelineOptions.Reconciliation"/> (docs/pipeline.md).
/// </summary>
public static class ReconciliationEvaluation
{
    /// <summary>Runs the comparison.</summary>
    /// <param name="panel">The full hierarchy.</param>
    /// <param name="forecaster">Scoring settings (its horizon is the holdout length h).</param>
    /// <param name="horizon">h, the holdout periods per origin (the forecaster's horizon).</param>
    /// <param name="origins">Origins, counted back from the end.</param>
    /// <param name="step">Periods between origins.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>Per method and level, the pooled errors.</returns>
    /// <exception cref="ArgumentException">The panel is too short for the origins.</exception>
    public static IReadOnlyList<ReconciliationScore> Run(SeriesPanel panel, PanelForecaster forecaster, int horizon, int origins, int step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(forecaster);
        string[] methods = ["base", Reconciliation.BottomUp, Reconciliation.TopDown];
        string[] levels = [SeriesLevel.Sku, SeriesLevel.Category, SeriesLevel.Platform];
        var scores = new Dictionary<(string, string), ErrorAccumulator>();
        foreach (var method in methods)
        {
            foreach (var level in levels)
            {
                scores[(method, level)] = new ErrorAccumulator();
            }
        }

        var none = new Dictionary<(string Level, string Key), ChosenModel>();
        for (var k = 0; k < origins; k++)
        {
            var cut = panel.Length - horizon - (k * step);
            if (cut < 8)
            {
                throw new ArgumentException($"The panel ({panel.Length} periods) is too short for {origins} origins of {horizon} periods.", nameof(origins));
            }

            var history = panel.Truncate(cut);
            var (forecasts, _) = forecaster.Score(history, none, cancellationToken);
            foreach (var method in methods)
            {
                var result = method == "base" ? forecasts : HierarchyReconciler.Reconcile(history, forecasts, method);
                for (var i = 0; i < result.Length; i++)
                {
                    var node = panel.Nodes[i];
                    var actual = node.Values.AsSpan(cut, horizon);
                    var scale = Metrics.MaseScale(node.Values.AsSpan(0, cut), forecaster.Season);
                    scores[(method, node.Level)].Add(actual, result[i].P50, result[i].P10, result[i].P90, double.IsFinite(scale) && scale > 0 ? scale : double.NaN);
                }
            }
        }

        return [.. methods.SelectMany(m => levels.Select(l => new ReconciliationScore(m, l, scores[(m, l)])))];
    }
}
