namespace EcomInsight.Forecasting.Models;

/// <summary>
/// Exponential smoothing state-space models ETS(Error, Trend, Season) with automatic class selection by AICc, after
/// Hyndman, Koehler, Snyder &amp; Grose (2002), "A state space framework for automatic forecasting using exponential
/// smoothing methods", IJF 18(3); Hyndman, Koehler, Ord &amp; Snyder (2008), <i>Forecasting with Exponential
/// Smoothing</i>; and R's <c>forecast::ets</c> (v8.20), whose algorithm this type mirrors.
/// </summary>
/// <remarks>
/// <para><b>Estimation</b> (as R): for each candidate class, start values from R's <c>initparam</c> (α = 1e-4 + 0.2·(0.9999 − 1e-4)/m,
/// β, γ a little above their lower bounds, φ = 0.9782) and <c>initstate</c> (ℓ₀, b₀ from a regression on the first max(10, 2m)
/// seasonally adjusted points; seasonal states from a classical decomposition when n ≥ 3m, else from a linear trend +
/// first Fourier pair regression), then Nelder–Mead (a port of R's nmmin, 2000 evaluations, reltol 1.49e-8) on
/// −2·logLik = n·log Σε² (+ 2Σlog|ŷ_t| for multiplicative errors) over α, β, γ, φ and the initial states, under R's "both"
/// bounds: 1e-4 ≤ α ≤ 0.9999, 1e-4 ≤ β ≤ α, 1e-4 ≤ γ ≤ 1 − α, 0.8 ≤ φ ≤ 0.98, plus the admissibility region
/// (Hyndman et al. 2008, ch. 10; the characteristic-polynomial test uses Schur–Cohn instead of polyroot).</para>
/// <para><b>Selection</b> (spec letter Z): error A, M; trend N, A (Ad when damping is allowed); season N, A, M; excluded as in R
/// (restrict = TRUE): additive error with multiplicative season, multiplicative error on data with a value ≤ 0,
/// seasonal classes when m = 1, n ≤ m or m &gt; 24, and any class with k ≥ n − 1 estimated parameters. The class with the
/// smallest AICc wins (ties: the first in R's loop order).</para>
/// <para><b>Intervals</b>: analytic, as R's forecast.ets: class 1 (additive error, additive/no trend and season) exact normal
/// variance σ²(1 + Σ c_j²); class 2 (multiplicative error, no multiplicative season) the exact variance of
/// Hyndman et al. (2008, §6.3); class 3 (multiplicative error and season) the approximate mean and variance of
/// §6.4 (R's <c>class3</c>); intervals are mean ± z·sd. Multiplicative trend (R's classes 4/5, simulated) is not offered.</para>
/// <para><b>Differences from R</b>: for very short series R falls back to HoltWinters (SSE-optimal, heuristic start), we fit
/// ETS(A,N,N) by likelihood instead (auto spec: n ≤ 6; explicit spec: when k ≥ n − 1). A constant series gives, as in R,
/// a flat forecast of the last value with zero variance (R returns ses(y, α = 0.99999)).</para>
/// <para><b>Edge cases</b>: NaN/∞ → <see cref="ArgumentException"/>; n &lt; 3 → <see cref="InsufficientDataException"/>;
/// constant or all-zero → flat finite forecast with zero-width intervals.</para>
/// </remarks>
public sealed class Ets : IForecastModel
{
    /// <summary>Fewest observations accepted.</summary>
    public const int MinimumLength = 3;

    private readonly EtsComponent? error;
    private readonly EtsComponent? trend;
    private readonly EtsComponent? season;
    private readonly bool? damped;
    private readonly EtsCriterion criterion;
    private readonly string name;

