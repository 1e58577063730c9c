using EcomInsight.Forecasting.Models;

namespace EcomInsight.Forecasting.Evaluation;

/// <summary>What <see cref="GlobalCalibration"/> adjusts.</summary>
public enum GlobalCalibrationMode
{
    /// <summary>Nothing: forecasts and intervals as the per-series selection made them.</summary>
    None,

    /// <summary>Replace every series' intervals by globally calibrated, locally scaled conformal intervals.</summary>
    Intervals,

    /// <summary>Also rescale point forecasts by a per-step factor Σy / Σŷ pooled over all series' backtests.</summary>
    BiasAndIntervals,
}

/// <summary>
/// Cross-series calibration from the per-series inner backtests (two passes: select every series, then calibrate on all
/// of them, then adjust every series): split-conformal intervals with locally scaled non-conformity scores, pooled over
/// series per horizon step (Papadopoulos, Vovk &amp; Gammerman 2011, "Regression conformal prediction with nearest
/// neighbours"; Lei et al. 2018 §5.2, "locally weighted" conformal), and optionally a per-step multiplicative bias factor.
/// </summary>
/// <remarks>
/// <para>For series i with backtest residuals e = y − ŷ over its origins and steps, the scale is s_i = mean |e| (its backtest
/// MAE). The score of a residual at step j is r = (y − f_j·ŷ) / s_i; per step j and level L the offsets are the two-sided
/// split-conformal ranks (<see cref="ConformalIntervals"/>) of all series' scores at step j, and series i's interval is
/// [f_j·ŷ_j + q_lo(j)·s_i, f_j·ŷ_j + q_hi(j)·s_i]. Pooling thousands of series per step gives horizon-aware quantiles that
/// one series' handful of origins cannot; the coverage it targets is the pooled (all points) coverage a scorer reports.
/// The result is the union with the series' own interval (shifted by the bias correction), so calibration only widens.
/// Series with s_i = 0 (a perfect backtest) keep their own intervals and do not enter the quantiles.</para>
/// <para>The bias factor f_j = Σ y / Σ ŷ over all series' backtest points at step j (clamped to [0.5, 2]; 1 when Σŷ = 0)
/// corrects a level drift common to the whole assortment (e.g. a shared seasonal ramp) that single short series cannot
/// estimate. It is estimated on the most recent backtest windows only, so it assumes that drift persists for h steps.</para>
/// <para>Steps beyond those backtested reuse the last calibrated step. With no backtested series at all the calibration is
/// the identity.</para>
/// </remarks>
public sealed class GlobalCalibration
{
    private readonly double[] factors;
    private readonly ConformalCalibration offsets;

    private GlobalCalibration(GlobalCalibrationMode mode, double[] factors, ConformalCalibration offsets)
    {
        Mode = mode;
        this.factors = factors;
        this.offsets = offsets;
    }

    /// <summary>The mode.</summary>
    public GlobalCalibrationMode Mode { get; }

    /// <summary>Bias factor per horizon step (all 1 unless <see cref="GlobalCalibrationMode.BiasAndIntervals"/>).</summary>
    public IReadOnlyList<double> Factors => factors;

