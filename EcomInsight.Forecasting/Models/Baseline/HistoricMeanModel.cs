namespace EcomInsight.Forecasting.Models.Baseline;

/// <summary>
/// Historic mean (average) method: ŷ_{T+h|T} = ȳ = (1/T) Σ y_t for every h (FPP3 §5.2).
/// </summary>
/// <remarks>
/// Fitted values are ȳ for every t (as R's <c>meanf()</c>). Intervals are normal with
/// σ_h = s·√(1 + 1/T), s the sample standard deviation (FPP3 §5.5, Table 5.2), and, as R's <c>meanf()</c>, quantiles of
/// Student's t with T − 1 degrees of freedom (the normal's for T = 1, where s is 0 and the intervals are degenerate). Exceptions: <see cref="ArgumentException"/> for a non-finite value,
/// <see cref="InsufficientDataException"/> for an empty series.
/// </remarks>
public sealed class HistoricMeanModel : IForecastModel
{
    /// <inheritdoc />
    public string Name => "mean";

    /// <inheritdoc />
    public IFittedForecastModel Fit(ReadOnlySpan<double> y)
    {
        SeriesGuard.RequireFinite(y, Name);
        var n = y.Length;
        var sum = 0.0;
        foreach (var v in y)
        {
            sum += v;
        }

        var mean = sum / n;
        var fitted = new double[n];
        Array.Fill(fitted, mean);
        var sigma = BaselineFit.ResidualSigma(y, fitted, 1) * Math.Sqrt(1.0 + (1.0 / n));
        return new BaselineFit("Mean", fitted, _ => mean, _ => sigma, n > 1 ? n - 1 : null);
    }
}
