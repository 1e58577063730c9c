using System.Globalization;

namespace EcomInsight.Forecasting.Models;

/// <summary>
/// Teunter–Syntetos–Babai method for intermittent demand (Teunter, Syntetos &amp; Babai 2011, "Intermittent demand:
/// Linking forecasting to inventory obsolescence", <i>EJOR</i> 214(3)): the demand probability is updated every
/// period, so the forecast decays towards zero during long runs without demand (unlike Croston's).
/// </summary>
/// <remarks>
/// <para>Recursion, with dₜ = 1 if yₜ &gt; 0 else 0:
/// p̂ ← p̂ + α_p (dₜ − p̂) every period; ẑ ← ẑ + α_d (yₜ − ẑ) only when dₜ = 1. Forecast for every step: p̂ · ẑ
/// (units per period).</para>
/// <para>Initialisation (chosen so the first forecast equals Croston's in R): at the first demand, at 0-based
/// index t₁, ẑ = y_{t₁} and p̂ = 1 / (t₁ + 1), i.e. the reciprocal of Croston's first interval. Before it the
/// forecast is 0. Fitted[t] is the forecast made from y₀..y_{t−1}; Fitted[0] is NaN.</para>
/// <para>Defaults α_d = α_p = 0.1 (the low end of the range studied by Teunter et al.). <see cref="Optimized"/>
/// chooses (α_d, α_p) in [0.05, 0.3]² minimising the in-sample mean squared one-step error over the periods
/// after the first demand, by cyclic coordinate golden-section search (three sweeps, starting from 0.1, 0.1);
/// the bounds keep the smoothing heavy enough for ~1 year of weekly data (tsintermittent searches [0, 1]).</para>
/// <para>Edge cases: values ≤ 0 count as no demand, so forecasts are ≥ 0; an all-zero series forecasts 0; one
/// observation is enough. NaN/∞ throws <see cref="ArgumentException"/> naming the index; an empty series throws
/// <see cref="InsufficientDataException"/>. No analytic intervals. O(n) per fit.</para>
/// </remarks>
public sealed class TsbModel : IForecastModel
{
    /// <summary>Lower bound of both smoothing constants in <see cref="Optimized"/>.</summary>
    public const double OptimizedAlphaMin = 0.05;

    /// <summary>Upper bound of both smoothing constants in <see cref="Optimized"/>.</summary>
    public const double OptimizedAlphaMax = 0.3;

    private readonly bool _optimize;

    /// <summary>TSB with fixed smoothing constants.</summary>
    /// <param name="alphaDemand">α_d for the demand size, in (0, 1].</param>
    /// <param name="alphaProbability">α_p for the demand probability, in (0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">A constant outside (0, 1].</exception>
    public TsbModel(double alphaDemand = 0.1, double alphaProbability = 0.1)
        : this(alphaDemand, alphaProbability, optimize: false)
    {
    }

    private TsbModel(double alphaDemand, double alphaProbability, bool optimize)
    {
        if (!(alphaDemand > 0 && alphaDemand <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alphaDemand), alphaDemand, "TSB's smoothing constants must be in (0, 1].");
        }

        if (!(alphaProbability > 0 && alphaProbability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alphaProbability), alphaProbability, "TSB's smoothing constants must be in (0, 1].");
        }

        AlphaDemand = alphaDemand;
        AlphaProbability = alphaProbability;
        _optimize = optimize;
    }

    /// <summary>TSB with (α_d, α_p) optimised per series by in-sample MSE in [0.05, 0.3]².</summary>
    public static TsbModel Optimized() => new(0.1, 0.1, optimize: true);

    /// <summary>Smoothing constant for the demand size (the starting value when optimising).</summary>
    public double AlphaDemand { get; }

    /// <summary>Smoothing constant for the demand probability (the starting value when optimising).</summary>
    public double AlphaProbability { get; }

    /// <inheritdoc />
    public string Name => _optimize ? "tsb-opt" : "tsb";

    /// <inheritdoc />
    public IFittedForecastModel Fit(ReadOnlySpan<double> y)
    {
        SeriesGuard.RequireFinite(y, Name);
        var fitted = new double[y.Length];
        var alphaD = AlphaDemand;
        var alphaP = AlphaProbability;
        if (_optimize)
        {
            // The objective re-runs the recursion into `fitted` as scratch space; the final run overwrites it.
            var state = new Objective(y.ToArray(), fitted);
            for (var sweep = 0; sweep < 3; sweep++)
            {
                state.AlphaD = alphaD;
                alphaP = IntermittentMath.GoldenSection(static (s, a) => s.Mse(s.AlphaD, a), state, OptimizedAlphaMin, OptimizedAlphaMax);
                state.AlphaP = alphaP;
                alphaD = IntermittentMath.GoldenSection(static (s, a) => s.Mse(a, s.AlphaP), state, OptimizedAlphaMin, OptimizedAlphaMax);
            }
        }

        var forecast = Run(y, alphaD, alphaP, fitted);
        var description = string.Create(CultureInfo.InvariantCulture, $"TSB(alpha_d={alphaD:G4}, alpha_p={alphaP:G4})");
        return new FlatForecastFit(description, fitted, forecast);
    }

    /// <summary>The TSB recursion; writes one-step fitted values into <paramref name="fitted"/> and returns the forecast.</summary>
    internal static double Run(ReadOnlySpan<double> y, double alphaD, double alphaP, Span<double> fitted)
    {
        double z = 0, p = 0, current = 0;
        var seen = false;
        for (var t = 0; t < y.Length; t++)
        {
            fitted[t] = t == 0 ? double.NaN : current;
            var demand = y[t] > 0;
            if (seen)
            {
                p += alphaP * ((demand ? 1.0 : 0.0) - p);
                if (demand)
                {
                    z += alphaD * (y[t] - z);
                }
            }
            else if (demand)
            {
                z = y[t];
                p = 1.0 / (t + 1);
                seen = true;
            }

            current = p * z;
        }

        return current;
    }

    private sealed class Objective(double[] y, double[] scratch)
    {
        public double AlphaD { get; set; }

        public double AlphaP { get; set; }

        public double Mse(double alphaD, double alphaP)
        {
            Run(y, alphaD, alphaP, scratch);
            var sse = 0.0;
            var seen = false;
            for (var t = 0; t < y.Length; t++)
            {
                if (seen)
                {
                    var e = y[t] - scratch[t];
                    sse += e * e;
                }

                seen |= y[t] > 0;
            }

            return sse;
        }
    }
}
