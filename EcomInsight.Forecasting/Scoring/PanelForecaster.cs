using System.Collections.Concurrent;
using System.Text.Json;
using EcomInsight.Forecasting.Evaluation;
using EcomInsight.Forecasting.Models;
using EcomInsight.Forecasting.Pipeline;

namespace EcomInsight.Forecasting.Scoring;

/// <summary>One candidate of one series in a training run, with its selection-backtest metrics.</summary>
/// <param name="Model">Model name, or the chosen ensemble's label (<c>median3</c>, <c>fallback:ses</c>, <c>zero</c>).</param>
/// <param name="Rank">1 = lowest backtest MAE; candidates without a backtest rank last.</param>
/// <param name="Chosen">The candidate scoring uses.</param>
/// <param name="Errors">Backtest errors (null when it could not be backtested).</param>
/// <param name="Params">JSON: <c>{"strategy":"median","members":["ses","tsb-opt","global"]}</c> for the chosen row,
/// <c>{"model":"ses"}</c> for the others.</param>
public sealed record CandidateResult(string Model, int Rank, bool Chosen, ErrorAccumulator? Errors, string Params);

/// <summary>Training result of one series.</summary>
/// <param name="Node">Index into the panel's nodes.</param>
/// <param name="Candidates">Every candidate, by rank.</param>
/// <param name="DemandClass">Syntetos-Boylan class of the history (lower case), or null for an all-zero series.</param>
/// <param name="Chosen">The chosen forecast's backtest (for the run's pooled metrics).</param>
public sealed record TrainedSeries(int Node, IReadOnlyList<CandidateResult> Candidates, string? DemandClass, SeriesForecast Chosen);

/// <summary>What a training run stored for one series: the chosen label and its member models.</summary>
/// <param name="Strategy">'median', 'weighted', 'single' or 'zero'.</param>
/// <param name="Members">Model names combined (empty for 'zero').</param>
public sealed record ChosenModel(string Strategy, IReadOnlyList<string> Members)
{
    /// <summary>Parses the params JSON of a chosen model_selection row.</summary>
    /// <exception cref="FormatException">Not the JSON written by <see cref="PanelForecaster.Train"/>.</exception>
    public static ChosenModel Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var strategy = root.GetProperty("strategy").GetString() ?? "single";
            var members = root.GetProperty("members").EnumerateArray().Select(e => e.GetString()!).ToArray();
            return new ChosenModel(strategy, members);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"model_selection.params is not a chosen-model description: {json}", e);
        }
    }
}

/// <summary>
/// Trains (backtest-based selection, <see cref="ModelSelector"/>) and scores (refits the chosen models on the latest data)
/// every series of a <see cref="SeriesPanel"/>, in parallel over series, with the engine's default settings: the
/// <c>auto</c> candidate set, median of the 3 best by backtest MAE (anchored on <c>global</c> for weekly data), analytic
/// intervals where a model has them and conformal ones otherwise, pooled interval calibration across series, forecasts
/// clipped at 0, each series fitted from its first non-zero value (README, "Forecasting engine").
/// </summary>
public sealed class PanelForecaster
{
    private static readonly double[] Levels = [80];
    private readonly Frequency frequency;
    private readonly int horizon;
    private readonly int origins;
    private readonly string models;
    private readonly int parallelism;

    /// <summary>Creates a forecaster.</summary>
    /// <param name="frequency">Panel frequency (season 1 weekly, 7 daily).</param>
    /// <param name="horizon">Periods ahead.</param>
    /// <param name="origins">Selection backtest origins.</param>
    /// <param name="models"><c>auto</c> or a list of model names.</param>
    /// <param name="parallelism">Worker count, -1 for all cores.</param>
    public PanelForecaster(Frequency frequency, int horizon, int origins = 4, string models = "auto", int parallelism = -1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(origins, 1);
        this.frequency = frequency;
        this.horizon = horizon;
        this.origins = origins;
        this.models = models;
        this.parallelism = parallelism;
    }

    /// <summary>The candidate model names of the last <see cref="Train"/> call (empty before).</summary>
    public IReadOnlyList<string> CandidateNames { get; private set; } = [];

    /// <summary>Season length m.</summary>
    public int Season => frequency.DefaultSeasonLength();