    /// <summary>Calibrates from every series' backtest.</summary>
    /// <param name="forecasts">Per-series forecasts with their <see cref="SeriesForecast.BacktestForecasts"/>.</param>
    /// <param name="horizon">Forecast horizon h.</param>
    /// <param name="levels">Interval levels in percent.</param>
    /// <param name="mode">What to calibrate.</param>
    public static GlobalCalibration Fit(IReadOnlyList<SeriesForecast> forecasts, int horizon, ReadOnlySpan<double> levels, GlobalCalibrationMode mode)
    {
        ArgumentNullException.ThrowIfNull(forecasts);
        var factors = new double[horizon];
        Array.Fill(factors, 1.0);
        if (mode == GlobalCalibrationMode.None)
        {
            return new GlobalCalibration(mode, factors, ConformalCalibration.Empty);
        }

        if (mode == GlobalCalibrationMode.BiasAndIntervals)
        {
            var sumActual = new double[horizon];
            var sumForecast = new double[horizon];
            foreach (var forecast in forecasts)
            {
                for (var o = 0; o < forecast.BacktestForecasts.Count; o++)
                {
                    var f = forecast.BacktestForecasts[o];
                    var a = forecast.BacktestActuals[o];
                    for (var j = 0; j < f.Length && j < horizon; j++)
                    {
                        sumForecast[j] += f[j];
                        sumActual[j] += a[j];
                    }
                }
            }

            var last = 1.0;
            for (var j = 0; j < horizon; j++)
            {
                if (sumForecast[j] > 0)
                {
                    last = Math.Clamp(sumActual[j] / sumForecast[j], 0.5, 2.0);
                }

                factors[j] = last;
            }
        }

        // One "origin row" per (series, origin) of scaled scores; ConformalIntervals pools them per step.
        var rows = new List<double[]>();
        foreach (var forecast in forecasts)
        {
            var scale = Scale(forecast);
            if (!(scale > 0))
            {
                continue;
            }

            for (var o = 0; o < forecast.BacktestForecasts.Count; o++)
            {
                var f = forecast.BacktestForecasts[o];
                var a = forecast.BacktestActuals[o];
                var row = new double[Math.Min(f.Length, horizon)];
                for (var j = 0; j < row.Length; j++)
                {
                    row[j] = (a[j] - (factors[j] * f[j])) / scale;
                }

                rows.Add(row);
            }
        }

        var offsets = rows.Count == 0 ? ConformalCalibration.Empty : ConformalIntervals.Calibrate(rows, horizon, levels, ConformalPooling.ByStep);
        return new GlobalCalibration(mode, factors, offsets);
    }

    /// <summary>Applies the calibration to one series' forecast (bounds and mean clipped at 0 when <paramref name="clipAtZero"/>).
    /// Forecasts without a backtest (labels <c>zero</c>, <c>fallback:…</c>) are returned unchanged.</summary>
    public SeriesForecast Apply(SeriesForecast forecast, bool clipAtZero)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        if (Mode == GlobalCalibrationMode.None || forecast.BacktestForecasts.Count == 0 || offsets.IsEmpty)
        {
            return forecast;
        }

        var scale = Scale(forecast);
        var h = forecast.Mean.Length;
        var mean = new double[h];
        for (var j = 0; j < h; j++)
        {
            mean[j] = forecast.Mean[j] * factors[Math.Min(j, factors.Length - 1)];
        }

        var intervals = new List<PredictionInterval>(forecast.Intervals.Count);
        foreach (var original in forecast.Intervals)
        {
            var index = Array.IndexOf(offsets.Levels, original.Level);
            if (index < 0)
            {
                intervals.Add(original);
                continue;
            }

            var lower = new double[h];
            var upper = new double[h];
            for (var j = 0; j < h; j++)
            {
                var step = Math.Min(j, offsets.Lower[index].Length - 1);
                // Never narrower than the per-series interval (shifted with the mean): the union keeps what each source
                // knows, the series' own variability and the assortment-wide calibration.
                var shift = mean[j] - forecast.Mean[j];
                lower[j] = Math.Min(mean[j] + (offsets.Lower[index][step] * scale), original.Lower[j] + shift);
                upper[j] = Math.Max(mean[j] + (offsets.Upper[index][step] * scale), original.Upper[j] + shift);
                if (clipAtZero)
                {
                    lower[j] = Math.Max(lower[j], 0);
                    upper[j] = Math.Max(upper[j], 0);
                }
            }

            intervals.Add(new PredictionInterval(original.Level, lower, upper));
        }

        return forecast with { Mean = mean, Intervals = intervals };
    }

    private static double Scale(SeriesForecast forecast)
    {
        var sum = 0.0;
        var count = 0;
        for (var o = 0; o < forecast.BacktestForecasts.Count; o++)
        {
            var f = forecast.BacktestForecasts[o];
            var a = forecast.BacktestActuals[o];
            for (var j = 0; j < f.Length; j++)
            {
                sum += Math.Abs(a[j] - f[j]);
                count++;
            }
        }

        return count == 0 ? 0.0 : sum / count;
    }
}
