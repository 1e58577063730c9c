using System.Buffers;
using System.Globalization;

namespace EcomInsight.Forecasting.Models;

/// <summary>Which bias treatment a <see cref="CrostonModel"/> applies to Croston's ratio.</summary>
public enum CrostonVariant
{
    /// <summary>Croston (1972): forecast ẑ / p̂.</summary>
    Classic,

    /// <summary>Syntetos–Boylan Approximation (Syntetos &amp; Boylan 2005): (1 − α_p / 2) · ẑ / p̂, which removes
    /// most of the positive bias of Croston's ratio (the expectation of a ratio is not the ratio of expectations).</summary>
    Sba,
}

/// <summary>
/// Croston's method for intermittent demand (Croston 1972, <i>Operational Research Quarterly</i> 23(3)) and its
/// Syntetos–Boylan bias correction (SBA; Syntetos &amp; Boylan 2005, <i>IJF</i> 21(2)).
/// </summary>
/// <remarks>
/// <para>Algorithm (identical to R forecast 8.20 <c>croston()</c>, which smooths both sub-series with
/// <c>ses(initial = "simple")</c>): periods with yₜ &gt; 0 are demands. The demand sizes z₁..z_k and the
/// inter-demand intervals q₁..q_k (q₁ = position of the first demand counted from 1, qⱼ = gap in periods
/// between demands j−1 and j) are each smoothed by simple exponential smoothing whose level starts at the first
/// value: ẑ ← ẑ + α_z (zⱼ − ẑ), p̂ ← p̂ + α_p (qⱼ − p̂), updated only in periods with a demand. The forecast for
/// every horizon step is ẑ / p̂ (Classic) or (1 − α_p/2) · ẑ / p̂ (SBA), in units per period.</para>
/// <para>Fitted values: Fitted[t] is the forecast made from y₀..y_{t−1} (R's <c>croston()$fitted</c>): NaN at
/// t = 0, 0 before the first demand. One pass, O(n), no allocation in the loop.</para>
/// <para><see cref="Optimized"/> follows statsforecast's <c>CrostonOptimized</c>: α_z and α_p are chosen
/// separately in [0.1, 0.3] by golden-section search minimising the in-sample one-step squared error of SES on
/// the sizes and on the intervals respectively (with fewer than two demands α = 0.1 is kept).</para>
/// <para>Edge cases: values ≤ 0 count as no demand (so forecasts are never negative); an all-zero series
/// forecasts 0; a single observation is enough (y = [5] forecasts 5). NaN/∞ throws
/// <see cref="ArgumentException"/> naming the index; an empty series throws <see cref="InsufficientDataException"/>.
/// No analytic intervals (<see cref="IFittedForecastModel.HasIntervals"/> is false).</para>
/// </remarks>
public sealed class CrostonModel : IForecastModel
{
    /// <summary>Lower bound of the α search in <see cref="Optimized"/> (statsforecast's bound).</summary>
    public const double OptimizedAlphaMin = 0.1;

    /// <summary>Upper bound of the α search in <see cref="Optimized"/> (statsforecast's bound).</summary>
    public const double OptimizedAlphaMax = 0.3;

    private readonly bool _optimize;

    /// <summary>Croston or SBA with a fixed smoothing constant used for both sizes and intervals.</summary>
    /// <param name="alpha">Smoothing constant α in (0, 1]; R's default 0.1.</param>
    /// <param name="variant">Classic Croston or SBA.</param>
    /// <exception cref="ArgumentOutOfRangeException">α outside (0, 1].</exception>
    public CrostonModel(double alpha = 0.1, CrostonVariant variant = CrostonVariant.Classic)
        : this(alpha, variant, optimize: false)
    {
    }

    private CrostonModel(double alpha, CrostonVariant variant, bool optimize)
    {
        if (!(alpha > 0 && alpha <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Croston's smoothing constant must be in (0, 1].");
        }

        Alpha = alpha;
        Variant = variant;
        _optimize = optimize;
    }

    /// <summary>Croston/SBA with α_z and α_p optimised per series in [0.1, 0.3] (statsforecast CrostonOptimized).</summary>
    public static CrostonModel Optimized(CrostonVariant variant = CrostonVariant.Classic) => new(0.1, variant, optimize: true);

    /// <summary>The fixed smoothing constant (the fallback when optimising and fewer than two demands exist).</summary>
    public double Alpha { get; }

    /// <summary>Classic or SBA.</summary>
    public CrostonVariant Variant { get; }

    /// <summary>True when α is optimised per series.</summary>
    public bool IsOptimized => _optimize;

    /// <inheritdoc />
    public string Name => (Variant == CrostonVariant.Sba ? "sba" : "croston") + (_optimize ? "-opt" : string.Empty);

    /// <inheritdoc />
    public IFittedForecastModel Fit(ReadOnlySpan<double> y)
    {
        SeriesGuard.RequireFinite(y, Name);
        var alphaZ = Alpha;
        var alphaP = Alpha;
        if (_optimize)
        {
            (alphaZ, alphaP) = OptimiseAlphas(y);
        }

        var fitted = new double[y.Length];
        var forecast = Run(y, alphaZ, alphaP, Variant, fitted);
        var description = string.Create(
            CultureInfo.InvariantCulture,
            $"{(Variant == CrostonVariant.Sba ? "SBA" : "Croston")}(alpha_z={alphaZ:G4}, alpha_p={alphaP:G4})");
        return new FlatForecastFit(description, fitted, forecast);
    }

    /// <summary>The Croston recursion; writes one-step fitted values into <paramref name="fitted"/> (length n) and returns the forecast.</summary>
    internal static double Run(ReadOnlySpan<double> y, double alphaZ, double alphaP, CrostonVariant variant, Span<double> fitted)
    {
        var factor = variant == CrostonVariant.Sba ? 1 - (alphaP / 2) : 1.0;
        double z = 0, p = 0, current = 0;
        var seen = false;
        var last = -1;
        for (var t = 0; t < y.Length; t++)
        {
            fitted[t] = t == 0 ? double.NaN : current;
            if (y[t] > 0)
            {
                var q = t - last;
                if (seen)
                {
                    z += alphaZ * (y[t] - z);
                    p += alphaP * (q - p);
                }
                else
                {
                    z = y[t];
                    p = q;
                    seen = true;
                }

                last = t;
                current = factor * z / p;
            }
        }

        return current;
    }

    private static (double AlphaZ, double AlphaP) OptimiseAlphas(ReadOnlySpan<double> y)
    {
        var k = 0;
        foreach (var v in y)
        {
            if (v > 0)
            {
                k++;
            }
        }

        if (k < 2)
        {
            return (0.1, 0.1);
        }

        var buffer = ArrayPool<double>.Shared.Rent(2 * k);
        try
        {
            var sizes = buffer.AsSpan(0, k);
            var intervals = buffer.AsSpan(k, k);
            var j = 0;
            var last = -1;
            for (var t = 0; t < y.Length; t++)
            {
                if (y[t] > 0)
                {
                    sizes[j] = y[t];
                    intervals[j] = t - last;
                    last = t;
                    j++;
                }
            }

            return (IntermittentMath.OptimiseSesAlpha(buffer.AsMemory(0, k), OptimizedAlphaMin, OptimizedAlphaMax),
                    IntermittentMath.OptimiseSesAlpha(buffer.AsMemory(k, k), OptimizedAlphaMin, OptimizedAlphaMax));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }
}
