using MathNet.Numerics.Distributions;

namespace EcomInsight.Forecasting.Inventory;

/// <summary>Mean and standard deviation of demand summed over a number of days.</summary>
/// <param name="Mean">Expected units over the interval.</param>
/// <param name="Sigma">Standard deviation of the forecast error over the interval, units.</param>
public readonly record struct IntervalDemand(double Mean, double Sigma);

/// <summary>
/// Lead-time demand from a daily forecast: the normal approximation used for smooth and erratic items (Silver, Pyke
/// &amp; Thomas, 4th ed., §6.7–6.9: safety stock from the standard deviation of the forecast errors over the lead
/// time, σ_L, not of demand itself).
/// </summary>
public static class LeadTimeDemand
{
    /// <summary>z of the 90 % quantile of the standard normal, 1.2815515655446004.</summary>
    public static readonly double Z90 = Normal.InvCDF(0, 1, 0.9);

    /// <summary>
    /// Standard deviation of one period's forecast error from its 80 % central interval: σ = max(p90 − p50,
    /// p50 − p10) / z₀.₉. The wider half is used because sales forecasts are clipped at 0, which pulls p10 up and
    /// would shrink a symmetric estimate exactly where stock-outs matter; for an unclipped normal interval both
    /// halves are equal.
    /// </summary>
    /// <param name="p10">10 % quantile, units.</param>
    /// <param name="p50">Point forecast, units.</param>
    /// <param name="p90">90 % quantile, units.</param>
    /// <returns>σ ≥ 0, units (0 for a degenerate band).</returns>
    public static double SigmaFromBand(double p10, double p50, double p90) =>
        Math.Max(Math.Max(p90 - p50, p50 - p10), 0) / Z90;

    /// <summary>
    /// Demand over the first <paramref name="days"/> days of a daily forecast: mean = Σ μ_t and σ = √(Σ σ_t²), i.e.
    /// daily errors taken as independent (Silver, Pyke &amp; Thomas §6.9.1, σ_L = σ_1 √L for equal days). When the
    /// interval is longer than the forecast, each missing day is filled with the forecast's average daily mean and
    /// average daily variance.
    /// </summary>
    /// <param name="mean">Daily forecast means (p50), units, from the first day after the origin.</param>
    /// <param name="sigma">Daily forecast error standard deviations, same length as <paramref name="mean"/>.</param>
    /// <param name="days">Interval length in days (≥ 0).</param>
    /// <returns>(0, 0) when the forecast is empty or <paramref name="days"/> is 0.</returns>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is negative.</exception>
    public static IntervalDemand OverDays(ReadOnlySpan<double> mean, ReadOnlySpan<double> sigma, int days)
    {
        if (mean.Length != sigma.Length)
        {
            throw new ArgumentException($"mean has {mean.Length} days, sigma {sigma.Length}.", nameof(sigma));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        if (mean.Length == 0 || days == 0)
        {
            return new IntervalDemand(0, 0);
        }
        var m = 0.0;
        var v = 0.0;
        var covered = Math.Min(days, mean.Length);
        for (var t = 0; t < covered; t++)
        {
            m += mean[t];
            v += sigma[t] * sigma[t];
        }
        if (days > mean.Length)
        {
            var allMean = 0.0;
            var allVar = 0.0;
            for (var t = 0; t < mean.Length; t++)
            {
                allMean += mean[t];
                allVar += sigma[t] * sigma[t];
            }
            var extra = days - mean.Length;
            m += extra * allMean / mean.Length;
            v += extra * allVar / mean.Length;
        }
        return new IntervalDemand(m, Math.Sqrt(v));
    }

    /// <summary>
    /// Safety factor k = Φ⁻¹(service level) for a target cycle service level P₁ (Silver, Pyke &amp; Thomas §7.3.2):
    /// e.g. 0.90 → 1.2816, 0.95 → 1.6449, 0.98 → 2.0537.
    /// </summary>
    /// <param name="serviceLevel">Probability of no stock-out per replenishment cycle, in (0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">Out of (0, 1).</exception>
    public static double SafetyFactor(double serviceLevel)
    {
        if (!(serviceLevel > 0 && serviceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(serviceLevel), serviceLevel, "The service level must be in (0, 1).");
        }
        return Normal.InvCDF(0, 1, serviceLevel);
    }

    /// <summary>P(X &gt; x) for X ~ N(mean, σ²); for σ = 0, 1 when mean &gt; x else 0.</summary>
    /// <param name="demand">Mean and σ of the demand, units.</param>
    /// <param name="x">Threshold, units (e.g. the inventory position).</param>
    public static double ExceedanceProbability(IntervalDemand demand, double x) =>
        demand.Sigma > 0 ? 1 - Normal.CDF(demand.Mean, demand.Sigma, x) : demand.Mean > x ? 1 : 0;

    /// <summary>
    /// Expected units short E[(X − x)⁺] for X ~ N(mean, σ²): σ·G(k) with k = (x − mean)/σ and the unit normal loss
    /// function G(k) = φ(k) − k(1 − Φ(k)) (Silver, Pyke &amp; Thomas §7.4.2, eq. for ESPRC; Appendix II).
    /// </summary>
    /// <param name="demand">Mean and σ of the demand, units.</param>
    /// <param name="x">Stock available against it, units.</param>
    public static double ExpectedShortage(IntervalDemand demand, double x)
    {
        if (demand.Sigma <= 0)
        {
            return Math.Max(demand.Mean - x, 0);
        }
        var k = (x - demand.Mean) / demand.Sigma;
        return demand.Sigma * (Normal.PDF(0, 1, k) - k * (1 - Normal.CDF(0, 1, k)));
    }
}
