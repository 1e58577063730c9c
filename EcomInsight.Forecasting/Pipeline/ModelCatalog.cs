using System.Globalization;
using EcomInsight.Forecasting.Models;
using EcomInsight.Forecasting.Models.Baseline;
using EcomInsight.Forecasting.Models.Pooled;

namespace EcomInsight.Forecasting.Pipeline;

/// <summary>
/// Maps the model names used on the command line (<c>--models</c>) and in reports to model factories.
/// </summary>
/// <remarks>
/// Names: <c>naive</c>, <c>snaive</c> (seasonal naive, season m), <c>mean</c>, <c>ma</c> (moving average over one season,
/// or 4 periods when m = 1), <c>maK</c> for a window of K periods (e.g. <c>ma8</c>), <c>sma</c> (seasonal moving average
/// over 4 cycles) and <c>smaK</c> over K cycles; intermittent demand: <c>croston</c>, <c>sba</c>, their per-series optimised
/// forms <c>croston-opt</c> and <c>sba-opt</c>, <c>tsb</c>, <c>tsb-opt</c>, <c>adida</c>; <c>autoarima</c> (alias <c>arima</c>); exponential smoothing: <c>ses</c>, <c>holt</c>, <c>holt-damped</c>,
/// <c>ets</c> (automatic ETS by AICc) and <c>theta</c>; STL decomposition with a model on the seasonally adjusted series
/// (R's <c>stlf</c>, m ≥ 2 only): <c>stlf-ses</c>, <c>stlf-ets</c>, <c>stlf-tsb</c>, <c>stlf-arima</c>; <c>global</c>, the pooled
/// cross-series ridge regression (<see cref="PooledRidgeModel"/>, needs the panel: see <see cref="TrainGlobal"/>). <c>auto</c> is the default set,
/// chosen by rolling-origin backtests on training data (README records the experiment).
/// </remarks>
public static class ModelCatalog
{
    private static readonly Dictionary<string, Func<int, IForecastModel>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["naive"] = _ => new NaiveModel(),
        ["snaive"] = m => new SeasonalNaiveModel(m),
        ["mean"] = _ => new HistoricMeanModel(),
        ["ma"] = m => new MovingAverageModel(m > 1 ? m : 4),
        ["sma"] = m => new SeasonalMovingAverageModel(m, 4),
        ["croston"] = _ => new CrostonModel(),
        ["sba"] = _ => new CrostonModel(0.1, CrostonVariant.Sba),
        ["croston-opt"] = _ => CrostonModel.Optimized(),
        ["sba-opt"] = _ => CrostonModel.Optimized(CrostonVariant.Sba),
        ["tsb"] = _ => new TsbModel(),
        ["tsb-opt"] = _ => TsbModel.Optimized(),
        ["adida"] = _ => new AdidaModel(),
        ["autoarima"] = m => new AutoArima(m),
        ["ses"] = _ => new Ses(),
        ["holt"] = _ => new Holt(),
        ["holt-damped"] = _ => new Holt(damped: true),
        ["ets"] = m => new Ets(m),
        ["theta"] = m => new Theta(m),
        ["stlf-ses"] = m => Stl(m, new Ses()),
        ["stlf-ets"] = m => Stl(m, new Ets(1)),
        ["stlf-tsb"] = m => Stl(m, TsbModel.Optimized()),
        ["stlf-arima"] = m => Stl(m, new AutoArima(1)),
    };

    private static StlForecast Stl(int seasonLength, IForecastModel inner) => seasonLength >= 2
        ? new StlForecast(seasonLength, inner)
        : throw new ArgumentException($"{inner.Name} on an STL-adjusted series needs a season length of at least 2 (--season).", nameof(seasonLength));

    /// <summary>Every registered name, in tie-break order (the order of <c>--models</c> lists is kept as given).</summary>
    public static IReadOnlyList<string> Names => [.. Factories.Keys];

    /// <summary>
    /// The default candidate set for season length <paramref name="seasonLength"/>, chosen by nested rolling-origin
    /// backtests on training data only (README, "Forecast evaluation"): level-tracking methods (mean, moving averages,
    /// SES) and the intermittent-demand family (optimised Croston/SBA, TSB, ADIDA), plus the seasonal benchmarks and
    /// seasonally adjusted Theta when m &gt; 1. Left out: methods that never ranked in the backtests (naive, Holt) and
    /// methods too slow for re-forecasting every SKU every hour (ETS with its class search, auto-ARIMA), which
    /// stay available by name. For m = 1 the pooled <c>global</c> model too (skipped when <see cref="Resolve"/> has no
    /// panel to train it on): anchored in the ensembles it lowered the weekly backtest VN1 at unchanged WAPE; with m &gt; 1
    /// (daily) it traded a lower WAPE for a higher VN1, so it is not in that set.
    /// </summary>
    public static IReadOnlyList<string> AutoNames(int seasonLength) =>
        seasonLength > 1
            ? ["sma", "sma8", "snaive", "mean", "ses", "theta", "croston-opt", "tsb-opt", "adida"]
            : ["mean", "ma8", "ses", "croston-opt", "sba-opt", "tsb-opt", "adida", "global"];

    /// <summary>Creates the model called <paramref name="name"/> for season length <paramref name="seasonLength"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static IForecastModel Create(string name, int seasonLength)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Trim();
        if (key.Equals("arima", StringComparison.OrdinalIgnoreCase))
        {
            key = "autoarima";
        }

        if (Factories.TryGetValue(key, out var factory))
        {
            return factory(seasonLength);
        }

        if (key.Length > 2 && key.StartsWith("ma", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(key.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var window) && window >= 1)
        {
            return new MovingAverageModel(window);
        }

        if (key.Length > 3 && key.StartsWith("sma", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(key.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var cycles) && cycles >= 1)
        {
            return new SeasonalMovingAverageModel(seasonLength, cycles);
        }

        throw new ArgumentException($"Unknown model '{name}'. Known: {string.Join(", ", Names)}, maK (moving average of K periods), smaK (seasonal moving average of K cycles), auto.", nameof(name));
    }

    /// <summary>
    /// Trains the global model on <paramref name="series"/> (each from its first non-zero value) with k = max(8, 2m) lags,
    /// keeping out of every training target the last <paramref name="holdout"/> periods of each series, i.e. the periods that
    /// the selection's (and an outer evaluation's) backtest origins forecast.
    /// </summary>
    /// <param name="series">The panel.</param>
    /// <param name="seasonLength">Season length m.</param>
    /// <param name="horizon">Forecast horizon h (one regression per step).</param>
    /// <param name="holdout">Periods at each series' end that no training target may use.</param>
    /// <exception cref="ArgumentException">No series has a window with a non-zero level.</exception>
    public static PooledRidgeModel TrainGlobal(IReadOnlyList<TimeSeriesData> series, int seasonLength, int horizon, int holdout)
    {
        ArgumentNullException.ThrowIfNull(series);
        var panel = new List<double[]>(series.Count);
        foreach (var s in series)
        {
            var first = Array.FindIndex(s.Values, v => v != 0);
            if (first >= 0)
            {
                panel.Add(s.Values[first..]);
            }
        }

        return PooledRidgeModel.Train(panel, horizon, Math.Max(8, 2 * seasonLength), holdout);
    }

    /// <summary>Resolves <c>auto</c> or a comma-separated list of names into models (duplicates dropped).</summary>
    /// <param name="spec"><c>auto</c> or names.</param>
    /// <param name="seasonLength">Season length m.</param>
    /// <param name="global">Trains the panel-wide model called <c>global</c> (<see cref="PooledRidgeModel"/>) on demand;
    /// null when no panel is at hand, in which case <c>global</c> is an unknown name. Under <c>auto</c>, a panel too short
    /// to train it on leaves it out.</param>
    /// <exception cref="ArgumentException">An unknown name, an empty list, or <c>global</c> named explicitly on a panel too
    /// short to train it.</exception>
    public static IReadOnlyList<IForecastModel> Resolve(string spec, int seasonLength, Func<IForecastModel>? global = null)
    {
        var auto = string.IsNullOrWhiteSpace(spec) || spec.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase);
        var names = auto
            ? AutoNames(seasonLength)
            : spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var models = new List<IForecastModel>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            var isGlobal = name.Trim().Equals("global", StringComparison.OrdinalIgnoreCase);
            if (isGlobal && global is null && auto)
            {
                continue; // no panel at hand: the default set without the pooled model
            }

            IForecastModel model;
            try
            {
                model = isGlobal && global is not null ? global() : Create(name, seasonLength);
            }
            catch (ArgumentException) when (isGlobal && auto)
            {
                continue; // the panel is too short for one training window: the default set without the pooled model
            }

            if (seen.Add(model.Name))
            {
                models.Add(model);
            }
        }

        if (models.Count == 0)
        {
            throw new ArgumentException("No models given.", nameof(spec));
        }

        return models;
    }
}
