namespace EcomInsight.Forecasting.Models;

/// <summary>
/// Estimated parameters and information criteria of one fitted ETS model, in the conventions of R's
/// <c>forecast::ets</c> (so they can be compared one to one with <c>fit$par</c>, <c>fit$loglik</c>, <c>fit$aicc</c>).
/// </summary>
/// <remarks>A constant (or all-zero) series is not estimated: it reports ETS(A,N,N) with α = 0.99999, ℓ₀ = y₀, σ² = 0
/// and NaN for the likelihood and information criteria. An exact fit (Σε² = 0) reports logLik = +∞.</remarks>
/// <param name="Model">The ETS class that was fitted.</param>
/// <param name="SeasonLength">Season length m used (1 for non-seasonal classes).</param>
/// <param name="Alpha">Level smoothing α.</param>
/// <param name="Beta">Trend smoothing β (in the error-correction form b_t = φb_{t−1} + βε_t), null without trend.</param>
/// <param name="Gamma">Season smoothing γ, null without season.</param>
/// <param name="Phi">Damping φ, null unless damped.</param>
/// <param name="InitialLevel">ℓ₀ (units of the series).</param>
/// <param name="InitialTrend">b₀ (units per period), null without trend.</param>
/// <param name="InitialSeasons">s₀, s₋₁, …, s₋ₘ₊₁ (R's order: most recent first), length m, empty without season.
/// The last one is not estimated but implied by the normalisation Σs = 0 (additive) or Σs = m (multiplicative).</param>
/// <param name="Sigma2">Residual variance Σε²/(n − k), k = number of estimated parameters incl. initial states; ε are
/// relative errors for multiplicative-error classes.</param>
/// <param name="LogLikelihood">R's ets log-likelihood −½·(n·log Σε² + 2·Σ log|ŷ_t|) (the last term for multiplicative errors);
/// constants are omitted exactly as R does.</param>
/// <param name="Aic">−2·logLik + 2(k+1).</param>
/// <param name="Aicc">AIC + 2(k+1)(k+2)/(n − k − 2).</param>
/// <param name="Bic">−2·logLik + log(n)(k+1).</param>
/// <param name="ParameterCount">k: smoothing parameters plus initial states that were estimated.</param>
public sealed record EtsParameters(
    EtsModelType Model,
    int SeasonLength,
    double Alpha,
    double? Beta,
    double? Gamma,
    double? Phi,
    double InitialLevel,
    double? InitialTrend,
    IReadOnlyList<double> InitialSeasons,
    double Sigma2,
    double LogLikelihood,
    double Aic,
    double Aicc,
    double Bic,
    int ParameterCount);
