namespace EcomInsight.Forecasting.Scoring;

/// <summary>Point forecast and 80% interval of one series, h steps: p10 ≤ p50 ≤ p90 per step.</summary>
/// <param name="P10">Lower bound (10% quantile), length h.</param>
/// <param name="P50">Point forecast, length h.</param>
/// <param name="P90">Upper bound (90% quantile), length h.</param>
public sealed record QuantileForecast(double[] P10, double[] P50, double[] P90);

/// <summary>
/// Makes SKU, category and platform forecasts coherent (every aggregate = the sum of the SKUs below it), over the
/// node layout of <see cref="SeriesPanel"/> (SKUs, then categories, then the platform).
/// </summary>
/// <remarks>
/// <para>Bottom-up: each aggregate's point forecast is the sum of its SKUs' base forecasts (Hyndman &amp;
/// Athanasopoulos, <i>Forecasting: Principles and Practice</i>, 3rd ed., §11.2).</para>
/// <para>Top-down by forecast proportions (Athanasopoulos, Ahmed &amp; Hyndman 2009; FPP3 §11.3): the platform's base
/// forecast is split among its children (categories, and SKUs without a category) in proportion to their base
/// forecasts at each step, and each category's share among its SKUs the same way. Children whose base forecasts
/// sum to 0 share their parent equally.</para>
/// <para>Intervals: quantiles of a sum are not sums of quantiles, so each series keeps the interval of its own base
/// forecast, rescaled by reconciled / base point forecast (shifted when the base point forecast is 0), then
/// clipped so that p10 ≤ p50 ≤ p90 and p10 ≥ 0. Point forecasts are exactly coherent; intervals are per-series.</para>
/// </remarks>
public static class HierarchyReconciler
{
    /// <summary>Reconciles <paramref name="baseForecasts"/> (one per node, all the same horizon) with <paramref name="method"/>.</summary>
    /// <param name="panel">The hierarchy (node order and SKU → category links).</param>
    /// <param name="baseForecasts">Per node, its own (incoherent) forecast.</param>
    /// <param name="method"><see cref="Reconciliation.BottomUp"/> or <see cref="Reconciliation.TopDown"/>.</param>
    /// <returns>Coherent forecasts, one per node; the inputs are not changed.</returns>
    /// <exception cref="ArgumentException">Counts or horizons differ, or an unknown method.</exception>
    public static QuantileForecast[] Reconcile(SeriesPanel panel, IReadOnlyList<QuantileForecast> baseForecasts, string method)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(baseForecasts);
        if (baseForecasts.Count != panel.Nodes.Count)
        {
            throw new ArgumentException($"{baseForecasts.Count} forecasts for {panel.Nodes.Count} series.", nameof(baseForecasts));
        }

        var h = baseForecasts.Count == 0 ? 0 : baseForecasts[0].P50.Length;
        var means = new double[baseForecasts.Count][];
        for (var i = 0; i < means.Length; i++)
        {
            if (baseForecasts[i].P50.Length != h)
            {
                throw new ArgumentException("All forecasts must have the same horizon.", nameof(baseForecasts));
            }

            means[i] = method switch
            {
                Reconciliation.BottomUp => new double[h],
                Reconciliation.TopDown => (double[])baseForecasts[i].P50.Clone(),
                _ => throw new ArgumentException($"Unknown reconciliation '{method}'.", nameof(method)),
            };
        }

        if (method == Reconciliation.BottomUp)
        {
            BottomUp(panel, baseForecasts, means);
        }
        else
        {
            TopDown(panel, baseForecasts, means);
        }

        var result = new QuantileForecast[means.Length];
        for (var i = 0; i < means.Length; i++)
        {
            result[i] = AdjustInterval(baseForecasts[i], means[i]);
        }

        return result;
    }

    private static void BottomUp(SeriesPanel panel, IReadOnlyList<QuantileForecast> baseForecasts, double[][] means)
    {
        var platform = means[panel.PlatformIndex];
        for (var s = 0; s < panel.SkuCount; s++)
        {
            var sku = baseForecasts[s].P50;
            sku.CopyTo(means[s], 0);
            var category = panel.SkuCategory[s] >= 0 ? means[panel.SkuCategory[s]] : null;
            for (var t = 0; t < sku.Length; t++)
            {
                platform[t] += sku[t];
                if (category is not null)
                {
                    category[t] += sku[t];
                }
            }
        }
    }

    private static void TopDown(SeriesPanel panel, IReadOnlyList<QuantileForecast> baseForecasts, double[][] means)
    {
        // Children of the platform: every category node and every SKU without a category.
        var top = new List<int>();
        for (var i = panel.SkuCount; i < panel.PlatformIndex; i++)
        {
            top.Add(i);
        }

        var byCategory = new Dictionary<int, List<int>>();
        for (var s = 0; s < panel.SkuCount; s++)
        {
            var c = panel.SkuCategory[s];
            if (c < 0)
            {
                top.Add(s);
            }
            else
            {
                if (!byCategory.TryGetValue(c, out var list))
                {
                    byCategory[c] = list = [];
                }

                list.Add(s);
            }
        }

        Split(baseForecasts[panel.PlatformIndex].P50, top, baseForecasts, means);
        foreach (var (category, skus) in byCategory)
        {
            Split(means[category], skus, baseForecasts, means);
        }
    }

    private static void Split(double[] parent, List<int> children, IReadOnlyList<QuantileForecast> baseForecasts, double[][] means)
    {
        for (var t = 0; t < parent.Length; t++)
        {
            var total = 0.0;
            foreach (var child in children)
            {
                total += Math.Max(baseForecasts[child].P50[t], 0);
            }

            foreach (var child in children)
            {
                means[child][t] = total > 0
                    ? parent[t] * Math.Max(baseForecasts[child].P50[t], 0) / total
                    : parent[t] / children.Count;
            }
        }
    }

    private static QuantileForecast AdjustInterval(QuantileForecast base_, double[] mean)
    {
        var h = mean.Length;
        var p10 = new double[h];
        var p90 = new double[h];
        for (var t = 0; t < h; t++)
        {
            var b = base_.P50[t];
            double lo, hi;
            if (b > 1e-9)
            {
                var ratio = mean[t] / b;
                lo = base_.P10[t] * ratio;
                hi = base_.P90[t] * ratio;
            }
            else
            {
                lo = base_.P10[t] + (mean[t] - b);
                hi = base_.P90[t] + (mean[t] - b);
            }

            p10[t] = Math.Max(0, Math.Min(lo, mean[t]));
            p90[t] = Math.Max(hi, mean[t]);
        }

        return new QuantileForecast(p10, mean, p90);
    }
}
