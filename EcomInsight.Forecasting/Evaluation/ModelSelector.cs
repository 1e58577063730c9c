using EcomInsight.Forecasting.Models;

namespace EcomInsight.Forecasting.Evaluation;

/// <summary>A forecast for one series with the label of what produced it.</summary>
/// <param name="Label">Winning candidate: a model name, <c>median{k}</c>, <c>weighted{k}</c>, <c>zero</c> (all-zero history)
/// or <c>fallback:{model}</c> (too short to backtest).</param>
/// <param name="Mean">Point forecasts, length h.</param>
/// <param name="Intervals">One interval per requested level, ascending.</param>
/// <param name="Components">Names of the models combined (one for a single model).</param>
public sealed record SeriesForecast(string Label, double[] Mean, IReadOnlyList<PredictionInterval> Intervals, IReadOnlyList<string> Components)
{
    /// <summary>The winner's inner backtest: per origin, its (clipped) point forecasts for the scored steps; empty for the
    /// <c>zero</c> and <c>fallback</c> labels and for single-model forecasts. Used by <see cref="GlobalCalibration"/>.</summary>
    public IReadOnlyList<double[]> BacktestForecasts { get; init; } = [];

    /// <summary>The actuals matching <see cref="BacktestForecasts"/>, same shape.</summary>
    public IReadOnlyList<double[]> BacktestActuals { get; init; } = [];
}

/// <summary>
/// Memo of fitted forecasts for one series, keyed by (model, training window), so that the backtests of a selection
/// and the outer backtest that evaluates it fit each (model, window) once. One cache per series; not thread-safe.
/// </summary>
public sealed class FitCache
{
    internal Dictionary<(int Model, int Start, int End), CachedForecast?> Entries { get; } = [];
}

/// <summary>One cached fit: the (optionally clipped) mean path and the raw result with analytic intervals.</summary>
internal sealed record CachedForecast(double[] Mean, ForecastResult Raw, bool HasIntervals);

/// <summary>
/// Per-series model selection by rolling-origin backtest score, with median and inverse-error weighted ensembles
/// of the best k models and conformal prediction intervals (the "forecast combination" evidence:
/// Bates &amp; Granger 1969; Clemen 1989; Makridakis et al. 2020, M4 conclusions; Kourentzes, Barrow &amp; Petropoulos 2019,
/// "Another look at forecast selection and combination: evidence from forecast pooling").
/// </summary>
/// <remarks>
/// <para>Algorithm for a series y[0..end):</para>
/// <list type="number">
/// <item><description>With <see cref="SelectionOptions.TrimLeadingZeros"/>, the segment starts at the first non-zero value;
/// an all-zero history forecasts 0 with zero-width intervals (label <c>zero</c>).</description></item>
/// <item><description>Every model is backtested at the K origins of <see cref="SelectionOptions.Backtest"/> inside the segment
/// (<see cref="RollingOrigin.Plan"/> with a shrunk horizon for short segments). A model that cannot be fitted at some
/// origin is not a candidate.</description></item>
/// <item><description>Single models are ranked by <see cref="SelectionOptions.Score"/>; the ensembles combine the best
/// k = min(<see cref="SelectionOptions.EnsembleSize"/>, available) per step: the median, and the mean weighted by
/// 1/score (equal weights among zero-score models). Their backtest forecasts are the same combinations of the members'
/// backtest forecasts, so they are scored like any model.</description></item>
/// <item><description>The strategy picks the returned candidate; ties go to the earlier candidate (single models in
/// the given order, then the median, then the weighted ensemble).</description></item>
/// <item><description>The winner's members are fitted on the whole segment and combined the same way. Intervals are
/// split-conformal offsets from the winner's backtest residuals (<see cref="ConformalIntervals"/>), or, with
/// <see cref="IntervalMethod.AnalyticWhereAvailable"/>, the members' own bounds (conformal from the member's backtest
/// residuals for a member without intervals) combined like the means (quantile averaging).</description></item>
/// <item><description>Segments too short for any origin use the first model that fits the whole segment, with its own
/// intervals if it has them, zero-width otherwise (label <c>fallback:{name}</c>).</description></item>
/// </list>
/// <para>Thread-safety: the selector is immutable; give every series its own <see cref="FitCache"/>.</para>
/// </remarks>
public sealed class ModelSelector
{
    private readonly IForecastModel[] models;
    private readonly double[] levels;

