using EcomInsight.Forecasting.Evaluation;

namespace EcomInsight.Forecasting.Pipeline;

/// <summary>Forecasts every series with a <see cref="ModelSelector"/>, in parallel over series.</summary>
public static class ForecastRunner
{
    /// <summary>
    /// Runs selection and the final forecast for every series (<see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/>
    /// across all cores; each series has its own fit cache, the selector is shared and immutable).
    /// </summary>
    /// <param name="series">Input series.</param>
    /// <param name="selector">The selection settings and candidate models.</param>
    /// <param name="calibration">Cross-series calibration applied after every series is selected (<see cref="GlobalCalibration"/>).</param>
    /// <param name="maxDegreeOfParallelism">Worker count; -1 for all cores.</param>
    /// <returns>One forecast per series, in input order.</returns>
    public static SeriesForecast[] Run(IReadOnlyList<TimeSeriesData> series, ModelSelector selector, GlobalCalibrationMode calibration = GlobalCalibrationMode.None, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(selector);
        var results = new SeriesForecast[series.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.For(0, series.Count, options, s =>
        {
            var values = series[s].Values;
            results[s] = selector.Forecast(values, values.Length, new FitCache());
        });
        if (calibration != GlobalCalibrationMode.None)
        {
            var global = GlobalCalibration.Fit(results, selector.Horizon, [.. selector.Options.Levels], calibration);
            for (var s = 0; s < results.Length; s++)
            {
                results[s] = global.Apply(results[s], selector.Options.ClipAtZero);
            }
        }

        return results;
    }

    /// <summary>In how many series each model was a member of the returned forecast (alone or in an ensemble), most frequent first.</summary>
    public static IReadOnlyList<KeyValuePair<string, int>> CountMembers(IEnumerable<SeriesForecast> forecasts)
    {
        ArgumentNullException.ThrowIfNull(forecasts);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var forecast in forecasts)
        {
            foreach (var member in forecast.Components)
            {
                counts[member] = counts.GetValueOrDefault(member) + 1;
            }
        }

        var list = counts.ToList();
        list.Sort((a, b) => b.Value != a.Value ? b.Value.CompareTo(a.Value) : string.CompareOrdinal(a.Key, b.Key));
        return list;
    }

    /// <summary>How many series each label (model name, ensemble or fallback) won, most frequent first.</summary>
    public static IReadOnlyList<KeyValuePair<string, int>> CountLabels(IEnumerable<SeriesForecast> forecasts)
    {
        ArgumentNullException.ThrowIfNull(forecasts);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var forecast in forecasts)
        {
            counts[forecast.Label] = counts.GetValueOrDefault(forecast.Label) + 1;
        }

        var list = counts.ToList();
        list.Sort((a, b) => b.Value != a.Value ? b.Value.CompareTo(a.Value) : string.CompareOrdinal(a.Key, b.Key));
        return list;
    }
}
