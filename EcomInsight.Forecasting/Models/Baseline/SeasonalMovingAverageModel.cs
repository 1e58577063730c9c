namespace EcomInsight.Forecasting.Models.Baseline;

/// <summary>
/// Seasonal moving average: the forecast for a season position is the mean of the last K observations at that position,
/// ŷ_{T+h|T} = (1/K) Σ_{i=1}^{K} y_{T+h−(c+i−1)·m} with c = ⌊(h−1)/m⌋ + 1, the seasonal naive method (FPP3 §5.2) averaged over
/// K cycles so that one unusual cycle does not dominate (e.g. a weekday profile from the last 4 weeks of daily sales).
/// </summary>
/// <remarks>
/// <para>Fitted values ŷ_{t|t−1} are the mean of y_{t−m}, …, y_{t−Km} (NaN until K full cycles exist). When fewer than K
/// cycles are available, the forecast uses all complete cycles (K' = ⌊n/m⌋ ≥ 1). Intervals are normal with a constant
/// σ_h = σ̂, the root mean square of the one-step residuals: under i.i.d. noise around a fixed seasonal profile a residual has
/// variance σ²(1 + 1/K), the forecast-error variance of a mean of K values (FPP3 §5.5); with no residual defined, σ̂ is the
/// pooled within-position standard deviation times √(1 + 1/K'), or 0 with one cycle.</para>
/// <para>Needs one full cycle (n ≥ m), else <see cref="InsufficientDataException"/>; a non-finite value throws
/// <see cref="ArgumentException"/>. With m = 1 it is the moving average of K periods.</para>
/// </remarks>
public sealed class SeasonalMovingAverageModel : IForecastModel
{
    /// <summary>Creates the model.</summary>
    /// <param name="seasonLength">Season length m ≥ 1.</param>
    /// <param name="cycles">Cycles averaged, K ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is below 1.</exception>
    public SeasonalMovingAverageModel(int seasonLength, int cycles)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seasonLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cycles, 1);
        SeasonLength = seasonLength;
        Cycles = cycles;
    }

    /// <summary>Season length m.</summary>
    public int SeasonLength { get; }

    /// <summary>Cycles averaged, K.</summary>
    public int Cycles { get; }

    /// <inheritdoc />
    public string Name => Cycles == 4 ? "sma" : $"sma{Cycles}";

    /// <inheritdoc />
    public IFittedForecastModel Fit(ReadOnlySpan<double> y)
    {
        var m = SeasonLength;
        SeriesGuard.RequireFinite(y, Name, m);
        var n = y.Length;
        var k = Math.Min(Cycles, n / m);
        var fitted = new double[n];
        var sumSquares = 0.0;
        var residuals = 0;
        for (var t = 0; t < n; t++)
        {
            if (t < k * m)
            {
                fitted[t] = double.NaN;
                continue;
            }

            var sum = 0.0;
            for (var i = 1; i <= k; i++)
            {
                sum += y[t - (i * m)];
            }

            fitted[t] = sum / k;
            var e = y[t] - fitted[t];
            sumSquares += e * e;
            residuals++;
        }

        // Profile over the last k complete cycles, indexed by position relative to the end.
        var profile = new double[m];
        for (var p = 0; p < m; p++)
        {
            var sum = 0.0;
            for (var i = 0; i < k; i++)
            {
                sum += y[n - m + p - (i * m)];
            }

            profile[p] = sum / k;
        }

        double sigma;
        if (residuals > 0)
        {
            sigma = Math.Sqrt(sumSquares / residuals);
        }
        else if (k > 1)
        {
            var ss = 0.0;
            for (var p = 0; p < m; p++)
            {
                for (var i = 0; i < k; i++)
                {
                    var d = y[n - m + p - (i * m)] - profile[p];
                    ss += d * d;
                }
            }

            sigma = Math.Sqrt(ss / (m * (k - 1))) * Math.Sqrt(1.0 + (1.0 / k));
        }
        else
        {
            sigma = 0.0;
        }

        return new BaselineFit($"SeasonalMovingAverage(m={m}, K={k})", fitted, h => profile[(h - 1) % m], _ => sigma);
    }
}
