namespace EcomInsight.Forecasting.Models;

/// <summary>A central prediction interval at one level for every horizon step.</summary>
/// <param name="Level">Nominal coverage in percent, e.g. 80.</param>
/// <param name="Lower">Lower bound per horizon step, length h.</param>
/// <param name="Upper">Upper bound per horizon step, length h.</param>
public sealed record PredictionInterval(double Level, double[] Lower, double[] Upper);

/// <summary>Immutable result of a forecast: point forecasts for steps 1..h and intervals per level.</summary>
/// <param name="Mean">Point forecast (the mean of the forecast distribution) per horizon step, length h.</param>
/// <param name="Intervals">Central intervals, one per requested level, sorted by level; empty when the model has none.</param>
public sealed record ForecastResult(double[] Mean, IReadOnlyList<PredictionInterval> Intervals)
{
    /// <summary>Horizon h (number of steps).</summary>
    public int Horizon => Mean.Length;

    /// <summary>The interval at <paramref name="level"/> percent, or null when it was not requested.</summary>
    public PredictionInterval? Interval(double level)
    {
        foreach (var interval in Intervals)
        {
            if (Math.Abs(interval.Level - level) < 1e-9)
            {
                return interval;
            }
        }

        return null;
    }

    /// <summary>Builds symmetric normal intervals mean ± z·σ_h (Hyndman &amp; Athanasopoulos, FPP3 §5.5).</summary>
    /// <param name="mean">Point forecasts, length h.</param>
    /// <param name="sigma">Forecast standard deviation per step, length h, each ≥ 0.</param>
    /// <param name="levels">Levels in percent, each in (0, 100).</param>
    /// <exception cref="ArgumentOutOfRangeException">A level is outside (0, 100).</exception>
    public static ForecastResult WithNormalIntervals(double[] mean, ReadOnlySpan<double> sigma, ReadOnlySpan<double> levels)
    {
        ArgumentNullException.ThrowIfNull(mean);
        var intervals = new List<PredictionInterval>(levels.Length);
        foreach (var level in SortedLevels(levels))
        {
            var z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 0.5 + (level / 200.0));
            var lower = new double[mean.Length];
            var upper = new double[mean.Length];
            for (var i = 0; i < mean.Length; i++)
            {
                lower[i] = mean[i] - (z * sigma[i]);
                upper[i] = mean[i] + (z * sigma[i]);
            }

            intervals.Add(new PredictionInterval(level, lower, upper));
        }

        return new ForecastResult(mean, intervals);
    }

    /// <summary>Validates levels (each in (0, 100)) and returns them sorted ascending without duplicates.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A level is outside (0, 100) or not finite.</exception>
    public static double[] SortedLevels(ReadOnlySpan<double> levels)
    {
        var sorted = new SortedSet<double>();
        foreach (var level in levels)
        {
            if (!(level > 0 && level < 100))
            {
                throw new ArgumentOutOfRangeException(nameof(levels), level, "Interval levels are percentages strictly between 0 and 100.");
            }

            sorted.Add(level);
        }

        return [.. sorted];
    }
}

/// <summary>One-shot helpers over the fit/predict contract.</summary>
public static class ForecastModelExtensions
{
    /// <summary>Fits <paramref name="model"/> to <paramref name="y"/> and forecasts <paramref name="horizon"/> steps;
    /// identical to <c>model.Fit(y).Predict(horizon, levels)</c>.</summary>
    public static ForecastResult Forecast(this IForecastModel model, ReadOnlySpan<double> y, int horizon, ReadOnlySpan<double> levels = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Fit(y).Predict(horizon, levels);
    }
}
