using EcomInsight.Forecasting.Models;

namespace EcomInsight.Forecasting.Evaluation;

/// <summary>How backtest residuals are grouped when calibrating conformal intervals.</summary>
public enum ConformalPooling
{
    /// <summary>One calibration set per horizon step (horizon-aware; needs many origins per step).</summary>
    ByStep,

    /// <summary>One calibration set of all steps' residuals, widened for step j by √(j / j̄) where j̄ is the mean
    /// calibrated step (a random-walk-like growth, FPP3 §5.5), so few origins still give a usable set.</summary>
    AllStepsScaled,

    /// <summary>One calibration set of all steps' residuals, the same width for every step.</summary>
    AllSteps,
}

/// <summary>
/// Split-conformal prediction intervals from out-of-sample (rolling-origin) residuals
/// (Vovk, Gammerman &amp; Shafer 2005; Lei et al. 2018, "Distribution-free predictive inference for regression";
/// for forecasting, Stankeviciute, Alaa &amp; van der Schaar 2021).
/// </summary>
/// <remarks>
/// <para>Residuals are signed, e = y − ŷ, so intervals may be asymmetric, which suits skewed demand. For a level L
/// (percent), α = 1 − L/100, and n calibration residuals sorted e₍₁₎ ≤ … ≤ e₍ₙ₎, the interval for a point forecast ŷ is
/// [ŷ + e₍ₗ₎, ŷ + e₍ᵤ₎] with u = ⌈(n + 1)(1 − α/2)⌉ and l = n + 1 − u: each tail gets α/2, the two-sided
/// split-conformal rule. When u &gt; n (too few residuals for the level) the extreme residuals e₍₁₎ and e₍ₙ₎ are used, so
/// the interval stays finite but its finite-sample guarantee is lost; that is reported by
/// <see cref="ConformalCalibration.Saturated"/>.</para>
/// <para>The residuals are assumed exchangeable with future errors, which backtests only approximate
/// (overlapping windows, a model chosen on the same residuals); measure the coverage with a backtest.</para>
/// </remarks>
public static class ConformalIntervals
{
    /// <summary>Calibrates offsets from a residual matrix.</summary>
    /// <param name="residuals">Signed residuals y − ŷ, one row per origin, one column per horizon step (rows may be
    /// shorter than <paramref name="horizon"/> when a short series was scored on fewer steps; NaN entries are ignored).</param>
    /// <param name="horizon">Steps h to produce offsets for; steps without residuals reuse the last calibrated step.</param>
    /// <param name="levels">Levels in percent, each in (0, 100).</param>
    /// <param name="pooling">How residuals are grouped.</param>
    /// <returns>Offsets per level and step, or <see cref="ConformalCalibration.Empty"/> when there are no residuals.</returns>
    public static ConformalCalibration Calibrate(IReadOnlyList<double[]> residuals, int horizon, ReadOnlySpan<double> levels, ConformalPooling pooling = ConformalPooling.AllStepsScaled)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        SeriesGuard.RequireHorizon(horizon);
        var sorted = ForecastResult.SortedLevels(levels);
        var steps = 0;
        foreach (var row in residuals)
        {
            steps = Math.Max(steps, row.Length);
        }

        if (steps == 0)
        {
            return ConformalCalibration.Empty;
        }

        var lower = new double[sorted.Length][];
        var upper = new double[sorted.Length][];
        for (var l = 0; l < sorted.Length; l++)
        {
            lower[l] = new double[horizon];
            upper[l] = new double[horizon];
        }

