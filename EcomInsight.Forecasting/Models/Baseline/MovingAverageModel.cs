namespace EcomInsight.Forecasting.Models.Baseline;

/// <summary>
/// Moving-average forecast: ŷ_{T+h|T} = (1/k) Σ_{i=0}^{k−1} y_{T−i} for every h, the mean method
/// (FPP3 §5.2) applied to the last k observations only.
/// </summary>
/// <remarks>
/// <para>Fitted values are the trailing means of the k previous observations, ŷ_{t|t−1} = (1/k) Σ y_{t−1..t−k}
/// (NaN for t &lt; k). When the series is shorter than k, the window is the whole series (k' = n).</para>
/// <para>Intervals are normal with a constant σ_h = σ̂, the root mean square of the one-step trailing-mean
/// residuals. Under the model the method assumes (i.i.d. noise around a locally constant level with variance σ²),
/// a one-step residual y_t − ȳ_{t−k..t−1} has variance σ²(1 + 1/k), which is exactly the forecast-error variance of
/// the mean method on k values (FPP3 §5.5, Table 5.2), so σ̂ estimates σ_h directly for every h.
/// When no residual is defined (n ≤ k), σ̂ is the window's sample standard deviation times √(1 + 1/k').</para>
/// <para>Exceptions: <see cref="ArgumentException"/> for a non-finite value, <see cref="InsufficientDataException"/>
/// for an empty series.</para>
/// </remarks>
public sealed class MovingAverageModel : IForecastModel
{
    /// <summary>Creates the model with window length <paramref name="window"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> &lt; 1.</exception>
    public MovingAverageModel(int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        Window = window;
    }

    /// <summary>Window length k in periods.</summary>
    public int Window { get; }

    /// <inheritdoc />
    public string Name => $"ma{Window}";

    /// <inheritdoc />
    public IFittedForecastModel Fit(ReadOnlySpan<double> y)
    {
        SeriesGuard.RequireFinite(y, Name);
        var n = y.Length;
        var k = Math.Min(Window, n);
        var fitted = new double[n];
        var running = 0.0;
        for (var t = 0; t < n; t++)
        {
            fitted[t] = t >= k ? running / k : double.NaN;
            running += y[t];
            if (t >= k)
            {
                running -= y[t - k];
            }
        }

        var sum = 0.0;
        for (var t = n - k; t < n; t++)
        {
            sum += y[t];
        }

        var level = sum / k;
        double sigma;
        if (n > k)
        {
            sigma = BaselineFit.ResidualSigma(y, fitted, 0);
        }
        else
        {
            var ss = 0.0;
            for (var t = 0; t < n; t++)
            {
                ss += (y[t] - level) * (y[t] - level);
            }

            sigma = n > 1 ? Math.Sqrt(ss / (n - 1)) * Math.Sqrt(1.0 + (1.0 / n)) : 0.0;
        }

        return new BaselineFit($"MovingAverage(k={k})", fitted, _ => level, _ => sigma);
    }
}
