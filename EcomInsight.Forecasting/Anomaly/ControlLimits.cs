namespace EcomInsight.Forecasting.Anomaly;

/// <summary>Which side of the control band a value lies on.</summary>
public enum ControlSide
{
    /// <summary>Inside the 3σ band (or not beyond the info zone).</summary>
    Inside,

    /// <summary>Above the centre line.</summary>
    Above,

    /// <summary>Below the centre line.</summary>
    Below,
}

/// <summary>
/// Shewhart control limits from a forecast distribution given by its 10%, 50% and 90% quantiles.
/// </summary>
/// <remarks>
/// Assuming the forecast distribution is normal, p90 − p10 = 2·z₀.₉·σ = 2.5631·σ (z₀.₉ = 1.281552), so
/// σ = (p90 − p10) / 2.5631. The centre line is p50 and the control limits are UCL = p50 + 3σ and
/// LCL = max(0, p50 − 3σ) (demand is not negative). σ is floored at √max(p50, 1), the standard deviation of a
/// Poisson count with that mean, so that a degenerate interval (p10 = p90, e.g. a SKU whose history is all zeros)
/// does not flag every single unit. Sources: Montgomery, <i>Introduction to Statistical Quality Control</i>,
/// 7th ed., ch. 5–6 (3σ limits); Western Electric, <i>Statistical Quality Control Handbook</i> (1956), rules 1
/// and 2.
/// </remarks>
/// <param name="Centre">Centre line p50 (units).</param>
/// <param name="Sigma">σ after the Poisson floor (units, &gt; 0).</param>
public readonly record struct ControlLimits(double Centre, double Sigma)
{
    /// <summary>2·z₀.₉: the width of the 10–90% interval of a normal distribution in σ units.</summary>
    public const double P10ToP90Sigmas = 2.5631031310892007;

    /// <summary>Upper control limit p50 + 3σ.</summary>
    public double Ucl => Centre + (3 * Sigma);

    /// <summary>Lower control limit max(0, p50 − 3σ).</summary>
    public double Lcl => Math.Max(0, Centre - (3 * Sigma));

    /// <summary>Limits from the quantiles; see the type's remarks.</summary>
    /// <param name="p10">10% quantile (units).</param>
    /// <param name="p50">Median / point forecast (units).</param>
    /// <param name="p90">90% quantile (units).</param>
    /// <returns>The limits.</returns>
    /// <exception cref="ArgumentException">A NaN or infinite quantile, or p90 &lt; p10.</exception>
    public static ControlLimits FromQuantiles(double p10, double p50, double p90)
    {
        if (!double.IsFinite(p10) || !double.IsFinite(p50) || !double.IsFinite(p90))
        {
            throw new ArgumentException($"Control limits: quantiles must be finite (p10 {p10}, p50 {p50}, p90 {p90}).", nameof(p50));
        }
        if (p90 < p10)
        {
            throw new ArgumentException($"Control limits: p90 {p90} is below p10 {p10}.", nameof(p90));
        }
        var sigma = (p90 - p10) / P10ToP90Sigmas;
        return new ControlLimits(p50, Math.Max(sigma, Math.Sqrt(Math.Max(p50, 1.0))));
    }

    /// <summary>Standardised distance (actual − p50) / σ.</summary>
    /// <param name="actual">Observed value (units).</param>
    public double Z(double actual) => (actual - Centre) / Sigma;

    /// <summary>Above if actual &gt; UCL, Below if actual &lt; LCL, else Inside.</summary>
    /// <param name="actual">Observed value (units).</param>
    public ControlSide Side(double actual) => actual > Ucl ? ControlSide.Above : actual < Lcl ? ControlSide.Below : ControlSide.Inside;
}

/// <summary>Severity grade of a control-chart signal (0 none, 1 info, 2 warning, 3 critical).</summary>
public enum ControlSignal
{
    /// <summary>In control.</summary>
    None,

    /// <summary>Two consecutive periods beyond 2σ on the same side, neither beyond the 3σ limit (Western Electric rule 2, 2 of 2).</summary>
    Info,

    /// <summary>The latest period beyond a 3σ limit (Western Electric rule 1).</summary>
    Warning,

    /// <summary>The latest period beyond 4σ, or beyond the same 3σ limit in two consecutive periods.</summary>
    Critical,
}

/// <summary>The grading rules of control-chart warnings (pure).</summary>
public static class ControlRules
{
    /// <summary>
    /// Grades the latest period from its standardised distance <paramref name="z"/> and the previous period's
    /// <paramref name="previousZ"/> (null when there is none): |z| &gt; 4 or (|z| &gt; 3 and the previous beyond
    /// 3 on the same side) → Critical; |z| &gt; 3 → Warning; z and the previous both beyond 2 on the same side
    /// → Info; else None. The side is the sign of z. A limit clipped at zero (LCL = 0) cannot be crossed, so
    /// below-side signals need the actual to be below the LCL as well; the caller checks that with
    /// <see cref="ControlLimits.Side"/>.
    /// </summary>
    /// <param name="z">(actual − p50)/σ of the latest period.</param>
    /// <param name="previousZ">The same for the period before, when known.</param>
    /// <returns>The grade.</returns>
    public static ControlSignal Grade(double z, double? previousZ)
    {
        var sameSide = previousZ is { } p && Math.Sign(p) == Math.Sign(z) && z != 0;
        var abs = Math.Abs(z);
        if (abs > 4 || (abs > 3 && sameSide && Math.Abs(previousZ!.Value) > 3))
        {
            return ControlSignal.Critical;
        }
        if (abs > 3)
        {
            return ControlSignal.Warning;
        }
        if (abs > 2 && sameSide && Math.Abs(previousZ!.Value) > 2)
        {
            return ControlSignal.Info;
        }
        return ControlSignal.None;
    }
}
