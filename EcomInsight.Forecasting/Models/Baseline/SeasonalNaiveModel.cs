namespace EcomInsight.Forecasting.Models.Baseline;

/// <summary>
/// Seasonal naive forecast: ŷ_{T+h|T} = y_{T+h−m(k+1)} with k = ⌊(h−1)/m⌋, the value of the same season
/// one cycle earlier (FPP3 §5.2).
/// </summary>
/// <remarks>
/// Fitted values are y_{t−m} (NaN for t &lt; m). Intervals are normal with σ_h = σ̂·√(k+1)
/// (FPP3 §5.5, Table 5.2), σ̂ the root mean square of the seasonal one-step residuals.
/// Needs at least m observations (one full season): a shorter series throws
/// <see cref="InsufficientDataException"/>; a non-finite value throws <see cref="ArgumentException"/>.
/// With m = 1 this is the naive method.
/// </remarks>
public sealed class SeasonalNaiveModel : IForecastModel
{
    /// <summary>Creates the model for season length <paramref name="seasonLength"/> (e.g. 7 for daily data with a weekly cycle).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seasonLength"/> &lt; 1.</exception>
    public SeasonalNaiveModel(int seasonLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seasonLength, 1);
        SeasonLength = seasonLength;
    }

    /// <summary>Season length m in periods.</summary>
    public int SeasonLength { get; }

    /// <inheritdoc />
    public string Name => "snaive";

    /// <inheritdoc />
    public IFittedForecastModel Fit(ReadOnlySpan<double> y)
    {
        var m = SeasonLength;
        SeriesGuard.RequireFinite(y, Name, m);
        var n = y.Length;
        var fitted = new double[n];
        for (var t = 0; t < n; t++)
        {
            fitted[t] = t >= m ? y[t - m] : double.NaN;
        }

        var lastCycle = y[(n - m)..].ToArray();
        var sigma = BaselineFit.ResidualSigma(y, fitted, 0);
        return new BaselineFit(
            $"SeasonalNaive(m={m})",
            fitted,
            h => lastCycle[(h - 1) % m],
            h => sigma * Math.Sqrt(((h - 1) / m) + 1));
    }
}
