namespace EcomInsight.Forecasting.Models.Pooled;

/// <summary>
/// A global (cross-learning) forecaster: one ridge regression per horizon step, fitted on windows pooled from every series
/// of a panel after scaling each window by its own recent level, so that dynamics common to the assortment (a shared ramp,
/// mean reversion after a spike) are learned from thousands of series at once and applied to each one. This is the family
/// of pooled, scale-free regressions that won the M5 (Makridakis, Spiliotis &amp; Assimakopoulos 2022) and VN1 2024
/// competitions; see also Montero-Manso &amp; Hyndman 2021, "Principles and algorithms for forecasting groups of time
/// series: locality and globality" (linear global autoregressions match or beat local models on large panels).
/// </summary>
/// <remarks>
/// <para>Features of the window ending at t (exclusive) with k = <see cref="Lags"/>: the scale s = ȳ[0..t) (the mean of the
/// whole history, robust for sparse sales, where the last k values' mean can be one sale and ratios explode) and
/// x = [1, y[t−k]/s, …, y[t−1]/s, mean(y[t−k..t))/s]. Targets: z_j = y[t+j]/s for steps j = 0..H−1. Per step, weighted
/// ridge β_j = (XᵀWX + λ·ΣW·I)⁻¹ XᵀWz_j with window weight w = s (the intercept is not penalised), solved by Cholesky.
/// Weighting by s makes the loss s·(y/s − ŷ/s)² ∝ (y − ŷ)²/s: larger series count more, as they do in WAPE, without the
/// largest dominating; unweighted, the many slow movers with tiny s pushed the pooled fit to a +78% bias (train backtest).
/// Windows with s = 0 are skipped (nothing to scale by; the forecast there is 0).</para>
/// <para>Forecast of a series y[0..n): ŷ_{n+j} = max(0, s·xᵀβ_j) with its last window; steps past H repeat step H.
/// Fitted values are the one-step forecasts (NaN for t &lt; k). No intervals (the selection calibrates them from
/// backtest residuals). Needs n ≥ k (else <see cref="InsufficientDataException"/>); NaN → <see cref="ArgumentException"/>.</para>
/// <para>Leakage: <see cref="Train"/> uses only windows whose targets end at least <c>holdout</c> periods before each
/// series' end, so that forecasts made at backtest origins inside the last <c>holdout</c> periods are out of sample.
/// Units: forecasts are in the series' units; the model is immutable and thread-safe.</para>
/// </remarks>
public sealed class PooledRidgeModel : IForecastModel
{
    private readonly double[][] coefficients;

    private PooledRidgeModel(int lags, double[][] coefficients, int windows)
    {
        Lags = lags;
        this.coefficients = coefficients;
        Windows = windows;
    }

    /// <inheritdoc />
    public string Name => "global";

    /// <summary>k, the number of lagged values in a window (also the length of the level window).</summary>
    public int Lags { get; }

    /// <summary>H, the number of horizon steps with their own regression.</summary>
    public int Steps => coefficients.Length;

    /// <summary>Training windows pooled over the panel.</summary>
    public int Windows { get; }

    /// <summary>β_j for step j (length k + 2: intercept, k lags, history mean).</summary>
    public ReadOnlySpan<double> Coefficients(int step) => coefficients[step];

