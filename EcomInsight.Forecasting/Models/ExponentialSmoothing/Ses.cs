namespace EcomInsight.Forecasting.Models;

/// <summary>
/// Simple exponential smoothing, ŷ_{t+1} = ℓ_t, ℓ_t = ℓ_{t−1} + α(y_t − ℓ_{t−1}) (Hyndman &amp; Athanasopoulos, FPP3 §8.1),
/// fitted as the state-space model ETS(A,N,N) exactly as R's <c>forecast::ses</c> (initial = "optimal"): α and ℓ₀ by
/// Nelder–Mead on the in-sample one-step MSE, 1e-4 ≤ α ≤ 0.9999.
/// </summary>
/// <remarks>Forecasts are flat at ℓ_n; the h-step variance is σ²[1 + (h − 1)α²] (class 1 of Hyndman et al. 2008).
/// Needs n ≥ 3 (<see cref="InsufficientDataException"/>); NaN → <see cref="ArgumentException"/>; a constant series gives
/// a flat forecast with zero-width intervals. The fitted type is <see cref="EtsFit"/>.</remarks>
public sealed class Ses : IForecastModel
{
    private readonly Ets ets = new(1, "ANN", false, EtsCriterion.Mse, "ses");

    /// <inheritdoc />
    public string Name => "ses";

    /// <inheritdoc />
    public IFittedForecastModel Fit(ReadOnlySpan<double> y) => ets.FitEts(y);
}