        var saturated = false;
        var buffer = new List<double>(residuals.Count * steps);
        if (pooling == ConformalPooling.ByStep)
        {
            for (var j = 0; j < horizon; j++)
            {
                var source = Math.Min(j, steps - 1);
                buffer.Clear();
                foreach (var row in residuals)
                {
                    if (source < row.Length && !double.IsNaN(row[source]))
                    {
                        buffer.Add(row[source]);
                    }
                }

                buffer.Sort();
                for (var l = 0; l < sorted.Length; l++)
                {
                    saturated |= Offsets(buffer, sorted[l], out lower[l][j], out upper[l][j]);
                }
            }
        }
        else
        {
            var stepSum = 0.0;
            foreach (var row in residuals)
            {
                for (var j = 0; j < row.Length; j++)
                {
                    if (!double.IsNaN(row[j]))
                    {
                        buffer.Add(row[j]);
                        stepSum += j + 1;
                    }
                }
            }

            if (buffer.Count == 0)
            {
                return ConformalCalibration.Empty;
            }

            var meanStep = stepSum / buffer.Count;
            buffer.Sort();
            for (var l = 0; l < sorted.Length; l++)
            {
                saturated |= Offsets(buffer, sorted[l], out var lo, out var hi);
                for (var j = 0; j < horizon; j++)
                {
                    var widen = pooling == ConformalPooling.AllStepsScaled ? Math.Sqrt((j + 1) / meanStep) : 1.0;
                    lower[l][j] = lo * widen;
                    upper[l][j] = hi * widen;
                }
            }
        }

        return new ConformalCalibration(sorted, lower, upper, saturated);
    }

    private static bool Offsets(List<double> sortedResiduals, double level, out double lower, out double upper)
    {
        var n = sortedResiduals.Count;
        if (n == 0)
        {
            lower = 0;
            upper = 0;
            return true;
        }

        var alpha = 1.0 - (level / 100.0);
        var u = (int)Math.Ceiling((n + 1) * (1.0 - (alpha / 2.0)) - 1e-9);
        var saturated = u > n;
        u = Math.Min(u, n);
        var l = Math.Max(n + 1 - u, 1);
        lower = Math.Min(sortedResiduals[l - 1], 0.0);
        upper = Math.Max(sortedResiduals[u - 1], 0.0);
        return saturated;
    }
}

/// <summary>Calibrated conformal offsets: interval at level L, step j is [ŷ_j + Lower[L][j], ŷ_j + Upper[L][j]].</summary>
/// <param name="Levels">Levels in percent, ascending.</param>
/// <param name="Lower">Lower offsets (≤ 0) per level, then per step.</param>
/// <param name="Upper">Upper offsets (≥ 0) per level, then per step.</param>
/// <param name="Saturated">True when some level needed more residuals than were available (extremes used).</param>
public sealed record ConformalCalibration(double[] Levels, double[][] Lower, double[][] Upper, bool Saturated)
{
    /// <summary>No residuals: zero-width offsets.</summary>
    public static ConformalCalibration Empty { get; } = new([], [], [], true);

    /// <summary>True when no residuals were available.</summary>
    public bool IsEmpty => Levels.Length == 0;

    /// <summary>Applies the offsets to point forecasts <paramref name="mean"/> (length ≤ calibrated horizon).</summary>
    /// <returns>One interval per calibrated level; zero-width intervals at <paramref name="levels"/> when empty.</returns>
    public IReadOnlyList<PredictionInterval> Apply(double[] mean, ReadOnlySpan<double> levels)
    {
        ArgumentNullException.ThrowIfNull(mean);
        var wanted = ForecastResult.SortedLevels(levels);
        var intervals = new List<PredictionInterval>(wanted.Length);
        foreach (var level in wanted)
        {
            var index = Array.IndexOf(Levels, level);
            var lower = new double[mean.Length];
            var upper = new double[mean.Length];
            for (var j = 0; j < mean.Length; j++)
            {
                lower[j] = mean[j] + (index >= 0 ? Lower[index][j] : 0.0);
                upper[j] = mean[j] + (index >= 0 ? Upper[index][j] : 0.0);
            }

            intervals.Add(new PredictionInterval(level, lower, upper));
        }

        return intervals;
    }
}
