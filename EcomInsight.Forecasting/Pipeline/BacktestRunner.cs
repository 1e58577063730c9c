using EcomInsight.Forecasting.Evaluation;

namespace EcomInsight.Forecasting.Pipeline;

/// <summary>Accuracy of one model or selection strategy over all series and outer origins.</summary>
/// <param name="Name">Model name or strategy name.</param>
/// <param name="Errors">Pooled errors (WAPE, VN1, bias, MASE, coverage of the 80% interval…).</param>
public sealed record BacktestRow(string Name, ErrorAccumulator Errors);

/// <summary>Result of <see cref="BacktestRunner.Run"/>.</summary>
/// <param name="Models">One row per single model; coverage counts only points the model forecast itself with its own
/// intervals (NaN for models without intervals).</param>
/// <param name="Strategies">One row per selection strategy (nested: the selection at every outer origin saw only the data before it).</param>
/// <param name="SelectionCounts">Winning labels of the first strategy over all series and outer origins, most frequent first.</param>
/// <param name="Series">Series evaluated (those with at least one outer origin).</param>
/// <param name="Origins">Outer (series, origin) pairs evaluated.</param>
public sealed record BacktestReport(IReadOnlyList<BacktestRow> Models, IReadOnlyList<BacktestRow> Strategies, IReadOnlyList<KeyValuePair<string, int>> SelectionCounts, int Series, long Origins);

/// <summary>
/// Nested rolling-origin evaluation: at each outer origin every single model and every selection strategy forecasts from
/// the data before the origin only (the strategies run their own inner backtests there), and the next h values score them.
/// </summary>
public static class BacktestRunner
{
    /// <summary>Runs the evaluation in parallel over series.</summary>
    /// <param name="series">Input series.</param>
    /// <param name="strategies">Named selectors; all must share the same model list and preprocessing settings, because they
    /// share a per-series fit cache. Their models are also scored one by one.</param>
    /// <param name="outer">Outer origins (horizon = the selectors' horizon).</param>
    /// <param name="maseSeasonLength">Season lag of the MASE scale (1 = naive scale), computed on the data before each origin.</param>
    /// <param name="coverageLevel">Interval level whose coverage is reported (percent).</param>
    /// <param name="calibration">Cross-series calibration of the strategies' forecasts, fitted per outer origin (counted
    /// from the end of each series) on all series' inner backtests at that origin, as `forecast` does on the whole data.</param>
    /// <exception cref="ArgumentException">No strategies, or they differ in models or horizon.</exception>
    public static BacktestReport Run(IReadOnlyList<TimeSeriesData> series, IReadOnlyList<KeyValuePair<string, ModelSelector>> strategies, RollingOriginOptions outer, int maseSeasonLength = 1, double coverageLevel = 80, GlobalCalibrationMode calibration = GlobalCalibrationMode.None)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(strategies);
        ArgumentNullException.ThrowIfNull(outer);
        if (strategies.Count == 0)
        {
            throw new ArgumentException("At least one strategy is needed.", nameof(strategies));
        }

        var first = strategies[0].Value;
        foreach (var (_, selector) in strategies)
        {
            if (selector.Horizon != outer.Horizon || !selector.Models.SequenceEqual(first.Models)
                || selector.Options.TrimLeadingZeros != first.Options.TrimLeadingZeros || selector.Options.ClipAtZero != first.Options.ClipAtZero)
            {
                throw new ArgumentException("Strategies must share models, horizon and preprocessing.", nameof(strategies));
            }
        }

        var modelCount = first.Models.Count;
        var totals = NewAccumulators(modelCount + strategies.Count);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var evaluated = 0;
        var origins = 0L;
        var gate = new object();
        // Strategy forecasts are kept (not scored at once) so that a cross-series calibration can be fitted per origin.
        var kept = new SeriesForecast?[strategies.Count][][];
        for (var k = 0; k < strategies.Count; k++)
        {
            kept[k] = new SeriesForecast?[series.Count][];
        }