    /// <summary>Creates a selector over <paramref name="models"/>.</summary>
    /// <exception cref="ArgumentException">No models, or an ensemble size below 2.</exception>
    public ModelSelector(IReadOnlyList<IForecastModel> models, SelectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(options);
        if (models.Count == 0)
        {
            throw new ArgumentException("At least one model is needed.", nameof(models));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.EnsembleSize, 2);
        options.Backtest.Validate();
        this.models = [.. models];
        Options = options;
        levels = ForecastResult.SortedLevels([.. options.Levels]);
    }

    /// <summary>The settings.</summary>
    public SelectionOptions Options { get; }

    /// <summary>The candidate models, in tie-break order.</summary>
    public IReadOnlyList<IForecastModel> Models => models;

    /// <summary>Forecast horizon h (the backtest horizon).</summary>
    public int Horizon => Options.Backtest.Horizon;

    /// <summary>Selects and forecasts h steps past y[0..<paramref name="end"/>).</summary>
    /// <param name="y">The series (finite values).</param>
    /// <param name="end">Forecast origin: one past the last observation used (≤ y.Length).</param>
    /// <param name="cache">This series' fit cache (the same <paramref name="y"/> for every call).</param>
    public SeriesForecast Forecast(double[] y, int end, FitCache cache)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, y.Length);
        var start = SegmentStart(y, end);
        if (start < 0)
        {
            return ZeroForecast();
        }

        var h = Horizon;
        var origins = RollingOrigin.Plan(start, end, Options.Backtest, shrinkHorizon: true);
        var count = models.Length;
        var scores = new double[count];
        var paths = new double[count][][];
        var available = 0;
        for (var i = 0; i < count; i++)
        {
            paths[i] = BacktestPaths(i, y, origins, cache);
            scores[i] = paths[i].Length == 0 ? double.PositiveInfinity : Score(y, origins, paths[i]);
            if (double.IsFinite(scores[i]))
            {
                available++;
            }
        }

        if (origins.Length == 0 || available == 0)
        {
            return Fallback(y, start, end, cache);
        }

        var ranked = Anchored(Rank(scores, available), scores);
        var k = Math.Min(Options.EnsembleSize, ranked.Length);
        var winner = Candidate.Single(ranked[0]);
        var winnerScore = scores[ranked[0]];
        switch (Options.Strategy)
        {
            case SelectionStrategy.Best:
                for (var i = 0; i < count; i++)
                {
                    if (scores[i] < winnerScore)
                    {
                        winner = Candidate.Single(i);
                        winnerScore = scores[i];
                    }
                }

                if (k >= 2)
                {
                    foreach (var ensemble in new[] { Candidate.Median(ranked[..k]), Candidate.Weighted(ranked[..k], scores) })
                    {
                        var score = Score(y, origins, Combine(ensemble, paths, origins));
                        if (score < winnerScore)
                        {
                            winner = ensemble;
                            winnerScore = score;
                        }
                    }
                }

                break;
            case SelectionStrategy.MedianOfBest when k >= 2:
                winner = Candidate.Median(ranked[..k]);
                break;
            case SelectionStrategy.WeightedOfBest when k >= 2:
                winner = Candidate.Weighted(ranked[..k], scores);
                break;
            default:
                break;
        }

        var finals = new CachedForecast?[count];
        foreach (var member in winner.Members)
        {
            finals[member] = Get(member, y, start, end, cache);
            if (finals[member] is null)
            {
                // Fitted on every shorter window but not on the whole one: rare (e.g. an optimiser failure); fall back.
                return Fallback(y, start, end, cache);
            }
        }

        var mean = CombineOne(winner, finals);
        IReadOnlyList<PredictionInterval> intervals;
        if (Options.Intervals == IntervalMethod.AnalyticWhereAvailable)
        {
            // Each member contributes its own intervals, or conformal ones from its own backtest residuals when it has
            // none; the ensemble's bounds are the members' bounds combined like the means.
            var memberIntervals = new IReadOnlyList<PredictionInterval>[count];
            foreach (var member in winner.Members)
            {
                memberIntervals[member] = finals[member]!.HasIntervals
                    ? finals[member]!.Raw.Intervals
                    : ConformalFrom(Candidate.Single(member), paths, origins, y, finals[member]!.Mean);
            }

            intervals = CombineIntervals(winner, memberIntervals);
        }
        else
        {
            intervals = ConformalFrom(winner, paths, origins, y, mean);
        }

        var names = new string[winner.Members.Length];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = models[winner.Members[i]].Name;
        }

        var label = winner.Kind switch
        {
            CombineKind.Median => $"median{winner.Members.Length}",
            CombineKind.Weighted => $"weighted{winner.Members.Length}",
            _ => names[0],
        };
        var winnerBacktest = Combine(winner, paths, origins);
        var backtestForecasts = new double[origins.Length][];
        var backtestActuals = new double[origins.Length][];
        for (var o = 0; o < origins.Length; o++)
        {
            backtestForecasts[o] = winnerBacktest[o][..origins[o].Horizon];
            backtestActuals[o] = y[origins[o].TrainEnd..(origins[o].TrainEnd + origins[o].Horizon)];
        }

        return Finish(label, mean, intervals, names) with { BacktestForecasts = backtestForecasts, BacktestActuals = backtestActuals };
    }

    /// <summary>
    /// Forecasts with one model alone (no selection) past y[0..<paramref name="end"/>), with the same leading-zero trimming
    /// and clipping as <see cref="Forecast"/> and the model's own intervals (none when it has none). When the model cannot
    /// be fitted, the fallback of <see cref="Forecast"/> is used instead.
    /// </summary>
    /// <param name="model">Index into <see cref="Models"/>.</param>
    /// <param name="y">The series.</param>
    /// <param name="end">Forecast origin.</param>
    /// <param name="cache">This series' fit cache.</param>
    public SeriesForecast ForecastWith(int model, double[] y, int end, FitCache cache)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, y.Length);
        var start = SegmentStart(y, end);
        if (start < 0)
        {
            return ZeroForecast();
        }

        var fit = Get(model, y, start, end, cache);
        if (fit is null)
        {
            return Fallback(y, start, end, cache);
        }

        return Finish(models[model].Name, (double[])fit.Mean.Clone(), fit.HasIntervals ? fit.Raw.Intervals : [], [models[model].Name]);
    }

    private int SegmentStart(double[] y, int end)
    {
        if (!Options.TrimLeadingZeros)
        {
            return end > 0 ? 0 : -1;
        }

        for (var t = 0; t < end; t++)
        {
            if (y[t] != 0)
            {
                return t;
            }
        }

        return -1;
    }

    private SeriesForecast ZeroForecast()
    {
        var zeros = new double[Horizon];
        var intervals = new List<PredictionInterval>(levels.Length);
        foreach (var level in levels)
        {
            intervals.Add(new PredictionInterval(level, new double[Horizon], new double[Horizon]));
        }

        return new SeriesForecast("zero", zeros, intervals, []);
    }

    private SeriesForecast Fallback(double[] y, int start, int end, FitCache cache)
    {
        for (var i = 0; i < models.Length; i++)
        {
            var fit = Get(i, y, start, end, cache);
            if (fit is not null)
            {
                IReadOnlyList<PredictionInterval> intervals = fit.HasIntervals
                    ? fit.Raw.Intervals
                    : ConformalCalibration.Empty.Apply(fit.Mean, levels);
                return Finish($"fallback:{models[i].Name}", (double[])fit.Mean.Clone(), intervals, [models[i].Name]);
            }
        }

        // No model fits a segment this short (every model needs more data): repeat the last value, the naive forecast.
        var last = new double[Horizon];
        Array.Fill(last, y[end - 1]);
        return Finish("fallback:last", last, ConformalCalibration.Empty.Apply(last, levels), []);
    }

    private SeriesForecast Finish(string label, double[] mean, IReadOnlyList<PredictionInterval> intervals, IReadOnlyList<string> components)
    {
        if (!Options.ClipAtZero)
        {
            return new SeriesForecast(label, mean, intervals, components);
        }

        ClipInPlace(mean);
        var clipped = new List<PredictionInterval>(intervals.Count);
        foreach (var interval in intervals)
        {
            var lower = (double[])interval.Lower.Clone();
            var upper = (double[])interval.Upper.Clone();
            ClipInPlace(lower);
            ClipInPlace(upper);
            clipped.Add(new PredictionInterval(interval.Level, lower, upper));
        }

        return new SeriesForecast(label, mean, clipped, components);
    }

    private static void ClipInPlace(double[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Math.Max(values[i], 0.0);
        }
    }

    private CachedForecast? Get(int model, double[] y, int start, int end, FitCache cache)
    {
        if (cache.Entries.TryGetValue((model, start, end), out var hit))
        {
            return hit;
        }

        CachedForecast? entry;
        try
        {
            var fitted = models[model].Fit(y.AsSpan(start, end - start));
            var raw = fitted.Predict(Horizon, levels);
            var mean = (double[])raw.Mean.Clone();
            if (Options.ClipAtZero)
            {
                ClipInPlace(mean);
            }

            entry = new CachedForecast(mean, raw, fitted.HasIntervals && raw.Intervals.Count == levels.Length);
        }
        catch (InsufficientDataException)
        {
            entry = null;
        }

        cache.Entries[(model, start, end)] = entry;
        return entry;
    }

    private double[][] BacktestPaths(int model, double[] y, ForecastOrigin[] origins, FitCache cache)
    {
        var paths = new double[origins.Length][];
        for (var o = 0; o < origins.Length; o++)
        {
            var fit = Get(model, y, origins[o].TrainStart, origins[o].TrainEnd, cache);
            if (fit is null)
            {
                return [];
            }

            paths[o] = fit.Mean;
        }

        return paths;
    }

    private double Score(double[] y, ForecastOrigin[] origins, double[][] paths)
    {
        var sumAbs = 0.0;
        var sum = 0.0;
        var sumSquares = 0.0;
        var points = 0;
        for (var o = 0; o < origins.Length; o++)
        {
            var origin = origins[o];
            var path = paths[o];
            for (var j = 0; j < origin.Horizon; j++)
            {
                var e = y[origin.TrainEnd + j] - path[j];
                sumAbs += Math.Abs(e);
                sum += e;
                sumSquares += e * e;
            }

            points += origin.Horizon;
        }

        return Options.Score switch
        {
            SelectionScore.Vn1 => (sumAbs + Math.Abs(sum)) / points,
            SelectionScore.Rmse => Math.Sqrt(sumSquares / points),
            _ => sumAbs / points,
        };
    }

    private static int[] Rank(double[] scores, int available)
    {
        var order = new int[available];
        var n = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (double.IsFinite(scores[i]))
            {
                order[n++] = i;
            }
        }

        // Stable insertion sort: few models, and ties must keep the given order.
        for (var i = 1; i < order.Length; i++)
        {
            var item = order[i];
            var j = i - 1;
            while (j >= 0 && scores[order[j]] > scores[item])
            {
                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = item;
        }

        return order;
    }

    /// <summary>Moves the anchor model (<see cref="SelectionOptions.Anchor"/>) to rank k (1-based) when it ranks below, so that
    /// the best-k ensembles hold it and the best k − 1 others; the ranking is otherwise unchanged.</summary>
    private int[] Anchored(int[] ranked, double[] scores)
    {
        if (Options.Anchor is null)
        {
            return ranked;
        }

        var anchor = Array.FindIndex(models, m => m.Name.Equals(Options.Anchor, StringComparison.OrdinalIgnoreCase));
        var k = Math.Min(Options.EnsembleSize, ranked.Length);
        var position = anchor < 0 || !double.IsFinite(scores[anchor]) ? -1 : Array.IndexOf(ranked, anchor);
        if (position < k)
        {
            return ranked;
        }

        var result = new int[ranked.Length];
        Array.Copy(ranked, result, k - 1);
        result[k - 1] = anchor;
        var next = k;
        for (var i = k - 1; i < ranked.Length; i++)
        {
            if (ranked[i] != anchor)
            {
                result[next++] = ranked[i];
            }
        }

        return result;
    }

    private double[][] Combine(Candidate candidate, double[][][] paths, ForecastOrigin[] origins)
    {
        if (candidate.Members.Length == 1)
        {
            return paths[candidate.Members[0]];
        }

        var result = new double[origins.Length][];
        var memberPaths = new double[candidate.Members.Length];
        for (var o = 0; o < origins.Length; o++)
        {
            result[o] = new double[Horizon];
            for (var j = 0; j < Horizon; j++)
            {
                for (var m = 0; m < candidate.Members.Length; m++)
                {
                    memberPaths[m] = paths[candidate.Members[m]][o][j];
                }

                result[o][j] = candidate.Apply(memberPaths);
            }
        }

        return result;
    }

    private IReadOnlyList<PredictionInterval> ConformalFrom(Candidate candidate, double[][][] paths, ForecastOrigin[] origins, double[] y, double[] mean)
    {
        var candidatePaths = Combine(candidate, paths, origins);
        var residuals = new double[origins.Length][];
        for (var o = 0; o < origins.Length; o++)
        {
            var origin = origins[o];
            residuals[o] = new double[origin.Horizon];
            for (var j = 0; j < origin.Horizon; j++)
            {
                residuals[o][j] = y[origin.TrainEnd + j] - candidatePaths[o][j];
            }
        }

        return ConformalIntervals.Calibrate(residuals, Horizon, levels, Options.Pooling).Apply(mean, levels);
    }

    /// <summary>Quantile averaging ("Vincentization"; Lichtendahl, Grushka-Cockayne &amp; Winkler 2013): each bound is the
    /// members' bounds combined like their means (median or weighted mean), which keeps lower ≤ mean ≤ upper and nesting.</summary>
    private List<PredictionInterval> CombineIntervals(Candidate candidate, IReadOnlyList<PredictionInterval>[] memberIntervals)
    {
        var result = new List<PredictionInterval>(levels.Length);
        var values = new double[candidate.Members.Length];
        for (var l = 0; l < levels.Length; l++)
        {
            var lower = new double[Horizon];
            var upper = new double[Horizon];
            for (var j = 0; j < Horizon; j++)
            {
                for (var m = 0; m < values.Length; m++)
                {
                    values[m] = memberIntervals[candidate.Members[m]][l].Lower[j];
                }

                lower[j] = candidate.Apply(values);
                for (var m = 0; m < values.Length; m++)
                {
                    values[m] = memberIntervals[candidate.Members[m]][l].Upper[j];
                }

                upper[j] = candidate.Apply(values);
            }

            result.Add(new PredictionInterval(levels[l], lower, upper));
        }

        return result;
    }

    private double[] CombineOne(Candidate candidate, CachedForecast?[] finals)
    {
        var mean = new double[Horizon];
        var values = new double[candidate.Members.Length];
        for (var j = 0; j < Horizon; j++)
        {
            for (var m = 0; m < candidate.Members.Length; m++)
            {
                values[m] = finals[candidate.Members[m]]!.Mean[j];
            }

            mean[j] = candidate.Apply(values);
        }

        return mean;
    }

    private enum CombineKind
    {
        Single,
        Median,
        Weighted,
    }

    private sealed class Candidate
    {
        private Candidate(CombineKind kind, int[] members, double[] weights)
        {
            Kind = kind;
            Members = members;
            Weights = weights;
        }

        public CombineKind Kind { get; }

        public int[] Members { get; }

        public double[] Weights { get; }

        public static Candidate Single(int model) => new(CombineKind.Single, [model], [1.0]);

        public static Candidate Median(int[] members) => new(CombineKind.Median, members, []);

        public static Candidate Weighted(int[] members, double[] scores)
        {
            var weights = new double[members.Length];
            var zeros = 0;
            foreach (var m in members)
            {
                if (scores[m] <= 0)
                {
                    zeros++;
                }
            }

            var total = 0.0;
            for (var i = 0; i < members.Length; i++)
            {
                var score = scores[members[i]];
                weights[i] = zeros > 0 ? (score <= 0 ? 1.0 : 0.0) : 1.0 / score;
                total += weights[i];
            }

            for (var i = 0; i < weights.Length; i++)
            {
                weights[i] /= total;
            }

            return new Candidate(CombineKind.Weighted, members, weights);
        }

        /// <summary>Combines one step's member values (in member order); <paramref name="values"/> is reordered by the median.</summary>
        public double Apply(double[] values)
        {
            switch (Kind)
            {
                case CombineKind.Single:
                    return values[0];
                case CombineKind.Median:
                    Array.Sort(values);
                    var n = values.Length;
                    return n % 2 == 1 ? values[n / 2] : 0.5 * (values[(n / 2) - 1] + values[n / 2]);
                default:
                    var sum = 0.0;
                    for (var i = 0; i < values.Length; i++)
                    {
                        sum += Weights[i] * values[i];
                    }

                    return sum;
            }
        }
    }
}
