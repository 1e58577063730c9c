namespace EcomInsight.Forecasting.Models;

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