    /// <summary>Creates an ETS specification.</summary>
    /// <param name="seasonLength">Season length m ≥ 1 (7 for daily data with a weekly cycle; 1 for none). Seasonal classes are
    /// only considered when 1 &lt; m ≤ 24, as in R (weekly data with m = 52 is treated as non-seasonal).</param>
    /// <param name="model">Three letters error/trend/season from {A, M, Z} / {N, A, Z} / {N, A, M, Z}, Z = select;
    /// "ZZZ" is the fully automatic search. A damped trend is requested with "Ad" in the middle (e.g. "AAdN")
    /// or via <paramref name="damped"/>.</param>
    /// <param name="damped">True: only damped trends; false: only undamped; null: both (R's default).</param>
    /// <exception cref="ArgumentException">Unknown letters, a multiplicative trend, a combination R forbids (additive error
    /// with multiplicative season), an explicit season with m = 1 or m &gt; 24, or damping with no trend.</exception>
    public Ets(int seasonLength = 1, string model = "ZZZ", bool? damped = null)
        : this(seasonLength, model, damped, EtsCriterion.Likelihood, "ets")
    {
    }

    internal Ets(int seasonLength, string model, bool? damped, EtsCriterion criterion, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seasonLength, 1);
        ArgumentNullException.ThrowIfNull(model);
        var spec = model.Replace("d", string.Empty, StringComparison.Ordinal);
        if (model.Contains('d', StringComparison.Ordinal))
        {
            damped = true;
        }

        if (spec.Length != 3)
        {
            throw new ArgumentException($"ETS model spec '{model}' must have three letters (error, trend, season).", nameof(model));
        }

        error = Parse(spec[0], "error", allowNone: false);
        trend = Parse(spec[1], "trend", allowNone: true);
        season = Parse(spec[2], "season", allowNone: true);
        if (trend == EtsComponent.Multiplicative)
        {
            throw new ArgumentException("Multiplicative trends are not implemented (R's ets excludes them by default).", nameof(model));
        }

        if (error == EtsComponent.Additive && season == EtsComponent.Multiplicative)
        {
            throw new ArgumentException("ETS with additive error and multiplicative season is numerically unstable and excluded (as R's restrict = TRUE).", nameof(model));
        }

        if (damped == true && trend == EtsComponent.None)
        {
            throw new ArgumentException("A damped model needs a trend.", nameof(damped));
        }

        if (season is EtsComponent.Additive or EtsComponent.Multiplicative && (seasonLength == 1 || seasonLength > 24))
        {
            throw new ArgumentException($"An explicit seasonal ETS needs 1 < m ≤ 24 (got m = {seasonLength}).", nameof(seasonLength));
        }