    /// <summary>Fits the per-step regressions on every series of <paramref name="panel"/>.</summary>
    /// <param name="panel">Series (finite values), each in time order; leading zeros before a product exists should be trimmed by the caller or left (windows with s = 0 are skipped).</param>
    /// <param name="horizon">H ≥ 1 steps.</param>
    /// <param name="lags">k ≥ 1.</param>
    /// <param name="holdout">Periods at the end of every series whose values no training target may use (≥ 0).</param>
    /// <param name="ridge">λ ≥ 0, the penalty per window (scaled by the window count).</param>
    /// <exception cref="ArgumentException">No series offers a window with a non-zero level.</exception>
    public static PooledRidgeModel Train(IReadOnlyList<double[]> panel, int horizon, int lags, int holdout, double ridge = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(lags, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(holdout);
        ArgumentOutOfRangeException.ThrowIfNegative(ridge);
        var p = lags + 2;
        var xtx = new double[p * p];
        var xtz = new double[horizon][];
        for (var j = 0; j < horizon; j++)
        {
            xtz[j] = new double[p];
        }

        var x = new double[p];
        var windows = 0;
        var weightSum = 0.0;
        foreach (var y in panel)
        {
            var usable = y.Length - holdout;
            var prefix = 0.0;
            for (var t = 0; t < lags - 1 && t < usable; t++)
            {
                prefix += y[t];
            }

            for (var t = lags; t + horizon <= usable; t++)
            {
                prefix += y[t - 1];
                if (!Features(y.AsSpan(0, t), lags, prefix, x, out var scale))
                {
                    continue;
                }

                windows++;
                var w = scale;
                weightSum += w;
                for (var a = 0; a < p; a++)
                {
                    for (var b = 0; b <= a; b++)
                    {
                        xtx[(a * p) + b] += w * x[a] * x[b];
                    }
                }

                for (var j = 0; j < horizon; j++)
                {
                    var z = y[t + j] / scale;
                    var row = xtz[j];
                    for (var a = 0; a < p; a++)
                    {
                        row[a] += w * x[a] * z;
                    }
                }
            }
        }

        if (windows == 0)
        {
            throw new ArgumentException("global: no training window with a non-zero level in the panel.", nameof(panel));
        }

        for (var a = 0; a < p; a++)
        {
            for (var b = 0; b < a; b++)
            {
                xtx[(b * p) + a] = xtx[(a * p) + b];
            }

            if (a > 0)
            {
                xtx[(a * p) + a] += ridge * weightSum;
            }
        }

        var chol = Cholesky(xtx, p);
        var coefficients = new double[horizon][];
        for (var j = 0; j < horizon; j++)
        {
            coefficients[j] = Solve(chol, p, xtz[j]);
        }

        return new PooledRidgeModel(lags, coefficients, windows);
    }

    /// <inheritdoc />
    public IFittedForecastModel Fit(ReadOnlySpan<double> y)
    {
        SeriesGuard.RequireFinite(y, Name, Lags);
        var n = y.Length;
        var fitted = new double[n];
        var x = new double[Lags + 2];
        var prefix = 0.0;
        for (var t = 0; t < n; t++)
        {
            if (t >= Lags)
            {
                fitted[t] = Features(y[..t], Lags, prefix, x, out var s) ? Math.Max(0.0, s * Dot(x, coefficients[0])) : 0.0;
            }
            else
            {
                fitted[t] = double.NaN;
            }

            prefix += y[t];
        }

        var forecast = new double[Steps];
        if (Features(y, Lags, prefix, x, out var scale))
        {
            for (var j = 0; j < Steps; j++)
            {
                forecast[j] = Math.Max(0.0, scale * Dot(x, coefficients[j]));
            }
        }

        return new GlobalFit(fitted, forecast, Lags, Windows);
    }

    /// <summary>Fills x for the window ending at y.Length; false when the level s is 0.</summary>
    private static bool Features(ReadOnlySpan<double> y, int lags, double historySum, double[] x, out double scale)
    {
        var n = y.Length;
        var recent = 0.0;
        for (var i = n - lags; i < n; i++)
        {
            recent += y[i];
        }

        recent /= lags;
        var history = historySum / n;
        scale = history;
        if (!(scale > 0))
        {
            return false;
        }

        x[0] = 1.0;
        for (var i = 0; i < lags; i++)
        {
            x[i + 1] = y[n - lags + i] / scale;
        }

        x[lags + 1] = recent / scale;
        return true;
    }

    private static double Dot(double[] x, double[] beta)
    {
        var sum = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            sum += x[i] * beta[i];
        }

        return sum;
    }

    private static double[] Cholesky(double[] a, int p)
    {
        var l = new double[p * p];
        for (var i = 0; i < p; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = a[(i * p) + j];
                for (var k = 0; k < j; k++)
                {
                    sum -= l[(i * p) + k] * l[(j * p) + k];
                }

                if (i == j)
                {
                    // A tiny jitter keeps an (unpenalised) singular design, e.g. a panel of constant series, solvable.
                    l[(i * p) + i] = Math.Sqrt(Math.Max(sum, 1e-12));
                }
                else
                {
                    l[(i * p) + j] = sum / l[(j * p) + j];
                }
            }
        }

        return l;
    }

    private static double[] Solve(double[] l, int p, double[] b)
    {
        var z = new double[p];
        for (var i = 0; i < p; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++)
            {
                sum -= l[(i * p) + k] * z[k];
            }

            z[i] = sum / l[(i * p) + i];
        }

        for (var i = p - 1; i >= 0; i--)
        {
            var sum = z[i];
            for (var k = i + 1; k < p; k++)
            {
                sum -= l[(k * p) + i] * z[k];
            }

            z[i] = sum / l[(i * p) + i];
        }

        return z;
    }

    private sealed class GlobalFit(double[] fitted, double[] forecast, int lags, int windows) : IFittedForecastModel
    {
        public string Description => $"Global ridge (k={lags}, {windows} pooled windows)";

        public ReadOnlyMemory<double> Fitted => fitted;

        public bool HasIntervals => false;

        public ForecastResult Predict(int horizon, ReadOnlySpan<double> levels = default)
        {
            SeriesGuard.RequireHorizon(horizon);
            var mean = new double[horizon];
            for (var j = 0; j < horizon; j++)
            {
                mean[j] = forecast[Math.Min(j, forecast.Length - 1)];
            }

            return new ForecastResult(mean, []);
        }
    }
}
