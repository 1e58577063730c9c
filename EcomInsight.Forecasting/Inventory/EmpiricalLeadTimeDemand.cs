namespace EcomInsight.Forecasting.Inventory;

/// <summary>
/// The empirical distribution of demand over a window of <see cref="Days"/> days, taken from history: the sums of
/// every overlapping window of that length (a moving-block bootstrap with block = the window, without resampling,
/// so it is deterministic). Used for intermittent and lumpy items, where the normal approximation of lead-time demand
/// fails (mostly zeros, a few large orders): Silver, Pyke &amp; Thomas, 4th ed., §7.11 (lead-time demand from the
/// empirical distribution), after Willemain, Smart &amp; Schwarz (2004), "A new approach to forecasting intermittent
/// demand for service parts inventories", <i>IJF</i> 20(3).
/// </summary>
/// <remarks>Overlapping windows keep the day-to-day dependence of the history (orders that come in bursts), which an
/// i.i.d. resample of single days would destroy. Windows share days, so the effective sample is smaller than the
/// window count; the caller decides a minimum number of windows below which it falls back to the normal method.</remarks>
public sealed class EmpiricalLeadTimeDemand
{
    private readonly double[] _sorted;

    private EmpiricalLeadTimeDemand(double[] sorted, int days, double mean, double sigma)
    {
        _sorted = sorted;
        Days = days;
        Mean = mean;
        Sigma = sigma;
    }

    /// <summary>Window length, days.</summary>
    public int Days { get; }

    /// <summary>Number of windows (history length − days + 1).</summary>
    public int Count => _sorted.Length;

    /// <summary>Mean of the window sums, units.</summary>
    public double Mean { get; }

    /// <summary>Sample standard deviation (n − 1) of the window sums, units; 0 for a single window.</summary>
    public double Sigma { get; }

    /// <summary>Builds the distribution of <paramref name="days"/>-day sums of <paramref name="dailyDemand"/>.</summary>
    /// <param name="dailyDemand">Demand per day, units, oldest first; finite.</param>
    /// <param name="days">Window length (≥ 1).</param>
    /// <returns>The distribution, or null when the history is shorter than one window.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> &lt; 1.</exception>
    /// <exception cref="ArgumentException">A value is NaN or infinite.</exception>
    public static EmpiricalLeadTimeDemand? FromHistory(ReadOnlySpan<double> dailyDemand, int days)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        for (var t = 0; t < dailyDemand.Length; t++)
        {
            if (!double.IsFinite(dailyDemand[t]))
            {
                throw new ArgumentException($"Demand of day {t} is {dailyDemand[t]}: it must be finite.", nameof(dailyDemand));
            }
        }
        if (dailyDemand.Length < days)
        {
            return null;
        }
        var sums = new double[dailyDemand.Length - days + 1];
        var running = 0.0;
        for (var t = 0; t < days; t++)
        {
            running += dailyDemand[t];
        }
        sums[0] = running;
        for (var t = days; t < dailyDemand.Length; t++)
        {
            // Sliding sum: exact for whole units, and for fractional demand the drift over a year of days is far
            // below any quantity that matters here.
            running += dailyDemand[t] - dailyDemand[t - days];
            sums[t - days + 1] = running;
        }
        var mean = 0.0;
        var m2 = 0.0;
        for (var i = 0; i < sums.Length; i++)
        {
            var delta = sums[i] - mean;
            mean += delta / (i + 1);
            m2 += delta * (sums[i] - mean);
        }
        Array.Sort(sums);
        return new EmpiricalLeadTimeDemand(sums, days, mean, sums.Length > 1 ? Math.Sqrt(m2 / (sums.Length - 1)) : 0);
    }

    /// <summary>
    /// The p-quantile by inversion of the empirical CDF: the smallest window sum x with F̂(x) ≥ p, i.e. sorted
    /// element ⌈p·n⌉ (R's <c>quantile(type = 1)</c>, numpy's <c>method="inverted_cdf"</c>). Stocking x covers at
    /// least a share p of the historical windows.
    /// </summary>
    /// <param name="p">Probability in (0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">Out of (0, 1].</exception>
    public double Quantile(double p)
    {
        if (!(p > 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "The probability must be in (0, 1].");
        }
        var rank = (int)Math.Ceiling(p * _sorted.Length - 1e-9);
        return _sorted[Math.Clamp(rank, 1, _sorted.Length) - 1];
    }

    /// <summary>Share of windows whose sum, scaled by <paramref name="scale"/>, exceeds <paramref name="x"/>:
    /// P̂(scale·X &gt; x).</summary>
    /// <param name="x">Threshold, units.</param>
    /// <param name="scale">Multiplies every window sum (≥ 0; rescales the history to a forecast mean).</param>
    public double ExceedanceProbability(double x, double scale = 1)
    {
        if (!(scale > 0))
        {
            return x < 0 ? 1 : 0;
        }
        var threshold = x / scale;
        // First index with a sum > threshold (upper bound), by binary search over the sorted sums.
        int lo = 0, hi = _sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_sorted[mid] > threshold)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        return (double)(_sorted.Length - lo) / _sorted.Length;
    }

    /// <summary>Mean of (scale·X − x)⁺ over the windows: the expected units short with stock x.</summary>
    /// <param name="x">Stock available, units.</param>
    /// <param name="scale">Multiplies every window sum (≥ 0).</param>
    public double ExpectedShortage(double x, double scale = 1)
    {
        var sum = 0.0;
        foreach (var s in _sorted)
        {
            sum += Math.Max(scale * s - x, 0);
        }
        return sum / _sorted.Length;
    }
}
