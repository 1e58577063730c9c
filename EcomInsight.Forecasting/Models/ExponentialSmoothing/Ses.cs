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

/// <summary>
/// Holt's linear trend method, optionally damped (Gardner &amp; McKenzie 1985; FPP3 §8.2), fitted as ETS(A,A,N) or
/// ETS(A,Ad,N) exactly as R's <c>forecast::holt</c>: α, β, (φ), ℓ₀, b₀ by Nelder–Mead on the one-step MSE under R's
/// usual bounds (1e-4 ≤ β ≤ α ≤ 0.9999, 0.8 ≤ φ ≤ 0.98).
/// </summary>
/// <remarks>ŷ_{n+h} = ℓ_n + (φ + … + φʰ)b_n. Short series differ from R: R's holt() switches to HoltWinters' heuristic,
/// SSE-optimised fit when n ≤ 8 (n ≤ 9 damped); we keep the optimal-initialisation fit while the k = 4 (5) parameters
/// leave k &lt; n − 1, and fit ETS(A,N,N) below that (n ≤ 5, or 6 damped). Needs n ≥ 3. The fitted type is
/// <see cref="EtsFit"/>.</remarks>
/// <param name="damped">True for the damped trend (Ad).</param>
public sealed class Holt(bool damped = false) : IForecastModel
{
    private readonly Ets ets = new(1, "AAN", damped, EtsCriterion.Mse, damped ? "holt-damped" : "holt");

    /// <summary>Whether the trend is damped.</summary>
    public bool Damped { get; } = damped;

    /// <inheritdoc />
    public string Name => Damped ? "holt-damped" : "holt";

    /// <inheritdoc />
    public IFittedForecastModel Fit(ReadOnlySpan<double> y) => ets.FitEts(y);
}