    private SelectionOptions Options(SelectionStrategy strategy, int ensemble, string? anchor) => new()
    {
        Backtest = new RollingOriginOptions { Horizon = horizon, Origins = origins, Step = Season },
        Score = SelectionScore.Mae,
        Strategy = strategy,
        EnsembleSize = Math.Max(2, ensemble),
        Anchor = anchor,
        Levels = Levels,
        Intervals = IntervalMethod.AnalyticWhereAvailable,
        ClipAtZero = true,
        TrimLeadingZeros = true,
    };

    private Lazy<IForecastModel> GlobalTrainer(SeriesPanel panel)
    {
        var series = new List<TimeSeriesData>(panel.Nodes.Count);
        foreach (var node in panel.Nodes)
        {
            series.Add(new TimeSeriesData(node.Key, panel.Start, node.Values, null));
        }

        var holdout = horizon + ((origins - 1) * Season);
        return new Lazy<IForecastModel>(() => ModelCatalog.TrainGlobal(series, Season, horizon, holdout), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The full selector over the candidate set (what training uses, and scoring for series it does not know).</summary>
    public ModelSelector FullSelector(SeriesPanel panel)
    {
        ArgumentNullException.ThrowIfNull(panel);
        return FullSelector(GlobalTrainer(panel));
    }

    private ModelSelector FullSelector(Lazy<IForecastModel> global) =>
        new(ModelCatalog.Resolve(models, Season, () => global.Value), Options(SelectionStrategy.MedianOfBest, 3, "global"));

    /// <summary>
    /// Selects a model per series and scores every candidate on the same backtest origins the selection used (shared
    /// fit cache, so the extra cost is the metrics only).
    /// </summary>
    /// <param name="panel">Series to train.</param>
    /// <param name="nodes">Node indexes to train (null: all).</param>
    /// <param name="cancellationToken">Checked between series.</param>
    public IReadOnlyList<TrainedSeries> Train(SeriesPanel panel, IReadOnlyList<int>? nodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(panel);
        var selector = FullSelector(panel);
        CandidateNames = [.. selector.Models.Select(m => m.Name)];
        var which = nodes ?? Enumerable.Range(0, panel.Nodes.Count).ToArray();
        var results = new TrainedSeries[which.Count];
        Parallel.For(0, which.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, i =>
        {
            results[i] = TrainOne(selector, which[i], panel.Nodes[which[i]].Values);
        });
        return results;
    }

    private TrainedSeries TrainOne(ModelSelector selector, int node, double[] y)
    {
        var cache = new FitCache();
        var chosen = selector.Forecast(y, y.Length, cache);
        var start = Array.FindIndex(y, v => v != 0);
        var rows = new List<(string Model, ErrorAccumulator? Errors, bool Chosen, string Params)>();
        string? demandClass = null;
        if (start >= 0)
        {
            demandClass = DemandClassifier.Classify(y.AsSpan(start)).Class.ToString().ToLowerInvariant();
            var plan = RollingOrigin.Plan(start, y.Length, selector.Options.Backtest, shrinkHorizon: true);
            for (var m = 0; m < selector.Models.Count; m++)
            {
                var name = selector.Models[m].Name;
                ErrorAccumulator? errors = plan.Length > 0 ? new ErrorAccumulator() : null;
                foreach (var origin in plan)
                {
                    var forecast = selector.ForecastWith(m, y, origin.TrainEnd, cache);
                    if (!string.Equals(forecast.Label, name, StringComparison.Ordinal))
                    {
                        errors = null; // could not be fitted at this origin: not a candidate
                        break;
                    }

                    var scale = Metrics.MaseScale(y.AsSpan(start, origin.TrainEnd - start), Season);
                    errors!.Add(y.AsSpan(origin.TrainEnd, origin.Horizon), forecast.Mean.AsSpan(0, origin.Horizon), default, default, scale);
                }

                var single = chosen.Components.Count == 1 && string.Equals(chosen.Label, name, StringComparison.Ordinal);
                rows.Add((name, errors, single, single ? Describe("single", chosen.Components) : JsonSerializer.Serialize(new { model = name })));
            }
        }

        if (!rows.Exists(r => r.Chosen))
        {
            ErrorAccumulator? errors = null;
            if (chosen.BacktestForecasts.Count > 0)
            {
                // The selector's backtest origins are this same plan (same start, end and options).
                var plan = RollingOrigin.Plan(start, y.Length, selector.Options.Backtest, shrinkHorizon: true);
                errors = new ErrorAccumulator();
                for (var o = 0; o < chosen.BacktestForecasts.Count; o++)
                {
                    var scale = plan.Length == chosen.BacktestForecasts.Count
                        ? Metrics.MaseScale(y.AsSpan(start, plan[o].TrainEnd - start), Season)
                        : double.NaN;
                    errors.Add(chosen.BacktestActuals[o], chosen.BacktestForecasts[o], default, default, scale);
                }
            }

            var strategy = chosen.Label switch
            {
                "zero" => "zero",
                var l when l.StartsWith("median", StringComparison.Ordinal) => "median",
                var l when l.StartsWith("weighted", StringComparison.Ordinal) => "weighted",
                _ => "single",
            };
            rows.Add((chosen.Label, errors, true, Describe(strategy, chosen.Components)));
        }

        rows.Sort((a, b) => (a.Errors?.Mae ?? double.PositiveInfinity).CompareTo(b.Errors?.Mae ?? double.PositiveInfinity));
        var candidates = new CandidateResult[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            candidates[r] = new CandidateResult(rows[r].Model, r + 1, rows[r].Chosen, rows[r].Errors, rows[r].Params);
        }

        return new TrainedSeries(node, candidates, demandClass, chosen);
    }

    private static string Describe(string strategy, IReadOnlyList<string> members) =>
        JsonSerializer.Serialize(new { strategy, members });

    /// <summary>
    /// Forecasts every node of <paramref name="panel"/> h periods past its end with the model each one was trained with:
    /// the chosen members are refitted on the latest data and combined the same way (their backtests rerun to give
    /// models without analytic intervals conformal ones); series the training run does not know, or trained as all-zero,
    /// go through the full selection. Intervals are then calibrated across all series, as the engine does.
    /// </summary>
    /// <param name="panel">The latest data.</param>
    /// <param name="chosen">Per (level, key), the trained choice.</param>
    /// <param name="cancellationToken">Checked between series.</param>
    /// <returns>Per node: the base forecast and the label it came from.</returns>
    public (QuantileForecast[] Forecasts, string[] Labels) Score(SeriesPanel panel, IReadOnlyDictionary<(string Level, string Key), ChosenModel> chosen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(chosen);
        var global = GlobalTrainer(panel);
        var full = new Lazy<ModelSelector>(() => FullSelector(global), LazyThreadSafetyMode.ExecutionAndPublication);
        var selectors = new ConcurrentDictionary<string, ModelSelector>(StringComparer.Ordinal);
        var gate = new object();
        var forecasts = new SeriesForecast[panel.Nodes.Count];
        Parallel.For(0, forecasts.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, i =>
        {
            var node = panel.Nodes[i];
            ModelSelector selector;
            if (!chosen.TryGetValue((node.Level, node.Key), out var choice) || choice.Members.Count == 0)
            {
                selector = full.Value;
            }
            else
            {
                var key = choice.Strategy + ":" + string.Join(',', choice.Members);
                selector = selectors.GetOrAdd(key, _ =>
                {
                    lock (gate)
                    {
                        // 'global' is trained once per panel, on first use.
                        var members = choice.Members.Select(name => string.Equals(name, "global", StringComparison.Ordinal) ? global.Value : ModelCatalog.Create(name, Season)).ToArray();
                        var strategy = choice.Strategy switch
                        {
                            "weighted" when members.Length >= 2 => SelectionStrategy.WeightedOfBest,
                            "median" when members.Length >= 2 => SelectionStrategy.MedianOfBest,
                            _ => SelectionStrategy.BestSingle,
                        };
                        return new ModelSelector(members, Options(strategy, members.Length, null));
                    }
                });
            }

            forecasts[i] = selector.Forecast(node.Values, node.Values.Length, new FitCache());
        });

        var calibration = GlobalCalibration.Fit(forecasts, horizon, Levels, GlobalCalibrationMode.Intervals);
        var result = new QuantileForecast[forecasts.Length];
        var labels = new string[forecasts.Length];
        for (var i = 0; i < forecasts.Length; i++)
        {
            var calibrated = calibration.Apply(forecasts[i], clipAtZero: true);
            var interval = calibrated.Intervals.FirstOrDefault(x => x.Level == 80);
            var mean = calibrated.Mean;
            var p10 = new double[horizon];
            var p90 = new double[horizon];
            for (var t = 0; t < horizon; t++)
            {
                p10[t] = Math.Min(interval?.Lower[t] ?? mean[t], mean[t]);
                p90[t] = Math.Max(interval?.Upper[t] ?? mean[t], mean[t]);
            }

            result[i] = new QuantileForecast(p10, mean, p90);
            labels[i] = forecasts[i].Label;
        }

        return (result, labels);
    }
}