        SeasonLength = seasonLength;
        this.damped = damped;
        this.criterion = criterion;
        this.name = name;
        Spec = model;
    }

    /// <inheritdoc />
    public string Name => name;

    /// <summary>Season length m.</summary>
    public int SeasonLength { get; }

    /// <summary>The model spec string as given (e.g. "ZZZ").</summary>
    public string Spec { get; }

    /// <summary>Nelder–Mead relative convergence tolerance on −2·logLik (R's reltol; default √ε ≈ 1.49e-8 as R's ets).</summary>
    public double RelativeTolerance { get; init; } = 1.4901161193847656e-8;

    /// <summary>Nelder–Mead evaluation budget per candidate class (R's maxit; default 2000 as R's ets).</summary>
    public int MaxEvaluations { get; init; } = 2000;

    /// <inheritdoc />
    public IFittedForecastModel Fit(ReadOnlySpan<double> y) => FitEts(y);

    /// <summary>Fits and returns the concrete fitted type, which exposes <see cref="EtsFit.Parameters"/>.</summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite.</exception>
    /// <exception cref="InsufficientDataException">n &lt; 3.</exception>
    public EtsFit FitEts(ReadOnlySpan<double> y)
    {
        SeriesGuard.RequireFinite(y, name, MinimumLength);
        var data = y.ToArray();
        var n = data.Length;
        if (IsConstant(data))
        {
            return EtsFit.Constant(data, name);
        }

        var m = SeasonLength;
        var positive = true;
        foreach (var v in data)
        {
            if (v <= 0)
            {
                positive = false;
                break;
            }
        }

        var seasonAllowed = m > 1 && n > m && m <= 24;
        var auto = error is null || trend is null || season is null;
        var seasonSpec = seasonAllowed ? season : EtsComponent.None;

        // R: "n <= npars + 4" produces a non-optimised fit for tiny series; npars counts only fixed components.
        var npars = 2 + (trend == EtsComponent.Additive ? 2 : 0)
            + (seasonAllowed && season is EtsComponent.Additive or EtsComponent.Multiplicative ? m : 0)
            + (damped == true ? 1 : 0);
        if (n <= npars + 4 && auto)
        {
            return Fallback(data);
        }

        if (!positive && error == EtsComponent.Multiplicative)
        {
            throw new ArgumentException($"{name}: a multiplicative-error ETS needs strictly positive data.", nameof(y));
        }

        double[]? seasonalA = null, seasonalM = null;
        EtsCandidate? best = null;
        var bestIc = double.PositiveInfinity;
        foreach (var e in Options(error, [EtsComponent.Additive, EtsComponent.Multiplicative]))
        {
            foreach (var t in Options(trend, [EtsComponent.None, EtsComponent.Additive]))
            {
                foreach (var s in Options(seasonSpec, [EtsComponent.None, EtsComponent.Additive, EtsComponent.Multiplicative]))
                {
                    foreach (var d in DampingOptions())
                    {
                        if (t == EtsComponent.None && d)
                        {
                            continue;
                        }

                        if (e == EtsComponent.Additive && s == EtsComponent.Multiplicative)
                        {
                            continue;
                        }

                        if (!positive && e == EtsComponent.Multiplicative)
                        {
                            continue;
                        }

                        if (s != EtsComponent.None && !seasonAllowed)
                        {
                            continue;
                        }

                        double[]? seasonal = null;
                        if (s == EtsComponent.Additive)
                        {
                            seasonal = seasonalA ??= EtsEngine.SeasonalComponent(data, m, multiplicative: false);
                        }
                        else if (s == EtsComponent.Multiplicative)
                        {
                            seasonal = seasonalM ??= EtsEngine.SeasonalComponent(data, m, multiplicative: true);
                        }

                        var candidate = EtsEngine.FitClass(data, new EtsModelType(e, t, d, s), m, criterion, seasonal, RelativeTolerance, MaxEvaluations);
                        if (candidate is not null && candidate.Parameters.Aicc < bestIc)
                        {
                            best = candidate;
                            bestIc = candidate.Parameters.Aicc;
                        }
                    }
                }
            }
        }

        return best is null ? Fallback(data) : new EtsFit(best, data, name);
    }

    private EtsFit Fallback(double[] data)
    {
        var type = new EtsModelType(EtsComponent.Additive, EtsComponent.None, false, EtsComponent.None);
        var candidate = EtsEngine.FitClass(data, type, 1, criterion, null, RelativeTolerance, MaxEvaluations, ignoreSize: true)
            ?? throw new InsufficientDataException(name, MinimumLength + 1, data.Length);
        return new EtsFit(candidate, data, name);
    }

    private bool[] DampingOptions() => damped switch
    {
        true => [true],
        false => [false],
        _ => [true, false],
    };

    private static EtsComponent[] Options(EtsComponent? fixedValue, EtsComponent[] all) =>
        fixedValue is { } v ? [v] : all;

    private static EtsComponent? Parse(char c, string what, bool allowNone) => char.ToUpperInvariant(c) switch
    {
        'Z' => null,
        'A' => EtsComponent.Additive,
        'M' => EtsComponent.Multiplicative,
        'N' when allowNone => EtsComponent.None,
        _ => throw new ArgumentException($"'{c}' is not a valid ETS {what} letter.", nameof(c)),
    };

    internal static bool IsConstant(ReadOnlySpan<double> y)
    {
        for (var i = 1; i < y.Length; i++)
        {
            if (y[i] != y[0])
            {
                return false;
            }
        }

        return true;
    }
}
