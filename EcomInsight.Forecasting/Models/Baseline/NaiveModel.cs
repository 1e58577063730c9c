namespace EcomInsight.Forecasting.Models.Baseline;

/// <summary>
/// Naive (random-walk) forecast: ŷ_{T+h|T} = y_T (FPP3 §5.2).
/// </summary>
/// <remarks>
/// Fitted values are ŷ_{t|t−1} = y_{t−1} (NaN at t = 0). Intervals are normal with
/// σ_h = σ̂·√h, σ̂ the root mean square of the one-step residuals (FPP3 §5.5, Table 5.2; K = 0 parameters,
/// as R's <c>naive()</c>). Needs one observation; with one observation σ̂ is 0 and the intervals are degenerate.
/// Exceptions: <see cref="ArgumentException"/> for a non-finite value, <see cref="InsufficientDataException"/>
/// for an empty series.
/// </remarks>
public sealed class NaiveModel : IForecastModel
{
    /// <inheritdoc />
    public string Name => "naive";

    /// <inheritdoc />
    public IFittedForecastModel Fit(ReadOnlySpan<double> y)
    {
        SeriesGuard.RequireFinite(y, Name);
        var fitted = new double[y.Length];
        fitted[0] = double.NaN;
        for (var t = 1; t < y.Length; t++)
        {
            fitted[t] = y[t - 1];
        }

        var last = y[^1];
        var sigma = BaselineFit.ResidualSigma(y, fitted, 0);
        return new BaselineFit("Naive", fitted, _ => last, h => sigma * Math.Sqrt(h));
    }
}