        Parallel.For(
            0,
            series.Count,
            () => new Local(NewAccumulators(modelCount + strategies.Count)),
            (s, _, local) =>
            {
                var y = series[s].Values;
                var plan = RollingOrigin.Plan(0, y.Length, outer);
                if (plan.Length == 0)
                {
                    return local;
                }

                local.Series++;
                var cache = new FitCache();
                for (var k = 0; k < strategies.Count; k++)
                {
                    kept[k][s] = new SeriesForecast?[outer.Origins];
                }

                for (var o = 0; o < plan.Length; o++)
                {
                    var origin = plan[o];
                    local.Origins++;
                    var actual = y.AsSpan(origin.TrainEnd, outer.Horizon);
                    var scale = Metrics.MaseScale(y.AsSpan(0, origin.TrainEnd), maseSeasonLength);
                    for (var i = 0; i < modelCount; i++)
                    {
                        var own = first.ForecastWith(i, y, origin.TrainEnd, cache);
                        // Coverage of a model's own intervals only: zero-history and fallback forecasts carry bounds the
                        // model did not make (and models without intervals would otherwise show their coverage).
                        Add(local.Accumulators[i], actual, own.Label == first.Models[i].Name ? own : own with { Intervals = [] }, coverageLevel, scale);
                    }

                    for (var k = 0; k < strategies.Count; k++)
                    {
                        var forecast = strategies[k].Value.Forecast(y, origin.TrainEnd, cache);
                        kept[k][s][plan.Length - 1 - o] = forecast;
                        if (k == 0)
                        {
                            local.Counts[forecast.Label] = local.Counts.GetValueOrDefault(forecast.Label) + 1;
                        }
                    }
                }

                return local;
            },
            local =>
            {
                lock (gate)
                {
                    for (var i = 0; i < totals.Length; i++)
                    {
                        totals[i].Merge(local.Accumulators[i]);
                    }

                    foreach (var (label, count) in local.Counts)
                    {
                        counts[label] = counts.GetValueOrDefault(label) + count;
                    }

                    evaluated += local.Series;
                    origins += local.Origins;
                }
            });

        // Score the strategies, calibrating each outer origin (counted from the series end) across all series.
        for (var k = 0; k < strategies.Count; k++)
        {
            var selector = strategies[k].Value;
            for (var fromEnd = 0; fromEnd < outer.Origins; fromEnd++)
            {
                var atOrigin = new List<SeriesForecast>();
                var which = new List<int>();
                for (var s = 0; s < series.Count; s++)
                {
                    if (kept[k][s]?[fromEnd] is { } forecast)
                    {
                        atOrigin.Add(forecast);
                        which.Add(s);
                    }
                }

                var global = GlobalCalibration.Fit(atOrigin, outer.Horizon, [.. selector.Options.Levels], calibration);
                for (var i = 0; i < atOrigin.Count; i++)
                {
                    var y = series[which[i]].Values;
                    var trainEnd = y.Length - outer.Horizon - (fromEnd * outer.Step);
                    var scale = Metrics.MaseScale(y.AsSpan(0, trainEnd), maseSeasonLength);
                    Add(totals[modelCount + k], y.AsSpan(trainEnd, outer.Horizon), global.Apply(atOrigin[i], selector.Options.ClipAtZero), coverageLevel, scale);
                }
            }
        }

        var modelRows = new List<BacktestRow>(modelCount);
        for (var i = 0; i < modelCount; i++)
        {
            modelRows.Add(new BacktestRow(first.Models[i].Name, totals[i]));
        }

        var strategyRows = new List<BacktestRow>(strategies.Count);
        for (var k = 0; k < strategies.Count; k++)
        {
            strategyRows.Add(new BacktestRow(strategies[k].Key, totals[modelCount + k]));
        }

        var sorted = counts.ToList();
        sorted.Sort((a, b) => b.Value != a.Value ? b.Value.CompareTo(a.Value) : string.CompareOrdinal(a.Key, b.Key));
        return new BacktestReport(modelRows, strategyRows, sorted, evaluated, origins);
    }

    private static void Add(ErrorAccumulator accumulator, ReadOnlySpan<double> actual, SeriesForecast forecast, double level, double scale)
    {
        Models.PredictionInterval? interval = null;
        foreach (var candidate in forecast.Intervals)
        {
            if (candidate.Level == level)
            {
                interval = candidate;
            }
        }

        accumulator.Add(actual, forecast.Mean, interval?.Lower ?? default, interval?.Upper ?? default, scale);
    }

    private static ErrorAccumulator[] NewAccumulators(int count)
    {
        var result = new ErrorAccumulator[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = new ErrorAccumulator();
        }

        return result;
    }

    private sealed class Local(ErrorAccumulator[] accumulators)
    {
        public ErrorAccumulator[] Accumulators { get; } = accumulators;

        public Dictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

        public int Series { get; set; }

        public long Origins { get; set; }
    }
}
